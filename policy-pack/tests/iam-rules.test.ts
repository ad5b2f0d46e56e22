import * as assert from "assert";
import { AuditResource } from "../audit/engine";
import { SECRETS_MANAGER_ACTIONS } from "../lib/service-reference";
import { ECS_EXEC_ACTIONS } from "../lib/ecs-exec-actions";
import { noSecretsManagerWildcard, noWildcardResource } from "../policies/iam";
import * as types from "../policies/resource-types";
import {
    ECS_TRUST, Statement, UNKNOWN, advisory, check, encrypted, iamPolicy, mandatory, policyDocument, readSecretStatement, resource,
    secretArn,
} from "./helpers";

/** The same document in every place an identity policy can sit. */
const identityHolders: [string, (document: unknown) => AuditResource][] = [
    ["aws.iam.Policy", (d) => iamPolicy(d)],
    ["aws.iam.RolePolicy", (d) => resource(types.IAM_ROLE_POLICY, { role: "r", policy: JSON.stringify(d) })],
    ["aws.iam.UserPolicy", (d) => resource(types.IAM_USER_POLICY, { user: "u", policy: JSON.stringify(d) })],
    ["aws.iam.GroupPolicy", (d) => resource(types.IAM_GROUP_POLICY, { group: "g", policy: JSON.stringify(d) })],
    ["aws.iam.Role inlinePolicies", (d) => resource(types.IAM_ROLE, {
        assumeRolePolicy: ECS_TRUST, inlinePolicies: [{ name: "ok", policy: JSON.stringify(policyDocument(readSecretStatement())) }, { name: "x", policy: JSON.stringify(d) }],
    })],
];
const resourcePolicyHolders: [string, (document: unknown) => AuditResource][] = [
    ["aws.secretsmanager.SecretPolicy", (d) => resource(types.SECRET_POLICY, { secretArn: secretArn("s"), policy: JSON.stringify(d) })],
    ["aws.secretsmanager.Secret policy", (d) => resource(types.SECRET, { name: "s", policy: JSON.stringify(d) })],
];

async function smViolations(statements: Statement[], holder = identityHolders[0][1]): Promise<number> {
    return mandatory(await check(noSecretsManagerWildcard, holder(policyDocument(...statements)))).length;
}

async function resourceViolations(statements: Statement[], config?: Record<string, unknown>, holder = identityHolders[0][1]): Promise<number> {
    return mandatory(await check(noWildcardResource, holder(policyDocument(...statements)), config)).length;
}

