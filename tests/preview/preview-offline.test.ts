import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CliIo, EXIT_ERROR } from "../../policy-pack/lib/cli";
import { configureStackTraces, main } from "../../tools/preview/preview-offline";
import { withoutStackTraces } from "../stack-traces";
import { previewQa, projectWithStack, ROOT, stagingWith } from "./stack-project";

const FIXTURE = path.join(__dirname, "..", "fixtures", "offline-project");
const USAGE = "npm run preview:offline -- --stack <name> [--out FILE] [--policy-config FILE] [--no-policy] [--cwd DIR] [--debug]";

describe("offline preview: the command", function () {
    it("exits 2 on an unknown stack, naming the stacks that exist, without a stack trace", async () => {
        const { result, stdout, stderr } = await capturingOutput((io) => main(["--stack", "staging", "-C", FIXTURE], io));
        assert.strictEqual(result, EXIT_ERROR, stderr);
        assert.strictEqual(stdout, "");
        assert.match(stderr, /^preview:offline: unknown stack "staging" .*existing stacks: badconfig, good, lowered, violating\n$/);
    });

    // The command as a process (the script's node options, argv, streams, exit status) runs in
    // tests/preview/offline-gate.test.ts, whose one real run starts the `preview:offline` script.
    it("exits 1 on a mandatory violation, after printing the tree, the policy result and the export", async () => {
        const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "preview-offline-")), "export.json");
        const { result, stdout, stderr } = await capturingOutput((io) => main(["--stack", "violating", "-C", FIXTURE, "--out", out], io));
        assert.strictEqual(result, 1, stderr);
        assert.match(stdout, /^ \+ {3}pulumi:pulumi:Stack +fixture-violating +create$/m);
        assert.match(stdout, /placeholders, treated as secrets, stand in for: fixture:apiToken/);
        assert.match(stdout, /❌ adma-security@v[\d.]+ \(local: policy-pack\)\n {8}- \[mandatory\] {2}no-plaintext-db-password {2}\(aws:rds\/instance:Instance: postgres\)/);
        const exported = JSON.parse(fs.readFileSync(out, "utf8"));
        assert.strictEqual(exported.version, 3);
        assert.ok(!fs.readFileSync(out, "utf8").includes("offline-preview-placeholder"));
    });

    it("exits 2 with only the program's message when the stack's config is invalid", async () => {
        const { result, stderr } = await capturingOutput((io) => main(["--stack", "badconfig", "-C", FIXTURE, "--no-policy"], io));
        assert.strictEqual(result, EXIT_ERROR);
        assert.strictEqual(stderr, "preview:offline: fixture:jwtLength must be at least 32, got 16\n");
    });

    it("with --debug, prints the program error's stack trace at its TypeScript position despite --stack-trace-limit=0", async () => {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0; // what the script's --stack-trace-limit=0 gives the process
        try {
            configureStackTraces(true);
            const { result, stderr } = await capturingOutput((io) => main(["--stack", "badconfig", "-C", FIXTURE, "--no-policy", "--debug"], io), { stackTraces: true });
            assert.strictEqual(result, EXIT_ERROR, stderr);
            assert.match(stderr, /^preview:offline: Error: fixture:jwtLength must be at least 32, got 16\n/);
            assert.match(stderr, /\n {4}at .*offline-project[\\/]index\.ts:\d+:\d+\)?\n/);
        } finally {
            Error.stackTraceLimit = limit;
        }
    });

    it("takes --cwd as the Pulumi CLI does: the project that folder belongs to; outside any, says it is not a Pulumi project", async () => {
        const outside = fs.mkdtempSync(path.join(os.tmpdir(), "no-project-"));
        const notProject = await capturingOutput((io) => main(["--stack", "prod", "--cwd", outside], io));
        assert.strictEqual(notProject.result, EXIT_ERROR);
        assert.strictEqual(notProject.stderr, `preview:offline: ${outside} is not in a Pulumi project: no Pulumi.yaml in it or in any folder above it\n`);
        const below = await capturingOutput((io) => main(["--stack", "nope", "--cwd", path.join(FIXTURE, "policy-config")], io));
        assert.match(below.stderr, /^preview:offline: unknown stack "nope" \(no Pulumi\.nope\.yaml in .*offline-project\)/);
    });

    it("suggests the stack a misspelt or wrongly cased --stack names", async () => {
        const { result, stderr } = await capturingOutput((io) => main(["--stack", "Good", "-C", FIXTURE], io));
        assert.strictEqual(result, EXIT_ERROR);
        assert.strictEqual(stderr, `preview:offline: unknown stack "Good" (no Pulumi.Good.yaml in ${FIXTURE}); did you mean good?; existing stacks: badconfig, good, lowered, violating\n`);
    });

    it("exits 2 naming a project directory that does not exist", async () => {
        const { result, stderr } = await capturingOutput((io) => main(["--stack", "prod", "-C", "no-such-project"], io));
        assert.strictEqual(result, EXIT_ERROR);
        assert.match(stderr, /^preview:offline: cannot list the stacks of the project directory .*no-such-project: no such directory\n$/);
    });

    it("finds the project from the user's folder and resolves --out there, checking it before the program runs", async () => {
        const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), "preview-offline-user-"));
        const badOut = await capturingOutput((io) => main(["--stack", "good", "-C", FIXTURE, "--out", "no-such-folder/export.json"], { ...io, cwd: userFolder }));
        assert.strictEqual(badOut.result, EXIT_ERROR);
        assert.strictEqual(badOut.stdout, "", "the program ran before the bad --out was reported");
        assert.strictEqual(badOut.stderr, `preview:offline: cannot write the stack export ${path.join(userFolder, "no-such-folder", "export.json")}: no such file or directory\n`);
        const fromProject = await capturingOutput((io) => main(["--stack", "good", "--no-policy", "--out", path.relative(FIXTURE, path.join(userFolder, "export.json"))], { ...io, cwd: FIXTURE }));
        assert.strictEqual(fromProject.result, 0, fromProject.stderr);
        assert.match(fromProject.stdout, /^ \+ {3}pulumi:pulumi:Stack +fixture-good +create$/m);
        assert.strictEqual(JSON.parse(fs.readFileSync(path.join(userFolder, "export.json"), "utf8")).version, 3);
    });

    it("refuses a stack file copied from another (the same projectName and environment) before the program runs, naming both files and the fix", async () => {
        const copied = projectWithStack(fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8"), { keepStacks: true });
        for (const stack of ["qa", "prod"]) {
            const { result, stdout, stderr } = await capturingOutput((io) => main(["--stack", stack, "-C", copied], io));
            assert.strictEqual(result, EXIT_ERROR, stderr);
            assert.strictEqual(stdout, "");
            assert.match(stderr, /^preview:offline: Pulumi\.prod\.yaml and Pulumi\.qa\.yaml resolve to the same physical names \(adma:projectName "adma" with adma:environment "prod": adma-prod-\*, \/adma\/prod\/jwt-secret, adma-prod-postgres\), so each of these stacks would create, and on destroy delete, the same AWS resources; give each stack but one its own adma:projectName \(for example `adma:projectName: adma-qa` in Pulumi\.qa\.yaml\), as docs\/ci\.md "Adding a stack" says\n$/);
        }
    });

    it("rejects an unknown option and a missing --stack, with the usage", async () => {
        const unknownOption = await capturingOutput((io) => main(["--stak", "prod"], io));
        assert.strictEqual(unknownOption.result, EXIT_ERROR);
        assert.strictEqual(unknownOption.stderr, `preview:offline: unknown option --stak; did you mean --stack?\nusage: ${USAGE}\n`);
        const noStack = await capturingOutput((io) => main([], io));
        assert.strictEqual(noStack.result, EXIT_ERROR);
        assert.match(noStack.stderr, /^preview:offline: --stack is required\nusage: npm run preview:offline -- --stack <name>/);
    });
});

