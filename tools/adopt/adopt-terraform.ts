/**
 * `npm run adopt:terraform -- --stack <stack> --tfstate <file> --out <dir> [--verify]`
 *
 * Brings a live deployment of the design's Terraform under this program without recreating
 * anything. Reads the Terraform state (`terraform show -json` of it, or terraform.tfstate), derives
 * the stack configuration that makes the program describe the live resources, runs the program
 * under mocks with it, matches each live resource to the program resource that plays its part, and
 * writes into `--out`:
 *   import.json            for `pulumi import --file` (component parents, logical names, documented import IDs)
 *   Pulumi.<stack>.yaml    the stack configuration
 *   removed.tf             Terraform `removed` blocks, so Terraform lets go without destroying anything
 *   report.md              what is adopted, created, kept in Terraform, and why
 * It refuses, before writing anything, when the first `pulumi up` would replace something that holds
 * data (or the program cannot describe a live resource it needs), naming the resource and the
 * difference. With `--verify` it first confirms, read-only with the AWS SDK (honouring
 * AWS_ENDPOINT_URL), that every import ID resolves in the account, and reads the ids of inline
 * security group rules the program imports. No secret value is read into any file or message.
 *
 * Exit codes: 0 written; 1 refused or not verified (nothing written); 2 usage, input or an error.
 */
import * as fs from "fs";
import * as path from "path";
import { quietSdkNodeNotice } from "../../lib/aws-sdk-notice";
import {
    CliIo, defineCommand, EXIT_FAILED, EXIT_OK, InputError, readUserJson, resolveUserPath, runMain, UsageError,
} from "../../policy-pack/lib/cli";
import { findProjectDir } from "../preview/stack-config";
import { planAdoption } from "./adoption-plan";
import { buildImportFile } from "./import-file";
import { readLiveDeployment } from "./live-deployment";
import { programResources, stackFileText } from "./program-resources";
import { replacementRefusals } from "./replacement-check";
import { removedBlocks, removedBlocksText, reportText } from "./report";
import { rulesToImport, unmanagedInlineRules } from "./security-group-rules";
import { deriveStackSettings } from "./stack-settings";

/** Pulumi's stack names: letters, digits, `-`, `_` and `.` (`pulumi stack init`). */
const STACK_NAME = /^[A-Za-z0-9_.-]+$/;

export const OUTPUT_FILES = { importFile: "import.json", removed: "removed.tf", report: "report.md" } as const;

export const main = defineCommand(
    {
        name: "adopt:terraform",
        usage: "npm run adopt:terraform -- --stack <stack> --tfstate <file> --out <dir> [--verify]",
        help: "  --stack    the Pulumi stack to adopt into (its Pulumi.<stack>.yaml is written to --out)\n" +
            "  --tfstate  the Terraform state: `terraform show -json > state.json`, or terraform.tfstate\n" +
            "  --out      the folder to write import.json, Pulumi.<stack>.yaml, removed.tf and report.md into (not the project's)\n" +
            "  --verify   first confirm every import ID in the AWS account (read-only; AWS SDK credentials, AWS_ENDPOINT_URL honoured)",
        options: {
            stack: { type: "string" },
            tfstate: { type: "string" },
            out: { type: "string" },
            verify: { type: "boolean" },
        },
    },
    async ({ values }, io) => {
        for (const required of ["stack", "tfstate", "out"] as const) {
            if (!values[required]) {
                throw new UsageError(`--${required} is required`);
            }
        }
        const stack = values.stack!;
        if (!STACK_NAME.test(stack)) {
            throw new UsageError(`--stack ${JSON.stringify(stack)}: a stack name has only letters, digits, '-', '_' and '.'`);
        }
        const outDir = outputFolder(io, values.out!);
        return adopt({ stack, stateFile: resolveUserPath(io, values.tfstate!), state: await readUserJson(io, values.tfstate!, "Terraform state"), outDir, verify: values.verify === true, io });
    },
);

/**
 * The output folder, checked before any work: never the project's own folder (its stack file is the
 * user's to replace), and writable, or under a writable folder that exists (it is created only when
 * the files are written, so a refusal leaves nothing behind).
 */
function outputFolder(io: CliIo, given: string): string {
    const dir = resolveUserPath(io, given);
    if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) {
        throw new InputError(`--out ${dir} is a Pulumi project: write the adoption elsewhere and review it before replacing your stack file`);
    }
    let existing = dir;
    while (!fs.existsSync(existing) && path.dirname(existing) !== existing) {
        existing = path.dirname(existing);
    }
    try {
        if (!fs.statSync(existing).isDirectory()) {
            throw new Error(`${existing} is not a folder`);
        }
        fs.accessSync(existing, fs.constants.W_OK);
    } catch (error) {
        throw new InputError(`cannot write into --out ${dir}: ${(error as Error).message}`);
    }
    return dir;
}

interface AdoptOptions {
    readonly stack: string;
    readonly stateFile: string;
    readonly state: unknown;
    readonly outDir: string;
    readonly verify: boolean;
    readonly io: CliIo;
}

