/**
 * Day two and after (issue 16): what a team does to a live stack either works on AWS or is refused
 * before anything changes. A change is proven by running the program twice under the mocks, with
 * the old and then the new configuration, and comparing what it registers.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { runPolicies } from "../policy-pack/audit/engine";
import { AdmaConfigError, MUTABLE_IMAGE_TAGS } from "../lib/config";
import { existingNetworkProblems } from "../lib/existing-network";
import { REPLACEMENT_FACTS } from "../lib/replacement-facts";
import { STACK_RECORD_OUTPUT, StackRecord } from "../lib/stack-record";
import { checkPolicies, previewOffline } from "../tools/preview/offline-run";
import { stackPolicyConfigFile } from "../tools/preview/preview-offline";
import { DeployedResource, Deployment, ROOT, configFrom, configProblems, deploy, runProgram, stackConfigValues } from "./harness";
import { withoutStackTraces } from "./stack-traces";

const T = {
    secret: "aws:secretsmanager/secret:Secret",
    db: "aws:rds/instance:Instance",
    service: "aws:ecs/service:Service",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
};

const deployStack = (stack: string, values: Record<string, string> = {}, after?: Deployment) =>
    deploy({ ...stackConfigValues(stack), ...values }, { base: {}, stack, after });

function auditInput(d: Deployment): { urn: string; type: string; name: string; props: Record<string, unknown> }[] {
    return d.resources.map((r: DeployedResource) => ({ urn: r.options.urn, type: r.type, name: r.name, props: r.inputs }));
}

function readJson(file: string): Record<string, unknown> {
    return JSON.parse(fs.readFileSync(file, "utf8"));
}

describe("live stack, case 2: destroy, then deploy again", function () {
    for (const stack of ["dev", "staging"]) {
        it(`${stack}: the second deployment after a destroy creates the JWT secret under the same name at once (deleted without recovery, not retained)`, async () => {
            const first = (await deployStack(stack)).one(T.secret);
            const again = (await deployStack(stack)).one(T.secret);
            assert.strictEqual(again.inputs.name, first.inputs.name);
            // 0: the provider deletes with ForceDeleteWithoutRecovery, so the name is free for the next `up`.
            assert.strictEqual(first.inputs.recoveryWindowInDays, 0);
            assert.strictEqual(first.options.retainOnDelete, false, "a retained secret would make the next up fail with 'already exists'");
            assert.strictEqual(first.options.protect, false);
        });
    }

    it("prod keeps its 7 days and its guards, and refuses a shorter window", async () => {
        const secret = (await deployStack("prod")).one(T.secret);
        assert.strictEqual(secret.inputs.recoveryWindowInDays, 7);
        assert.strictEqual(secret.options.protect, true);
        assert.strictEqual(secret.options.retainOnDelete, true);
        assert.match(configProblems({ environment: "prod", jwtSecretRecoveryWindowDays: "0" }).join("\n"),
            /adma:jwtSecretRecoveryWindowDays: prod keeps a deleted JWT secret restorable for 7 to 30 days/);
        assert.match(configProblems({ jwtSecretRecoveryWindowDays: "3" }).join("\n"),
            /adma:jwtSecretRecoveryWindowDays: Secrets Manager accepts 0 \(delete without recovery\) or 7 to 30 days, got 3/);
    });

    it("the pack passes the dev stack with its own policy config, and still catches that window in a stack without it (prod's)", async () => {
        const dev = await deployStack("dev");
        const devPolicyConfig = readJson(stackPolicyConfigFile(ROOT, "dev")!);
        assert.deepStrictEqual((await runPolicies(auditInput(dev), devPolicyConfig)).filter((v) => v.enforcementLevel === "mandatory"), []);
        assert.strictEqual(stackPolicyConfigFile(ROOT, "prod"), undefined, "prod must be held to the pack's defaults");
        const caught = (await runPolicies(auditInput(dev))).filter((v) => v.policyName === "secret-recovery-window");
        assert.deepStrictEqual(caught.map((v) => v.enforcementLevel), ["mandatory"]);
    });

    it("docs/ci.md's example organisation policy config passes this project's prod stack", async () => {
        const doc = fs.readFileSync(path.join(ROOT, "docs", "ci.md"), "utf8");
        const block = /```json\n([\s\S]*?)```/.exec(doc.slice(doc.indexOf("An example `policy-config.json`")));
        assert.ok(block, "docs/ci.md has no example policy config");
        const prod = await withoutStackTraces(() => previewOffline({ projectDir: ROOT, stack: "prod" }));
        const violations = await checkPolicies(prod, JSON.parse(block[1]));
        assert.deepStrictEqual(violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policyName}: ${v.message}`), []);
    });
});

describe("live stack, case 6: changes that would wait for the maintenance window", function () {
    it("apply immediately in dev and staging (what pulumi up reports is what RDS did); prod defers to its maintenance window on purpose", async () => {
        for (const [stack, expected] of [["dev", true], ["staging", true], ["prod", false]] as const) {
            const before = (await deployStack(stack)).one(T.db);
            const after = (await deployStack(stack, { dbInstanceClass: "db.t4g.large", dbAllocatedStorage: "100" })).one(T.db);
            assert.deepStrictEqual([after.inputs.instanceClass, after.inputs.allocatedStorage], ["db.t4g.large", 100]);
            assert.strictEqual(before.inputs.applyImmediately, expected, stack);
            assert.strictEqual(after.inputs.applyImmediately, expected, stack);
        }
        const overridden = (await deployStack("prod", { dbApplyImmediately: "true" })).one(T.db);
        assert.strictEqual(overridden.inputs.applyImmediately, true);
    });
});

describe("live stack, case 9: a mutable image tag", function () {
    it("refuses tags that move with each build, naming the setting and the way forward", () => {
        for (const tag of ["latest", "LATEST", ...MUTABLE_IMAGE_TAGS]) {
            assert.match(configProblems({ backendImageTag: tag }).join("\n"),
                new RegExp(`adma:backendImageTag: "${tag}" moves to every new build.*deploy a fixed tag .* or the image digest`));
        }
        assert.deepStrictEqual(configProblems({ backendImageTag: "1.4.2" }), []);
        assert.deepStrictEqual(configProblems({ backendImageTag: "git-3f2a91c" }), []);
    });

    it("a digest pins the image; a new digest is a new task definition, which rolls the service out", async () => {
        const digest = (hex: string) => `sha256:${hex.repeat(64)}`;
        const first = await deployStack("staging", { backendImageTag: digest("a") });
        const second = await deployStack("staging", { backendImageTag: digest("b") });
        const repository = stackConfigValues("staging").backendRepositoryUrl;
        assert.strictEqual(first.container().image, `${repository}@${digest("a")}`);
        assert.strictEqual(second.container().image, `${repository}@${digest("b")}`);
        assert.notStrictEqual(first.one(T.taskDefinition).inputs.containerDefinitions, second.one(T.taskDefinition).inputs.containerDefinitions);
    });

    it("no stack file deploys a mutable tag", () => {
        for (const stack of ["dev", "staging", "prod"]) {
            assert.doesNotThrow(() => configFrom(stackConfigValues(stack)), stack);
        }
    });
});

describe("live stack, case 10: a failed deployment is reported as a failure", function () {
    it("pulumi up waits for a steady state with the circuit breaker and rollback on, in every stack", async () => {
        for (const stack of ["dev", "staging", "prod"]) {
            const service = (await deployStack(stack)).one(T.service);
            assert.strictEqual(service.inputs.waitForSteadyState, true, stack);
            assert.deepStrictEqual(service.inputs.deploymentCircuitBreaker, { enable: true, rollback: true }, stack);
        }
    });

    it("prod cannot turn the wait off; other stacks can, explicitly", async () => {
        assert.match(configProblems({ environment: "prod", backendWaitForSteadyState: "false" }).join("\n"),
            /adma:backendWaitForSteadyState: prod waits for every deployment to complete/);
        const service = (await deploy({ backendWaitForSteadyState: "false" })).one(T.service);
        assert.strictEqual(service.inputs.waitForSteadyState, false);
    });
});

const KMS_KEY_A = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const KMS_KEY_B = "arn:aws:kms:eu-west-1:123456789012:key/9876fedc-12ab-34cd-56ef-1234567890ab";

function refusal(error: unknown): string {
    assert.ok(error instanceof AdmaConfigError, `expected a refused change, got ${String(error)}`);
    return error.problems.join("\n");
}

async function refused(values: Record<string, string>, stack: string, after: Deployment): Promise<string> {
    try {
        await deployStack(stack, values, after);
    } catch (error) {
        return refusal(error);
    }
    assert.fail(`${JSON.stringify(values)} was not refused`);
}

/** The execution role's kms:Decrypt statement's keys, or none. */
function decryptKeys(d: Deployment): string[] {
    return d.executionPolicy().Statement.find((statement) => statement.Action.includes("kms:Decrypt"))?.Resource ?? [];
}

