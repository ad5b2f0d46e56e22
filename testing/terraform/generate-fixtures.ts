/**
 * `npm run fixtures:terraform`: applies the design document's Terraform deployment
 * (tests/fixtures/terraform) to a fresh moto server and writes the real artefacts the tests read
 * (artefacts.ts lists them): the state file, `terraform show -json` of it, of the plan of a new
 * deployment, of a plan that changes the live deployment and of one plan per deliberate mistake,
 * plus `manifest.json` with the Terraform, provider and moto versions that made them.
 *
 * The files are written as Terraform printed them, after a scan for anything that could be a real
 * secret (secret-scan.ts); nothing is written when the scan finds something. One moto server and
 * one database per run: two RDS instances in one moto server confuse the provider's reads. Takes
 * about two minutes, nearly all of it the provider waiting for the RDS instance.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { quietSdkNodeNotice } from "../../lib/aws-sdk-notice";
import { defineCommand, EXIT_OK, InputError, resolveUserPath, runMain } from "../../policy-pack/lib/cli";
import { findMotoServer, MotoServer, MotoServerNotFoundError, motoVersion, startMotoServer } from "../moto-server";
import {
    Artefact, ARTEFACTS, BASE_VARIABLES, CREATE_PLAN_FILE, FAKE_SECRET_VALUES, FIXTURE_DIR, GENERATED_DIR, MANIFEST_FILE, MOTO_SEED, RECORDING_FILE,
    STATE_FILE, STATE_JSON_FILE,
} from "./artefacts";
import { replayDeployment } from "./replay";
import { secretFindings } from "./secret-scan";
import { isolatedEnvironment, mirrorHasAwsProvider, requiredAwsProviderVersion, terraformPlatform, TerraformWorkdir } from "./workdir";

export const COMMAND = "fixtures:terraform";
const DEFAULT_PLUGIN_MIRROR = "/opt/tf-plugins";
const MIN_TERRAFORM = [1, 5];

export interface Manifest {
    readonly generatedBy: string;
    readonly note: string;
    readonly generatedAt: string;
    readonly durationSeconds: number;
    readonly fixture: string;
    readonly terraform: string;
    readonly providers: Record<string, string>;
    readonly moto: string;
    readonly region: string;
    readonly accountId: string;
    readonly motoSeed: number;
    /** The applied deployment's variables (fixture defaults otherwise); sensitive ones as "(fake test value)". */
    readonly variables: Record<string, string | boolean>;
    readonly artefacts: ReadonlyArray<Artefact & { readonly formatVersion: string | number }>;
}

interface Tools {
    readonly terraformVersion: string;
    readonly motoVersion: string;
    readonly pluginMirror: string;
}

/** Everything the run needs, checked before anything starts; each problem says how to fix it. */
function preflight(pluginMirror: string): Tools {
    let terraformVersion: string;
    try {
        const env = { ...isolatedEnvironment(process.env), TF_CLI_CONFIG_FILE: "/dev/null", CHECKPOINT_DISABLE: "1" };
        terraformVersion = (JSON.parse(execFileSync("terraform", ["version", "-json"], { encoding: "utf8", env })) as { terraform_version: string }).terraform_version;
    } catch (error) {
        throw new InputError(`cannot run terraform (${(error as Error).message.split("\n")[0]}): Terraform ${MIN_TERRAFORM.join(".")} or newer must be on the PATH to regenerate the fixtures`);
    }
    const [major, minor] = terraformVersion.split(".").map(Number);
    if (major < MIN_TERRAFORM[0] || (major === MIN_TERRAFORM[0] && minor < MIN_TERRAFORM[1])) {
        throw new InputError(`terraform ${terraformVersion} is too old: the fixture needs ${MIN_TERRAFORM.join(".")} or newer`);
    }
    const providerVersion = requiredAwsProviderVersion(FIXTURE_DIR);
    if (!mirrorHasAwsProvider(pluginMirror, providerVersion)) {
        throw new InputError(`--plugin-mirror ${pluginMirror} holds no hashicorp/aws ${providerVersion} for ${terraformPlatform()} ` +
            `(the version tests/fixtures/terraform/versions.tf pins); give the folder of a Terraform filesystem mirror that has it`);
    }
    try {
        return { terraformVersion, motoVersion: motoVersion(findMotoServer()), pluginMirror };
    } catch (error) {
        throw new InputError(error instanceof MotoServerNotFoundError ? error.message : `cannot tell moto's version: ${(error as Error).message}`);
    }
}

