/**
 * `node -r ts-node/register/transpile-only tools/run-parallel.ts SCRIPT...`
 *
 * Runs the package's npm scripts at the same time and fails if any fails. Each script's output
 * is held back and printed whole, in the order given, once that script and the ones before it
 * have ended, so parallel output never interleaves. Put the test run last: the command then ends
 * with its summary. Exit status: 0 when every script passed, otherwise the first failure's.
 */
import { spawn } from "child_process";

interface JobResult {
    script: string;
    exitCode: number;
    seconds: number;
    output: Buffer;
}

/** Under `npm run`, npm_execpath is the npm that started us: reuse it rather than whatever `npm` is first on PATH. */
function npmCommand(): [string, string[]] {
    const npmCli = process.env.npm_execpath;
    return npmCli && npmCli.endsWith(".js") ? [process.execPath, [npmCli]] : ["npm", []];
}

function runScript(script: string): Promise<JobResult> {
    const [command, prefix] = npmCommand();
    const started = process.hrtime.bigint();
    return new Promise((resolve) => {
        // FORCE_COLOR: the output goes to a pipe here, but to the user's terminal in the end.
        const child = spawn(command, [...prefix, "run", script], {
            stdio: ["ignore", "pipe", "pipe"],
            env: process.stdout.isTTY ? { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? "1" } : process.env,
        });
        const chunks: Buffer[] = [];
        child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
        child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
        const finish = (exitCode: number, note = "") => resolve({
            script, exitCode, seconds: Number(process.hrtime.bigint() - started) / 1e9, output: Buffer.concat([...chunks, Buffer.from(note)]),
        });
        child.on("error", (error) => finish(1, `could not start npm: ${error.message}\n`));
        child.on("close", (code, signal) => finish(code ?? 1, signal ? `killed by ${signal}\n` : ""));
    });
}

export async function runParallel(scripts: readonly string[], write: (text: string | Buffer) => void): Promise<number> {
    const jobs = scripts.map(runScript);
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

if (require.main === module) {
    const scripts = process.argv.slice(2);
    if (scripts.length === 0) {
        process.stderr.write("usage: run-parallel SCRIPT... (npm scripts of this package)\n");
        process.exitCode = 2;
    } else {
        void runParallel(scripts, (text) => process.stdout.write(text)).then((code) => {
            process.exitCode = code;
        });
    }
}
