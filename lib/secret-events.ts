/**
 * EventBridge event patterns for the Secrets Manager events this stack reacts to. Pure: no Pulumi calls.
 *
 * Source `aws.secretsmanager`, two kinds of event:
 * - `Secret Label Updated`, which Secrets Manager itself publishes to the default event bus whenever a
 *   staging label other than AWSPENDING and AWSPREVIOUS moves to a new version, for every secret, with
 *   the secret's ARN in `resources` and the label in `detail.labelUpdated` (Secrets Manager User Guide,
 *   "Secret event notifications" and "Secret Label Updated event"; no CloudTrail trail needed). AWSCURRENT
 *   moving is what a completed rotation is, whoever rotates: RDS's managed rotation included. The
 *   CloudTrail entry `RotationSucceeded` is documented for rotations in general ("Log entries for
 *   rotation"), not as emitted by RDS-managed rotation, so the redeploy does not listen for it.
 * - `GetSecretValue`, an "AWS API Call via CloudTrail" whose `detail.requestParameters.secretId` is
 *   whatever the caller passed: the full ARN, a partial ARN (without the random suffix) or the name.
 *   A read-only call, so the rule must be in state `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`.
 */
import { parseArn } from "../policy-pack/lib/arn";

export type EventPattern = Record<string, unknown>;

const SECRETS_MANAGER_SOURCE = "aws.secretsmanager";
const SECRETS_MANAGER_EVENT_SOURCE = "secretsmanager.amazonaws.com";

/** The rule state EventBridge needs to deliver read-only management events such as GetSecretValue. */
export const READ_ONLY_EVENTS_RULE_STATE = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS";

// Secrets Manager appends "-" and six random characters to a secret's name to form its ARN.
const SECRET_ARN_RESOURCE = /^secret:(.+)-[A-Za-z0-9]{6}$/;

/**
 * Every string a caller can pass as `SecretId` for this secret: the full ARN, the partial ARN and the
 * name. CloudTrail records the caller's string, so a pattern on the full ARN alone misses reads by name.
 */
export function secretIdentifiers(secretArn: string): string[] {
    const arn = parseArn(secretArn, "secret ARN");
    const match = SECRET_ARN_RESOURCE.exec(arn.resource);
    if (arn.service !== "secretsmanager" || !match) {
        throw new Error(
            `"${secretArn}" is not a Secrets Manager secret ARN (arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 characters>)`);
    }
    const name = match[1];
    const partialArn = secretArn.slice(0, -"-XXXXXX".length);
    return [secretArn, partialArn, name];
}

/**
 * The prefix of the `userIdentity.arn` CloudTrail records for calls made with a role's credentials:
 * `arn:<partition>:sts::<account>:assumed-role/<role name>/` (the role's path is not part of it).
 */
export function assumedRoleArnPrefix(roleArn: string): string {
    const arn = parseArn(roleArn, "role ARN");
    if (arn.service !== "iam" || !arn.resource.startsWith("role/")) {
        throw new Error(`"${roleArn}" is not an IAM role ARN (arn:<partition>:iam::<account>:role/<name>)`);
    }
    const roleName = arn.resource.split("/").pop();
    return `arn:${arn.partition}:sts::${arn.account}:assumed-role/${roleName}/`;
}

/** The secret's value changed: AWSCURRENT moved to a new version of exactly this secret (a completed rotation). */
export function currentVersionChangedPattern(secretArn: string): EventPattern {
    secretIdentifiers(secretArn);
    return {
        "source": [SECRETS_MANAGER_SOURCE],
        "detail-type": ["Secret Label Updated"],
        "resources": [secretArn],
        "detail": { labelUpdated: ["AWSCURRENT"] },
    };
}

/** Matches every `GetSecretValue` call on these secrets, whoever makes it. */
export function secretReadPattern(secretArns: readonly string[]): EventPattern {
    if (secretArns.length === 0) {
        throw new Error("secretReadPattern needs at least one secret ARN");
    }
    return {
        "source": [SECRETS_MANAGER_SOURCE],
        "detail-type": ["AWS API Call via CloudTrail"],
        "detail": {
            eventSource: [SECRETS_MANAGER_EVENT_SOURCE],
            eventName: ["GetSecretValue"],
            requestParameters: { secretId: secretArns.flatMap(secretIdentifiers) },
        },
    };
}

/**
 * Matches `GetSecretValue` calls on these secrets by anyone but the expected reader role: IAM users,
 * the root user, other roles and console sessions (a console retrieval is a call by the signed-in
 * user's identity, never by the ECS execution role). `anything-but` only matches when the field is
 * present; CloudTrail records `userIdentity.arn` for users, roles and root, so only AWS-internal
 * service calls without an ARN pass unreported.
 */
export function unexpectedSecretReadPattern(secretArns: readonly string[], expectedReaderRoleArn: string): EventPattern {
    const reads = secretReadPattern(secretArns);
    const detail = reads.detail as Record<string, unknown>;
    return {
        ...reads,
        detail: {
            ...detail,
            userIdentity: { arn: [{ "anything-but": { prefix: assumedRoleArnPrefix(expectedReaderRoleArn) } }] },
        },
    };
}

/**
 * Input transformer for the read alert, so the notification says who read what from where, and never
 * carries anything but CloudTrail metadata (GetSecretValue responses are not logged by CloudTrail).
 */
export const SECRET_READ_ALERT_INPUT = {
    inputPaths: {
        secretId: "$.detail.requestParameters.secretId",
        principal: "$.detail.userIdentity.arn",
        sourceIp: "$.detail.sourceIPAddress",
        userAgent: "$.detail.userAgent",
        fromConsole: "$.detail.sessionCredentialFromConsole",
        time: "$.time",
    },
    inputTemplate:
        "\"Secret <secretId> was read by <principal> (console session: <fromConsole>, source <sourceIp>, user agent <userAgent>) at <time>. "
        + "Only the ECS execution role is expected to read it; see docs/operations.md, 'Unexpected secret read'.\"",
} as const;
