import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EXIT_FAILED, main } from "../tools/preview-offline";

const ROOT = path.join(__dirname, "..");
const FIXTURE = path.join(__dirname, "fixtures", "offline-project");

/** The CLI exactly as `npm run preview:offline` starts it, minus npm. */
function previewCli(...args: string[]) {
    return spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "tools/preview-offline.ts", "-C", FIXTURE, ...args], {
        cwd: ROOT,
        encoding: "utf8",
    });
}

describe("offline preview: the command", function () {
    this.timeout(60000);

    it("exits 2 on an unknown stack, naming the stacks that exist, without a stack trace", () => {
        const result = previewCli("--stack", "staging");
        assert.strictEqual(result.status, 2, result.stderr);
        assert.strictEqual(result.stdout, "");
        assert.match(result.stderr, /^error: unknown stack "staging" .*existing stacks: badconfig, good, violating\n$/);
    });

    it("exits 1 on a mandatory violation, after printing the tree, the policy result and the export", () => {
        const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "preview-offline-")), "export.json");
        const result = previewCli("--stack", "violating", "--out", out);
        assert.strictEqual(result.status, 1, result.stderr);
        assert.match(result.stdout, /^ \+ {3}pulumi:pulumi:Stack +fixture-violating +create$/m);
        assert.match(result.stdout, /placeholders, treated as secrets, stand in for: fixture:apiToken/);
        assert.match(result.stdout, /❌ adma-security@v[\d.]+ \(local: policy-pack\)\n {8}- \[mandatory\] {2}no-plaintext-db-password {2}\(aws:rds\/instance:Instance: postgres\)/);
        const exported = JSON.parse(fs.readFileSync(out, "utf8"));
        assert.strictEqual(exported.version, 3);
        assert.ok(!fs.readFileSync(out, "utf8").includes("offline-preview-placeholder"));
    });

    it("exits 2 with only the program's message when the stack's config is invalid", async () => {
        const { result, stderr } = await capturingStderr(() => main(["--stack", "badconfig", "-C", FIXTURE, "--no-policy"]));
        assert.strictEqual(result, EXIT_FAILED);
        assert.strictEqual(stderr, "error: fixture:jwtLength must be at least 32, got 16\n");
    });

    it("rejects an unknown option and a missing --stack, with the usage", async () => {
        const unknownOption = await capturingStderr(() => main(["--stak", "prod"]));
        assert.strictEqual(unknownOption.result, EXIT_FAILED);
        assert.match(unknownOption.stderr, /^error: Unknown option '--stak'/);
        const noStack = await capturingStderr(() => main([]));
        assert.strictEqual(noStack.result, EXIT_FAILED);
        assert.match(noStack.stderr, /^error: --stack is required\nusage: npm run preview:offline -- --stack <name>/);
    });
});

async function capturingStderr<T>(run: () => Promise<T>): Promise<{ result: T; stderr: string }> {
    const chunks: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => chunks.push(chunk) > 0) as typeof process.stderr.write;
    try {
        const result = await run();
        return { result, stderr: chunks.join("") };
    } finally {
        process.stderr.write = write;
    }
}
