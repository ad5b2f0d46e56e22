/**
 * `npm run adopt:terraform` on the real state of the design's Terraform deployment
 * (tests/fixtures/terraform/generated/), in-process: every resource is adopted or reported, the
 * import file is what `pulumi import --file` accepts and gives every resource the URN the program
 * registers it under, the configuration makes the program register, for every resource that holds
 * data, the values the live resource has for each property that would replace it, the JWT secret
 * keeps its value, nothing secret reaches any output, and what would replace data is refused before
 * anything is written. `--verify` against moto: tests/adopt/verify.test.ts.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { load } from "js-yaml";
import { REPLACEMENT_FACTS } from "../../lib/replacement-facts";
import { CliIo, EXIT_ERROR, EXIT_FAILED, EXIT_OK } from "../../policy-pack/lib/cli";
import { OUTPUT_FILES, main } from "../../tools/adopt/adopt-terraform";
import { planAdoption } from "../../tools/adopt/adoption-plan";
import { checkImportFile } from "../../tools/adopt/import-file";
import { readLiveDeployment } from "../../tools/adopt/live-deployment";
import { programResources, ProgramResource } from "../../tools/adopt/program-resources";
import { compareReplacementProperties } from "../../tools/adopt/replacement-check";
import { deriveStackSettings } from "../../tools/adopt/stack-settings";
import { adoptedSecretValue } from "../../testing/aws-mocks";
import { FAKE_SECRET_VALUES, GENERATED_DIR, STATE_FILE, STATE_JSON_FILE } from "../../testing/terraform/artefacts";
import { ROOT } from "../harness";
import { withoutStackTraces } from "../stack-traces";

// Terraform's JSON, changed field by field in the refusal cases.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const readState = (file: string): Json => JSON.parse(fs.readFileSync(path.join(GENERATED_DIR, file), "utf8"));

/** The `terraform show -json` state with `change` applied to the values of the resource at `address`. */
function stateWith(address: string, change: (values: Json, resource: Json) => void): Json {
    const state = readState(STATE_JSON_FILE);
    const modules = (module: Json): Json[] => [module, ...(module.child_modules ?? []).flatMap(modules)];
    const resource = modules(state.values.root_module).flatMap((module) => module.resources ?? []).find((r: Json) => r.address === address);
    assert.ok(resource, `no ${address} in the state`);
    change(resource.values, resource);
    return state;
}

/** The state with the backend's log group, and the container's reference to it, named `name`. */
function renamedLogGroup(name: string): Json {
    const state = stateWith("module.ecs.aws_cloudwatch_log_group.backend", (v) => { v.name = name; v.id = name; });
    const ecs = state.values.root_module.child_modules.find((module: Json) => module.address === "module.ecs");
    const task = ecs.resources.find((r: Json) => r.type === "aws_ecs_task_definition");
    task.values.container_definitions = task.values.container_definitions.replace(/\/ecs\/adma-prod-backend/g, name);
    return state;
}

interface Run {
    readonly status: number;
    readonly stdout: string;
    readonly stderr: string;
    /** The files written to --out, by name. */
    readonly files: Record<string, string>;
}

/** The command in-process on `state` (a document, or an artefact's file name), with the output folder it wrote. */
async function adopt(state: Json | string, extra: string[] = []): Promise<Run> {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "adopt-terraform-"));
    const stateFile = typeof state === "string" ? path.join(GENERATED_DIR, state) : path.join(work, "state.json");
    if (typeof state !== "string") {
        fs.writeFileSync(stateFile, JSON.stringify(state));
    }
    const out = path.join(work, "out");
    const written = { stdout: "", stderr: "" };
    const io: Partial<CliIo> = {
        cwd: work,
        stdout: { write: (text: string) => (written.stdout += text) },
        stderr: { write: (text: string) => (written.stderr += text) },
    };
    const status = await withoutStackTraces(() => main(["--stack", "prod", "--tfstate", stateFile, "--out", out, ...extra], io));
    const files = fs.existsSync(out) ? Object.fromEntries(fs.readdirSync(out).map((name) => [name, fs.readFileSync(path.join(out, name), "utf8")])) : {};
    fs.rmSync(work, { recursive: true, force: true });
    return { status, ...written, files };
}

