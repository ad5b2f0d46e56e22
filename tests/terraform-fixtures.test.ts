/**
 * The committed Terraform artefacts (tests/fixtures/terraform/generated/) are what
 * `npm run fixtures:terraform` says they are: made by the versions the manifest records, in the
 * formats Terraform documents, holding the design's deployment, one mistake per mistake plan, and
 * nothing that could be a real secret; and the recording replays the deployment into moto.
 * Terraform never runs here (the generator takes minutes); moto does, for the replay.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { DescribeTaskDefinitionCommand, ECSClient } from "@aws-sdk/client-ecs";
import { DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { MotoServer } from "../testing/moto-server";
import {
    ARTEFACTS, CHANGED_IMAGE_TAG, CREATE_PLAN_FILE, FAKE_SECRET_VALUES, FIXTURE_DIR, FIXTURE_STACK, GENERATED_DIR, MANIFEST_FILE, MISTAKES, Mistake,
    STATE_FILE, STATE_JSON_FILE, UPDATE_PLAN_FILE,
} from "../testing/terraform/artefacts";
import { Manifest } from "../testing/terraform/generate-fixtures";
import { LoadedDeployment } from "../testing/terraform/replay";
import { secretFindings } from "../testing/terraform/secret-scan";
import { requiredAwsProviderVersion } from "../testing/terraform/workdir";
import { replayedTerraformDeployment } from "./replayed-terraform";

// The replay runs in moto's process while the in-process tests run.
const replaying = replayedTerraformDeployment();

// Terraform's JSON, read field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function read(file: string): string {
    return fs.readFileSync(path.join(GENERATED_DIR, file), "utf8");
}

const readJson = (file: string): Json => JSON.parse(read(file));

interface ResourceChange {
    address: string;
    mode: string;
    type: string;
    change: { actions: string[]; before: Json; after: Json; after_unknown: Json; after_sensitive: Json };
}

function resourceChange(plan: Json, address: string): ResourceChange {
    const change = (plan.resource_changes as ResourceChange[]).find((candidate) => candidate.address === address);
    assert.ok(change, `the plan has no change for ${address}`);
    return change;
}

/** Addresses of a `show -json` module tree (resources and child modules). */
function moduleAddresses(module: Json): string[] {
    return [...(module.resources ?? []).map((resource: Json) => resource.address), ...(module.child_modules ?? []).flatMap(moduleAddresses)];
}

/** Addresses of a v4 state's resource instances, as Terraform writes them. */
function stateAddresses(state: Json): string[] {
    return state.resources.flatMap((resource: Json) => resource.instances.map((instance: Json) => {
        const base = `${resource.module ? `${resource.module}.` : ""}${resource.mode === "data" ? "data." : ""}${resource.type}.${resource.name}`;
        return instance.index_key === undefined ? base : `${base}[${JSON.stringify(instance.index_key)}]`;
    }));
}

function stateAttributes(state: Json, address: string): Json {
    const match = state.resources.find((resource: Json) =>
        `${resource.module ? `${resource.module}.` : ""}${resource.type}.${resource.name}` === address && resource.mode === "managed");
    assert.ok(match, `the state has no ${address}`);
    return match.instances[0].attributes;
}

const DESIGN_RESOURCES = [
    "aws_secretsmanager_secret.jwt", "aws_secretsmanager_secret_version.jwt", "aws_ssm_parameter.app_base_url",
    "aws_vpc.main", "aws_subnet.private[0]", "aws_subnet.private[1]", "aws_security_group.backend", "aws_security_group.database",
    "aws_security_group.secretsmanager_endpoint", "aws_vpc_endpoint.secretsmanager",
    "module.rds.aws_db_subnet_group.this", "module.rds.aws_db_instance.this",
    "module.iam.aws_iam_role.execution", "module.iam.aws_iam_role_policy_attachment.execution_managed",
    "module.iam.aws_iam_role_policy.execution_secrets", "module.iam.aws_iam_role.task",
    "module.ecs.aws_ecs_cluster.this", "module.ecs.aws_cloudwatch_log_group.backend", "module.ecs.aws_ecs_task_definition.backend",
    "module.ecs.aws_ecs_service.backend",
];

/** The inline execution policy's statement that reads secrets, from a policy document string. */
function secretsStatement(policy: string): Json {
    return JSON.parse(policy).Statement.find((statement: Json) => statement.Sid === "ReadOnlyRequiredSecrets");
}

function container(containerDefinitions: string): Json {
    return JSON.parse(containerDefinitions)[0];
}