describe("no-secretsmanager-wildcard", () => {
    it("passes the least-privilege read of named secrets", async () => {
        assert.strictEqual(await smViolations([readSecretStatement()]), 0);
    });

    for (const action of ["secretsmanager:*", "SecretsManager:*", "SECRETSMANAGER:*", "*", "*:*", "secretsmanager:?*", "secrets*", ["s3:GetObject", "secretsmanager:*"]]) {
        it(`fails Action ${JSON.stringify(action)}`, async () => {
            assert.strictEqual(await smViolations([readSecretStatement({ Action: action })]), 1);
        });
    }

    it("fails a list of patterns that together match every action", async () => {
        const patterns = ["secretsmanager:Get*", "secretsmanager:List*", "secretsmanager:Describe*", "secretsmanager:BatchGet*",
            ...SECRETS_MANAGER_ACTIONS.filter((a) => !/:(Get|List|Describe|BatchGet)/.test(a)).map((a) => a.toLowerCase())];
        assert.strictEqual(await smViolations([readSecretStatement({ Action: patterns })]), 1);
    });

    it("fails every action spelled out", async () => {
        assert.strictEqual(await smViolations([readSecretStatement({ Action: [...SECRETS_MANAGER_ACTIONS] })]), 1);
    });

    it("fails the grant split over several statements", async () => {
        const half = SECRETS_MANAGER_ACTIONS.length / 2;
        assert.strictEqual(await smViolations([
            readSecretStatement({ Sid: "A", Action: SECRETS_MANAGER_ACTIONS.slice(0, half) }),
            readSecretStatement({ Sid: "B", Action: SECRETS_MANAGER_ACTIONS.slice(half) }),
        ]), 1);
    });

    it("passes secretsmanager:Get* alone, and all actions but one", async () => {
        assert.strictEqual(await smViolations([readSecretStatement({ Action: "secretsmanager:Get*" })]), 0);
        assert.strictEqual(await smViolations([readSecretStatement({ Action: SECRETS_MANAGER_ACTIONS.slice(1) })]), 0);
    });

    it("fails a NotAction that leaves Secrets Manager actions allowed", async () => {
        assert.strictEqual(await smViolations([readSecretStatement({ Action: undefined, NotAction: "s3:*" })]), 1);
        assert.strictEqual(await smViolations([readSecretStatement({ Action: undefined, NotAction: ["secretsmanager:Get*"] })]), 1);
    });

    it("passes a NotAction that excludes every Secrets Manager action", async () => {
        assert.strictEqual(await smViolations([readSecretStatement({ Action: undefined, NotAction: ["iam:*", "SecretsManager:*"] })]), 0);
    });

    it("never fails a Deny statement", async () => {
        assert.strictEqual(await smViolations([readSecretStatement(), readSecretStatement({ Effect: "Deny", Action: "*", Resource: "*" })]), 0);
        assert.strictEqual(await smViolations([readSecretStatement({ Effect: "Deny", Action: undefined, NotAction: "s3:*" })]), 0);
    });

    it("reads a single-statement document, string elements and an object document", async () => {
        const document = { Version: "2012-10-17", Statement: { Effect: "Allow", Action: "secretsmanager:*", Resource: secretArn("x") } };
        assert.strictEqual(mandatory(await check(noSecretsManagerWildcard, resource(types.IAM_POLICY, { policy: document }))).length, 1);
        assert.strictEqual(mandatory(await check(noSecretsManagerWildcard, iamPolicy(JSON.stringify(document)))).length, 1);
    });

    for (const [what, holder] of [...identityHolders, ...resourcePolicyHolders]) {
        it(`checks ${what}`, async () => {
            assert.strictEqual(await smViolations([readSecretStatement()], holder), 0);
            assert.strictEqual(await smViolations([readSecretStatement({ Action: "secretsmanager:*" })], holder), 1);
        });
    }

    it("ignores a role's trust policy", async () => {
        const trust = JSON.stringify(policyDocument({ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "*", Resource: "*" }));
        assert.strictEqual((await check(noSecretsManagerWildcard, resource(types.IAM_ROLE, { assumeRolePolicy: trust }))).length, 0);
    });

    it("fails closed on a document it cannot parse", async () => {
        const [violation] = await check(noSecretsManagerWildcard, iamPolicy("{\"Statement\": [}"));
        assert.strictEqual(violation.enforcementLevel, "mandatory");
        assert.match(violation.message, /cannot be parsed/);
    });

    it("reports an unknown document as not fully checked, advisory", async () => {
        const violations = await check(noSecretsManagerWildcard, resource(types.IAM_ROLE_POLICY, { role: "r", policy: UNKNOWN }));
        assert.deepStrictEqual(violations.map((v) => v.enforcementLevel), ["advisory"]);
        assert.match(violations[0].message, /policy cannot be read yet/);
    });

    it("still fails what is known when part of the document is unknown", async () => {
        const violations = await check(noSecretsManagerWildcard, iamPolicy(policyDocument(
            readSecretStatement({ Action: "secretsmanager:*", Resource: UNKNOWN }),
            readSecretStatement({ Sid: "Later", Action: [UNKNOWN] }),
        )));
        assert.strictEqual(mandatory(violations).length, 1);
        assert.strictEqual(advisory(violations).length, 1);
        assert.match(advisory(violations)[0].message, /Statement\[1\]\.Action/);
    });

    it("reports an encrypted document as not fully checked", async () => {
        const violations = await check(noSecretsManagerWildcard, resource(types.IAM_POLICY, {
            policy: encrypted(),
        }));
        assert.deepStrictEqual(violations.map((v) => v.enforcementLevel), ["advisory"]);
        assert.match(violations[0].message, /encrypted/);
    });

    it("takes its level from the policy config", async () => {
        const holder = identityHolders[0][1](policyDocument(readSecretStatement({ Action: "*" })));
        assert.deepStrictEqual((await check(noSecretsManagerWildcard, holder, { "no-secretsmanager-wildcard": "advisory" })).map((v) => v.enforcementLevel), ["advisory"]);
        assert.strictEqual((await check(noSecretsManagerWildcard, holder, { "no-secretsmanager-wildcard": { enforcementLevel: "disabled" } })).length, 0);
        assert.deepStrictEqual((await check(noSecretsManagerWildcard, holder, { all: "advisory" })).map((v) => v.enforcementLevel), ["advisory"]);
    });
});

