/**
 * `npm run preview:offline -- --stack <name> [--out FILE] [--policy-config FILE] [--no-policy]`
 *
 * Previews a stack without the Pulumi CLI or an AWS account: runs the program under the
 * project's AWS mocks, prints the resource tree like `pulumi preview`, optionally writes the
 * `pulumi stack export` document, and applies the policy pack.
 * Exit codes: 0 done, 1 a mandatory policy violation, 2 the preview itself failed.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { PACK_NAME } from "../policy-pack/lib/pack";

const USAGE =
    "usage: npm run preview:offline -- --stack <name> [--out FILE] [--policy-config FILE] [--no-policy] [--cwd DIR] [--debug]";

export const EXIT_OK = 0;
export const EXIT_POLICY_VIOLATION = 1;
export const EXIT_FAILED = 2;

interface CliOptions {
    stack: string;
    out?: string;
    policyConfig?: string;
    policy: boolean;
    projectDir: string;
    debug: boolean;
}

/** Where the command writes: the process's streams, or a test's. */
export interface PreviewIo {
    stdout: { write(text: string): unknown };
    stderr: { write(text: string): unknown };
}

/** The command line `argv` (without node and the script): returns the exit code. */
export async function main(argv: string[], io: PreviewIo = process): Promise<number> {
    let options: CliOptions | undefined;
    try {
        options = parseCliArguments(argv);
        return await preview(options, io.stdout);
    } catch (error) {
        const message = options?.debug && error instanceof Error && error.stack ? error.stack : errorMessage(error);
        io.stderr.write(`error: ${message}\n`);
        return EXIT_FAILED;
    }
}

function parseCliArguments(argv: string[]): CliOptions {
    const { values } = parseArgs({
        args: argv,
        options: {
            stack: { type: "string", short: "s" },
            out: { type: "string" },
            "policy-config": { type: "string" },
            "no-policy": { type: "boolean" },
            cwd: { type: "string", short: "C" },
            debug: { type: "boolean" },
        },
        strict: true,
        allowPositionals: false,
    });
    if (!values.stack) {
        throw new Error(`--stack is required\n${USAGE}`);
    }
    if (values["no-policy"] && values["policy-config"]) {
        throw new Error("--policy-config and --no-policy exclude each other");
    }
    return {
        stack: values.stack,
        out: values.out,
        policyConfig: values["policy-config"],
        policy: !values["no-policy"],
        projectDir: path.resolve(values.cwd ?? process.cwd()),
        debug: values.debug === true,
    };
}

async function preview(options: CliOptions, out: PreviewIo["stdout"]): Promise<number> {
    // Read before the run, so that a bad file fails fast.
    const policyConfig = options.policyConfig ? readJsonObject(options.policyConfig) : undefined;
    // Loaded here rather than at the top, so that a bad argument or policy config fails before the SDK loads.
    const [{ checkPolicies, previewOffline }, { formatPolicyReport, hasMandatoryViolation }, { createThrowawaySealer }, { formatPreview }] =
        await Promise.all([import("./offline-run"), import("./policy-report"), import("./secret-envelope"), import("./tree")]);
    const result = await previewOffline({ projectDir: options.projectDir, stack: options.stack });
    const { stackConfig } = result;
    const exported = result.exportDocument(createThrowawaySealer());

    out.write(`Previewing update (${stackConfig.stack}) offline: program run under mocks, no Pulumi CLI, no AWS calls\n\n`);
    if (stackConfig.placeholderKeys.length > 0) {
        out.write(
            `note: secure config cannot be decrypted offline; clearly fake placeholders, treated as secrets, stand in for: ${stackConfig.placeholderKeys.join(", ")}\n\n`,
        );
    }
    out.write(`${formatPreview(exported.deployment.resources)}\n`);
    if (options.out) {
        fs.writeFileSync(options.out, `${JSON.stringify(exported, null, 4)}\n`);
        out.write(`\nWrote the stack export (secrets encrypted under a discarded key) to ${options.out}\n`);
    }
    if (!options.policy) {
        return EXIT_OK;
    }
    const violations = await checkPolicies(result, policyConfig);
    out.write(`\n${formatPolicyReport(violations, policyPackLabel(), result.secretValues)}\n`);
    return hasMandatoryViolation(violations) ? EXIT_POLICY_VIOLATION : EXIT_OK;
}

function readJsonObject(file: string): Record<string, unknown> {
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
        throw new Error(`cannot read policy config ${file}: ${errorMessage(error)}`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw new Error(`policy config ${file} must be a JSON object (policy name to settings)`);
    }
    return parsed as Record<string, unknown>;
}

/** The name policy-pack/index.ts gives its PolicyPack, and the pack's version. */
function policyPackLabel() {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "policy-pack", "package.json"), "utf8"));
    return { name: PACK_NAME, version: String(manifest.version) };
}

function errorMessage(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

/**
 * Stack traces for the command (never for an importer such as a test). The SDK records a stack
 * trace for every promise it creates (only the Pulumi service ever shows them), and ts-node's
 * source-map support maps every frame: together a fifth of the preview's CPU time. The
 * `preview:offline` script starts Node with `--stack-trace-limit=0` and traces stay unmapped;
 * `--debug` lifts the limit and keeps the mapping, for stack traces with exact TypeScript positions.
 */
export function configureStackTraces(debug: boolean): void {
    if (debug) {
        Error.stackTraceLimit = Infinity;
    } else {
        delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
    }
}

if (require.main === module) {
    const argv = process.argv.slice(2);
    configureStackTraces(argv.includes("--debug"));
    // main reports every error itself and resolves to the exit code.
    void main(argv, process).then((code) => {
        process.exitCode = code;
    });
}