/** Each mistake as it must appear in its plan's `change.after` (and not in the design's state). */
const MISTAKE_SHOWN: Record<string, (after: Json, change: ResourceChange["change"]) => void> = {
    mistake_secretsmanager_wildcard: (after) => assert.deepStrictEqual(toArray(secretsStatement(after.policy).Action), ["secretsmanager:*"]),
    mistake_wildcard_resource: (after) => assert.deepStrictEqual(toArray(secretsStatement(after.policy).Resource), ["*"]),
    mistake_plaintext_db_password: (after, change) => {
        assert.strictEqual(after.password, FAKE_SECRET_VALUES.db_password);
        assert.strictEqual(change.after_sensitive.password, true);
        assert.strictEqual(after.manage_master_user_password, null);
    },
    mistake_jwt_secret_in_environment: (after, change) => {
        const backend = container(after.container_definitions);
        assert.deepStrictEqual(backend.environment.find((variable: Json) => variable.name === "JWT_SECRET"), { name: "JWT_SECRET", value: FAKE_SECRET_VALUES.jwt_secret_value });
        assert.ok(!backend.secrets.some((secret: Json) => secret.name === "JWT_SECRET"));
        assert.strictEqual(change.after_sensitive.container_definitions, true, "a value from a sensitive variable makes the container definitions sensitive");
    },
};

function toArray(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [value];
}

