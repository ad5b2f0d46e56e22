import * as assert from "node:assert/strict";
import {
    SecretReference, formatValueFrom, grantedArn, parseValueFrom, requiredActions, requiredGrants, secretsManagerReference,
    ssmParameterReference,
} from "../lib/value-from";

const SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:/adma/prod/jwt-secret-AbCdEf";
const RDS_SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0a1b2c3d-4e5f-AbCdEf";
const PARAMETER = "arn:aws:ssm:eu-west-1:123456789012:parameter/adma/prod/app-base-url";
const VERSION = "EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE";

describe("valueFrom references", () => {
    const cases: Array<[string, ReturnType<typeof secretsManagerReference> | ReturnType<typeof ssmParameterReference>, string]> = [
        ["whole secret", secretsManagerReference(SECRET), SECRET],
        ["JSON key", secretsManagerReference(RDS_SECRET, { jsonKey: "password" }), `${RDS_SECRET}:password::`],
        ["version stage", secretsManagerReference(SECRET, { versionStage: "AWSPREVIOUS" }), `${SECRET}::AWSPREVIOUS:`],
        ["version id", secretsManagerReference(SECRET, { versionId: VERSION }), `${SECRET}:::${VERSION}`],
        ["key and stage", secretsManagerReference(RDS_SECRET, { jsonKey: "password", versionStage: "AWSCURRENT" }),
            `${RDS_SECRET}:password:AWSCURRENT:`],
        ["SSM parameter", ssmParameterReference(PARAMETER), PARAMETER],
    ];
    for (const [name, reference, expected] of cases) {
        it(`formats and parses back: ${name}`, () => {
            assert.equal(formatValueFrom(reference), expected);
            assert.deepEqual(parseValueFrom(expected), reference);
        });
    }

    it("grants the base ARN whatever the suffix", () => {
        const parsed = (valueFrom: string) => parseValueFrom(valueFrom) as SecretReference;
        assert.equal(grantedArn(parsed(`${RDS_SECRET}:password::`)), RDS_SECRET);
        assert.equal(grantedArn(parsed(`${SECRET}::AWSPREVIOUS:`)), SECRET);
        assert.equal(grantedArn(parsed(PARAMETER)), PARAMETER);
    });

    it("names the actions the program grants per store (DescribeSecret by the design document's choice)", () => {
        assert.deepEqual(requiredActions(secretsManagerReference(SECRET)), ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]);
        assert.deepEqual(requiredActions(ssmParameterReference(PARAMETER)), ["ssm:GetParameters"]);
    });

    it("requires of IAM exactly what ECS calls: GetSecretValue or GetParameters, on the ARN ECS reads, naming the store that decrypts it", () => {
        assert.deepEqual(requiredGrants(parseValueFrom(`${RDS_SECRET}:password::`)), [{ action: "secretsmanager:GetSecretValue", resource: RDS_SECRET, valueStore: "secretsmanager" }]);
        assert.deepEqual(requiredGrants(parseValueFrom(PARAMETER)), [{ action: "ssm:GetParameters", resource: PARAMETER, valueStore: "ssm" }]);
    });

    it("reads a parameter name in the task's region and account, and says when those are unknown", () => {
        const context = { partition: "aws", region: "eu-west-1", account: "123456789012" };
        assert.deepEqual(parseValueFrom("/adma/prod/app-base-url"), { kind: "ssm-name", name: "/adma/prod/app-base-url" });
        assert.deepEqual(requiredGrants(parseValueFrom("/adma/prod/app-base-url"), context), [{ action: "ssm:GetParameters", resource: PARAMETER, valueStore: "ssm" }]);
        assert.deepEqual(requiredGrants(parseValueFrom("base-url"), context),
            [{ action: "ssm:GetParameters", resource: "arn:aws:ssm:eu-west-1:123456789012:parameter/base-url", valueStore: "ssm" }]);
        const [unknownRegion] = requiredGrants(parseValueFrom("base-url"), { partition: "aws", account: "123456789012" });
        assert.equal(unknownRegion.resource, "arn:aws:ssm:*:123456789012:parameter/base-url");
        assert.match(unknownRegion.unknownBecause ?? "", /region/);
    });

    it("needs the secret too for a parameter that references Secrets Manager, whose ARN suffix is unknown", () => {
        const context = { partition: "aws", region: "eu-west-1", account: "123456789012" };
        const grants = requiredGrants(parseValueFrom("/aws/reference/secretsmanager/adma/db"), context);
        assert.deepEqual(grants.map((g) => [g.action, g.resource, g.valueStore]), [
            // The parameter stores nothing itself: Secrets Manager decrypts the secret it names.
            ["ssm:GetParameters", "arn:aws:ssm:eu-west-1:123456789012:parameter/aws/reference/secretsmanager/adma/db", undefined],
            ["secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:adma/db-??????", "secretsmanager"],
        ]);
    });

    it("reads registry credentials as a Secrets Manager secret, by ARN or by name", () => {
        assert.deepEqual(parseValueFrom(SECRET, "registry"), secretsManagerReference(SECRET));
        assert.deepEqual(parseValueFrom("dockerhub", "registry"), { kind: "secretsmanager-name", name: "dockerhub" });
        assert.throws(() => parseValueFrom(PARAMETER, "registry"), /not a Secrets Manager secret/);
    });

    it("treats a secret ARN without its random suffix as a pattern", () => {
        const [grant] = requiredGrants(parseValueFrom("arn:aws:secretsmanager:eu-west-1:123456789012:secret:adma/jwt"));
        assert.equal(grant.resource, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:adma/jwt-??????");
        assert.ok(grant.unknownBecause);
    });

    it("rejects a stage together with a version id", () => {
        assert.throws(() => secretsManagerReference(SECRET, { versionStage: "AWSCURRENT", versionId: VERSION }), /not both/);
        assert.throws(() => parseValueFrom(`${SECRET}::AWSCURRENT:${VERSION}`), /not both/);
    });

    it("rejects malformed references with the offending value in the message", () => {
        assert.throws(() => parseValueFrom("adma prod"), /neither an ARN nor an SSM parameter name/);
        assert.throws(() => parseValueFrom("arn:aws:secretsmanager:eu-west-1"), /not a valid ARN/);
        assert.throws(() => parseValueFrom(`${SECRET}:AWSCURRENT:`), /three fields.*found 2/);
        assert.throws(() => parseValueFrom("arn:aws:s3:::bucket/key"), /neither a Secrets Manager secret nor an SSM parameter/);
        assert.throws(() => secretsManagerReference(PARAMETER), /not a Secrets Manager secret ARN/);
        assert.throws(() => ssmParameterReference(SECRET), /not an SSM parameter ARN/);
        assert.throws(() => secretsManagerReference(SECRET, { jsonKey: "a:b" }), /jsonKey must be .* without ":"/);
        assert.throws(() => secretsManagerReference(SECRET, { versionId: "v1" }), /versionId must be a secret version UUID/);
    });
});
