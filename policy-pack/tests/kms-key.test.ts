import * as assert from "assert";
import { tryParseArn } from "../lib/arn";
import { parsePolicyDocument } from "../lib/iam-document";
import { decryptContext, isAwsManagedAlias, judgeKeyPolicy, parseKeyReference, viaService } from "../lib/kms-key";
import { UNKNOWN, policyDocument, roleArn } from "./helpers";

describe("kms-key", () => {
    it("reads every form a value store names its key in, and nothing else", () => {
        const keyArn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        assert.deepStrictEqual(parseKeyReference(keyArn), { kind: "key-arn", arn: keyArn, keyId: "1234abcd-12ab-34cd-56ef-1234567890ab" });
        assert.deepStrictEqual(parseKeyReference("1234abcd-12ab-34cd-56ef-1234567890ab"), { kind: "key-id", keyId: "1234abcd-12ab-34cd-56ef-1234567890ab" });
        assert.deepStrictEqual(parseKeyReference("mrk-1234abcd12ab34cd56ef1234567890ab"), { kind: "key-id", keyId: "mrk-1234abcd12ab34cd56ef1234567890ab" });
        assert.deepStrictEqual(parseKeyReference("alias/app"), { kind: "alias", aliasName: "alias/app" });
        assert.deepStrictEqual(parseKeyReference("arn:aws:kms:eu-west-1:123456789012:alias/app"),
            { kind: "alias", aliasName: "alias/app", arn: "arn:aws:kms:eu-west-1:123456789012:alias/app" });
        for (const invalid of ["app", "arn:aws:s3:::bucket", "arn:aws:kms:eu-west-1:123456789012:grant/x"]) {
            assert.strictEqual(parseKeyReference(invalid), undefined, invalid);
        }
        assert.ok(isAwsManagedAlias("alias/aws/secretsmanager") && !isAwsManagedAlias("alias/awsome"));
    });

    it("names the store's service in the ViaService of its region, where the partition's domain is known", () => {
        assert.strictEqual(viaService("ssm", tryParseArn("arn:aws:ssm:eu-west-1:123456789012:parameter/p")), "ssm.eu-west-1.amazonaws.com");
        assert.strictEqual(viaService("secretsmanager", tryParseArn("arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:s-AbCdEf")), undefined);
        assert.strictEqual(viaService("secretsmanager", tryParseArn("arn:aws:secretsmanager:*:123456789012:secret:s-??????")), undefined);
        assert.deepStrictEqual([...decryptContext("secretsmanager", tryParseArn("arn:aws:secretsmanager:eu-west-1:123456789012:secret:s-AbCdEf"), "123456789012")],
            [["kms:viaservice", "secretsmanager.eu-west-1.amazonaws.com"], ["kms:calleraccount", "123456789012"]]);
    });

    it("judges a key policy for one role: itself, its account (IAM policies), a Deny, what cannot be read", () => {
        const role = { arn: roleArn("execution"), account: "123456789012" };
        const context = new Map([["kms:viaservice", "secretsmanager.eu-west-1.amazonaws.com"]]);
        const judge = (...statements: Record<string, unknown>[]) => judgeKeyPolicy(parsePolicyDocument(policyDocument(...statements)), role, "kms:Decrypt", context);
        const statement = (Effect: string, AWS: unknown, extra: Record<string, unknown> = {}) => ({ Effect, Principal: { AWS }, Action: "kms:*", Resource: "*", ...extra });
        assert.deepStrictEqual(judge(statement("Allow", "arn:aws:iam::123456789012:root")), { grantsRole: false, enablesIamPolicies: true, denies: false, incomplete: false });
        assert.deepStrictEqual(judge(statement("Allow", "123456789012")).enablesIamPolicies, true);
        assert.deepStrictEqual(judge(statement("Allow", "arn:aws:iam::210987654321:root")).enablesIamPolicies, false, "another account");
        assert.ok(judge(statement("Allow", roleArn("execution"))).grantsRole);
        assert.ok(judge(statement("Allow", "*", { Condition: { StringEquals: { "kms:CallerAccount": "123456789012" } } })).grantsRole, "AWS managed keys' form");
        assert.ok(!judge(statement("Allow", "*", { Condition: { StringEquals: { "kms:ViaService": "rds.eu-west-1.amazonaws.com" } } })).grantsRole);
        assert.ok(judge(statement("Deny", "*")).denies);
        assert.ok(!judge(statement("Deny", roleArn("other"))).denies);
        assert.ok(!judge(statement("Allow", roleArn("execution"), { Action: "kms:Encrypt" })).grantsRole, "another action");
        assert.ok(judge({ Effect: "Allow", NotPrincipal: { AWS: roleArn("other") }, Action: "kms:Decrypt", Resource: "*" }).grantsRole, "everyone but another role");
        const unreadable = judgeKeyPolicy(parsePolicyDocument({ Statement: [{ Effect: "Allow", Principal: { AWS: UNKNOWN }, Action: "kms:*", Resource: "*" }] }), role, "kms:Decrypt", context);
        assert.deepStrictEqual([unreadable.grantsRole, unreadable.incomplete], [false, true]);
    });
});