/** What `manifest.json` shows of a variable set: sensitive values replaced. */
function shownVariables(values: Readonly<Record<string, string | boolean>>): Record<string, string | boolean> {
    const fakes = new Set<unknown>(Object.values(FAKE_SECRET_VALUES));
    return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, fakes.has(value) ? "(fake test value)" : value]));
}

function formatVersion(artefact: Artefact, text: string): string | number {
    if (artefact.format === "moto-recording") {
        return "moto recorder (JSON lines)";
    }
    const document = JSON.parse(text) as { version?: number; format_version?: string };
    return (artefact.format === "tfstate-v4" ? document.version : document.format_version) ?? "missing";
}

/**
 * Applies the fixture to `moto` in `workdir` and returns every artefact's text, keyed by file name.
 * `log` gets one line per step with the seconds since the start.
 */
export async function produceArtefacts(workdir: TerraformWorkdir, moto: MotoServer, log: (step: string) => void): Promise<{ texts: Map<string, string>; drift: Map<string, Drift> }> {
    const texts = new Map<string, string>();
    const base = workdir.writeVariables("base", BASE_VARIABLES);
    await workdir.run(["init", "-input=false", "-no-color"]);
    log("terraform init");

    // The plan of a new deployment, shown, then applied as it is, one operation at a time and
    // recorded from a seeded generator so that the recording replays to the same ids.
    await moto.seed(MOTO_SEED);
    await moto.startRecording();
    await workdir.run(["plan", "-input=false", "-no-color", `-var-file=${base}`, "-out=create.tfplan"]);
    texts.set(CREATE_PLAN_FILE, await workdir.run(["show", "-json", "create.tfplan"]));
    log("plan of a new deployment");
    await workdir.run(["apply", "-input=false", "-no-color", "-auto-approve", "-parallelism=1", "create.tfplan"]);
    texts.set(RECORDING_FILE, await moto.stopRecording());
    log("apply (the RDS instance is most of it)");
    texts.set(STATE_FILE, workdir.read("terraform.tfstate"));
    fs.writeFileSync(path.join(workdir.dir, RECORDING_FILE), texts.get(RECORDING_FILE)!);
    texts.set(STATE_JSON_FILE, await workdir.run(["show", "-json"]));

    for (const artefact of ARTEFACTS) {
        if (artefact.format !== "show-json-plan" || artefact.file === CREATE_PLAN_FILE) {
            continue;
        }
        const name = path.basename(artefact.file, ".json");
        const overrides = workdir.writeVariables(name, artefact.variables ?? {});
        await workdir.run(["plan", "-input=false", "-no-color", `-var-file=${base}`, `-var-file=${overrides}`, `-out=${name}.tfplan`]);
        texts.set(artefact.file, await workdir.run(["show", "-json", `${name}.tfplan`]));
        log(`plan ${name}`);
    }
    return { texts, drift: await refreshDrift(workdir, base) };
}

/**
 * A resource's values before and after a refresh, as JSON text with timestamps blanked and every
 * JSON document inside a string (policies, container definitions) with its keys sorted: the
 * provider and moto do not keep the order of a map's keys from one read to the next.
 */
interface Drift {
    readonly before: string;
    readonly after: string;
}