describe("live stack: the stack record each deployment leaves for the next one", function () {
    it("records exactly the inputs the program registers on the resources that hold data, and the key the master secret really uses", async () => {
        const d = await deployStack("prod");
        const record = d.outputs[STACK_RECORD_OUTPUT] as StackRecord;
        for (const [key, resource] of Object.entries(record.dataResources)) {
            const registered = d.ofType(resource.type).filter((r) => [r.inputs.name, r.inputs.identifier].includes(resource.physicalName));
            assert.strictEqual(registered.length, 1, key);
            for (const [property, value] of Object.entries(resource.inputs)) {
                assert.deepStrictEqual(registered[0].inputs[property], value, `${key}.${property}`);
            }
            assert.ok(REPLACEMENT_FACTS[resource.type], `${resource.type} has no replacement facts`);
        }
        assert.deepStrictEqual(Object.keys(record.dataResources).sort(), ["backendLogGroup", "database", "jwtSecret", "readAuditLogGroup"]);
        assert.deepStrictEqual(record.database.masterSecretKey, { arn: d.one(T.db).state.masterUserSecrets[0].kmsKeyId, customerManaged: true });
        assert.strictEqual(record.createdKmsKeyArn, d.one("aws:kms/key:Key").state.arn);
    });

    it("index.ts reads it back through a StackReference to its own stack and refuses before registering anything else", async () => {
        const first = await runProgram(stackConfigValues("prod"));
        assert.strictEqual(first.error, undefined, String(first.error));
        const again = await runProgram({ ...stackConfigValues("prod"), dbName: "shop" }, "prod", first);
        assert.match(refusal(again.error), /adma:dbName: changes the RDS DB instance adma-prod-postgres/);
        assert.deepStrictEqual(again.resources.map((r) => `${r.type} ${r.inputs.name}`), ["pulumi:pulumi:StackReference organization/adma/prod"]);
        const unchanged = await runProgram(stackConfigValues("prod"), "prod", first);
        assert.strictEqual(unchanged.error, undefined, String(unchanged.error));
    });
});

