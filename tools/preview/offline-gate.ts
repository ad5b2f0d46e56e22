// Offline policy gate for any CI system, with or without Pulumi or cloud credentials: runs the
// offline preview (`npm run preview:offline`, which applies the policy pack under the project's
// mocks) for every stack in the one stack list and fails when any stack has a mandatory violation.
// The GitHub workflows run it before any cloud step, so a violating change fails in seconds.
//
//   npm run gate:offline -- [--stack NAME]... [--jobs N] [--project-dir DIR]
//
// Exit codes follow the preview's: 0 every stack passes, 1 a mandatory policy violation in at
// least one stack, 2 anything else (bad arguments, no stacks, a stack that failed to run).
//
// Each stack runs in its own child process because the Pulumi runtime (mocks, config, stack
// name) is process-global; `--jobs` bounds how many run at once (default 2, a CI runner's cores).
// The previews are started by npm test's runner, as their script says but without an npm process
// each, and reported whole, in the stacks' order, each with how it ended and all it wrote.
import * as path from "path";
import {
    CliIo, cliIo, Command, CommandLine, defineCommand, EXIT_ERROR, EXIT_FAILED, EXIT_OK, InputError, parseCommandLine, resolveUserPath, runMain,
    UsageError,
} from "../../policy-pack/lib/cli";
import { closestName } from "../../policy-pack/lib/closest-name";
import { packageScripts } from "../dev/npm-scripts";
import { howItEnded, inOrder, runScript, ScriptRun } from "../dev/run-parallel";
import { projectNameClashes } from "./project-stacks";
import { findProjectDir, listStacks } from "./stack-config";

/** Holds package.json with the `preview:offline` script. */
const REPO_ROOT = path.resolve(__dirname, "..", "..");

export interface GateOptions {
    /** The Pulumi project (Pulumi.yaml and its stack configs): by default the one the user's folder belongs to. */
    projectDir: string;
    /** Stacks to preview; every stack in `projectDir` when empty. */
    stacks: string[];
    /** Upper bound on concurrent previews. */
    jobs: number;
}

/** One stack's preview: how its process ended and everything it wrote. */
export interface StackResult extends ScriptRun {
    readonly stack: string;
}

const GATE = {
    name: "gate:offline",
    usage: "npm run gate:offline -- [--stack NAME]... [--jobs N] [--project-dir DIR]",
    options: {
        stack: { type: "string", multiple: true },
        jobs: { type: "string" },
        "project-dir": { type: "string" },
    },
} as const;

/** The gate's options from its command line; paths resolve against the user's folder (`io.cwd`). */
export function parseGateArgs(argv: readonly string[], io: Pick<CliIo, "cwd"> = cliIo()): GateOptions {
    return gateOptions(parseCommandLine(GATE, argv).values, io);
}

function gateOptions(values: CommandLine<typeof GATE.options>["values"], io: Pick<CliIo, "cwd">): GateOptions {
    const jobs = values.jobs === undefined ? 2 : Number(values.jobs);
    if (!Number.isInteger(jobs) || jobs < 1) {
        throw new UsageError(`--jobs must be a positive integer, got ${values.jobs}`);
    }
    const projectDir = values["project-dir"] === undefined ? findProjectDir(io.cwd) : resolveUserPath(io, values["project-dir"]);
    return { projectDir, stacks: [...(values.stack ?? [])], jobs };
}

/**
 * Resolves the stacks to run: the named ones (each must have a config file) or all of them.
 * Refuses stack files that resolve to the same physical names (project-stacks.ts), whichever are run.
 */
export function selectStacks(options: GateOptions): string[] {
    const known = listStacks(options.projectDir);
    if (known.length === 0) {
        throw new InputError(`no stack config (Pulumi.<stack>.yaml) in ${options.projectDir}`);
    }
    const unknown = options.stacks.filter((stack) => !known.includes(stack));
    if (unknown.length > 0) {
        const guesses = unknown.map((stack) => closestName(stack, known)).filter((near): near is string => near !== undefined);
        throw new InputError(`unknown stack ${unknown.join(", ")}${guesses.length > 0 ? ` (did you mean ${guesses.join(", ")}?)` : ""}; the stacks are: ${known.join(", ")}`);
    }
    const clashes = projectNameClashes(options.projectDir);
    if (clashes.length > 0) {
        throw new InputError(clashes.map((clash) => clash.message).join("\n"));
    }
    return options.stacks.length > 0 ? [...new Set(options.stacks)] : known;
}

/** Previews one stack of a project: the real one runs the `preview:offline` script; tests inject their own. */
export type StackPreview = (projectDir: string, stack: string) => Promise<StackResult>;

/** Runs one stack's offline preview as `npm run preview:offline -- --stack <stack> --cwd <projectDir>` would, capturing its output. */
export async function previewStack(projectDir: string, stack: string): Promise<StackResult> {
    const command = packageScripts(REPO_ROOT, ["preview:offline"]).get("preview:offline") as string;
    return { stack, ...(await runScript(REPO_ROOT, command, ["--stack", stack, "--cwd", projectDir])) };
}

/** The gate's verdict: a violation anywhere wins over other failures, so the message points at policy. */
export function gateExitCode(results: readonly StackResult[]): number {
    if (results.some((result) => result.exitCode === EXIT_FAILED)) {
        return EXIT_FAILED;
    }
    return results.every((result) => result.exitCode === EXIT_OK) ? EXIT_OK : EXIT_ERROR;
}

function verdict(result: StackResult): string {
    switch (result.exitCode) {
        case EXIT_OK:
            return "passed";
        case EXIT_FAILED:
            return "FAILED: mandatory policy violation";
        default:
            return `FAILED: the offline preview failed (${howItEnded(result)})`;
    }
}

export async function runGate(options: GateOptions, log: (text: string) => void, preview: StackPreview = previewStack): Promise<number> {
    const stacks = selectStacks(options);
    log(`offline gate: previewing ${stacks.join(", ")} with the policy pack (${options.jobs} at a time)\n`);
    const results = await inOrder(stacks, options.jobs, (stack) => preview(options.projectDir, stack), (result) =>
        log(`\n--- ${result.stack}: ${verdict(result)} (${result.seconds.toFixed(1)} s) ---\n${result.output}`));
    log("\noffline gate summary:\n");
    for (const result of results) {
        log(`  ${result.stack.padEnd(16)} ${verdict(result)}\n`);
    }
    return gateExitCode(results);
}

/** The gate as a command; `preview` runs one stack (tests inject their own). */
export function gateCommand(preview: StackPreview = previewStack): Command {
    return defineCommand(GATE, ({ values }, io) => runGate(gateOptions(values, io), (text) => io.stdout.write(text), preview));
}

if (require.main === module) {
    runMain(gateCommand());
}
