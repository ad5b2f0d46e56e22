/**
 * ARN parsing shared by the program and the policy pack. Pure: no Pulumi calls.
 *
 * Format: arn:partition:service:region:account-id:resource, where the resource part may itself
 * contain colons (Secrets Manager: `secret:name-AbCdEf`; SSM: `parameter/name`).
 */
export interface Arn {
    partition: string;
    service: string;
    region: string;
    account: string;
    resource: string;
}

const ARN_PATTERN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws|):(.+)$/;

/** Parses an ARN, or returns undefined when the string is not one. */
export function tryParseArn(value: string): Arn | undefined {
    const match = ARN_PATTERN.exec(value);
    if (!match) {
        return undefined;
    }
    const [, partition, service, region, account, resource] = match;
    return { partition, service, region, account, resource };
}

/** Parses an ARN, throwing an error that names `what` when the string is not one. */
export function parseArn(value: string, what = "value"): Arn {
    const arn = tryParseArn(value);
    if (!arn) {
        throw new Error(`${what} must be an ARN (arn:<partition>:<service>:<region>:<account>:<resource>), got "${value}"`);
    }
    return arn;
}

export function formatArn(arn: Arn): string {
    return `arn:${arn.partition}:${arn.service}:${arn.region}:${arn.account}:${arn.resource}`;
}
