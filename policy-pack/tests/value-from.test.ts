import * as assert from "node:assert/strict";
import {
    formatValueFrom, grantedArn, parseValueFrom, requiredActions, secretsManagerReference, ssmParameterReference,
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
        assert.equal(grantedArn(parseValueFrom(`${RDS_SECRET}:password::`)), RDS_SECRET);
        assert.equal(grantedArn(parseValueFrom(`${SECRET}::AWSPREVIOUS:`)), SECRET);
        assert.equal(grantedArn(parseValueFrom(PARAMETER)), PARAMETER);
    });

    it("names the actions ECS needs per store", () => {
        assert.deepEqual(requiredActions(parseValueFrom(SECRET)), ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]);
        assert.deepEqual(requiredActions(parseValueFrom(PARAMETER)), ["ssm:GetParameters"]);
    });

    it("rejects a stage together with a version id", () => {
        assert.throws(() => secretsManagerReference(SECRET, { versionStage: "AWSCURRENT", versionId: VERSION }), /not both/);
        assert.throws(() => parseValueFrom(`${SECRET}::AWSCURRENT:${VERSION}`), /not both/);
    });

    it("rejects malformed references with the offending value in the message", () => {
        assert.throws(() => parseValueFrom("/adma/prod/jwt-secret"), /not an ARN/);
        assert.throws(() => parseValueFrom(`${SECRET}:AWSCURRENT:`), /three fields.*found 2/);
        assert.throws(() => parseValueFrom("arn:aws:s3:::bucket/key"), /neither a Secrets Manager secret nor an SSM parameter/);
        assert.throws(() => secretsManagerReference(PARAMETER), /not a Secrets Manager secret ARN/);
        assert.throws(() => ssmParameterReference(SECRET), /not an SSM parameter ARN/);
        assert.throws(() => secretsManagerReference(SECRET, { jsonKey: "a:b" }), /jsonKey must be .* without ":"/);
        assert.throws(() => secretsManagerReference(SECRET, { versionId: "v1" }), /versionId must be a secret version UUID/);
    });
});