describe("live stack, case 5: a configuration edit that replaces the database", function () {
    for (const [setting, value, property] of [["dbName", "shop", "dbName"], ["dbUsername", "shopowner", "username"]] as const) {
        it(`${setting}: refused in every stack at preview, naming the setting, what AWS does, and the way to do it on purpose`, async () => {
            for (const stack of ["dev", "prod"]) {
                const live = await deployStack(stack);
                const message = await refused({ [setting]: value }, stack, live);
                assert.match(message, new RegExp(`adma:${setting}: changes the RDS DB instance adma-${stack}-postgres \\(${property} "[a-z]+" → "${value}"\\), which AWS cannot change in place, so \`pulumi up\` would replace it: the instance is deleted`));
                assert.match(message, /Nothing was changed\. To replace the database on purpose, follow docs\/operations\.md, "Replacing the database on purpose"/);
                assert.match(message, new RegExp(`pulumi config set adma:confirmDatabaseReplacement adma-${stack}-postgres`));
            }
        });
    }

    it("on purpose: with the guards lifted and the replacement confirmed for that one up, the new database is registered; the confirmation must then go", async () => {
        const live = await deployStack("staging");
        const replaced = await deployStack("staging", { dbName: "shop", confirmDatabaseReplacement: "adma-staging-postgres" }, live);
        assert.strictEqual(replaced.one(T.db).inputs.dbName, "shop");
        assert.match(replaced.notices.join("\n"), /adma-staging-postgres is replaced as confirmed by adma:confirmDatabaseReplacement/);
        const stale = await refused({ dbName: "shop", confirmDatabaseReplacement: "adma-staging-postgres" }, "staging", replaced);
        assert.match(stale, /adma:confirmDatabaseReplacement is "adma-staging-postgres", but this configuration replaces no database; remove it/);
        assert.doesNotThrow(() => configFrom({ ...stackConfigValues("staging"), dbName: "shop" }));
        await deployStack("staging", { dbName: "shop" }, replaced);
    });

    it("a confirmation is refused while the data guards would stop the replacement halfway, or when it names another database", async () => {
        const live = await deployStack("prod");
        const guarded = await refused({ dbName: "shop", confirmDatabaseReplacement: "adma-prod-postgres" }, "prod", live);
        assert.match(guarded, /adma:protectData is true \(Pulumi refuses to delete a protected resource\) and adma:dbDeletionProtection is true \(RDS refuses to delete the instance\): set them to false and `pulumi up` first/);
        const wrong = await refused({ dbName: "shop", confirmDatabaseReplacement: "adma-staging-postgres" }, "prod", live);
        assert.match(wrong, /adma:dbName: changes the RDS DB instance adma-prod-postgres/);
        assert.match(configProblems({ confirmDatabaseReplacement: "adma-staging-postgres" }).join(), /^$/);
        await assert.rejects(deployStack("staging", { confirmDatabaseReplacement: "adma-staging-postgres" }),
            (error: unknown) => /the stack has no database yet; remove it/.test(refusal(error)));
    });

    it("renaming a live stack (projectName or environment) is refused: the JWT secret and the log groups would be replaced", async () => {
        const live = await deployStack("dev");
        const message = await refused({ projectName: "shop" }, "dev", live);
        assert.match(message, /adma:projectName \/ adma:environment: changes the Secrets Manager secret \/adma\/dev\/jwt-secret \(name "\/adma\/dev\/jwt-secret" → "\/shop\/dev\/jwt-secret"\)/);
        assert.match(message, /CloudWatch Logs log group \/ecs\/adma-dev-backend .* the log group is deleted with every log event in it/);
        assert.match(message, /deploy a new stack under the new names instead/);
    });

    it("moving a live stack to another VPC is refused", async () => {
        const live = await deployStack("dev");
        assert.match(await refused({ vpcCidrBlock: "10.1.0.0/16" }, "dev", live), /adma:vpcCidrBlock: the stack runs in created 10\.0\.0\.0\/16; moving it to created 10\.1\.0\.0\/16/);
    });

    it("changes AWS makes in place still work on a live stack", async () => {
        const live = await deployStack("prod");
        const changed = await deployStack("prod", { dbInstanceClass: "db.t4g.large", dbAllocatedStorage: "100", backendDesiredCount: "4", logRetentionDays: "365" }, live);
        assert.strictEqual(changed.one(T.db).inputs.instanceClass, "db.t4g.large");
        assert.deepStrictEqual(changed.notices, []);
    });
});

