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
import { spawn } from "child_process";
import * as path from "path";
import {
    CliIo, cliIo, Command, CommandLine, defineCommand, EXIT_ERROR, EXIT_FAILED, EXIT_OK, InputError, parseCommandLine, resolveUserPath, runMain,
    UsageError,
} from "../../policy-pack/lib/cli";
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

export interface StackResult {
    stack: string;
    exitCode: number;
    seconds: number;
    output: string;
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

/** Resolves the stacks to run: the named ones (each must have a config file) or all of them. */
export function selectStacks(options: GateOptions): string[] {
    const known = listStacks(options.projectDir);
    if (known.length === 0) {
        throw new InputError(`no stack config (Pulumi.<stack>.yaml) in ${options.projectDir}`);
    }
    const unknown = options.stacks.filter((stack) => !known.includes(stack));
    if (unknown.length > 0) {
        throw new InputError(`unknown stack ${unknown.join(", ")}; the stacks are: ${known.join(", ")}`);
    }
    return options.stacks.length > 0 ? [...new Set(options.stacks)] : known;
}

function npmCommand(): { command: string; prefixArgs: string[] } {
    // Under `npm run`, npm_execpath is the npm that started us: reuse it rather than whatever
    // `npm` is first on PATH.
    const npmCli = process.env.npm_execpath;
    return npmCli && npmCli.endsWith(".js")
        ? { command: process.execPath, prefixArgs: [npmCli] }
        : { command: "npm", prefixArgs: [] };
}

/** Previews one stack of a project: the real one spawns `npm run preview:offline`; tests inject their own. */
export type StackPreview = (projectDir: string, stack: string) => Promise<StackResult>;

/** Runs one stack's offline preview, capturing its output so parallel runs don't interleave. */
export function previewStack(projectDir: string, stack: string): Promise<StackResult> {
    const { command, prefixArgs } = npmCommand();
    const started = Date.now();
    return new Promise((resolve) => {
        const args = ["run", "--silent", "preview:offline", "--", "--stack", stack, "--cwd", projectDir];
        const child = spawn(command, [...prefixArgs, ...args], {
            cwd: REPO_ROOT,
            stdio: ["ignore", "pipe", "pipe"],
        });
        const chunks: Buffer[] = [];
        child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
        child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
        const finish = (exitCode: number, extra = "") =>
            resolve({
                stack,
                exitCode,
                seconds: (Date.now() - started) / 1000,
                output: Buffer.concat(chunks).toString("utf8") + extra,
            });
        child.on("error", (error) => finish(EXIT_ERROR, `could not start the offline preview: ${error.message}\n`));
        child.on("close", (code, signal) => finish(code ?? EXIT_ERROR, signal ? `killed by ${signal}\n` : ""));
    });
}

/** Runs `task` over `items` with at most `limit` in flight, keeping the input order in the result. */
export async function mapWithLimit<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
    const results = new Array<R>(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await task(items[index]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}

/** The gate's verdict: a violation anywhere wins over other failures, so the message points at policy. */
export function gateExitCode(results: readonly StackResult[]): number {
    if (results.some((result) => result.exitCode === EXIT_FAILED)) {
        return EXIT_FAILED;
    }
    return results.every((result) => result.exitCode === EXIT_OK) ? EXIT_OK : EXIT_ERROR;
}

function verdict(exitCode: number): string {
    switch (exitCode) {
        case EXIT_OK:
            return "passed";
        case EXIT_FAILED:
            return "FAILED: mandatory policy violation";
        default:
            return `FAILED: the offline preview exited ${exitCode}`;
    }
}

export async function runGate(options: GateOptions, log: (text: string) => void, preview: StackPreview = previewStack): Promise<number> {
    const stacks = selectStacks(options);
    log(`offline gate: previewing ${stacks.join(", ")} with the policy pack (${options.jobs} at a time)\n`);
    const results = await mapWithLimit(stacks, options.jobs, async (stack) => {
        const result = await preview(options.projectDir, stack);
        log(`\n--- ${stack}: ${verdict(result.exitCode)} (${result.seconds.toFixed(1)} s) ---\n${result.output}`);
        return result;
    });
    log("\noffline gate summary:\n");
    for (const result of results) {
        log(`  ${result.stack.padEnd(16)} ${verdict(result.exitCode)}\n`);
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
