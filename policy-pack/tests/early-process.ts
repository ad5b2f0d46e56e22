/**
 * A real process that a test checks, started when the test file is loaded instead of when mocha
 * reaches the test. Mocha runs tests one at a time, so a test that spawns a process and waits
 * leaves a core idle for the child's whole life (a second or more of start-up for each of these
 * children); started early, the child runs beside the in-process tests and the test only
 * collects its result. Use it for the few tests that must run a real process, never for
 * anything a test could check in-process.
 */
import { ChildProcess, spawn, SpawnOptions } from "child_process";

export interface ProcessResult {
    /** Exit code, or null when killed by a signal. */
    status: number | null;
    stdout: string;
    stderr: string;
}

export interface EarlyProcess {
    child: ChildProcess;
    /** Resolves when the process has exited; never rejects (a failure to start is its stderr, status null). */
    result: Promise<ProcessResult>;
    /** The first line the process writes to stdout (a server's port); rejects if it exits first. */
    firstStdoutLine: Promise<string>;
}

export function startEarly(argv: readonly string[], options: SpawnOptions = {}): EarlyProcess {
    const [command, ...args] = argv;
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    const output = { stdout: "", stderr: "" };
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (output.stdout += chunk));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (output.stderr += chunk));
    const result = new Promise<ProcessResult>((resolve) => {
        child.on("error", (error) => resolve({ status: null, stdout: output.stdout, stderr: `${output.stderr}could not start ${command}: ${error.message}\n` }));
        child.on("close", (status) => resolve({ status, ...output }));
    });
    const firstStdoutLine = new Promise<string>((resolve, reject) => {
        child.stdout!.on("data", () => {
            const end = output.stdout.indexOf("\n");
            if (end >= 0) {
                resolve(output.stdout.slice(0, end));
            }
        });
        void result.then(({ status, stderr }) => reject(new Error(`${command} exited (${status}) before writing a line: ${stderr}`)));
    });
    // A test may never ask for the line (it checks the exit instead): that is no unhandled rejection.
    firstStdoutLine.catch(() => undefined);
    // Whether or not its test runs (mocha --grep may skip it), the child must not keep mocha
    // from exiting, nor outlive it: a server would run forever.
    for (const handle of [child, child.stdout, child.stderr] as Array<{ unref?(): void }>) {
        handle.unref?.();
    }
    running.add(child);
    void result.then(() => running.delete(child));
    return { child, result, firstStdoutLine };
}

/** The early processes still running; one exit listener kills them all (one each would pass Node's listener limit). */
const running = new Set<ChildProcess>();
process.once("exit", () => running.forEach((child) => child.kill()));
