/**
 * A moto server (`moto_server`, the Python AWS API emulator) on a free loopback port, for tests
 * and tools that need real AWS API semantics without an AWS account: the AWS SDK for JavaScript
 * v3 (`clientConfig`), Terraform's AWS provider and any other child process (`environment`).
 *
 * One server per caller: several helpers and test files run moto at the same time, so the port
 * is chosen by the operating system (`-p 0`; werkzeug prints the port it bound), never fixed.
 * `MOTO_IAM_LOAD_MANAGED_POLICIES=true` loads AWS's managed policies into IAM, so attaching
 * `arn:aws:iam::aws:policy/...` works as in AWS (moto docs, "IAM": managed policies are not
 * loaded by default since moto 4.x).
 *
 * Never orphaned: `moto_server` runs under a small POSIX shell watchdog that holds the read end
 * of a pipe from this process; when this process ends, however it ends (even SIGKILL), the pipe
 * closes and the watchdog stops the server. `stop()` closes the same pipe and waits.
 */
import { ChildProcess, execFileSync, spawn } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** How to install moto where it is missing (PyPI). */
export const MOTO_INSTALL_HINT = 'pip install "moto[server]"';

/** moto's default account: every ARN it mints carries it (moto docs, "Multi-account support"). */
export const MOTO_ACCOUNT_ID = "123456789012";

/**
 * Credentials moto accepts (it accepts any; these are AWS's documented example key pair, so they
 * can never be mistaken for, or collide with, a real credential).
 */
export const MOTO_CREDENTIALS: Readonly<{ accessKeyId: string; secretAccessKey: string }> = {
    accessKeyId: "AKIAIOSFODNN7EXAMPLE",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};

/** The design document's region. */
export const DEFAULT_MOTO_REGION = "eu-west-1";

export class MotoServerNotFoundError extends Error {
    constructor(searched: string) {
        super(`moto_server was not found on the PATH (${searched || "empty"}). moto (the AWS API emulator, 5.2 or newer) ` +
            `is a prerequisite of the tests and of the Terraform fixture script; install it with: ${MOTO_INSTALL_HINT}`);
        this.name = "MotoServerNotFoundError";
    }
}

/**
 * The `moto_server` executable on `env.PATH`: its absolute path.
 * @throws MotoServerNotFoundError naming the PATH searched and how to install moto.
 */
export function findMotoServer(env: NodeJS.ProcessEnv = process.env): string {
    const searched = env.PATH ?? "";
    for (const dir of searched.split(path.delimiter).filter(Boolean)) {
        const candidate = path.join(dir, "moto_server");
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            if (fs.statSync(candidate).isFile()) {
                return candidate;
            }
        } catch {
            // not in this directory
        }
    }
    throw new MotoServerNotFoundError(searched);
}

/**
 * The version of the moto package behind `executable` (e.g. "5.2.1"), asked of the Python
 * interpreter its script starts with. A pyenv shim (a shell script) is resolved with `pyenv which`.
 * @throws Error when the interpreter cannot be found or cannot import moto.
 */
export function motoVersion(executable: string = findMotoServer()): string {
    let script = executable;
    if (!/python/.test(shebang(script)) && /pyenv/.test(shebang(script) + fs.readFileSync(script, "utf8").slice(0, 400))) {
        script = execFileSync("pyenv", ["which", "moto_server"], { encoding: "utf8" }).trim();
    }
    const interpreter = shebang(script);
    if (!/python/.test(interpreter)) {
        throw new Error(`cannot tell moto's version: ${script} does not start with a Python interpreter (#!${interpreter})`);
    }
    const [command, ...args] = interpreter.split(/\s+/);
    return execFileSync(command, [...args, "-c", "import moto; print(moto.__version__)"], { encoding: "utf8" }).trim();
}

/** What follows `#!` on the file's first line, or "". */
function shebang(file: string): string {
    const first = fs.readFileSync(file, "utf8").split("\n", 1)[0];
    return first.startsWith("#!") ? first.slice(2).trim() : "";
}

export interface MotoServerOptions {
    /** Region the clients and Terraform are told to use. Default: eu-west-1. */
    readonly region?: string;
    /** Path of `moto_server`. Default: found on the PATH (`findMotoServer`). */
    readonly executable?: string;
    /** How long to wait for the server to answer, in milliseconds. Default: 120,000 (Python's start-up on a loaded machine). */
    readonly startTimeoutMs?: number;
}