describe("adopt:terraform on the design's deployment", function () {
    let run: Run;
    let program: ProgramResource[];
    before(async () => {
        run = await adopt(STATE_JSON_FILE);
        const config = (load(run.files["Pulumi.prod.yaml"]) as { config: Record<string, unknown> }).config;
        program = await withoutStackTraces(() => programResources({ projectDir: ROOT, stack: "prod", config }));
    });

    it("writes the import file, the stack configuration, the removed blocks and the report", () => {
        assert.strictEqual(run.status, EXIT_OK, run.stderr);
        assert.deepStrictEqual(Object.keys(run.files).sort(), [OUTPUT_FILES.importFile, "Pulumi.prod.yaml", OUTPUT_FILES.removed, OUTPUT_FILES.report].sort());
        assert.match(run.stdout, /^17 resource\(s\) to import, \d+ the program creates, 3 staying in Terraform; wrote/);
    });

    it("maps or reports every resource of the state, reading the state file (version 4) the same way", async () => {
        const live = readLiveDeployment(readState(STATE_JSON_FILE));
        const report = run.files[OUTPUT_FILES.report];
        for (const resource of live) {
            assert.ok(report.includes(`\`${resource.address}\``), `${resource.address} is neither adopted nor reported`);
        }
        const fromStateFile = await adopt(STATE_FILE);
        assert.strictEqual(fromStateFile.files[OUTPUT_FILES.importFile], run.files[OUTPUT_FILES.importFile]);
        assert.strictEqual(fromStateFile.files["Pulumi.prod.yaml"].split("\n").slice(1).join("\n"), run.files["Pulumi.prod.yaml"].split("\n").slice(1).join("\n"));
    });

    it("writes an import file `pulumi import --file` accepts, giving each resource the URN the program registers it under", () => {
        const file = JSON.parse(run.files[OUTPUT_FILES.importFile]);
        const { problems, urns } = checkImportFile(file, { project: "adma", stack: "prod" });
        assert.deepStrictEqual(problems, []);
        const registered = new Map(program.map((resource) => [resource.urn, resource]));
        for (const [name, urn] of urns) {
            const spec = file.resources.find((entry: Json) => entry.name === name);
            assert.ok(registered.has(urn), `${name} would be imported as ${urn}, which the program does not register`);
            assert.strictEqual(registered.get(urn)!.custom, spec.component !== true, `${name}: a component in the file must be one in the program`);
        }
        assert.strictEqual(file.resources.filter((entry: Json) => entry.id !== undefined).length, 17);
    });

    it("uses the import ID form each type documents, not the Terraform id", () => {
        const ids = Object.fromEntries(JSON.parse(run.files[OUTPUT_FILES.importFile]).resources.filter((e: Json) => e.id).map((e: Json) => [e.type, e.id]));
        const state = readState(STATE_JSON_FILE);
        const database = state.values.root_module.child_modules.flatMap((m: Json) => m.resources).find((r: Json) => r.type === "aws_db_instance");
        assert.strictEqual(ids["aws:rds/instance:Instance"], "adma-prod-postgres");
        assert.notStrictEqual(ids["aws:rds/instance:Instance"], database.values.id, "an RDS instance is imported by identifier, not by its resource id");
        assert.strictEqual(ids["aws:iam/rolePolicy:RolePolicy"], "adma-prod-ecs-execution-role:adma-prod-ecs-execution-secrets");
        assert.strictEqual(ids["aws:iam/rolePolicyAttachment:RolePolicyAttachment"], "adma-prod-ecs-execution-role/arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy");
        assert.strictEqual(ids["aws:ecs/service:Service"], "adma-prod-ecs/adma-prod-backend");
        assert.match(ids["aws:secretsmanager/secretVersion:SecretVersion"], /^arn:aws:secretsmanager:eu-west-1:123456789012:secret:\/adma\/prod\/jwt-secret-\w{6}\|terraform-\d+$/);
        assert.match(ids["aws:ecs/taskDefinition:TaskDefinition"], /:task-definition\/adma-prod-backend:1$/);
    });

    it("configures the program so that every resource holding data keeps each value whose change would replace it", async () => {
        const live = readLiveDeployment(readState(STATE_JSON_FILE));
        const derived = deriveStackSettings(live);
        const plan = planAdoption(live, program, new Set(["vpc", ...live.filter((r) => r.terraformType === "aws_subnet").map((r) => r.id!)]), derived.roles);
        const dataBearing = plan.adopted.filter((adoption) => REPLACEMENT_FACTS[adoption.program.type] !== undefined);
        assert.deepStrictEqual(dataBearing.map((a) => a.program.type).sort(),
            ["aws:cloudwatch/logGroup:LogGroup", "aws:rds/instance:Instance", "aws:secretsmanager/secret:Secret"]);
        for (const adoption of dataBearing) {
            const comparisons = compareReplacementProperties(adoption);
            // Every property REPLACEMENT_FACTS lists for the type (terraform-provider-aws's ForceNew attributes, its source) is compared.
            assert.deepStrictEqual(comparisons.map((c) => c.property).slice(0, REPLACEMENT_FACTS[adoption.program.type].forcesReplacement.length),
                [...REPLACEMENT_FACTS[adoption.program.type].forcesReplacement]);
            assert.deepStrictEqual(comparisons.filter((c) => !c.same), [], adoption.live.address);
        }
        const database = dataBearing.find((a) => a.program.type === "aws:rds/instance:Instance")!;
        const registered = Object.fromEntries(compareReplacementProperties(database).filter((c) => c.program !== undefined).map((c) => [c.property, c.program]));
        assert.deepStrictEqual(registered, { dbName: "urlshortener", engine: "postgres", storageEncrypted: true, username: "appuser" });
    });

    it("keeps the JWT value: adopts the live version as the bootstrap and registers no new value", () => {
        const config = (load(run.files["Pulumi.prod.yaml"]) as { config: Record<string, unknown> }).config;
        const versionId = String(config["adma:jwtSecretAdoptedVersionId"]);
        const file = JSON.parse(run.files[OUTPUT_FILES.importFile]);
        const bootstrap = file.resources.find((entry: Json) => entry.name === "adma-jwt-secret-bootstrap");
        assert.ok(bootstrap.id.endsWith(`|${versionId}`));
        assert.deepStrictEqual(program.filter((r) => r.type === "random:index/randomPassword:RandomPassword"), []);
        assert.match(run.files[OUTPUT_FILES.report], /`random:index\/randomId:RandomId`/, "a RandomId (the snapshot name) is no secret value");
    });

    it("releases a random_password from Terraform without importing it, and never writes its value", async () => {
        const state = readState(STATE_JSON_FILE);
        const value = "FAKE-TEST-random-password-result-0000000000000000000000000000000";
        state.values.root_module.resources.push({
            address: "random_password.jwt_secret", mode: "managed", type: "random_password", name: "jwt_secret",
            values: { id: "none", length: 64, special: true, override_special: "_-+=@#%", result: value, bcrypt_hash: "$2a$10$FAKE" },
            sensitive_values: { result: true, bcrypt_hash: true },
        });
        const released = await adopt(state);
        assert.strictEqual(released.status, EXIT_OK, released.stderr);
        assert.match(released.files[OUTPUT_FILES.report], /`random_password\.jwt_secret`: not imported: the import ID of a random_password is its value/);
        assert.match(released.files[OUTPUT_FILES.removed], /from = random_password\.jwt_secret/);
        assert.match(released.files["Pulumi.prod.yaml"], /adma:jwtSecretLength: 64/);
        for (const text of [released.stdout, released.stderr, ...Object.values(released.files)]) {
            assert.ok(!text.includes(value) && !text.includes("$2a$10$FAKE"));
        }
    });

    it("writes nothing secret: no value the state holds in plaintext, nor the JWT value the program reads", () => {
        const jwtSecretArn = JSON.parse(run.files[OUTPUT_FILES.importFile]).resources.find((e: Json) => e.name === "adma-jwt-secret-secret").id;
        const version = (load(run.files["Pulumi.prod.yaml"]) as { config: Record<string, string> }).config["adma:jwtSecretAdoptedVersionId"];
        const secrets = [...Object.values(FAKE_SECRET_VALUES), adoptedSecretValue(jwtSecretArn, version)];
        for (const text of [run.stdout, run.stderr, ...Object.values(run.files)]) {
            for (const secret of secrets) {
                assert.ok(!text.includes(secret), "a secret value was written");
            }
        }
    });

    it("lets Terraform go of whole modules and of each adopted root resource, destroying nothing", () => {
        const removed = run.files[OUTPUT_FILES.removed];
        const froms = [...removed.matchAll(/from = (\S+)/g)].map((match) => match[1]);
        assert.deepStrictEqual(froms.filter((from) => from.startsWith("module.")).sort(), ["module.ecs", "module.iam", "module.rds"]);
        assert.ok(froms.includes("aws_secretsmanager_secret.jwt") && !froms.some((from) => from.includes("[") || from.startsWith("aws_vpc.") || from.startsWith("aws_subnet.")));
        assert.strictEqual((removed.match(/destroy = false/g) ?? []).length, froms.length);
    });

    it("names the inline security group rule the program imports by rule id, which only --verify can read", () => {
        assert.match(run.files[OUTPUT_FILES.report], /\(inline rule of `aws_security_group\.backend`\) \| `aws:vpc\/securityGroupEgressRule:SecurityGroupEgressRule` `adma-network-service-https` \| not in the state: resolved by --verify/);
        assert.match(run.stdout, /warning: 1 security group rule\(s\) exist live as inline rules/);
        // The backend's 5432 egress to the VPC's CIDR: the program allows 5432 to the database's group instead.
        assert.match(run.files[OUTPUT_FILES.report], /## Left in place, managed by nobody after the move[\s\S]*- aws_security_group\.backend: egress tcp 5432-5432 to 10\.0\.0\.0\/16/);
    });
});

describe("adopt:terraform refuses, before writing anything, what would replace data", function () {
    const refusals: [string, Json, RegExp][] = [
        ["an unencrypted database", stateWith("module.rds.aws_db_instance.this", (v) => { v.storage_encrypted = false; }),
            /module\.rds\.aws_db_instance\.this \(RDS DB instance adma-postgres\): storageEncrypted is false live and true in the program; the first pulumi up would replace it: the instance is deleted/],
        ["a database of another engine", stateWith("module.rds.aws_db_instance.this", (v) => { v.engine = "mysql"; }),
            /module\.rds\.aws_db_instance\.this \(RDS DB instance adma-postgres\): engine is "mysql" live and "postgres" in the program/],
        ["a JWT secret of another name", stateWith("aws_secretsmanager_secret.jwt", (v) => { v.name = "adma/prod/jwt"; }),
            /aws_secretsmanager_secret\.jwt is the JWT secret and is named "adma\/prod\/jwt"; the program names it \/<projectName>\/<environment>\/jwt-secret: adopting it would replace the secret/],
        ["a database whose password Terraform keeps", stateWith("module.rds.aws_db_instance.this", (v) => { v.manage_master_user_password = null; }),
            /module\.rds\.aws_db_instance\.this: the master password is not managed by RDS/],
        ["container definitions the state marks sensitive", stateWith("module.ecs.aws_ecs_task_definition.backend", (_v, r) => { r.sensitive_values.container_definitions = true; }),
            /module\.ecs\.aws_ecs_task_definition\.backend: container_definitions is sensitive in the state/],
        ["the backend's log group under another name than the program's", renamedLogGroup("/ecs/backend"),
            /module\.ecs\.aws_cloudwatch_log_group\.backend plays a part of the program but matches none of its resources by type and name: the program would create another beside it/],
    ];
    for (const [what, state, message] of refusals) {
        it(`refuses ${what}, naming the resource and the difference`, async () => {
            const refused = await adopt(state);
            assert.strictEqual(refused.status, EXIT_FAILED, refused.stdout);
            assert.match(refused.stderr, /^adopt:terraform: refused, nothing was written: /);
            assert.match(refused.stderr, message);
            assert.deepStrictEqual(refused.files, {}, "nothing may be written");
        });
    }
});

describe("adopt:terraform: arguments and input", () => {
    const cases: [string, string[], RegExp][] = [
        ["without --stack", ["--tfstate", "x", "--out", "y"], /--stack is required/],
        ["with a stack name Pulumi refuses", ["--stack", "p/rod", "--tfstate", "x", "--out", "y"], /--stack "p\/rod": a stack name has only/],
        ["writing into the project", ["--stack", "prod", "--tfstate", path.join(GENERATED_DIR, STATE_FILE), "--out", ROOT], /is a Pulumi project: write the adoption elsewhere/],
        ["given a plan", ["--stack", "prod", "--tfstate", path.join(GENERATED_DIR, "plan-create.json"), "--out", path.join(os.tmpdir(), "adopt-terraform-never-written")], /--tfstate: this is a plan/],
    ];
    for (const [what, args, message] of cases) {
        it(`exits 2 ${what}`, async () => {
            let stderr = "";
            const status = await main(args, { stdout: { write: () => true }, stderr: { write: (text: string) => (stderr += text) } });
            assert.strictEqual(status, EXIT_ERROR, stderr);
            assert.match(stderr, message);
            assert.ok(!fs.existsSync(path.join(os.tmpdir(), "adopt-terraform-never-written")), "a refused command creates no folder");
        });
    }
});
