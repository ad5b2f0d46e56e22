/**
 * Configurations AWS documents as correct get no violation, and spellings AWS accepts do not get
 * past the rules (issue 13). Each case is a stack export of its own with one or two resources,
 * audited as `npm run policy:audit` audits one.
 */
import * as assert from "assert";
import { Violation, runPolicies } from "../audit/engine";
import { readAuditDocument } from "../audit/reader";
import * as types from "../policies/resource-types";
import { ECS_TRUST, REGION, StateSpec, container, policyDocument, roleArn, secretArn, stackExport } from "./helpers";

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

describe("what AWS documents as correct passes (issue 13)", () => {
    const JWT = secretArn("app/jwt");

    it("item 1: an execution role with only secretsmanager:GetSecretValue on the referenced secret", async () => {
        const violations = await audit(executionRole(allow("secretsmanager:GetSecretValue", JWT)),
            taskDefinition([container({ environment: [], secrets: [{ name: "JWT_SECRET", valueFrom: JWT }] })]));
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

        it("a parameter name, granted on the ARN derived from the task definition's region and account", async () => {
            const violations = await audit(executionRole(allow("ssm:GetParameters", PARAMETER)), taskDefinition(byName, { region: REGION }));
            assert.deepStrictEqual(violations, []);
        });

        it("a parameter name, with the region from the task definition's outputs in a stack export", async () => {
            const task = { ...taskDefinition(byName), outputs: { arn: `arn:aws:ecs:${REGION}:123456789012:task-definition/app:3`, region: REGION } };
            assert.deepStrictEqual(await audit(executionRole(allow("ssm:GetParameters", PARAMETER)), task), []);
        });

        it("a parameter name whose grant is missing is the task that cannot start", async () => {
            const violations = await audit(executionRole(allow("ssm:GetParameters", `${PARAMETER}-old`)), taskDefinition(byName, { region: REGION }));
            assert.deepStrictEqual(levels(violations, "execution-role-secret-access"), ["mandatory"]);
            assert.match(violations[0].message, /not allowed ssm:GetParameters on arn:aws:ssm:eu-west-1:123456789012:parameter\/app\/prod\/base-url/);
        });

        it("a parameter name in a task whose region the stack does not show: advisory, not a violation", async () => {
            const violations = await audit(executionRole(allow("ssm:GetParameters", PARAMETER)), taskDefinition(byName));
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

        it("a role granted exactly the registry and log secrets passes", async () => {
            const violations = await audit(executionRole(allow("secretsmanager:GetSecretValue", [REGISTRY, LOG_TOKEN])), taskDefinition(definitions));
            assert.deepStrictEqual(violations, []);
        });

        it("a role lacking them is the task that cannot start", async () => {
            const violations = await audit(executionRole(allow("secretsmanager:GetSecretValue", JWT)), taskDefinition(definitions));
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