/** Configuration for any AWS SDK for JavaScript v3 client: `new SecretsManagerClient(server.clientConfig)`, a new object on each read. */
export interface MotoClientConfig {
    readonly endpoint: string;
    readonly region: string;
    readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export interface MotoServer {
    /** `http://127.0.0.1:<port>`. */
    readonly endpoint: string;
    readonly port: number;
    /** Process id of the `moto_server` process itself (not its watchdog). */
    readonly pid: number;
    readonly region: string;
    readonly accountId: string;
    readonly clientConfig: MotoClientConfig;
    /**
     * Environment for child processes (AWS CLI, SDKs, Terraform): `AWS_ENDPOINT_URL`, the fake
     * credentials, `AWS_REGION`/`AWS_DEFAULT_REGION`, and no profile or session token from the
     * caller's environment. Merge it over `process.env`. The hashicorp/aws provider (5.100.0,
     * checked) needs nothing else to reach moto.
     */
    readonly environment: Readonly<Record<string, string | undefined>>;
    /** What the server printed so far (werkzeug's request log and errors), for failure messages. */
    output(): string;
    /** Forget every resource (moto's `POST /moto-api/reset`). */
    reset(): Promise<void>;
    /**
     * Seeds moto's random generator (`POST /moto-api/seed?a=<seed>`): from here on, the ids and
     * ARN suffixes moto mints depend only on the seed and the order of the requests.
     */
    seed(seed: number): Promise<void>;
    /** Starts recording every AWS request (moto's recorder; `/moto-api/recorder/start-recording`). */
    startRecording(): Promise<void>;
    /** Stops recording and returns the recording: one JSON request a line. */
    stopRecording(): Promise<string>;
    /**
     * Replays a recording against this server, in order (`upload-recording`, `replay-recording`).
     * After `seed()` with the seed the recording was made with, the resources get the same ids and
     * ARNs as when it was recorded, in a second or two instead of the original calls' waits.
     */
    replay(recording: string): Promise<void>;
    /** Stop the server and wait until it has exited. Idempotent. */
    stop(): Promise<void>;
}

/**
 * The watchdog: `$0 "$@"` is moto_server and its arguments. Its pid is the server's (the pyenv
 * shim and `pyenv exec` exec, so the pid stays); the first line on stdout says it. The
 * background reader sees end-of-file on a copy of stdin when the parent closes the pipe or dies,
 * and stops the server; the shell itself exits with the server, so the parent's 'close' event
 * means the server is gone. The server is killed (SIGKILL), not asked to exit: moto keeps
 * everything in memory, so there is nothing to save, and on SIGTERM Python spends about a second
 * of CPU tearing down moto's objects while `stop()` waits.
 */
const WATCHDOG = [
    // moto's recorder file (recordings, uploads) is this server's own, and goes with it.
    'trap \'rm -f "$MOTO_RECORDER_FILEPATH"\' EXIT',
    "exec 3<&0",
    '"$0" "$@" </dev/null &',
    "server=$!",
    'echo "$server"',
    '{ read -r _ <&3; kill -KILL "$server"; } >/dev/null 2>&1 &',
    "watcher=$!",
    "trap 'kill -KILL \"$server\" 2>/dev/null' TERM INT HUP",
    'wait "$server"',
    "status=$?",
    'kill "$watcher" 2>/dev/null',
    'exit "$status"',
].join("\n");

const LISTENING = /Running on http:\/\/127\.0\.0\.1:(\d+)/;

/**
 * Starts `moto_server` on 127.0.0.1 and a port the OS chooses, and resolves once it answers HTTP.
 * @throws MotoServerNotFoundError when moto_server is not installed; an Error with the server's
 *   output when it exits or does not answer within `startTimeoutMs`.
 */
export async function startMotoServer(options: MotoServerOptions = {}): Promise<MotoServer> {
    const region = options.region ?? DEFAULT_MOTO_REGION;
    const executable = options.executable ?? findMotoServer();
    const timeoutMs = options.startTimeoutMs ?? 120_000;
    const child = spawn("/bin/sh", ["-c", WATCHDOG, executable, "-H", "127.0.0.1", "-p", "0"], {
        env: {
            ...process.env,
            MOTO_IAM_LOAD_MANAGED_POLICIES: "true",
            // Without it the recorder writes `moto_recording` into the current folder.
            MOTO_RECORDER_FILEPATH: path.join(os.tmpdir(), `moto-recording-${process.pid}-${randomBytes(6).toString("hex")}.jsonl`),
        },
        stdio: ["pipe", "pipe", "pipe"],
    });
    const process_ = new ServerProcess(child);
    try {
        const { pid, port } = await process_.listening(timeoutMs, executable);
        const endpoint = `http://127.0.0.1:${port}`;
        await answers(endpoint, Date.now() + timeoutMs);
        return {
            endpoint,
            port,
            pid,
            region,
            accountId: MOTO_ACCOUNT_ID,
            // A new object each time: the SDK marks the credentials it is given (`$source`), and
            // one server may serve many clients.
            get clientConfig(): MotoClientConfig {
                return { endpoint, region, credentials: { ...MOTO_CREDENTIALS } };
            },
            environment: {
                AWS_ENDPOINT_URL: endpoint,
                AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
                AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
                AWS_SESSION_TOKEN: undefined,
                AWS_PROFILE: undefined,
                AWS_REGION: region,
                AWS_DEFAULT_REGION: region,
                AWS_EC2_METADATA_DISABLED: "true",
            },
            output: () => process_.output,
            reset: async () => void await motoApi(endpoint, "reset"),
            seed: async (seed) => void await motoApi(endpoint, `seed?a=${Math.trunc(seed)}`),
            startRecording: async () => {
                await motoApi(endpoint, "recorder/reset-recording");
                await motoApi(endpoint, "recorder/start-recording");
            },
            stopRecording: async () => {
                await motoApi(endpoint, "recorder/stop-recording");
                return motoApi(endpoint, "recorder/download-recording", undefined, "GET");
            },
            replay: async (recording) => {
                await motoApi(endpoint, "recorder/upload-recording", recording);
                await motoApi(endpoint, "recorder/replay-recording");
            },
            stop: () => process_.stop(),
        };
    } catch (error) {
        await process_.stop();
        throw error;
    }
}

/**
 * Stops every server this process started that is still running, and waits until they have
 * exited: the end of a test run (testing/mocha-setup.ts), for servers that outlive their test
 * file (shared by several, or started by a file whose tests were all skipped).
 */
export async function stopMotoServers(): Promise<void> {
    await Promise.all([...running].map((server) => server.stop()));
}

/** The servers this process started that have not exited yet. */
const running = new Set<ServerProcess>();

/** The watchdog shell and what it and the server print. */
class ServerProcess {
    /** The watchdog's stdout: the server's pid on the first line. */
    private stdout = "";
    /** The server's own output (werkzeug logs to stderr). */
    private stderr = "";
    private readonly exited: Promise<void>;
    private hasExited = false;

