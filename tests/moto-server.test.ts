/**
 * The moto harness (testing/moto-server.ts) against the real moto_server: it starts on a free
 * loopback port and answers AWS API calls with managed policies loaded, resets, stops, and never
 * outlives the process that started it. What only reads asks the run's shared server
 * (tests/replayed-terraform.ts); reset and stop a server of this file's own. Needs moto_server on
 * the PATH; fails, never skips, without it (the error says how to install it).
 */
import * as assert from "assert";
import { spawn } from "child_process";
import { CreateRoleCommand, GetPolicyCommand, GetRoleCommand, IAMClient, NoSuchEntityException } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import {
    findMotoServer, MOTO_ACCOUNT_ID, MOTO_CREDENTIALS, MOTO_INSTALL_HINT, MotoServer, MotoServerNotFoundError, motoVersion, startMotoServer,
} from "../testing/moto-server";
import { ROOT } from "./harness";
import { replayedTerraformDeployment } from "./replayed-terraform";

// Started when the file loads, so moto's start-up overlaps the other tests.
const shared = replayedTerraformDeployment();
const ownStarting = startMotoServer();
ownStarting.catch(() => undefined);

function refusesConnections(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = net.connect(port, "127.0.0.1");
        socket.once("connect", () => {
            socket.destroy();
            resolve(false);
        });
        socket.once("error", () => resolve(true));
    });
}

function isRunning(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

/** Polls `condition` every 100 ms until it holds or `ms` pass; returns whether it held. */
async function eventually(condition: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
    for (const deadline = Date.now() + ms; Date.now() < deadline;) {
        if (await condition()) {
            return true;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return condition();
}

describe("moto harness", () => {
    let server: MotoServer;
    before(async () => {
        server = (await shared).server;
    });

    it("finds moto_server on the PATH, and otherwise says how to install it", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moto-path-"));
        try {
            assert.throws(() => findMotoServer({ PATH: dir }), (error: Error) =>
                error instanceof MotoServerNotFoundError && error.message.includes(MOTO_INSTALL_HINT) && error.message.includes(dir));
            fs.writeFileSync(path.join(dir, "moto_server"), "#!/bin/sh\n", { mode: 0o644 });
            assert.throws(() => findMotoServer({ PATH: dir }), MotoServerNotFoundError, "a file that is not executable is not moto_server");
            fs.chmodSync(path.join(dir, "moto_server"), 0o755);
            assert.strictEqual(findMotoServer({ PATH: ["/nonexistent", dir].join(path.delimiter) }), path.join(dir, "moto_server"));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("tells the installed moto's version (5.2 or newer, which these tests and the fixtures need)", () => {
        const [major, minor] = motoVersion().split(".").map(Number);
        assert.ok(major > 5 || (major === 5 && minor >= 2), `moto ${motoVersion()} is older than 5.2`);
    });

    it("listens on a loopback port chosen at run time and gives clients its endpoint, region and fake credentials", () => {
        assert.match(server.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
        assert.strictEqual(server.endpoint, `http://127.0.0.1:${server.port}`);
        assert.deepStrictEqual(server.clientConfig, { endpoint: server.endpoint, region: "eu-west-1", credentials: MOTO_CREDENTIALS });
        assert.strictEqual(server.environment.AWS_ENDPOINT_URL, server.endpoint);
        assert.strictEqual(server.environment.AWS_ACCESS_KEY_ID, MOTO_CREDENTIALS.accessKeyId);
        assert.strictEqual(server.environment.AWS_DEFAULT_REGION, "eu-west-1");
        assert.ok("AWS_PROFILE" in server.environment && server.environment.AWS_PROFILE === undefined, "the caller's profile is removed");
    });

    it("answers the AWS SDK as moto's account, with AWS managed policies loaded", async () => {
        const identity = await new STSClient(server.clientConfig).send(new GetCallerIdentityCommand({}));
        assert.strictEqual(identity.Account, MOTO_ACCOUNT_ID);
        const policyArn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
        const { Policy } = await new IAMClient(server.clientConfig).send(new GetPolicyCommand({ PolicyArn: policyArn }));
        assert.strictEqual(Policy?.Arn, policyArn, "MOTO_IAM_LOAD_MANAGED_POLICIES must be set");
    });

    it("reset() forgets every resource", async () => {
        const own = await ownStarting;
        const iam = new IAMClient(own.clientConfig);
        const assume = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] });
        await iam.send(new CreateRoleCommand({ RoleName: "harness-reset", AssumeRolePolicyDocument: assume }));
        assert.strictEqual((await iam.send(new GetRoleCommand({ RoleName: "harness-reset" }))).Role?.RoleName, "harness-reset");
        await own.reset();
        await assert.rejects(iam.send(new GetRoleCommand({ RoleName: "harness-reset" })), NoSuchEntityException);
    });

    it("rejects with the server's output when moto_server exits before it listens", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moto-fail-"));
        try {
            const executable = path.join(dir, "moto_server");
            fs.writeFileSync(executable, "#!/bin/sh\necho 'port is taken' >&2\nexit 3\n", { mode: 0o755 });
            await assert.rejects(startMotoServer({ executable }), /exited before it listened[^]*port is taken/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("stop() ends the server and is idempotent", async () => {
        const own = await ownStarting;
        await own.stop();
        assert.ok(!isRunning(own.pid), `moto_server ${own.pid} still runs after stop()`);
        assert.ok(await refusesConnections(own.port), `port ${own.port} still accepts connections`);
        await own.stop();
    });

    it("never outlives the process that started it, even when that process is killed with SIGKILL", async () => {
        const script = "require('./testing/moto-server').startMotoServer().then((s) => { console.log(s.pid + ' ' + s.port); setInterval(() => {}, 1000); })";
        const child = spawn(process.execPath, ["-r", "tsx/cjs", "-e", script], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
        const line = await new Promise<string>((resolve, reject) => {
            let out = "";
            child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
                out += chunk;
                if (out.includes("\n")) {
                    resolve(out.trim());
                }
            });
            child.once("exit", (code) => reject(new Error(`the starting process exited (${code}) before the server listened`)));
        });
        const [pid, port] = line.split(" ").map(Number);
        assert.ok(isRunning(pid));
        child.kill("SIGKILL");
        assert.ok(await eventually(() => !isRunning(pid), 60_000), `moto_server ${pid} outlived its parent`);
        assert.ok(await refusesConnections(port));
    });
});