async function adopt(options: AdoptOptions): Promise<number> {
    const { io, stack } = options;
    const live = readLiveDeployment(options.state);
    const derived = deriveStackSettings(live);
    if (derived.problems.length > 0) {
        return refuse(io, derived.problems);
    }
    const config = Object.fromEntries(derived.settings.map((setting) => [setting.key, setting.value]));
    const accountId = live.map((resource) => /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/.exec(String(resource.props.arn ?? ""))?.[1]).find(Boolean);
    let program;
    try {
        program = await programResources({ projectDir: findProjectDir(__dirname), stack, config, accountId });
    } catch (error) {
        return refuse(io, [`the program refuses the configuration the live deployment needs: ${(error as Error).message}`]);
    }
    const usedById = new Set([String(config["adma:vpcId"]), ...((config["adma:privateSubnetIds"] as string[] | undefined) ?? [])]);
    const plan = planAdoption(live, program, usedById, derived.roles);
    const refusals = [...plan.problems, ...replacementRefusals(plan.adopted)];
    if (refusals.length > 0) {
        return refuse(io, refusals);
    }
    let rules = rulesToImport(plan.adopted, program);
    if (options.verify) {
        // Loaded only here: the SDK clients take a moment, and the command without --verify makes no AWS call.
        const { resolveRuleIds, verifyImportIds } = await import("./verify");
        const region = String(config["aws:region"]);
        const results = await verifyImportIds(plan.adopted.map(({ live: resource, program: target, importId }) => ({ address: resource.address, type: target.type, importId })), region);
        rules = await resolveRuleIds(rules, region);
        const failures = [
            ...results.filter((result) => result.problem !== undefined).map((result) => `${result.address} (${result.type}) ${result.importId}: ${result.problem}`),
            ...rules.filter((rule) => rule.ruleId === undefined).map((rule) => `${rule.securityGroup}: no live rule matches ${rule.program.name} (${JSON.stringify(rule.key)})`),
        ];
        if (failures.length > 0) {
            io.stderr.write(`adopt:terraform: --verify: ${failures.length} import ID(s) do not resolve in the account (region ${region}); nothing was written:\n` +
                `${failures.map((failure) => `  - ${failure}`).join("\n")}\n`);
            return EXIT_FAILED;
        }
        io.stdout.write(`verified ${results.length} import ID(s) and ${rules.length} security group rule(s) in the account (region ${region})\n`);
    }
    const importedRules = rules.filter((rule) => rule.ruleId !== undefined).map((rule) => ({ program: rule.program, importId: rule.ruleId! }));
    const importFile = buildImportFile([...plan.adopted, ...importedRules], program);
    const released = [...plan.adopted.map((adoption) => adoption.live), ...plan.released.map((left) => left.live)];
    const { blocks, partial } = removedBlocks(released, live);
    const files: Record<string, string> = {
        [OUTPUT_FILES.importFile]: `${JSON.stringify(importFile, null, 4)}\n`,
        [`Pulumi.${stack}.yaml`]: stackFileText(config, [
            `Written by npm run adopt:terraform from ${path.basename(options.stateFile)}: the settings that make the program describe the live deployment.`,
            "Every other key keeps the program's default. report.md says where each value comes from.",
        ]),
        [OUTPUT_FILES.removed]: removedBlocksText(blocks),
        [OUTPUT_FILES.report]: reportText({
            stack, stateFile: path.basename(options.stateFile), plan, settings: derived.settings, notes: derived.notes, rules,
            unmanagedRules: unmanagedInlineRules(plan.adopted, rules), removed: blocks, partial, verified: options.verify,
        }),
    };
    fs.mkdirSync(options.outDir, { recursive: true });
    for (const [name, text] of Object.entries(files)) {
        fs.writeFileSync(path.join(options.outDir, name), text);
    }
    const unresolved = rules.filter((rule) => rule.ruleId === undefined);
    io.stdout.write(`${plan.adopted.length + importedRules.length} resource(s) to import, ${plan.created.length - importedRules.length} the program creates, ` +
        `${plan.staysInTerraform.length} staying in Terraform; wrote ${Object.keys(files).join(", ")} to ${options.outDir}\n` +
        (unresolved.length > 0 ? `warning: ${unresolved.length} security group rule(s) exist live as inline rules and must be imported by rule id before pulumi up ` +
            "(creating them again fails as a duplicate); run again with --verify to read their ids (report.md lists them)\n" : ""));
    return EXIT_OK;
}

function refuse(io: CliIo, reasons: readonly string[]): number {
    io.stderr.write(`adopt:terraform: refused, nothing was written: adopting this deployment as it is would ${reasons.length > 1 ? "do these things" : "do this"}:\n` +
        `${reasons.map((reason) => `  - ${reason}`).join("\n")}\n`);
    return EXIT_FAILED;
}

if (require.main === module) {
    quietSdkNodeNotice();
    runMain(main);
}