    constructor(private readonly child: ChildProcess) {
        child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (this.stdout += chunk));
        child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (this.stderr += chunk));
        this.exited = new Promise((resolve) => {
            child.on("error", (error) => {
                this.stderr += `could not start /bin/sh: ${error.message}\n`;
                resolve();
            });
            child.on("close", () => resolve());
        });
        running.add(this);
        void this.exited.then(() => {
            this.hasExited = true;
            running.delete(this);
        });
        // A running server must not keep this process alive: the watchdog stops it when we exit.
        this.handles().forEach((handle) => handle.unref?.());
        // A write to (or end of) the pipe of a watchdog that has already gone is no error.
        child.stdin!.on("error", () => undefined);
    }

    get output(): string {
        return this.stderr;
    }

    /** Resolves with the server's pid and port once werkzeug says it is listening. */
    listening(timeoutMs: number, executable: string): Promise<{ pid: number; port: number }> {
        return new Promise((resolve, reject) => {
            const check = () => {
                const pid = /^(\d+)\n/.exec(this.stdout);
                const port = LISTENING.exec(this.stderr);
                if (pid && port) {
                    done();
                    resolve({ pid: Number(pid[1]), port: Number(port[1]) });
                }
            };
            const fail = (why: string) => {
                done();
                reject(new Error(`moto_server (${executable}) ${why}. Its output:\n${this.stderr}`));
            };
            const timer = setTimeout(() => fail(`did not start listening within ${timeoutMs} ms`), timeoutMs);
            const done = () => {
                clearTimeout(timer);
                this.child.stdout!.off("data", check);
                this.child.stderr!.off("data", check);
            };
            this.child.stdout!.on("data", check);
            this.child.stderr!.on("data", check);
            void this.exited.then(() => fail("exited before it listened"));
        });
    }

    async stop(): Promise<void> {
        if (this.hasExited) {
            return;
        }
        // Waiting for the exit must keep the caller's process alive until it happens.
        this.handles().forEach((handle) => handle.ref?.());
        this.child.stdin!.end();
        await this.exited;
    }

    private handles(): Array<{ ref?(): void; unref?(): void }> {
        const { child } = this;
        return [child, child.stdin, child.stdout, child.stderr] as Array<{ ref?(): void; unref?(): void }>;
    }
}

/** A call to moto's own API (`/moto-api/<operation>`); resolves with the response body. */
async function motoApi(endpoint: string, operation: string, body?: string, method = "POST"): Promise<string> {
    const response = await fetch(`${endpoint}/moto-api/${operation}`, { method, body });
    const text = await response.text();
    if (!response.ok) {
        throw new Error(`moto ${operation} failed: HTTP ${response.status} ${text.slice(0, 500)}`);
    }
    return text;
}

/** Polls until the server answers any HTTP request (moto's own API), or the deadline passes. */
async function answers(endpoint: string, deadline: number): Promise<void> {
    for (;;) {
        try {
            await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(2_000) });
            return;
        } catch (error) {
            if (Date.now() > deadline) {
                throw new Error(`moto_server at ${endpoint} did not answer: ${(error as Error).message}`);
            }
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
    }
}