describe("offline preview: policy config", function () {
    const configFile = (content: string) => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-")), "policy-config.json");
        fs.writeFileSync(file, content);
        return file;
    };

    it("lowers a mandatory policy to advisory (exit 0), as `pulumi policy enable --config` would", async () => {
        const lowered = configFile('{"no-plaintext-db-password": "advisory"}');
        const { result, stdout } = await capturingOutput((io) => main(["--stack", "violating", "-C", FIXTURE, "--policy-config", lowered], io));
        assert.strictEqual(result, 0);
        assert.match(stdout, /⚠️ adma-security[^\n]*\n {8}- \[advisory\] {2}no-plaintext-db-password/);
    });

    it("applies the stack's own policy-config/<stack>.json unless --policy-config names another", async () => {
        const own = await capturingOutput((io) => main(["--stack", "lowered", "-C", FIXTURE], io));
        assert.strictEqual(own.result, 0, own.stderr);
        assert.match(own.stdout, /Policy config: .*offline-project[\\/]policy-config[\\/]lowered\.json\n/);
        assert.match(own.stdout, /- \[advisory\] {2}no-plaintext-db-password/);
        const other = await capturingOutput((io) => main(["--stack", "lowered", "-C", FIXTURE, "--policy-config", configFile("{}")], io));
        assert.strictEqual(other.result, 1, "--policy-config replaces the stack's own");
        const none = await capturingOutput((io) => main(["--stack", "violating", "-C", FIXTURE], io));
        assert.doesNotMatch(none.stdout, /Policy config:/);
        assert.match(none.stdout, /\nNo policy config for this stack \(policy-config[\\/]violating\.json does not exist\): the pack's defaults apply\n/);
    });

    it("exits 2 on a policy config that is not JSON or names an unknown policy", async () => {
        const notJson = await capturingOutput((io) => main(["--stack", "good", "-C", FIXTURE, "--policy-config", configFile("{oops")], io));
        assert.strictEqual(notJson.result, EXIT_ERROR);
        assert.match(notJson.stderr, /^preview:offline: cannot read policy config .*policy-config\.json: /);
        const unknownPolicy = configFile('{"no-such-policy": "advisory"}');
        const unknown = await capturingOutput((io) => main(["--stack", "good", "-C", FIXTURE, "--policy-config", unknownPolicy, "--out", "/dev/null"], io));
        assert.strictEqual(unknown.result, EXIT_ERROR);
        assert.strictEqual(unknown.stdout, "", "the program ran before the bad policy config was reported");
        assert.match(unknown.stderr, /unknown policy "no-such-policy"/);
    });
});

