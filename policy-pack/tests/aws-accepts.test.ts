/**
 * Configurations AWS documents as correct get no violation, and spellings AWS accepts do not get
 * past the rules (issue 13). Each case is a stack export of its own with one or two resources,
 * audited as `npm run policy:audit` audits one.
 */
import * as assert from "assert";
import { unlinkSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { runAuditCli } from "../audit/cli";
import { Violation, runPolicies } from "../audit/engine";
import { readAuditDocument } from "../audit/reader";
import * as types from "../policies/resource-types";
import {
    ECS_TRUST, REGION, STACK_RESOURCE_URN, StateSpec, container, encrypted, policyDocument, resource, roleArn, secretArn, stackExport,
} from "./helpers";

const ACCOUNT_ROLE = roleArn("execution");

async function audit(...states: StateSpec[]): Promise<Violation[]> {
    return runPolicies(readAuditDocument(JSON.parse(JSON.stringify(stackExport(states)))).resources);
}

const levels = (violations: Violation[], policyName: string) =>
    violations.filter((v) => v.policyName === policyName).map((v) => v.enforcementLevel);

/** An execution role whose only grant is one inline policy of these statements. */
function executionRole(...statements: Record<string, unknown>[]): StateSpec {
    return {
        type: types.IAM_ROLE, name: "execution",
        inputs: { assumeRolePolicy: ECS_TRUST, inlinePolicies: [{ name: "secrets", policy: JSON.stringify(policyDocument(...statements)) }] },
        outputs: { arn: ACCOUNT_ROLE, name: "execution" },
    };
}

function taskDefinition(containers: unknown, inputs: Record<string, unknown> = {}): StateSpec {
    return {
        type: types.ECS_TASK_DEFINITION, name: "app",
        inputs: { family: "app", containerDefinitions: typeof containers === "string" ? containers : JSON.stringify(containers), executionRoleArn: ACCOUNT_ROLE, ...inputs },
    };
}

const allow = (action: string | string[], resource: string | string[]) => ({ Effect: "Allow", Action: action, Resource: resource });

/** A secret of the stack, encrypted with the AWS managed key (no kmsKeyId). */
const storedSecret = (name: string, arn: string): StateSpec => ({ type: types.SECRET, name, inputs: { name }, outputs: { arn } });

describe("what AWS documents as correct passes (issue 13)", () => {
    const JWT = secretArn("app/jwt");

    it("item 1: an execution role with only secretsmanager:GetSecretValue on the referenced secret", async () => {
        const violations = await audit(executionRole(allow("secretsmanager:GetSecretValue", JWT)),
            taskDefinition([container({ environment: [], secrets: [{ name: "JWT_SECRET", valueFrom: JWT }] })]), storedSecret("jwt", JWT));
        assert.deepStrictEqual(violations, []);
    });

    it("item 3: a statement whose every action supports no resource-level permissions, on \"*\"", async () => {
        const policy = (statement: Record<string, unknown>): StateSpec =>
            ({ type: types.IAM_POLICY, name: "list", inputs: { policy: JSON.stringify(policyDocument(statement)) } });
        assert.deepStrictEqual(await audit(policy(allow("secretsmanager:ListSecrets", "*"))), []);
        const mixed = await audit(policy(allow(["secretsmanager:ListSecrets", "secretsmanager:GetSecretValue"], "*")));
        assert.deepStrictEqual(levels(mixed, "no-wildcard-resource"), ["mandatory"]);
        assert.match(mixed[0].message, /for secretsmanager:GetSecretValue, which AWS can scope/);
    });

    it("item 4: a symmetric key in a custom key store, which AWS cannot rotate", async () => {
        const key = (inputs: Record<string, unknown>): StateSpec => ({ type: types.KMS_KEY, name: "hsm", inputs: { description: "secrets", ...inputs } });
        assert.deepStrictEqual(await audit(key({ customKeyStoreId: "cks-1234567890abcdef0" })), []);
        assert.deepStrictEqual(await audit(key({ customKeyStoreId: "cks-1234567890abcdef0", xksKeyId: "external-key-1" })), []);
        assert.deepStrictEqual(levels(await audit(key({})), "kms-key-rotation"), ["mandatory"], "a key AWS can rotate still must");
    });

    describe("item 2: every valueFrom form ECS accepts", () => {
        const PARAMETER = `arn:aws:ssm:${REGION}:123456789012:parameter/app/prod/base-url`;
        const byName = [container({ environment: [], secrets: [{ name: "BASE_URL", valueFrom: "/app/prod/base-url" }] })];
        const parameter: StateSpec = { type: types.SSM_PARAMETER, name: "base-url", inputs: { name: "/app/prod/base-url", type: "String" }, outputs: { arn: PARAMETER } };

        it("a parameter name, granted on the ARN derived from the task definition's region and account", async () => {
            const violations = await audit(executionRole(allow("ssm:GetParameters", PARAMETER)), taskDefinition(byName, { region: REGION }), parameter);
            assert.deepStrictEqual(violations, []);
        });

        it("a parameter name, with the region from the task definition's outputs in a stack export", async () => {
            const task = { ...taskDefinition(byName), outputs: { arn: `arn:aws:ecs:${REGION}:123456789012:task-definition/app:3`, region: REGION } };
            assert.deepStrictEqual(await audit(executionRole(allow("ssm:GetParameters", PARAMETER)), task, parameter), []);
        });

        it("a parameter name whose grant is missing is the task that cannot start", async () => {
            const violations = await audit(executionRole(allow("ssm:GetParameters", `${PARAMETER}-old`)), taskDefinition(byName, { region: REGION }), parameter);
            assert.deepStrictEqual(levels(violations, "execution-role-secret-access"), ["mandatory"]);
            assert.match(violations[0].message, /not allowed ssm:GetParameters on arn:aws:ssm:eu-west-1:123456789012:parameter\/app\/prod\/base-url/);
        });

        it("a parameter name in a task whose region the stack does not show: advisory, not a violation", async () => {
            const violations = await audit(executionRole(allow("ssm:GetParameters", PARAMETER)), taskDefinition(byName), parameter);
            assert.deepStrictEqual(levels(violations, "execution-role-secret-access"), ["advisory"]);
            assert.match(violations[0].message, /region.*cannot be read/);
        });
    });

    describe("item 5: every place a task definition references a secret", () => {
        const REGISTRY = secretArn("dockerhub");
        const LOG_TOKEN = secretArn("log-token");
        const definitions = [container({
            environment: [], secrets: [],
        })].map((c) => ({
            ...c,
            repositoryCredentials: { credentialsParameter: REGISTRY },
            logConfiguration: { logDriver: "splunk", options: { "splunk-url": "https://splunk.example.com" }, secretOptions: [{ name: "splunk-token", valueFrom: LOG_TOKEN }] },
        }));
        const stored = [storedSecret("dockerhub", REGISTRY), storedSecret("log-token", LOG_TOKEN)];

        it("a role granted exactly the registry and log secrets passes", async () => {
            const violations = await audit(executionRole(allow("secretsmanager:GetSecretValue", [REGISTRY, LOG_TOKEN])), taskDefinition(definitions), ...stored);
            assert.deepStrictEqual(violations, []);
        });

        it("a role lacking them is the task that cannot start", async () => {
            const violations = await audit(executionRole(allow("secretsmanager:GetSecretValue", JWT)), taskDefinition(definitions), ...stored);
            const messages = violations.filter((v) => v.policyName === "execution-role-secret-access").map((v) => v.message);
            assert.strictEqual(messages.length, 3, messages.join("\n"));
            assert.ok(messages.some((m) => /repositoryCredentials references .*dockerhub.* not allowed secretsmanager:GetSecretValue/.test(m)));
            assert.ok(messages.some((m) => /logConfiguration\.secretOptions\[0\] \("splunk-token"\).* not allowed secretsmanager:GetSecretValue/.test(m)));
            assert.ok(messages.some((m) => /app\/jwt.*no container of its task definitions references/.test(m)));
        });
    });

    describe("item 6: every key spelling the provider accepts", () => {
        it("PascalCase container keys reach ECS as the environment", async () => {
            const violations = await audit(taskDefinition('[{"Name":"app","Image":"x","Environment":[{"Name":"JWT_SECRET","Value":"v"}]}]'));
            assert.deepStrictEqual(levels(violations, "no-jwt-secret-in-environment"), ["mandatory"]);
            assert.match(violations.find((v) => v.policyName === "no-jwt-secret-in-environment")!.message, /containerDefinitions\[0\]\.Environment\[0\]/);
        });

        it("keys Go's decoder folds to the same field (ſ for s, K for k), the last one winning", async () => {
            const folded = '[{"name":"app","image":"x","ſecrets":[{"NAME":"JWT","valueFROM":"/app/jwt"}],"environment":[{"name":"JWT_SECRET","value":"v"}],"ENVIRONMENT":[]}]';
            const violations = await audit(executionRole(allow("secretsmanager:GetSecretValue", JWT)), taskDefinition(folded, { region: REGION }));
            assert.deepStrictEqual(levels(violations, "no-jwt-secret-in-environment"), [], "the later ENVIRONMENT replaces environment");
            assert.match(violations.find((v) => v.policyName === "execution-role-secret-access")?.message ?? "", /ſecrets\[0\] \("JWT"\).*ssm:GetParameters/);
        });
    });
});

describe("the same rules on @pulumi/aws-native resources (issue 13, item 7)", () => {
    const JWT = secretArn("app/jwt");
    const native = (type: string, name: string, inputs: Record<string, unknown>, outputs?: Record<string, unknown>): StateSpec =>
        ({ type, name, inputs, ...(outputs && { outputs }) });
    const violationsOf = async (policyName: string, ...states: StateSpec[]) =>
        (await audit(...states)).filter((v) => v.policyName === policyName);

    it("a JWT_SECRET in the environment of an aws-native:ecs:TaskDefinition container", async () => {
        const containers = [container({ environment: [{ name: "JWT_SECRET", value: "v" }] })];
        const [violation, ...rest] = await violationsOf("no-jwt-secret-in-environment",
            native(types.NATIVE_ECS_TASK_DEFINITION, "app", { family: "app", containerDefinitions: containers }));
        assert.deepStrictEqual(rest, []);
        const [same] = await violationsOf("no-jwt-secret-in-environment", taskDefinition(containers));
        assert.strictEqual(violation.message, same.message, "the same message as on aws.ecs.TaskDefinition");
    });

    it("a JWT_SECRET in an aws-native:lambda:Function environment", async () => {
        const violations = await violationsOf("no-jwt-secret-in-environment",
            native(types.NATIVE_LAMBDA_FUNCTION, "fn", { role: ACCOUNT_ROLE, environment: { variables: { JWT_SECRET: "v" } } }));
        assert.deepStrictEqual(violations.map((v) => v.enforcementLevel), ["mandatory"]);
    });

    it("IAM documents of every aws-native holder, as objects or JSON", async () => {
        const document = policyDocument(allow("secretsmanager:*", "*"));
        const holders: StateSpec[] = [
            native(types.NATIVE_IAM_MANAGED_POLICY, "managed", { policyDocument: document }),
            native(types.NATIVE_IAM_ROLE_POLICY, "inline", { roleName: "app", policyDocument: JSON.stringify(document) }),
            native(types.NATIVE_IAM_USER_POLICY, "user-inline", { userName: "ci", policyDocument: document }),
            native(types.NATIVE_IAM_GROUP_POLICY, "group-inline", { groupName: "ops", policyDocument: document }),
            native(types.NATIVE_IAM_ROLE, "role", { assumeRolePolicyDocument: JSON.parse(ECS_TRUST), policies: [{ policyName: "p", policyDocument: document }] }),
            native(types.NATIVE_IAM_USER, "user", { policies: [{ policyName: "p", policyDocument: document }] }),
            native(types.NATIVE_IAM_GROUP, "group", { policies: [{ policyName: "p", policyDocument: document }] }),
        ];
        for (const holder of holders) {
            const violations = await audit(holder);
            assert.deepStrictEqual(violations.map((v) => v.policyName).sort(), ["no-secretsmanager-wildcard", "no-wildcard-resource"], holder.type);
        }
        const [resourcePolicy] = await audit(native(types.NATIVE_SECRET_RESOURCE_POLICY, "secret-policy", { secretId: JWT, resourcePolicy: document }));
        assert.match(resourcePolicy.message, /^resourcePolicy: Statement\[0\] allows every Secrets Manager action/);
    });

    it("database passwords of aws-native:rds:DbInstance and DbCluster", async () => {
        for (const type of [types.NATIVE_RDS_DB_INSTANCE, types.NATIVE_RDS_DB_CLUSTER]) {
            const [violation, ...rest] = await violationsOf("no-plaintext-db-password", native(type, "db", { engine: "postgres", masterUsername: "app", masterUserPassword: "p4ss" }));
            assert.deepStrictEqual(rest, []);
            assert.match(violation.message, /^masterUserPassword is set/);
            assert.doesNotMatch(violation.message, /p4ss/);
            assert.deepStrictEqual(await violationsOf("no-plaintext-db-password", native(type, "db", { engine: "postgres", manageMasterUserPassword: true })), []);
        }
    });

    it("rotation of aws-native:kms:Key, where AWS can rotate it", async () => {
        const key = (inputs: Record<string, unknown>) => violationsOf("kms-key-rotation", native(types.NATIVE_KMS_KEY, "key", inputs));
        assert.strictEqual((await key({})).length, 1);
        assert.deepStrictEqual(await key({ enableKeyRotation: true }), []);
        assert.deepStrictEqual(await key({ keySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" }), []);
        assert.deepStrictEqual(await key({ origin: "EXTERNAL" }), [], "imported key material cannot rotate");
    });

    it("an aws-native execution role and task definition, connected by role ARN and name", async () => {
        const role = () => native(types.NATIVE_IAM_ROLE, "execution",
            { assumeRolePolicyDocument: JSON.parse(ECS_TRUST), roleName: "execution" }, { arn: ACCOUNT_ROLE });
        const grant = (statement: Record<string, unknown>) => native(types.NATIVE_IAM_ROLE_POLICY, "grant", { roleName: "execution", policyDocument: policyDocument(statement) });
        const task = native(types.NATIVE_ECS_TASK_DEFINITION, "app", {
            family: "app", executionRoleArn: ACCOUNT_ROLE, taskRoleArn: roleArn("task"),
            containerDefinitions: [container({ environment: [], secrets: [{ name: "JWT_SECRET", valueFrom: JWT }] })],
        });
        const secret = native(types.NATIVE_SECRET, "jwt", { name: "app/jwt" }, { awsId: JWT });
        assert.deepStrictEqual(await audit(role(), grant(allow("secretsmanager:GetSecretValue", JWT)), task, secret), []);
        const missing = await violationsOf("execution-role-secret-access", role(), grant(allow("secretsmanager:GetSecretValue", secretArn("other"))), task, secret);
        assert.strictEqual(missing.length, 2, missing.map((v) => v.message).join("\n"));
        const managed = native(types.NATIVE_IAM_MANAGED_POLICY, "managed", { roles: ["execution"], policyDocument: policyDocument(allow("secretsmanager:GetSecretValue", JWT)) });
        assert.deepStrictEqual(await audit(role(), managed, task, secret), [], "a ManagedPolicy attaches itself to the roles it names");
        const admin = native(types.NATIVE_IAM_ROLE, "execution", { assumeRolePolicyDocument: JSON.parse(ECS_TRUST), roleName: "execution",
            managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] }, { arn: ACCOUNT_ROLE });
        assert.strictEqual((await violationsOf("no-broad-managed-policy-on-ecs-role", admin)).length, 1);
        const sameRole = native(types.NATIVE_ECS_TASK_DEFINITION, "app", { family: "app", executionRoleArn: ACCOUNT_ROLE, taskRoleArn: ACCOUNT_ROLE, containerDefinitions: [] });
        assert.strictEqual((await violationsOf("separate-execution-and-task-role", sameRole)).length, 1);
    });
});

describe("input nested thousands of levels deep gets a verdict (issue 13, item 8)", () => {
    const DEPTH = 50_000;
    /** JSON text of a value nested DEPTH objects deep around `inner` (built as text: JSON.stringify itself would overflow). */
    const deepJson = (inner: string) => `${'{"a":'.repeat(DEPTH)}${inner}${"}".repeat(DEPTH)}`;
    /** A one-resource stack export whose input `property` is the given JSON text. */
    function exportWith(type: string, inputs: Record<string, unknown>, property: string, json: string): string {
        const text = JSON.stringify(stackExport([{ type, name: "deep", inputs: { ...inputs, [property]: "PLACEHOLDER" } }]));
        return text.replace(/"PLACEHOLDER"/g, json);
    }
    const auditText = (text: string) => runPolicies(readAuditDocument(JSON.parse(text)).resources);

    it("a policy document nested deep fails closed, naming what cannot be parsed", async () => {
        const violations = await auditText(exportWith(types.IAM_POLICY, {}, "policy", `{"Statement":[${deepJson('"x"')}]}`));
        assert.deepStrictEqual(violations.map((v) => [v.policyName, v.enforcementLevel]), [["no-secretsmanager-wildcard", "mandatory"], ["no-wildcard-resource", "mandatory"]]);
        assert.match(violations[0].message, /cannot be parsed.*Statement\[0\]\.Effect must be "Allow" or "Deny", got undefined/);
        const deepEffect = await auditText(exportWith(types.IAM_POLICY, {}, "policy", `{"Statement":{"Effect":${deepJson("1")},"Action":"*","Resource":"*"}}`));
        assert.match(deepEffect[0].message, /Effect must be "Allow" or "Deny", got object/);
    });

    it("deep values anywhere in the inputs, and in a secret's plaintext, are walked to the end", async () => {
        const tags = await auditText(exportWith(types.ECS_TASK_DEFINITION, { family: "app", containerDefinitions: JSON.stringify([container({ environment: [{ name: "JWT_SECRET", value: "v" }], secrets: [] })]) },
            "tags", deepJson(JSON.stringify({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify("t") }))));
        assert.deepStrictEqual(tags.map((v) => v.policyName), ["no-jwt-secret-in-environment"]);
        const window = await auditText(exportWith(types.SECRET, { name: "s" }, "recoveryWindowInDays", deepJson("0")));
        assert.deepStrictEqual(window.map((v) => v.enforcementLevel), ["mandatory"]);
        assert.match(window[0].message, /^recoveryWindowInDays is object/);
    });

    it("the audit command reports it like any other input", async () => {
        let stdout = "";
        const file = path.join(os.tmpdir(), `adma-deep-${process.pid}.json`);
        writeFileSync(file, exportWith(types.IAM_POLICY, {}, "policy", `{"Statement":[${deepJson('"x"')}]}`));
        try {
            const status = await runAuditCli([file], { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: () => true } });
            assert.strictEqual(status, 1);
            assert.match(stdout, /2 violation\(s\) in \d+ resources: 2 mandatory/);
        } finally {
            unlinkSync(file);
        }
    });
});

describe("messages a user can act on (issue 13, item 9)", () => {
    const JWT = secretArn("app/jwt");
    const policy = (...statements: Record<string, unknown>[]): StateSpec =>
        ({ type: types.IAM_POLICY, name: "p", inputs: { policy: JSON.stringify(policyDocument(...statements)) } });

    it("advice fits the statement's resources: S3 actions for a bucket, not Secrets Manager ones", async () => {
        const [onBucket] = await audit(policy(allow("*", "arn:aws:s3:::app-assets/*")));
        assert.match(onBucket.message, /its resources are s3 resources: allow only the s3 actions they need/);
        assert.doesNotMatch(onBucket.message, /GetSecretValue|DescribeSecret/);
        const [onSecret] = await audit(policy(allow("secretsmanager:*", JWT)));
        assert.match(onSecret.message, /allow only the Secrets Manager actions needed, e.g. secretsmanager:GetSecretValue to read a secret/);
        assert.doesNotMatch(onSecret.message, /DescribeSecret/);
    });

    it("numbers statements from 0 everywhere, as the document's JSON path does", async () => {
        const [violation] = await audit(policy(allow("secretsmanager:*", JWT)));
        assert.match(violation.message, /^policy: Statement\[0\] allows/);
        const [parseError] = await audit(policy({ Effect: "Maybe", Action: "s3:GetObject", Resource: "*" }));
        assert.match(parseError.message, /Statement\[0\]\.Effect must be/);
    });

    it("names a role by its IAM name and its Pulumi resource", async () => {
        const role: StateSpec = { ...executionRole(allow("secretsmanager:GetSecretValue", secretArn("other"))), name: "execution-role" };
        role.outputs = { arn: roleArn("adma-prod-execution"), name: "adma-prod-execution" };
        const task = taskDefinition([container({ environment: [], secrets: [{ name: "JWT_SECRET", valueFrom: JWT }] })], { executionRoleArn: roleArn("adma-prod-execution") });
        const messages = (await audit(role, task, storedSecret("jwt", JWT))).map((v) => v.message);
        assert.strictEqual(messages.length, 2);
        for (const message of messages) {
            assert.match(message, /execution role "adma-prod-execution" \(Pulumi resource execution-role\)/);
        }
    });

    it("reports a fault in an awsx service once, on the component that carries it, not on what awsx creates from it", async () => {
        const leaky = container({ environment: [{ name: "JWT_SECRET", value: "v" }], secrets: [] });
        const service = "awsx:ecs:FargateService";
        const taskComponent = `${service}$awsx:ecs:FargateTaskDefinition`;
        const resources = [
            resource(types.AWSX_FARGATE_SERVICE, { taskDefinitionArgs: { container: leaky } }, "web"),
            { ...resource(types.AWSX_FARGATE_TASK_DEFINITION, { container: leaky }, "web"), urn: `urn:pulumi:prod::adma::${taskComponent}::web` },
            { ...resource(types.ECS_TASK_DEFINITION, { containerDefinitions: JSON.stringify([leaky]) }, "web"), urn: `urn:pulumi:prod::adma::${taskComponent}$${types.ECS_TASK_DEFINITION}::web` },
        ];
        const violations = (await runPolicies(resources)).filter((v) => v.policyName === "no-jwt-secret-in-environment");
        assert.deepStrictEqual(violations.map((v) => v.urn), [resources[0].urn]);
    });

    it("on an encrypted stack export, says the secrets are encrypted and how to audit them, and gives stack findings the stack's URN", async () => {
        const task = taskDefinition([]);
        task.inputs.containerDefinitions = encrypted();
        const violations = await audit(executionRole(allow("secretsmanager:GetSecretValue", JWT)), task);
        assert.ok(violations.length > 0);
        for (const { message, enforcementLevel } of violations) {
            assert.strictEqual(enforcementLevel, "advisory");
            assert.match(message, /containerDefinitions holds a secret value this stack export has only encrypted/);
            assert.match(message, /pulumi stack export --show-secrets --file <file>.*out of logs/);
            assert.doesNotMatch(message, /during preview|pulumi up/);
        }
        const stackLevel = violations.find((v) => v.policyName === "execution-role-secret-access");
        assert.strictEqual(stackLevel?.urn, STACK_RESOURCE_URN);
    });
});