describe("live stack, case 1: the RDS master secret's KMS key", function () {
    it("turning off the created key while it encrypts the master secret is refused: the key would be scheduled for deletion", async () => {
        const live = await deployStack("prod");
        const createdKey = live.one("aws:kms/key:Key").state.arn;
        const changes: Record<string, string>[] = [{ createSecretsKmsKey: "false" }, { createSecretsKmsKey: "false", secretsKmsKeyArn: KMS_KEY_A }];
        for (const values of changes) {
            const message = await refused(values, "prod", live);
            assert.match(message, new RegExp(`adma:createSecretsKmsKey.*: the RDS master secret of adma-prod-postgres is encrypted with the key this stack created \\(${createdKey.replace(/[/]/g, "\\/")}\\), and RDS cannot move a managed master secret to another key`));
            assert.match(message, /Re-key the master secret first \(docs\/operations\.md, "Re-keying the database's master secret"\)/);
        }
    });

    it("after the documented re-keying the created key can go", async () => {
        const live = await deployStack("prod");
        const record = live.outputs[STACK_RECORD_OUTPUT] as StackRecord;
        // What the stack records once the master secret is re-keyed and refreshed (docs/operations.md).
        const rekeyedRecord: StackRecord = { ...record, database: { ...record.database, masterSecretKey: { arn: KMS_KEY_A, customerManaged: true } } };
        const rekeyed = new Deployment(live.config, live.backend, live.resources, { ...live.outputs, [STACK_RECORD_OUTPUT]: rekeyedRecord });
        const next = await deployStack("prod", { createSecretsKmsKey: "false", secretsKmsKeyArn: KMS_KEY_A }, rekeyed);
        assert.deepStrictEqual(next.ofType("aws:kms/key:Key"), []);
        assert.deepStrictEqual(decryptKeys(next), [KMS_KEY_A]);
    });

    it("switching to another key works: the JWT secret moves, the master secret stays on its key, and the grant covers the key each one really uses", async () => {
        const live = await deployStack("staging", { secretsKmsKeyArn: KMS_KEY_A });
        assert.deepStrictEqual(decryptKeys(live), [KMS_KEY_A]);
        const next = await deployStack("staging", { secretsKmsKeyArn: KMS_KEY_B }, live);
        assert.strictEqual(next.one(T.secret).inputs.kmsKeyId, KMS_KEY_B);
        assert.strictEqual(next.one(T.db).inputs.masterUserSecretKmsKeyId, KMS_KEY_A, "RDS keeps the master secret on the key it was created with");
        assert.ok(next.one(T.db).options.ignoreChanges.includes("masterUserSecretKmsKeyId"));
        assert.deepStrictEqual(decryptKeys(next), [KMS_KEY_A, KMS_KEY_B].sort());
        assert.match(next.notices.join("\n"), new RegExp(`the RDS master secret of adma-staging-postgres stays encrypted with ${KMS_KEY_A.replace(/[/]/g, "\\/")}`));
    });

    it("adding a customer key to a stack on the AWS managed key: the master secret stays on aws/secretsmanager, which needs no grant", async () => {
        const live = await deployStack("staging");
        assert.deepStrictEqual(decryptKeys(live), []);
        const next = await deployStack("staging", { createSecretsKmsKey: "true" }, live);
        assert.strictEqual(next.one(T.db).inputs.masterUserSecretKmsKeyId, undefined);
        assert.deepStrictEqual(decryptKeys(next), [next.one("aws:kms/key:Key").state.arn], "only the JWT secret's new key");
        assert.match(next.notices.join("\n"), /stays encrypted with the AWS managed key aws\/secretsmanager/);
    });
});