/** Runs the CLI's main in-process (without stack traces, as the command runs, unless asked), collecting what it writes. */
describe("offline preview: the program's own configuration checks, answered before any resource exists", function () {
    /** The preview of staging plus `lines` fails with exit 2 and exactly these problems of the program's configuration. */
    async function assertProblems(lines: string[], ...problems: string[]): Promise<string> {
        const { code, stdout, stderr } = await previewQa(stagingWith(...lines));
        assert.strictEqual(code, EXIT_ERROR, stderr);
        assert.strictEqual(stdout, "");
        assert.strictEqual(stderr.split("\n")[0], "preview:offline: Pulumi.qa.yaml: invalid stack configuration (nothing was created):");
        assert.deepStrictEqual(stderr.trimEnd().split("\n").slice(1).filter((line) => line.startsWith("  - ")), problems.map((problem) => `  - ${problem}`));
        return stderr;
    }

    it("an alarm topic in another region than the stack's (a CloudWatch alarm only notifies a topic in its own)", async () => {
        await assertProblems(["adma:alarmTopicArn: arn:aws:sns:us-east-1:123456789012:alarms"],
            "adma:alarmTopicArn: in us-east-1, but the stack deploys to eu-west-1: a CloudWatch alarm can only notify a topic in its own Region, " +
            "and an EventBridge rule can target another Region's event bus only; got \"arn:aws:sns:us-east-1:123456789012:alarms\"");
    });

    it("rotation schedules Secrets Manager refuses: more often than every 4 hours, minutes other than 0", async () => {
        await assertProblems(["adma:rdsRotationSchedule: rate(1 hour)"], 'adma:rdsRotationSchedule: Secrets Manager rotates at most every 4 hours; got "rate(1 hour)"');
        await assertProblems(['adma:rdsRotationSchedule: "cron(30 4 * * ? *)"'],
            'adma:rdsRotationSchedule: the minutes field must be 0: Secrets Manager rotation windows open on the hour; got "cron(30 4 * * ? *)"');
    });

    it("one problem per mistake in the user's terms: no alias for a non-ARN, integers unquoted, no second error about a default", async () => {
        await assertProblems(["adma:secretsKmsKeyArn: not-an-arn", "adma:dbAllocatedStorage: 10"],
            'adma:secretsKmsKeyArn: not the ARN of a KMS key (arn:<partition>:kms:<region>:<account>:key/<key-id>); got "not-an-arn"',
            "adma:dbAllocatedStorage: expected an integer from 20 to 65536, got 10");
        // Memory in GB: refused once, by the type Pulumi.yaml declares, with what the key means (the program's own check, with
        // no second error about the default it would otherwise fall back to, is in tests/config.test.ts).
        const { stderr } = await previewQa(stagingWith().replace("adma:backendTaskMemory: 1024", "adma:backendTaskMemory: 2GB"));
        assert.deepStrictEqual(stderr.split("\n").filter((line) => line.startsWith("  - ")),
            ['  - adma:backendTaskMemory: must be an integer, got "2GB" (Pulumi.yaml: Fargate task memory in MiB (2 GB is 2048); must be a size Fargate accepts with backendTaskCpu)']);
    });

    it("a key set as a secret: its value (offline, a placeholder) appears nowhere, and the note says what was checked", async () => {
        const stderr = await assertProblems(["adma:alarmTopicArn:", "  secure: v1:AAAAAAAAAAAAAAAA:c2VjcmV0LXRvcGlj"],
            "adma:alarmTopicArn: expected the ARN of an SNS topic in the stack's region (arn:<partition>:sns:<region>:<account>:<topic name>), " +
            "but the value set (as a secret, so not shown) is not");
        assert.ok(!stderr.includes("placeholder-for") && !stderr.includes("c2VjcmV0"), stderr);
        assert.match(stderr, /\nnote: offline, the secure value of adma:alarmTopicArn is a placeholder .*preview this stack with the Pulumi CLI to check the value\n$/);
    });
});

async function capturingOutput<T>(run: (io: Partial<CliIo>) => Promise<T>, { stackTraces = false } = {}): Promise<{ result: T; stdout: string; stderr: string }> {
    const written = { stdout: "", stderr: "" };
    const io: Partial<CliIo> = {
        stdout: { write: (text: string) => (written.stdout += text) },
        stderr: { write: (text: string) => (written.stderr += text) },
    };
    const result = await (stackTraces ? run(io) : withoutStackTraces(() => run(io)));
    return { result, ...written };
}