describe("no-wildcard-resource", () => {
    it("passes statements on named resources", async () => {
        assert.strictEqual(await resourceViolations([readSecretStatement()]), 0);
    });

    for (const resourceValue of ["*", ["*"], [secretArn("x"), "*"], "arn:aws:*", "arn:*:*:*:*:*"]) {
        it(`fails Resource ${JSON.stringify(resourceValue)}`, async () => {
            assert.strictEqual(await resourceViolations([readSecretStatement({ Resource: resourceValue })]), 1);
        });
    }

    it("fails NotResource", async () => {
        assert.strictEqual(await resourceViolations([readSecretStatement({ Resource: undefined, NotResource: secretArn("x") })]), 1);
    });

    it("passes a scoped wildcard ARN (not \"*\")", async () => {
        assert.strictEqual(await resourceViolations([readSecretStatement({ Resource: "arn:aws:secretsmanager:*:*:secret:adma/*" })]), 0);
    });

    it("exempts a statement made only of actions AWS cannot scope, such as the ECS Exec channels, in any case", async () => {
        assert.strictEqual(await resourceViolations([{ Effect: "Allow", Action: ECS_EXEC_ACTIONS, Resource: "*" }]), 0);
        assert.strictEqual(await resourceViolations([{ Effect: "Allow", Action: "SSMMessages:CreateDataChannel", Resource: "*" }]), 0);
        // Issue 13, item 3: every ssmmessages action supports no resource-level permissions, so the wildcard names only those.
        assert.strictEqual(await resourceViolations([{ Effect: "Allow", Action: "ssmmessages:*", Resource: "*" }]), 0);
    });

    it("does not exempt a statement with any action AWS can scope, or NotAction", async () => {
        const [violation, ...rest] = mandatory(await check(noWildcardResource, iamPolicy(policyDocument({ Effect: "Allow", Action: [...ECS_EXEC_ACTIONS, "s3:GetObject"], Resource: "*" }))));
        assert.deepStrictEqual(rest, []);
        assert.match(violation.message, /name the resources \(ARNs\) it needs for s3:GetObject, which AWS can scope/);
        assert.strictEqual(await resourceViolations([{ Effect: "Allow", Action: "secretsmanager:List*", Resource: "*" }]), 1, "ListSecretVersionIds takes a secret");
        assert.strictEqual(await resourceViolations([{ Effect: "Allow", Action: "s3:NoSuchAction", Resource: "*" }]), 1, "an action the reference does not list");
        assert.strictEqual(await resourceViolations([{ Effect: "Allow", NotAction: "s3:*", Resource: "*" }]), 1);
    });

    it("takes exemptActions from the config", async () => {
        const logs = [{ Effect: "Allow", Action: "logs:CreateLogGroup", Resource: "*" }];
        assert.strictEqual(await resourceViolations(logs), 1);
        assert.strictEqual(await resourceViolations(logs, { "no-wildcard-resource": { exemptActions: ["logs:CreateLogGroup"] } }), 0);
    });

    it("never fails a Deny statement", async () => {
        assert.strictEqual(await resourceViolations([readSecretStatement(), { Effect: "Deny", Action: "*", Resource: "*" }]), 0);
    });

    for (const [what, holder] of identityHolders) {
        it(`checks ${what}`, async () => {
            assert.strictEqual(await resourceViolations([readSecretStatement()], undefined, holder), 0);
            assert.strictEqual(await resourceViolations([readSecretStatement({ Resource: "*" })], undefined, holder), 1);
        });
    }

    for (const [what, holder] of resourcePolicyHolders) {
        it(`does not apply to the resource policy of ${what}`, async () => {
            assert.strictEqual(await resourceViolations([readSecretStatement({ Resource: "*", Principal: { AWS: "x" } })], undefined, holder), 0);
        });
    }

    it("fails closed on a document it cannot parse", async () => {
        assert.strictEqual(mandatory(await check(noWildcardResource, iamPolicy("not json"))).length, 1);
        assert.strictEqual(mandatory(await check(noWildcardResource, iamPolicy({ Statement: { Effect: "Allow", Action: "*" } }))).length, 1);
    });

    it("reports an unknown Resource as not fully checked, and still fails a known \"*\"", async () => {
        const unknownOnly = await check(noWildcardResource, iamPolicy(policyDocument(readSecretStatement({ Resource: UNKNOWN }))));
        assert.deepStrictEqual(unknownOnly.map((v) => v.enforcementLevel), ["advisory"]);
        const mixed = await check(noWildcardResource, iamPolicy(policyDocument(readSecretStatement({ Resource: [UNKNOWN, "*"] }))));
        assert.deepStrictEqual(mixed.map((v) => v.enforcementLevel), ["mandatory"]);
    });

    it("rejects a config setting the policy does not have", async () => {
        await assert.rejects(check(noWildcardResource, iamPolicy(policyDocument(readSecretStatement())), { "no-wildcard-resource": { exempt: [] } }),
            /"no-wildcard-resource".exempt is not a setting of this policy; allowed: enforcementLevel, exemptActions/);
    });
});