describe("live stack, case 3: major PostgreSQL upgrade", function () {
    const parameterGroups = (d: Deployment) => d.ofType("aws:rds/parameterGroup:ParameterGroup");

    it("16 to 17 in one up: a new parameter group of the new family (a resource of its own, created first), the instance moved to it with major upgrades allowed, the old group left to be deleted after", async () => {
        const live = await deployStack("staging");
        const upgraded = await deployStack("staging", { dbEngineVersion: "17" }, live);
        const [before] = parameterGroups(live);
        const [after] = parameterGroups(upgraded);
        assert.deepStrictEqual([before.inputs.family, after.inputs.family], ["postgres16", "postgres17"]);
        assert.notStrictEqual(after.name, before.name, "the same logical resource would be replaced, deleting the group the instance uses first");
        assert.notStrictEqual(after.inputs.name, before.inputs.name);
        const instance = upgraded.one(T.db);
        assert.deepStrictEqual([instance.inputs.engineVersion, instance.inputs.parameterGroupName, instance.inputs.allowMajorVersionUpgrade, instance.inputs.applyImmediately],
            ["17", after.inputs.name, true, true]);
        assert.ok(instance.options.dependencies.includes(after.options.urn), "the instance moves after the new group exists");
        assert.match(upgraded.notices.join("\n"), /adma-staging-postgres is upgraded from PostgreSQL 16 to 17 during this `pulumi up`: the instance is unavailable while RDS upgrades it/);
    });

    it("where changes wait for the maintenance window (prod) the upgrade is refused until applied immediately for that up; a downgrade is refused", async () => {
        const live = await deployStack("prod");
        assert.match(await refused({ dbEngineVersion: "17" }, "prod", live), /adma:dbEngineVersion: 16 → 17 is a major version upgrade.*Set adma:dbApplyImmediately true for this `pulumi up`/);
        const upgraded = await deployStack("prod", { dbEngineVersion: "17", dbApplyImmediately: "true" }, live);
        assert.strictEqual(upgraded.one(T.db).inputs.engineVersion, "17");
        assert.match(await refused({ dbEngineVersion: "16" }, "prod", upgraded), /adma:dbEngineVersion: 17 → 16 is a downgrade, which RDS does not do/);
        const minor = await deployStack("staging", { dbEngineVersion: "16.4" });
        assert.match(await refused({ dbEngineVersion: "16.2" }, "staging", minor), /16\.4 → 16\.2 is a downgrade/);
    });
});

