/**
 * Every ARN the configuration takes, and where it must live to work from the stack: one table,
 * one check. Pure (no Pulumi calls); lib/config.ts runs the check, components never repeat it.
 *
 * Partition: always the stack's. A partition (aws, aws-cn, aws-us-gov, ...) is a separate AWS
 * with its own accounts and endpoints; no resource of one can be used from another (AWS General
 * Reference, "Amazon Resource Names": https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).
 * The stack's partition is the one its region belongs to, from the AWS SDK's partitions data
 * (`partition()` of @aws-sdk/core, loaded only when an ARN is configured: about 130 ms).
 */
import { tryParseArn } from "../policy-pack/lib/arn";

export interface ConfigArnRule {
    /** What the ARN names, in the user's terms. */
    readonly what: string;
    readonly service: string;
    /** The resource part, and how to write it. */
    readonly resource: RegExp;
    readonly resourceForm: string;
    /** Resource parts of the same service that are a common mistake, with the fix. */
    readonly mistakes?: ReadonlyArray<{ readonly resource: RegExp; readonly fix: string }>;
    /** Why the resource must be in the stack's region (every rule here needs it), for messages, and the source. */
    readonly sameRegion: { readonly why: string; readonly source: string };
    /** Why any account will do (no rule here needs the stack's account), and the source. */
    readonly anyAccount: { readonly why: string; readonly source: string };
}

/** The ARNs taken from configuration, by key (without the namespace). */
export const CONFIG_ARNS = {
    secretsKmsKeyArn: {
        what: "a KMS key",
        service: "kms",
        resource: /^key\/[A-Za-z0-9-]+$/,
        resourceForm: "key/<key-id>",
        mistakes: [{ resource: /^alias\//, fix: "an alias names a key only by a pointer that can be moved; give the key's own ARN (…:key/<key-id>, `aws kms describe-key --key-id alias/<name>` prints it)" }],
        sameRegion: {
            why: "Secrets Manager and RDS encrypt with a key of their own Region (a KMS key exists in one Region; a multi-Region key's replica here has its own ARN)",
            source: "https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html",
        },
        anyAccount: {
            why: "a key of another account is used by its ARN when its key policy allows it",
            source: "Secrets Manager API Reference, CreateSecret KmsKeyId; RDS API Reference, CreateDBInstance MasterUserSecretKmsKeyId",
        },
    },
    alarmTopicArn: {
        what: "an SNS topic",
        service: "sns",
        resource: /^[A-Za-z0-9_-]{1,256}(\.fifo)?$/,
        resourceForm: "<topic name>",
        sameRegion: {
            why: "a CloudWatch alarm can only notify a topic in its own Region, and an EventBridge rule can target another Region's event bus only",
            source: "PutMetricAlarm refuses it (\"Invalid region … specified\", https://github.com/cds-snc/notification-terraform/pull/128); " +
                "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html",
        },
        anyAccount: {
            why: "a topic of another account receives alarms and events when its topic policy lets cloudwatch.amazonaws.com and events.amazonaws.com publish",
            source: "https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html",
        },
    },
} as const satisfies Record<string, ConfigArnRule>;

export type ConfigArnKey = keyof typeof CONFIG_ARNS;

/**
 * What is wrong with `value` as the ARN `rule` asks for, from a stack in `region` (undefined:
 * unknown, so only its form is checked), in the user's terms; undefined when nothing is.
 */
export function configArnProblem(rule: ConfigArnRule, value: string, region: string | undefined): string | undefined {
    const arn = tryParseArn(value);
    const form = `arn:<partition>:${rule.service}:<region>:<account>:${rule.resourceForm}`;
    if (arn === undefined) {
        return `not the ARN of ${rule.what} (${form})`;
    }
    if (arn.service !== rule.service) {
        return `an ARN of the ${arn.service} service, not of ${rule.what} (${form})`;
    }
    const mistake = rule.mistakes?.find((candidate) => candidate.resource.test(arn.resource));
    if (mistake !== undefined) {
        return `not ${rule.what}'s own ARN: ${mistake.fix}`;
    }
    if (arn.region === "" || arn.account === "" || !rule.resource.test(arn.resource)) {
        return `not the ARN of ${rule.what} (${form})`;
    }
    if (region === undefined) {
        return undefined;
    }
    const stackPartition = partitionOf(region);
    if (arn.partition !== stackPartition) {
        return `in the ${arn.partition} partition, but the stack's region ${region} is in ${stackPartition}: nothing is shared across partitions`;
    }
    if (arn.region !== region) {
        return `in ${arn.region}, but the stack deploys to ${region}: ${rule.sameRegion.why}`;
    }
    return undefined;
}

/** The partition a region belongs to (`aws`, `aws-cn`, `aws-us-gov`, ...), as the AWS SDK resolves endpoints. */
function partitionOf(region: string): string {
    // Loaded here: only a stack that configures an ARN pays for the SDK's endpoint module.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { partition } = require("@aws-sdk/core/client") as typeof import("@aws-sdk/core/client");
    return partition(region).name;
}
