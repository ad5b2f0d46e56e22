import * as assert from "assert";
import {
    PolicyDocumentError, actionsCoveredBy, allowsAction, conditionHolds, coversResource, isAnyResourcePattern, matchesPattern, parsePolicyDocument,
    trustsServicePrincipal,
} from "../lib/iam-document";
import { SECRETS_MANAGER_ACTIONS } from "../lib/service-reference";
import { ECS_TRUST, UNKNOWN, policyDocument, readSecretStatement, secretArn } from "./helpers";

describe("iam-document", () => {
    describe("parsePolicyDocument", () => {
        it("normalises an object document with a statement list", () => {
            const [statement] = parsePolicyDocument(policyDocument(readSecretStatement())).statements;
            assert.strictEqual(statement.effect, "Allow");
            assert.deepStrictEqual(statement.action, ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]);
            assert.deepStrictEqual(statement.resource, [secretArn("adma/prod/jwt-secret")]);
            assert.strictEqual(statement.sid, "ReadOnlyRequiredSecrets");
        });

        it("reads a JSON string, a single Statement object and string elements", () => {
            const text = JSON.stringify({ Statement: { Effect: "Deny", NotAction: "s3:*", NotResource: "arn:aws:s3:::b" } });
            const [statement] = parsePolicyDocument(text).statements;
            assert.strictEqual(statement.effect, "Deny");
            assert.deepStrictEqual(statement.notAction, ["s3:*"]);
            assert.deepStrictEqual(statement.notResource, ["arn:aws:s3:::b"]);
            assert.strictEqual(statement.action, undefined);
        });

        const invalid: [string, unknown][] = [
            ["invalid JSON", "{not json"],
            ["a list", "[]"],
            ["no Statement", { Version: "2012-10-17" }],
            ["a non-object statement", { Statement: ["x"] }],
            ["a lower-case effect", { Statement: { Effect: "allow", Action: "*", Resource: "*" } }],
            ["both Action and NotAction", { Statement: { Effect: "Allow", Action: "*", NotAction: "s3:*", Resource: "*" } }],
            ["neither Action nor NotAction", { Statement: { Effect: "Allow", Resource: "*" } }],
            ["no Resource", { Statement: { Effect: "Allow", Action: "*" } }],
            ["a non-string action", { Statement: { Effect: "Allow", Action: [1], Resource: "*" } }],
        ];
        for (const [what, document] of invalid) {
            it(`rejects ${what}`, () => {
                assert.throws(() => parsePolicyDocument(document), PolicyDocumentError);
            });
        }

        it("keeps unknown values out of the lists and names them", () => {
            const parsed = parsePolicyDocument(policyDocument(readSecretStatement({ Resource: [UNKNOWN, secretArn("a")] })));
            assert.deepStrictEqual(parsed.statements[0].resource, [secretArn("a")]);
            assert.ok(parsed.statements[0].opaqueElements.has("Resource"));
            assert.deepStrictEqual(parsed.opaquePaths, ["Statement[0].Resource"]);
        });

        it("treats an unknown Statement as opaque, not as empty", () => {
            assert.deepStrictEqual(parsePolicyDocument({ Statement: UNKNOWN }).opaquePaths, ["Statement"]);
        });
    });

    describe("matchesPattern", () => {
        it("matches * anywhere and ? exactly once", () => {
            assert.ok(matchesPattern("secretsmanager:Get*", "secretsmanager:GetSecretValue", true));
            assert.ok(matchesPattern("*:*", "secretsmanager:GetSecretValue", true));
            assert.ok(matchesPattern("secrets*:*Value", "secretsmanager:GetSecretValue", true));
            assert.ok(matchesPattern("secretsmanager:GetSecretValu?", "secretsmanager:GetSecretValue", true));
            assert.ok(!matchesPattern("secretsmanager:GetSecretValu?", "secretsmanager:GetSecretValues", true));
            assert.ok(!matchesPattern("secretsmanager:Get*", "secretsmanager:ListSecrets", true));
        });

        it("compares actions case-insensitively and ARNs case-sensitively", () => {
            assert.ok(matchesPattern("SecretsManager:*", "secretsmanager:GetSecretValue", true));
            assert.ok(!matchesPattern("arn:aws:s3:::Bucket", "arn:aws:s3:::bucket", false));
        });

        it("treats regular-expression characters literally", () => {
            assert.ok(!matchesPattern("a.c", "abc", true));
            assert.ok(matchesPattern("arn:aws:secretsmanager:*:*:secret:rds!db-(x)+", "arn:aws:secretsmanager:r:1:secret:rds!db-(x)+", false));
        });
    });

    describe("actionsCoveredBy", () => {
        const covered = (statement: Record<string, unknown>) =>
            actionsCoveredBy(parsePolicyDocument({ Statement: { Effect: "Allow", Resource: "*", ...statement } }).statements[0], SECRETS_MANAGER_ACTIONS).length;

        it("covers every Secrets Manager action with secretsmanager:*, *, *:* and mixed case", () => {
            for (const action of ["secretsmanager:*", "SecretsManager:*", "*", "*:*", "secretsmanager:?*"]) {
                assert.strictEqual(covered({ Action: action }), SECRETS_MANAGER_ACTIONS.length, action);
            }
        });

        it("covers only the matching ones with secretsmanager:Get*", () => {
            assert.strictEqual(covered({ Action: "secretsmanager:Get*" }), 3);
        });

        it("covers what NotAction leaves", () => {
            assert.strictEqual(covered({ NotAction: "s3:*" }), SECRETS_MANAGER_ACTIONS.length);
            assert.strictEqual(covered({ NotAction: "secretsmanager:*" }), 0);
            assert.strictEqual(covered({ NotAction: ["secretsmanager:Get*"] }), SECRETS_MANAGER_ACTIONS.length - 3);
        });
    });

    describe("resources", () => {
        it("recognises patterns that match any resource", () => {
            for (const pattern of ["*", "**", "arn:*", "arn:aws:*", "arn:*:*:*:*:*", "arn:aws:*:*:*:*"]) {
                assert.ok(isAnyResourcePattern(pattern), pattern);
            }
            for (const pattern of ["arn:aws:secretsmanager:*:*:secret:*", secretArn("x"), "arn:aws:s3:::*"]) {
                assert.ok(!isAnyResourcePattern(pattern), pattern);
            }
        });

        it("covers an ARN through Resource or NotResource", () => {
            const [allow, except] = parsePolicyDocument({
                Statement: [
                    { Effect: "Allow", Action: "*", Resource: "arn:aws:secretsmanager:*:*:secret:adma/*" },
                    { Effect: "Allow", Action: "*", NotResource: secretArn("adma/prod/jwt-secret") },
                ],
            }).statements;
            assert.ok(coversResource(allow, secretArn("adma/prod/jwt-secret")));
            assert.ok(!coversResource(allow, secretArn("other")));
            assert.ok(!coversResource(except, secretArn("adma/prod/jwt-secret")));
            assert.ok(coversResource(except, secretArn("other")));
        });
    });

    describe("conditions and principals", () => {
        const VIA = new Map([["kms:viaservice", "secretsmanager.eu-west-1.amazonaws.com"]]);
        const statement = (Condition: unknown, extra: Record<string, unknown> = {}) =>
            parsePolicyDocument({ Statement: [{ Effect: "Allow", Action: "kms:Decrypt", Resource: "*", Condition, ...extra }] }).statements[0];

        it("judges string conditions on known keys (names case-insensitive), and cannot tell for others", () => {
            assert.strictEqual(conditionHolds(statement({ StringEquals: { "KMS:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } }), VIA), true);
            assert.strictEqual(conditionHolds(statement({ StringEquals: { "kms:ViaService": ["ssm.eu-west-1.amazonaws.com"] } }), VIA), false);
            assert.strictEqual(conditionHolds(statement({ StringLikeIfExists: { "kms:ViaService": "secretsmanager.*" } }), VIA), true);
            assert.strictEqual(conditionHolds(statement({ "ForAnyValue:StringNotLike": { "kms:ViaService": "ssm.*" } }), VIA), true);
            assert.strictEqual(conditionHolds(statement({ StringEquals: { "aws:SourceVpc": "vpc-1" } }), VIA), undefined, "a key the context lacks");
            assert.strictEqual(conditionHolds(statement({ ArnLike: { "kms:ViaService": "x" } }), VIA), undefined, "an operator it does not judge");
            assert.strictEqual(conditionHolds(statement({ StringEquals: { "kms:ViaService": "${aws:username}" } }), VIA), undefined, "a policy variable");
            assert.strictEqual(conditionHolds(statement({ StringEquals: { "kms:ViaService": "ssm.eu-west-1.amazonaws.com", "aws:SourceVpc": "v" } }), VIA), false,
                "one known test that fails is enough");
            assert.strictEqual(conditionHolds(statement(undefined), VIA), true);
            assert.strictEqual(conditionHolds(statement(UNKNOWN), VIA), undefined);
        });

        it("lets a conditional Allow through unless its condition surely fails, and applies a Deny only when its condition surely holds", () => {
            const deny = parsePolicyDocument({ Statement: [{ Effect: "Deny", Action: "kms:*", Resource: "*", Condition: { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } } }] }).statements[0];
            const allow = statement({ StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } });
            assert.ok(allowsAction([allow], "kms:Decrypt", "arn:aws:kms:eu-west-1:123456789012:key/k"), "without a context, the benefit of the doubt");
            assert.ok(allowsAction([allow, deny], "kms:Decrypt", "arn:aws:kms:eu-west-1:123456789012:key/k"), "without a context, a conditional Deny is not assumed");
            assert.ok(!allowsAction([allow, deny], "kms:Decrypt", "arn:aws:kms:eu-west-1:123456789012:key/k", VIA));
            assert.ok(!allowsAction([allow], "kms:Decrypt", "arn:aws:kms:eu-west-1:123456789012:key/k", new Map([["kms:viaservice", "rds.eu-west-1.amazonaws.com"]])));
        });

        it("reads Principal and NotPrincipal: AWS principals by name, everything else as another kind", () => {
            assert.deepStrictEqual(statement(undefined, { Principal: "*" }).principal, { aws: ["*"], others: false });
            assert.deepStrictEqual(statement(undefined, { Principal: { AWS: ["123456789012", "arn:aws:iam::123456789012:role/r"] } }).principal,
                { aws: ["123456789012", "arn:aws:iam::123456789012:role/r"], others: false });
            assert.deepStrictEqual(statement(undefined, { NotPrincipal: { Service: "ecs-tasks.amazonaws.com" } }).notPrincipal, { aws: [], others: true });
            const opaque = parsePolicyDocument({ Statement: [{ Effect: "Allow", Principal: { AWS: UNKNOWN }, Action: "kms:*", Resource: "*" }] });
            assert.deepStrictEqual([opaque.opaquePaths, [...opaque.statements[0].opaqueElements]], [["Statement[0].Principal"], ["Principal"]]);
        });
    });

    describe("trustsServicePrincipal", () => {
        it("finds a service principal in string or list form", () => {
            assert.ok(trustsServicePrincipal(ECS_TRUST, "ecs-tasks.amazonaws.com"));
            assert.ok(trustsServicePrincipal({ Statement: [{ Effect: "Allow", Principal: { Service: ["lambda.amazonaws.com", "ecs-tasks.amazonaws.com"] } }] },
                "ecs-tasks.amazonaws.com"));
            assert.ok(!trustsServicePrincipal(ECS_TRUST, "lambda.amazonaws.com"));
            assert.ok(!trustsServicePrincipal("not json", "ecs-tasks.amazonaws.com"));
        });
    });
});