describe("live stack, case 4: the final snapshot's name", function () {
    it("is unique to each instance: a random suffix created with the stack (so a re-created stack gets another) and replaced with the database", async () => {
        const live = await deployStack("staging");
        const suffix = live.one("random:index/randomId:RandomId");
        assert.strictEqual(live.one(T.db).inputs.finalSnapshotIdentifier, `adma-staging-postgres-final-${suffix.state.hex}`);
        assert.deepStrictEqual(suffix.inputs.keepers, { dbName: "urlshortener", username: "appuser" });
        assert.deepStrictEqual([suffix.options.protect, suffix.options.retainOnDelete], [false, false], "destroyed with the stack, so the next stack draws a new one");
        const replaced = await deployStack("staging", { dbName: "shop", confirmDatabaseReplacement: "adma-staging-postgres" }, live);
        assert.notStrictEqual(replaced.one(T.db).inputs.finalSnapshotIdentifier, live.one(T.db).inputs.finalSnapshotIdentifier);
        const unchanged = await deployStack("staging", {}, live);
        assert.strictEqual(unchanged.one(T.db).inputs.finalSnapshotIdentifier, live.one(T.db).inputs.finalSnapshotIdentifier);
    });
});

describe("live stack: changes AWS makes in place reach the running tasks", function () {
    it("a new adma:appBaseUrl redeploys the service (ECS reads APP_BASE_URL from SSM only when a task starts; the task definition does not change)", async () => {
        const live = await deployStack("staging");
        const next = await deployStack("staging", { appBaseUrl: "https://adma.staging.example.org" }, live);
        assert.strictEqual(next.one(T.taskDefinition).inputs.containerDefinitions, live.one(T.taskDefinition).inputs.containerDefinitions);
        assert.notDeepStrictEqual(next.one(T.service).inputs.triggers, live.one(T.service).inputs.triggers);
        assert.strictEqual(next.one(T.service).inputs.triggers.appBaseUrl, "https://adma.staging.example.org");
    });

    it("shrinking the database's storage is refused (RDS storage only grows)", async () => {
        const live = await deployStack("prod");
        assert.match(await refused({ dbAllocatedStorage: "40" }, "prod", live), /adma:dbAllocatedStorage: 50 → 40 GiB would shrink the storage of adma-prod-postgres, which RDS cannot do/);
    });
});

const EXISTING_VPC = "vpc-0123456789abcdef0";
const SUBNET_A = "subnet-0123456789abcdef0";
const SUBNET_B = "subnet-0123456789abcdef1";
const existingVpcValues = { ...stackConfigValues("staging"), vpcId: EXISTING_VPC, privateSubnetIds: JSON.stringify([SUBNET_A, SUBNET_B]) };
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

