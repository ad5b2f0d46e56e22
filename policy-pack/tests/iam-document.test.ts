import * as assert from "assert";
import {
    PolicyDocumentError, actionsCoveredBy, coversResource, isAnyResourcePattern, matchesPattern, parsePolicyDocument,
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
