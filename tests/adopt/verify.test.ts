/**
 * `adopt:terraform --verify` against the design's deployment live in moto: the recording of the
 * fixture's apply, replayed into moto (tests/replayed-terraform.ts: the ids and ARNs of
 * terraform.tfstate, in seconds, without Terraform), and the command runs as a process with the
 * server's environment (AWS_ENDPOINT_URL and fake credentials), as it runs against AWS with a
 * real one. Every import ID resolves, the inline rule's id is read and imported; a wrong ID fails
 * clearly and nothing is written. Both runs start as soon as the replay is done, while the other
 * files' tests run; the tests check what they did. Needs moto_server (the tests fail naming how to
 * install it).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SDK_NODE_NOTICE_SETTING } from "../../lib/aws-sdk-notice";
import { OUTPUT_FILES } from "../../tools/adopt/adopt-terraform";
import { MotoServer } from "../../testing/moto-server";
import { GENERATED_DIR, STATE_JSON_FILE } from "../../testing/terraform/artefacts";
import { startScriptEarly } from "../early-process";
import { ROOT } from "../harness";
import { replayedTerraformDeployment } from "../replayed-terraform";

// Terraform's JSON, changed field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface Run {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
    readonly files: string[];
    readonly out: string;
}

/** `npm run adopt:terraform -- --stack prod --tfstate <state> --out <dir> --verify`, as a process, without npm, against `server`. */
async function adoptVerify(server: MotoServer, state: Json): Promise<Run> {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "adopt-verify-"));
    const stateFile = path.join(work, "state.json");
    fs.writeFileSync(stateFile, JSON.stringify(state));
    const out = path.join(work, "out");
    // Without the test run's own setting: the command must keep the SDK's Node 22 notice off itself.
    const env = { ...process.env, ...server.environment, [SDK_NODE_NOTICE_SETTING]: undefined };
    const { status, stdout, stderr } = await startScriptEarly(ROOT, "adopt:terraform", ["--stack", "prod", "--tfstate", stateFile, "--out", out, "--verify"], env).result;
    return { status, stdout, stderr, out, files: fs.existsSync(out) ? fs.readdirSync(out).sort() : [] };
}

const readState = (): Json => JSON.parse(fs.readFileSync(path.join(GENERATED_DIR, STATE_JSON_FILE), "utf8"));

/** The state with two import IDs that name nothing live: a JWT secret version and a task definition revision. */
function stateWithWrongIds(): Json {
    const state = readState();
    const modules = (module: Json): Json[] => [module, ...(module.child_modules ?? []).flatMap(modules)];
    const resources = modules(state.values.root_module).flatMap((module) => module.resources ?? []);
    resources.find((r: Json) => r.type === "aws_secretsmanager_secret_version").values.version_id = "terraform-20990101000000000000000001";
    const task = resources.find((r: Json) => r.type === "aws_ecs_task_definition");
    task.values.arn = task.values.arn.replace(/:\d+$/, ":7");
    return state;
}

const replayed = replayedTerraformDeployment();
const confirming = replayed.then(({ server }) => adoptVerify(server, readState()));
const refusing = replayed.then(({ server }) => adoptVerify(server, stateWithWrongIds()));
for (const run of [confirming, refusing]) {
    run.catch(() => undefined); // awaited by its test
}

describe("adopt:terraform --verify against the deployment live in moto", function () {
    it("confirms every import ID, reads the inline rule's id, and imports it", async () => {
        const run = await confirming;
        assert.strictEqual(run.status, 0, run.stderr);
        assert.match(run.stdout, /^verified 17 import ID\(s\) and 1 security group rule\(s\) in the account \(region eu-west-1\)$/m);
        assert.strictEqual(run.stderr, "");
        assert.doesNotMatch(run.stdout, /warning:/);
        const file = JSON.parse(fs.readFileSync(path.join(run.out, OUTPUT_FILES.importFile), "utf8"));
        const rule = file.resources.find((entry: Json) => entry.name === "adma-network-service-https");
        assert.match(rule?.id ?? "", /^sgr-[0-9a-f]+$/);
        assert.match(fs.readFileSync(path.join(run.out, OUTPUT_FILES.report), "utf8"), /Every import ID resolved in the account \(--verify\)/);
        fs.rmSync(path.dirname(run.out), { recursive: true, force: true });
    });

    it("fails clearly, writing nothing, when an import ID names nothing live", async () => {
        const run = await refusing;
        assert.strictEqual(run.status, 1, run.stdout);
        assert.match(run.stderr, /--verify: 2 import ID\(s\) do not resolve in the account \(region eu-west-1\); nothing was written:/);
        assert.match(run.stderr, /- aws_secretsmanager_secret_version\.jwt \(aws:secretsmanager\/secretVersion:SecretVersion\) arn:aws:secretsmanager:\S+\|terraform-20990101000000000000000001: the secret has no version terraform-20990101000000000000000001/);
        assert.match(run.stderr, /- module\.ecs\.aws_ecs_task_definition\.backend \(aws:ecs\/taskDefinition:TaskDefinition\) arn:aws:ecs:eu-west-1:123456789012:task-definition\/adma-prod-backend:7: /);
        assert.deepStrictEqual(run.files, []);
        fs.rmSync(path.dirname(run.out), { recursive: true, force: true });
    });
});