describe("live stack, case 7: an existing VPC the endpoints cannot use is refused before anything is created", function () {
    const subnetsIn = (vpcId: string, zoneA: string, zoneB: string) => ({
        [SUBNET_A]: { vpcId, availabilityZone: zoneA }, [SUBNET_B]: { vpcId, availabilityZone: zoneB },
    });

    it("a VPC without DNS hostnames: refused, naming the VPC setting, the fix and the alternative", async () => {
        const run = await runProgram(existingVpcValues, "staging", undefined, {
            vpcs: { [EXISTING_VPC]: { enableDnsSupport: true, enableDnsHostnames: false } },
            subnets: subnetsIn(EXISTING_VPC, "eu-west-1a", "eu-west-1b"),
        });
        const message = refusal(run.error);
        assert.match(message, /adma:vpcId: vpc-0123456789abcdef0 has enableDnsHostnames off, which the interface endpoints' private DNS needs \(adma:createSecretsManagerEndpoint;/);
        assert.match(message, /aws ec2 modify-vpc-attribute --vpc-id vpc-0123456789abcdef0 --enable-dns-hostnames/);
        assert.match(message, /or set adma:createSecretsManagerEndpoint to false if the VPC reaches those services another way/);
        assert.deepStrictEqual(run.resources.map((r) => r.type), ["pulumi:pulumi:StackReference"], "nothing but the read of the stack record");
    });

    it("subnets sharing one Availability Zone, or of another VPC: refused", async () => {
        const sameZone = refusal((await runProgram(existingVpcValues, "staging", undefined, { subnets: subnetsIn(EXISTING_VPC, "eu-west-1a", "eu-west-1a") })).error);
        assert.match(sameZone, /adma:privateSubnetIds: every subnet is in eu-west-1a; the RDS DB subnet group needs subnets in at least two Availability Zones/);
        assert.match(sameZone, /subnet-0123456789abcdef0 and subnet-0123456789abcdef1 are both in eu-west-1a, and an interface endpoint takes one subnet per Availability Zone/);
        const foreign = refusal((await runProgram(existingVpcValues, "staging", undefined, { subnets: subnetsIn("vpc-0fedcba9876543210", "eu-west-1a", "eu-west-1b") })).error);
        assert.match(foreign, /adma:privateSubnetIds: subnet-0123456789abcdef0 is in vpc-0fedcba9876543210, subnet-0123456789abcdef1 is in vpc-0fedcba9876543210, not in adma:vpcId vpc-0123456789abcdef0/);
    });

    it("a VPC that provides what the stack needs deploys; without interface endpoints, DNS does not matter", async () => {
        const good = await runProgram(existingVpcValues, "staging", undefined, { subnets: subnetsIn(EXISTING_VPC, "eu-west-1a", "eu-west-1b") });
        assert.strictEqual(good.error, undefined, String(good.error));
        assert.deepStrictEqual(existingNetworkProblems({ vpc: { mode: "existing", vpcId: EXISTING_VPC, privateSubnetIds: [SUBNET_A, SUBNET_B] }, createSecretsManagerEndpoint: false, createTaskEndpoints: false }, {
            vpc: { id: EXISTING_VPC, enableDnsSupport: false, enableDnsHostnames: false },
            subnets: [{ id: SUBNET_A, vpcId: EXISTING_VPC, availabilityZone: "eu-west-1a" }, { id: SUBNET_B, vpcId: EXISTING_VPC, availabilityZone: "eu-west-1b" }],
        }), []);
    });
});

describe("live stack, case 8: private subnets without a NAT gateway", function () {
    const services = (d: Deployment) => d.ofType(ENDPOINT).map((e) => `${e.inputs.serviceName} ${e.inputs.vpcEndpointType}`).sort();
    const TASK_SERVICES = ["ecr.api Interface", "ecr.dkr Interface", "logs Interface", "s3 Gateway", "secretsmanager Interface", "ssm Interface"]
        .map((service) => `com.amazonaws.eu-west-1.${service}`);

    it("a created VPC without NAT gets every endpoint the task needs: SSM, ECR api and registry, CloudWatch Logs, the S3 gateway", async () => {
        const d = await deployStack("staging", { natGateways: "None" });
        assert.deepStrictEqual(d.one("awsx:ec2:Vpc").inputs.natGateways, { strategy: "None" });
        assert.deepStrictEqual(services(d), TASK_SERVICES);
        const service = d.one("aws:ec2/securityGroup:SecurityGroup", "-service");
        const group = d.one("aws:ec2/securityGroup:SecurityGroup", "-task-endpoints");
        assert.deepStrictEqual(group.inputs.ingress.map((rule: { fromPort: number; securityGroups: string[] }) => [rule.fromPort, rule.securityGroups]), [[443, [service.id]]]);
        const privateSubnets = d.one("awsx:ec2:Vpc").state.privateSubnetIds;
        for (const endpoint of d.ofType(ENDPOINT).filter((e) => e.inputs.vpcEndpointType === "Interface")) {
            assert.deepStrictEqual([endpoint.inputs.privateDnsEnabled, endpoint.inputs.subnetIds], [true, privateSubnets], endpoint.name);
        }
        const s3 = d.ofType(ENDPOINT).find((e) => e.inputs.vpcEndpointType === "Gateway")!;
        assert.strictEqual(s3.inputs.routeTableIds.length, privateSubnets.length, "a route in every private subnet's route table");
        const violations = await runPolicies(auditInput(d), readJson(stackPolicyConfigFile(ROOT, "staging")!));
        assert.deepStrictEqual(violations.filter((v) => v.enforcementLevel === "mandatory"), []);
    });

    it("on request for a VPC you bring (adma:createTaskEndpoints); not with NAT gateways by default", async () => {
        const brought = await deploy({ ...existingVpcValues, createTaskEndpoints: "true" }, { base: {}, stack: "staging" });
        assert.deepStrictEqual(services(brought), TASK_SERVICES);
        assert.deepStrictEqual(services(await deployStack("staging")), ["com.amazonaws.eu-west-1.secretsmanager Interface"]);
        assert.strictEqual(configFrom({ ...stackConfigValues("staging"), natGateways: "None", createTaskEndpoints: "false" }).network.createTaskEndpoints, true,
            "without NAT the tasks have no other way out");
    });
});
