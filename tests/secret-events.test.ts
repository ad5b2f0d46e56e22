import * as assert from "assert";
import { assumedRoleArnPrefix, currentVersionChangedPattern, secretIdentifiers, secretReadPattern, unexpectedSecretReadPattern } from "../lib/secret-events";
import { matchesEventPattern } from "./event-pattern-matcher";
import { ACCOUNT, REGION } from "./recording-mocks";
import { JWT_SECRET_ARN, RDS_SECRET_ARN, SECRET_ARNS, EXECUTION_ROLE_ARN } from "./samples";

const EXECUTION_ROLE_SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/adma-prod-ecs-execution-role/3f2a9c1d0e8b4a7f`;

function getSecretValueEvent(secretId: string, principalArn: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        "source": "aws.secretsmanager",
        "detail-type": "AWS API Call via CloudTrail",
        "detail": {
            eventSource: "secretsmanager.amazonaws.com",
            eventName: "GetSecretValue",
            userIdentity: { type: principalArn.includes(":assumed-role/") ? "AssumedRole" : "IAMUser", arn: principalArn },
            requestParameters: { secretId },
            ...extra,
        },
    };
}

/** The native event Secrets Manager publishes when a staging label moves (the User Guide's example, "Secret Label Updated event"). */
function labelUpdatedEvent(secretArn: string, label: string): Record<string, unknown> {
    return {
        "version": "0",
        "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "detail-type": "Secret Label Updated",
        "source": "aws.secretsmanager",
        "account": ACCOUNT,
        "time": "2024-02-06T16:43:48Z",
        "region": REGION,
        "resources": [secretArn],
        "detail": { name: secretArn.split(":secret:")[1].slice(0, -7), labelUpdated: label, versionId: "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111" },
    };
}

describe("secret read patterns (lib/secret-events)", () => {
    const unexpected = unexpectedSecretReadPattern(SECRET_ARNS, EXECUTION_ROLE_ARN);

    it("alert on a read by an IAM user, another role, the root user, by ARN or by name", () => {
        const readers = [
            `arn:aws:iam::${ACCOUNT}:user/alice`,
            `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com`,
            `arn:aws:iam::${ACCOUNT}:root`,
        ];
        for (const reader of readers) {
            for (const secretId of ["/adma/prod/jwt-secret", JWT_SECRET_ARN, RDS_SECRET_ARN, "rds!db-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"]) {
                assert.ok(matchesEventPattern(unexpected, getSecretValueEvent(secretId, reader)), `${reader} reading ${secretId}`);
            }
        }
    });

    it("alert on a console retrieval", () => {
        const consoleRead = getSecretValueEvent(JWT_SECRET_ARN, `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice`,
            { sessionCredentialFromConsole: "true", userAgent: "AWS Internal" });
        assert.ok(matchesEventPattern(unexpected, consoleRead));
    });

    it("stay quiet for the execution role, for other secrets and for other calls", () => {
        assert.ok(!matchesEventPattern(unexpected, getSecretValueEvent(JWT_SECRET_ARN, EXECUTION_ROLE_SESSION)));
        assert.ok(!matchesEventPattern(unexpected, getSecretValueEvent("/adma/staging/jwt-secret", `arn:aws:iam::${ACCOUNT}:user/alice`)));
        const describe = getSecretValueEvent(JWT_SECRET_ARN, `arn:aws:iam::${ACCOUNT}:user/alice`);
        (describe.detail as Record<string, unknown>).eventName = "DescribeSecret";
        assert.ok(!matchesEventPattern(unexpected, describe));
    });

    it("the all-reads pattern counts the execution role's reads too", () => {
        const reads = secretReadPattern(SECRET_ARNS);
        assert.ok(matchesEventPattern(reads, getSecretValueEvent(RDS_SECRET_ARN, EXECUTION_ROLE_SESSION)));
        assert.ok(matchesEventPattern(reads, getSecretValueEvent("/adma/prod/jwt-secret", `arn:aws:iam::${ACCOUNT}:user/alice`)));
        assert.ok(!matchesEventPattern(reads, getSecretValueEvent("/adma/staging/jwt-secret", EXECUTION_ROLE_SESSION)));
    });

    it("stay within EventBridge's 4096-character event pattern limit", () => {
        assert.ok(JSON.stringify(unexpected).length < 4096 && JSON.stringify(secretReadPattern(SECRET_ARNS)).length < 4096);
    });

    it("derive the execution role's session ARN prefix, without the role path", () => {
        assert.strictEqual(assumedRoleArnPrefix(EXECUTION_ROLE_ARN), `arn:aws:sts::${ACCOUNT}:assumed-role/adma-prod-ecs-execution-role/`);
        assert.strictEqual(assumedRoleArnPrefix(`arn:aws:iam::${ACCOUNT}:role/service/team/exec`), `arn:aws:sts::${ACCOUNT}:assumed-role/exec/`);
        assert.throws(() => assumedRoleArnPrefix(`arn:aws:iam::${ACCOUNT}:user/alice`), /not an IAM role ARN/);
        assert.throws(() => secretReadPattern([]), /at least one secret/);
    });
});

describe("rotation event pattern (lib/secret-events)", () => {
    it("listens for the event Secrets Manager itself publishes when AWSCURRENT moves to a new version of exactly this secret", () => {
        assert.deepStrictEqual(currentVersionChangedPattern(RDS_SECRET_ARN), {
            "source": ["aws.secretsmanager"],
            "detail-type": ["Secret Label Updated"],
            "resources": [RDS_SECRET_ARN],
            "detail": { labelUpdated: ["AWSCURRENT"] },
        });
    });

    it("matches this secret's new current version and nothing else (another secret, another label, a CloudTrail entry)", () => {
        const pattern = currentVersionChangedPattern(RDS_SECRET_ARN);
        assert.ok(matchesEventPattern(pattern, labelUpdatedEvent(RDS_SECRET_ARN, "AWSCURRENT")));
        const otherSecret = RDS_SECRET_ARN.replace("Ab12Cd", "Zz99Yy").replace("0f1e2d3c", "99999999");
        assert.ok(!matchesEventPattern(pattern, labelUpdatedEvent(otherSecret, "AWSCURRENT")));
        assert.ok(!matchesEventPattern(pattern, labelUpdatedEvent(RDS_SECRET_ARN, "MYLABEL")));
        assert.ok(!matchesEventPattern(pattern, {
            "source": "aws.secretsmanager",
            "detail-type": "AWS Service Event via CloudTrail",
            "resources": [RDS_SECRET_ARN],
            "detail": { eventName: "RotationSucceeded", additionalEventData: { SecretId: RDS_SECRET_ARN } },
        }));
    });

    it("derives the partial ARN and the name a caller may use instead of the full ARN", () => {
        assert.deepStrictEqual(secretIdentifiers(RDS_SECRET_ARN), [
            RDS_SECRET_ARN,
            `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:rds!db-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`,
            "rds!db-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
        ]);
    });

    it("rejects an ARN that is not a secret's", () => {
        assert.throws(() => currentVersionChangedPattern(`arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/x`), /not a Secrets Manager secret ARN/);
        assert.throws(() => currentVersionChangedPattern("rds!db-123"), /must be an ARN/);
    });
});
