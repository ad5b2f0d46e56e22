/**
 * `node -r tsx/cjs tools/dev/run-parallel.ts SCRIPT...`
 *
 * Runs the package's npm scripts at the same time and fails if any fails. Each script's output
 * is held back and printed whole, in the order given, once that script and the ones before it
 * have ended, so parallel output never interleaves. Put the test run last: the command then ends
 * with its summary. Exit status: 0 when every script passed, otherwise the first failure's (1
 * for one killed by a signal); 2 when a script does not exist.
 *
 * A script runs the way `npm run` runs it (its command in `sh`, node_modules/.bin first on
 * PATH, extra arguments appended) but without an npm process of its own: npm costs about 0.3 s
 * of CPU per script, on a machine whose two cores the scripts themselves keep busy. The offline
 * gate runs its stacks' previews the same way (`runScript`, `inOrder`).
 */
import { spawn } from "child_process";
import * as path from "path";
import { defineCommand, EXIT_FAILED, runMain, UsageError } from "../../policy-pack/lib/cli";
import { packageScripts } from "./npm-scripts";

/** How a script ended (its exit code, or the signal that ended it) and everything it wrote, stdout and stderr as they came. */
export interface ScriptRun {
    /** `null` when a signal ended it, or when it could not be started (then `output` says why). */
    readonly exitCode: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly seconds: number;
    readonly output: string;
}

/**
 * Runs an npm script's `command` from `packageDir` as `npm run <script> -- <args>` would: in
 * `sh` (npm's script shell on Linux and macOS), with the package's node_modules/.bin first on
 * PATH and `args` passed to the command as its own arguments, never read by the shell. Never
 * rejects: a command that cannot be started ends with `exitCode` null and the reason in `output`.
 */
export function runScript(packageDir: string, command: string, args: readonly string[] = []): Promise<ScriptRun> {
    const started = process.hrtime.bigint();
    const env = { ...process.env, PATH: [path.join(packageDir, "node_modules", ".bin"), process.env.PATH].join(path.delimiter) };
    return new Promise((resolve) => {
        // "$@" hands the arguments to the command exactly as given.
        const child = spawn("sh", ["-c", `${command} "$@"`, "sh", ...args], {
            cwd: packageDir,
            stdio: ["ignore", "pipe", "pipe"],
            // FORCE_COLOR: the output goes to a pipe here, but to the user's terminal in the end.
            env: process.stdout.isTTY ? { ...env, FORCE_COLOR: process.env.FORCE_COLOR ?? "1" } : env,
        });
        const chunks: Buffer[] = [];
        child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
        child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
        let startError = "";
        child.on("error", (error) => {
            startError = `could not start ${command}: ${error.message}\n`;
        });
        child.on("close", (exitCode, signal) => resolve({
            exitCode: startError ? null : exitCode,
            signal,
            seconds: Number(process.hrtime.bigint() - started) / 1e9,
            output: Buffer.concat(chunks).toString("utf8") + startError,
        }));
    });
}

/** How a run ended, for a report: "exit code 3", "killed by SIGTERM" or "not started". */
export function howItEnded(run: ScriptRun): string {
    return run.signal ? `killed by ${run.signal}` : run.exitCode === null ? "not started" : `exit code ${run.exitCode}`;
}

/**
 * Runs `task` over `items`, at most `limit` at once, in order of the items. `report` sees each
 * result, in the items' order, as soon as that task and every one before it have ended. Resolves
 * to the results in the items' order.
 */
export async function inOrder<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>, report: (result: R) => void = () => undefined): Promise<R[]> {
    const outcomes = items.map(() => {
        const outcome = {} as { promise: Promise<R>; resolve(result: R): void; reject(error: unknown): void };
        outcome.promise = new Promise<R>((resolve, reject) => Object.assign(outcome, { resolve, reject }));
        outcome.promise.catch(() => undefined); // awaited below, in order; a later one may fail first
        return outcome;
    });
    let next = 0;
    const slots = Array.from({ length: Math.min(limit, items.length) }, async () => {
        while (next < items.length) {
            const index = next++;
            await Promise.resolve(items[index]).then(task).then(outcomes[index].resolve, outcomes[index].reject);
        }
    });
    const results: R[] = [];
    for (const outcome of outcomes) {
        results.push(await outcome.promise);
        report(results[results.length - 1]);
    }
    await Promise.all(slots);
    return results;
}

/** Runs the package's scripts `names` all at once, writing each one's report and output in order; resolves to the exit status. */
export async function runParallel(packageDir: string, names: readonly string[], write: (text: string) => void): Promise<number> {
    const scripts = [...packageScripts(packageDir, names)];
    const failed: string[] = [];
    let firstFailure: ScriptRun | undefined;
    await inOrder(scripts, scripts.length, async ([script, command]) => ({ script, run: await runScript(packageDir, command) }), ({ script, run }) => {
        write(`\n=== ${script}: ${run.exitCode === 0 ? "ok" : `FAILED (${howItEnded(run)})`} (${run.seconds.toFixed(1)} s) ===\n`);
        write(run.output);
        if (run.exitCode !== 0) {
            failed.push(script);
            firstFailure ??= run;
        }
    });
    if (firstFailure) {
        write(`\nfailed: ${failed.join(", ")}\n`);
        return firstFailure.exitCode || EXIT_FAILED;
    }
    return 0;
}

const main = defineCommand(
    { name: "run-parallel", usage: "node -r tsx/cjs tools/dev/run-parallel.ts SCRIPT... (npm scripts of this package)", options: {}, positionals: true },
    ({ positionals }, io) => {
        if (positionals.length === 0) {
            throw new UsageError("no script given");
        }
        return runParallel(path.resolve(__dirname, "..", ".."), positionals, (text) => io.stdout.write(text));
    },
);

if (require.main === module) {
    runMain(main);
}