/** `terraform plan -refresh-only` of the state in `workdir`: what a refresh changes, by address. */
async function refreshDrift(workdir: TerraformWorkdir, variableFile: string): Promise<Map<string, Drift>> {
    await workdir.run(["plan", "-refresh-only", "-input=false", "-no-color", `-var-file=${variableFile}`, "-out=refresh.tfplan"]);
    const plan = JSON.parse(await workdir.run(["show", "-json", "refresh.tfplan"])) as { resource_drift?: Array<{ address: string; change: { before: unknown; after: unknown } }> };
    const text = (value: unknown) => JSON.stringify(canonical(value)).replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)/g, "<time>");
    return new Map((plan.resource_drift ?? []).map(({ address, change }) => [address, { before: text(change.before), after: text(change.after) }]));
}

/** `value` with object keys sorted, also inside strings that hold a JSON object or array. */
function canonical(value: unknown): unknown {
    if (typeof value === "string" && /^\s*[[{]/.test(value)) {
        try {
            return JSON.stringify(canonical(JSON.parse(value)));
        } catch {
            return value;
        }
    }
    if (Array.isArray(value)) {
        return value.map(canonical);
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
    }
    return value;
}

/**
 * Replays the recording into a fresh moto (replay.ts) and refreshes a copy of the state against
 * it: the replay reproduces the deployment when that refresh finds exactly what a refresh against
 * the original server found (`expected`; moto reports some attributes the provider did not store
 * at create), apart from timestamps and the RDS-managed secret's ARN, which moto cannot reproduce.
 * @throws Error naming each resource that differs.
 */
async function verifyReplay(texts: Map<string, string>, expected: Map<string, Drift>, pluginMirror: string, log: (step: string) => void): Promise<void> {
    const moto = await startMotoServer();
    const workdir = TerraformWorkdir.create({ configDir: FIXTURE_DIR, pluginMirror, moto });
    try {
        const loaded = await replayDeployment(moto, texts.get(RECORDING_FILE)!, texts.get(STATE_FILE)!);
        log("replayed the recording into a fresh moto");
        fs.writeFileSync(path.join(workdir.dir, "terraform.tfstate"), texts.get(STATE_FILE)!);
        await workdir.run(["init", "-input=false", "-no-color"]);
        const drift = await refreshDrift(workdir, workdir.writeVariables("base", BASE_VARIABLES));
        // With the secret's ARN put back, the replay refreshes to what the original refreshed to
        // (or, where the original had nothing to refresh, to the state itself).
        const asRecorded = (text: string) => text.split(loaded.rdsMasterSecretArn).join(loaded.stateRdsMasterSecretArn);
        const differences = [...new Set([...expected.keys(), ...drift.keys()])].filter((address) => {
            const replayed = drift.get(address);
            const original = expected.get(address);
            return original ? replayed === undefined || asRecorded(replayed.after) !== original.after : replayed !== undefined && asRecorded(replayed.after) !== replayed.before;
        });
        if (differences.length > 0) {
            throw new Error(`the recording does not replay to the state's deployment: ${differences.join(", ")} differ (Terraform directory kept: ${workdir.dir})`);
        }
        log("the replayed deployment refreshes like the original");
        workdir.remove();
    } finally {
        await moto.stop();
    }
}

/** Writes the artefacts and the manifest into `outDir`, removing artefacts a previous run wrote that are no longer listed. */
function writeArtefacts(outDir: string, texts: Map<string, string>, manifest: Manifest): void {
    const previous = path.join(outDir, MANIFEST_FILE);
    if (fs.existsSync(previous)) {
        const old = JSON.parse(fs.readFileSync(previous, "utf8")) as Partial<Manifest>;
        for (const { file } of old.generatedBy === manifest.generatedBy ? old.artefacts ?? [] : []) {
            if (!texts.has(file)) {
                fs.rmSync(path.join(outDir, file), { force: true });
            }
        }
    }
    for (const [file, text] of texts) {
        fs.writeFileSync(path.join(outDir, file), text);
    }
    fs.writeFileSync(previous, `${JSON.stringify(manifest, null, 2)}\n`);
}

export const main = defineCommand(
    {
        name: COMMAND,
        usage: `npm run ${COMMAND} [-- --out DIR] [--plugin-mirror DIR] [--keep-workdir]`,
        help: [
            `  --out DIR            where to write the artefacts (default: ${path.relative(process.cwd(), GENERATED_DIR) || GENERATED_DIR})`,
            `  --plugin-mirror DIR  Terraform filesystem mirror holding hashicorp/aws (default: ${DEFAULT_PLUGIN_MIRROR})`,
            "  --keep-workdir       keep the temporary Terraform directory (always kept when a step fails)",
            "  --debug              stack traces on errors",
        ].join("\n"),
        options: {
            "out": { type: "string" },
            "plugin-mirror": { type: "string" },
            "keep-workdir": { type: "boolean" },
            "debug": { type: "boolean" },
        },
    },
    async ({ values }, io) => {
        const outDir = values.out ? resolveUserPath(io, values.out) : GENERATED_DIR;
        if (!fs.existsSync(path.dirname(outDir))) {
            throw new InputError(`--out ${outDir}: its parent folder does not exist`);
        }
        const tools = preflight(values["plugin-mirror"] ? resolveUserPath(io, values["plugin-mirror"]) : DEFAULT_PLUGIN_MIRROR);
        const started = Date.now();
        const log = (step: string) => io.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${step}\n`);
        let moto: MotoServer | undefined;
        let workdir: TerraformWorkdir | undefined;
        let succeeded = false;
        try {
            moto = await startMotoServer();
            log(`moto ${tools.motoVersion} at ${moto.endpoint}`);
            workdir = TerraformWorkdir.create({ configDir: FIXTURE_DIR, pluginMirror: tools.pluginMirror, moto });
            const { texts, drift } = await produceArtefacts(workdir, moto, log);
            await moto.stop();
            await verifyReplay(texts, drift, tools.pluginMirror, log);
            const findings = [...texts].flatMap(([file, text]) =>
                secretFindings(text, ARTEFACTS.find((artefact) => artefact.file === file)!.format).map((finding) => `${file}: ${finding}`));
            if (findings.length > 0) {
                throw new Error(`nothing was written: the artefacts hold what could be a real secret:\n  ${findings.join("\n  ")}`);
            }
            const selections = (JSON.parse(await workdir.run(["version", "-json"])) as { provider_selections: Record<string, string> }).provider_selections;
            const manifest: Manifest = {
                generatedBy: `npm run ${COMMAND}`,
                note: "Generated: never edit these files by hand; run the command again to refresh them.",
                generatedAt: new Date().toISOString(),
                durationSeconds: Math.round((Date.now() - started) / 1000),
                fixture: path.relative(path.resolve(FIXTURE_DIR, "..", "..", ".."), FIXTURE_DIR),
                terraform: tools.terraformVersion,
                providers: selections,
                moto: tools.motoVersion,
                region: moto.region,
                accountId: moto.accountId,
                motoSeed: MOTO_SEED,
                variables: shownVariables(BASE_VARIABLES),
                artefacts: ARTEFACTS.map((artefact) => ({
                    ...artefact,
                    ...(artefact.variables ? { variables: shownVariables(artefact.variables) } : {}),
                    formatVersion: formatVersion(artefact, texts.get(artefact.file)!),
                })),
            };
            fs.mkdirSync(outDir, { recursive: true });
            writeArtefacts(outDir, texts, manifest);
            log(`wrote ${texts.size} artefacts and ${MANIFEST_FILE} to ${outDir}`);
            succeeded = true;
            return EXIT_OK;
        } finally {
            await moto?.stop();
            if (workdir && (succeeded && !values["keep-workdir"])) {
                workdir.remove();
            } else if (workdir) {
                io.stderr.write(`${COMMAND}: the Terraform working directory is kept: ${workdir.dir}\n`);
            }
        }
    },
);

if (require.main === module) {
    quietSdkNodeNotice();
    runMain(main);
}
