/**
 * `npm run preview:offline -- --stack <name> [--out FILE] [--policy-config FILE] [--no-policy]`
 *
 * Previews a stack without the Pulumi CLI or an AWS account: runs the program under the
 * project's AWS mocks, prints the resource tree like `pulumi preview`, optionally writes the
 * `pulumi stack export` document, and applies the policy pack, with the stack's own policy config
 * (`policy-config/<stack>.json` in the project) unless `--policy-config` names another.
 * Exit codes: 0 done, 1 a mandatory policy violation, 2 the preview itself failed (bad arguments,
 * files or configuration, or an error thrown by the program).
 */
import * as fs from "fs";
import * as path from "path";
import {
    CliIo, defineCommand, EXIT_FAILED, EXIT_OK, InputError, OutputStream, readUserJson, resolveUserPath, runMain, UsageError, writableUserPath,
} from "../../policy-pack/lib/cli";
import { PACK_NAME } from "../../policy-pack/lib/pack";
import { findProjectDir } from "./stack-config";

/** The command line `argv` (without node and the script), run with `io`: resolves to the exit code. */
export const main = defineCommand(
    {
        name: "preview:offline",
        usage: "npm run preview:offline -- --stack <name> [--out FILE] [--policy-config FILE] [--no-policy] [--cwd DIR] [--debug]",
        options: {
            stack: { type: "string", short: "s" },
            out: { type: "string" },
            "policy-config": { type: "string" },
            "no-policy": { type: "boolean" },
            cwd: { type: "string", short: "C" },
            debug: { type: "boolean" },
        },
    },
    async ({ values }, io) => {
        if (!values.stack) {
            throw new UsageError("--stack is required");
        }
        if (values["no-policy"] && values["policy-config"]) {
            throw new UsageError("--policy-config and --no-policy exclude each other");
        }
        // As the Pulumi CLI's --cwd: the project is the one that folder belongs to.
        const projectDir = findProjectDir(values.cwd === undefined ? io.cwd : resolveUserPath(io, values.cwd));
        const policyConfigFile = values["no-policy"] ? undefined : values["policy-config"] ?? stackPolicyConfigFile(projectDir, values.stack);
        return preview({
            stack: values.stack,
            // Checked now, so that a bad path fails before the program runs.
            out: values.out === undefined ? undefined : writableUserPath(io, values.out, "the stack export"),
            policyConfigFile: policyConfigFile === undefined ? undefined : resolveUserPath(io, policyConfigFile),
            policyConfig: policyConfigFile === undefined ? undefined : await readPolicyConfig(io, policyConfigFile),
            policy: !values["no-policy"],
            projectDir,
        }, io.stdout);
    },
);

/** Where a project keeps its stacks' own policy configs. */
const STACK_POLICY_CONFIG_DIR = "policy-config";

/**
 * The stack's own policy config, `policy-config/<stack>.json` in the project, if there is one: what
 * CI passes to `pulumi preview --policy-pack-config` for that stack (docs/ci.md).
 */
export function stackPolicyConfigFile(projectDir: string, stack: string): string | undefined {
    const file = path.join(projectDir, STACK_POLICY_CONFIG_DIR, `${stack}.json`);
    return fs.existsSync(file) ? file : undefined;
}

interface PreviewOptions {
    stack: string;
    out?: string;
    /** Where `policyConfig` came from, as resolved. */
    policyConfigFile?: string;
    policyConfig?: Record<string, unknown>;
    policy: boolean;
    projectDir: string;
}

async function preview(options: PreviewOptions, out: OutputStream): Promise<number> {
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
    out.write(options.policyConfigFile !== undefined
        ? `\nPolicy config: ${options.policyConfigFile}\n`
        : `\nNo policy config for this stack (${path.join(STACK_POLICY_CONFIG_DIR, `${options.stack}.json`)} does not exist): the pack's defaults apply\n`);
    const violations = await checkPolicies(result, options.policyConfig);
    out.write(`\n${formatPolicyReport(violations, policyPackLabel(), result.secretValues)}\n`);
    return hasMandatoryViolation(violations) ? EXIT_FAILED : EXIT_OK;
}

/** The policy config file, checked against the pack's policies now rather than after the program has run. */
async function readPolicyConfig(io: CliIo, file: string): Promise<Record<string, unknown>> {
    const config = (await readUserJson(io, file, "policy config")) as Record<string, unknown>;
    const [{ resolveConfig }, { policies }] = await Promise.all([import("../../policy-pack/audit/engine"), import("../../policy-pack/policies")]);
    try {
        resolveConfig(policies, config);
    } catch (error) {
        throw new InputError(`${resolveUserPath(io, file)}: ${(error as Error).message}`);
    }
    return config;
}

/** The name policy-pack/index.ts gives its PolicyPack, and the pack's version. */
function policyPackLabel() {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "policy-pack", "package.json"), "utf8"));
    return { name: PACK_NAME, version: String(manifest.version) };
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
    configureStackTraces(process.argv.includes("--debug"));
    runMain(main);
}
