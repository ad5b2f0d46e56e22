/**
 * `node -r tsx/cjs tools/dev/run-parallel.ts SCRIPT...`
 *
 * Runs the package's npm scripts at the same time and fails if any fails. Each script's output
 * is held back and printed whole, in the order given, once that script and the ones before it
 * have ended, so parallel output never interleaves. Put the test run last: the command then ends
 * with its summary. Exit status: 0 when every script passed, otherwise the first failure's; 2 when
 * a script does not exist.
 *
 * A script runs the way `npm run` runs it (its command in a shell, node_modules/.bin first on
 * PATH) but without an npm process of its own: npm costs about 0.3 s of CPU per script, on a
 * machine whose two cores the scripts themselves keep busy.
 */
import { spawn } from "child_process";
import * as path from "path";
import { defineCommand, runMain, UsageError } from "../../policy-pack/lib/cli";
import { packageScripts } from "./npm-scripts";

interface JobResult {
    script: string;
    exitCode: number;
    seconds: number;
    output: Buffer;
}

function runScript(packageDir: string, script: string, command: string): Promise<JobResult> {
    const started = process.hrtime.bigint();
    const env = { ...process.env, PATH: [path.join(packageDir, "node_modules", ".bin"), process.env.PATH].join(path.delimiter) };
    return new Promise((resolve) => {
        // FORCE_COLOR: the output goes to a pipe here, but to the user's terminal in the end.
        const child = spawn(command, {
            cwd: packageDir,
            shell: true,
            stdio: ["ignore", "pipe", "pipe"],
            env: process.stdout.isTTY ? { ...env, FORCE_COLOR: process.env.FORCE_COLOR ?? "1" } : env,
        });
        const chunks: Buffer[] = [];
        child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
        child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
        const finish = (exitCode: number, note = "") => resolve({
            script, exitCode, seconds: Number(process.hrtime.bigint() - started) / 1e9, output: Buffer.concat([...chunks, Buffer.from(note)]),
        });
        child.on("error", (error) => finish(1, `could not start ${script}: ${error.message}\n`));
        child.on("close", (code, signal) => finish(code ?? 1, signal ? `killed by ${signal}\n` : ""));
    });
}

export async function runParallel(packageDir: string, names: readonly string[], write: (text: string | Buffer) => void): Promise<number> {
    const jobs = [...packageScripts(packageDir, names)].map(([script, command]) => runScript(packageDir, script, command));
    const failed: JobResult[] = [];
    for (const job of jobs) {
        const result = await job;
        const verdict = result.exitCode === 0 ? "ok" : `FAILED (exit ${result.exitCode})`;
        write(`\n=== ${result.script}: ${verdict} (${result.seconds.toFixed(1)} s) ===\n`);
        write(result.output);
        if (result.exitCode !== 0) {
            failed.push(result);
        }
    }
    if (failed.length > 0) {
        write(`\nfailed: ${failed.map((result) => result.script).join(", ")}\n`);
        return failed[0].exitCode;
    }
    return 0;
}

const main = defineCommand(
    { name: "run-parallel", usage: "node -r tsx/cjs tools/dev/run-parallel.ts SCRIPT... (npm scripts of this package)", options: {}, positionals: true },
    ({ positionals }, io) => {
        if (positionals.length === 0) {
            throw new UsageError("no script given");
        }
        return runParallel(path.resolve(__dirname, "..", ".."), positionals, (text) => io.stdout.write(text.toString()));
    },
);

if (require.main === module) {
    runMain(main);
}