describe("Terraform fixture artefacts (tests/fixtures/terraform/generated)", () => {
    const manifest = readJson(MANIFEST_FILE) as Manifest;
    const state = readJson(STATE_FILE);
    const stateJson = readJson(STATE_JSON_FILE);

    it("are listed in the manifest with the command and the Terraform, provider and moto versions that made them", () => {
        assert.strictEqual(manifest.generatedBy, "npm run fixtures:terraform");
        assert.deepStrictEqual(manifest.artefacts.map(({ file, format, description }) => [file, format, description]),
            ARTEFACTS.map(({ file, format, description }) => [file, format, description]));
        for (const { file } of manifest.artefacts) {
            assert.ok(fs.existsSync(path.join(GENERATED_DIR, file)), `${file} is listed but missing`);
        }
        assert.match(manifest.terraform, /^1\.\d+\.\d+$/);
        assert.deepStrictEqual(manifest.providers, { "registry.terraform.io/hashicorp/aws": requiredAwsProviderVersion(FIXTURE_DIR) });
        assert.match(manifest.moto, /^5\.([2-9]|\d\d)\./);
        assert.strictEqual(manifest.region, "eu-west-1");
        assert.strictEqual(manifest.variables.project_name, FIXTURE_STACK.project_name);
        assert.strictEqual(manifest.variables.jwt_secret_value, "(fake test value)");
    });

    it("hold a version 4 state file and terraform show -json of it (format 1.0) with the same resources", () => {
        assert.strictEqual(state.version, 4);
        assert.strictEqual(state.terraform_version, manifest.terraform);
        assert.strictEqual(stateJson.format_version, "1.0");
        assert.strictEqual(stateJson.terraform_version, manifest.terraform);
        const managed = stateAddresses(state).filter((address) => !address.includes("data."));
        assert.deepStrictEqual([...managed].sort(), [...DESIGN_RESOURCES].sort());
        assert.deepStrictEqual(moduleAddresses(stateJson.values.root_module).sort(), stateAddresses(state).sort());
        assert.deepStrictEqual(stateJson.values.root_module.child_modules.map((module: Json) => module.address).sort(), ["module.ecs", "module.iam", "module.rds"]);
    });

    it("hold the design's deployment, named as the design document names it", () => {
        assert.strictEqual(stateAttributes(state, "aws_secretsmanager_secret.jwt").name, "/adma/prod/jwt-secret");
        assert.strictEqual(stateAttributes(state, "aws_secretsmanager_secret.jwt").recovery_window_in_days, 7);
        assert.strictEqual(stateAttributes(state, "aws_ssm_parameter.app_base_url").name, "/adma/prod/app-base-url");
        const db = stateAttributes(state, "module.rds.aws_db_instance.this");
        assert.strictEqual(db.identifier, "adma-prod-postgres");
        assert.strictEqual(db.manage_master_user_password, true);
        assert.strictEqual(db.password, null);
        assert.match(db.master_user_secret[0].secret_arn, /^arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-/);
        assert.strictEqual(stateAttributes(state, "module.iam.aws_iam_role.execution").name, "adma-prod-ecs-execution-role");
        assert.strictEqual(stateAttributes(state, "module.iam.aws_iam_role.task").name, "adma-prod-backend-task");
        const grant = stateAttributes(state, "module.iam.aws_iam_role_policy.execution_secrets");
        assert.strictEqual(grant.name, "adma-prod-ecs-execution-secrets");
        assert.deepStrictEqual(toArray(secretsStatement(grant.policy).Action), ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]);
        assert.deepStrictEqual(new Set(toArray(secretsStatement(grant.policy).Resource)),
            new Set([stateAttributes(state, "aws_secretsmanager_secret.jwt").arn, db.master_user_secret[0].secret_arn]));
        const task = stateAttributes(state, "module.ecs.aws_ecs_task_definition.backend");
        assert.strictEqual(task.family, "adma-prod-backend");
        const backend = container(task.container_definitions);
        assert.deepStrictEqual(backend.secrets.map((secret: Json) => secret.name).sort(), ["APP_BASE_URL", "DB_PASSWORD", "JWT_SECRET"]);
        assert.strictEqual(backend.secrets.find((secret: Json) => secret.name === "DB_PASSWORD").valueFrom, `${db.master_user_secret[0].secret_arn}:password::`);
        assert.ok(!backend.environment.some((variable: Json) => variable.name === "JWT_SECRET"));
        assert.strictEqual(stateAttributes(state, "module.ecs.aws_ecs_cluster.this").name, "adma-prod-ecs");
        assert.strictEqual(stateAttributes(state, "module.ecs.aws_ecs_service.backend").name, "adma-prod-backend");
        assert.strictEqual(stateAttributes(state, "module.ecs.aws_cloudwatch_log_group.backend").name, "/ecs/adma-prod-backend");
        const subnets = state.resources.find((resource: Json) => resource.type === "aws_subnet").instances;
        assert.strictEqual(new Set(subnets.map((subnet: Json) => subnet.attributes.availability_zone)).size, 2, "two availability zones");
        const endpoint = stateAttributes(state, "aws_vpc_endpoint.secretsmanager");
        assert.strictEqual(endpoint.service_name, "com.amazonaws.eu-west-1.secretsmanager");
        assert.strictEqual(endpoint.private_dns_enabled, true);
    });

    it("hold the plan of a new deployment, in which the grant and the container definitions are not known yet", () => {
        const plan = readJson(CREATE_PLAN_FILE);
        assert.match(plan.format_version, /^1\.\d+$/);
        assert.strictEqual(plan.terraform_version, manifest.terraform);
        const managed = (plan.resource_changes as ResourceChange[]).filter((change) => change.mode === "managed");
        assert.deepStrictEqual(managed.map((change) => change.address).sort(), [...DESIGN_RESOURCES].sort());
        assert.ok(managed.every((change) => change.change.actions.join() === "create"));
        assert.strictEqual(resourceChange(plan, "module.iam.aws_iam_role_policy.execution_secrets").change.after_unknown.policy, true);
        assert.strictEqual(resourceChange(plan, "module.ecs.aws_ecs_task_definition.backend").change.after_unknown.container_definitions, true);
        assert.strictEqual(resourceChange(plan, "aws_secretsmanager_secret.jwt").change.after.name, "/adma/prod/jwt-secret");
    });

    it("hold a plan that changes the live deployment, with every value known", () => {
        const plan = readJson(UPDATE_PLAN_FILE);
        assert.match(plan.format_version, /^1\.\d+$/);
        const task = resourceChange(plan, "module.ecs.aws_ecs_task_definition.backend").change;
        assert.deepStrictEqual([...task.actions].sort(), ["create", "delete"], "a task definition is replaced, never updated");
        assert.ok(container(task.after.container_definitions).image.endsWith(`:${CHANGED_IMAGE_TAG}`));
        assert.strictEqual(task.after_unknown.container_definitions, undefined);
        assert.ok(!(plan.resource_changes as ResourceChange[]).some((change) => change.address === "module.rds.aws_db_instance.this" && change.change.actions.join() !== "no-op"));
    });

    for (const mistake of MISTAKES) {
        it(`hold ${mistake.file}, whose ${mistake.address} carries the mistake in change.after.${mistake.attribute} (${mistake.policy})`, () => {
            const plan = readJson(mistake.file);
            assert.match(plan.format_version, /^1\.\d+$/);
            assert.strictEqual(plan.variables[mistake.variable].value, true);
            const { change } = resourceChange(plan, mistake.address);
            assert.ok(change.actions.some((action) => action === "update" || action === "create"), `${mistake.address} is changed`);
            assert.notStrictEqual(change.after_unknown[mistake.attribute], true, "against the live deployment the value is known");
            MISTAKE_SHOWN[mistake.variable](change.after, change);
            assert.throws(() => MISTAKE_SHOWN[mistake.variable](stateAttributes(state, mistake.address), { after_sensitive: {} } as ResourceChange["change"]),
                assert.AssertionError, "the design's state has no such mistake");
        });
    }

    it("every mistake variable of the fixture has its plan", () => {
        const declared = [...fs.readFileSync(path.join(FIXTURE_DIR, "variables.tf"), "utf8").matchAll(/variable "(mistake_\w+)"/g)].map((match) => match[1]);
        assert.deepStrictEqual(declared.sort(), MISTAKES.map((mistake: Mistake) => mistake.variable).sort());
        assert.deepStrictEqual(Object.keys(MISTAKE_SHOWN).sort(), declared.sort());
    });

    it("hold nothing that could be a real secret: every sensitive value is a fake test value", () => {
        for (const { file, format } of ARTEFACTS) {
            assert.deepStrictEqual(secretFindings(read(file), format), [], file);
        }
    });

    it("the secret scan finds a sensitive value that is not fake, an access key, and a real value in a recorded request", () => {
        const mutated = JSON.parse(read(STATE_FILE));
        const version = mutated.resources.find((resource: Json) => resource.type === "aws_secretsmanager_secret_version");
        version.instances[0].attributes.secret_string = "correct-horse-battery-staple";
        assert.deepStrictEqual(secretFindings(JSON.stringify(mutated), "tfstate-v4"),
            [`resources[${mutated.resources.indexOf(version)}].instances[0].attributes.secret_string is marked sensitive and is not a fake test value`]);
        assert.strictEqual(secretFindings(read(STATE_JSON_FILE).replace("adma-prod-ecs", "AKIAZZZZZZZZZZZZZZZZ"), "show-json-state").length, 1);
        const plan = readJson(MISTAKES[3].file);
        resourceChange(plan, MISTAKES[3].address).change.after.container_definitions = "[{\"environment\":[{\"name\":\"JWT_SECRET\",\"value\":\"real\"}]}]";
        assert.match(secretFindings(JSON.stringify(plan), "show-json-plan").join("\n"), /container_definitions is marked sensitive/);
        const request = { headers: {}, method: "POST", url: "http://127.0.0.1:1/", body: JSON.stringify({ Name: "x", SecretString: "hunter2hunter2" }), body_encoded: false };
        assert.strictEqual(secretFindings(`${JSON.stringify(request)}\n`, "moto-recording").length, 1);
    });

    describe("the recording, replayed into a fresh moto (the run's one replay, tests/replayed-terraform.ts)", () => {
        let server: MotoServer;
        let loaded: LoadedDeployment;
        before(async () => ({ server, loaded } = await replaying));

        it("recreates the state's resources under the state's ids and ARNs", async () => {
            const config = server.clientConfig;
            const jwt = stateAttributes(state, "aws_secretsmanager_secret.jwt");
            const version = stateAttributes(state, "aws_secretsmanager_secret_version.jwt");
            const secret = await new SecretsManagerClient(config).send(new DescribeSecretCommand({ SecretId: jwt.arn }));
            assert.strictEqual(secret.ARN, jwt.arn);
            assert.deepStrictEqual(secret.VersionIdsToStages?.[version.version_id], ["AWSCURRENT"]);
            const vpc = stateAttributes(state, "aws_vpc.main");
            const vpcs = await new EC2Client(config).send(new DescribeVpcsCommand({ VpcIds: [vpc.id] }));
            assert.strictEqual(vpcs.Vpcs?.[0]?.CidrBlock, vpc.cidr_block);
            const task = stateAttributes(state, "module.ecs.aws_ecs_task_definition.backend");
            const live = await new ECSClient(config).send(new DescribeTaskDefinitionCommand({ taskDefinition: task.arn }));
            assert.strictEqual(live.taskDefinition?.taskDefinitionArn, task.arn);
        });

        it("keeps the deployment consistent although moto gives the database's secret another ARN", async () => {
            assert.strictEqual(loaded.stateRdsMasterSecretArn, stateAttributes(state, "module.rds.aws_db_instance.this").master_user_secret[0].secret_arn);
            const task = stateAttributes(state, "module.ecs.aws_ecs_task_definition.backend");
            const live = await new ECSClient(server.clientConfig).send(new DescribeTaskDefinitionCommand({ taskDefinition: task.arn }));
            const dbPassword = live.taskDefinition?.containerDefinitions?.[0]?.secrets?.find((secret) => secret.name === "DB_PASSWORD");
            assert.strictEqual(dbPassword?.valueFrom, `${loaded.rdsMasterSecretArn}:password::`);
            const secret = await new SecretsManagerClient(server.clientConfig).send(new DescribeSecretCommand({ SecretId: loaded.rdsMasterSecretArn }));
            assert.strictEqual(secret.ARN, loaded.rdsMasterSecretArn);
        });
    });
});
