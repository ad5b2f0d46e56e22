/**
 * IAM policy documents as this program writes them (`Statement` always a list). Pure: no Pulumi calls.
 */
export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: Record<string, string | string[]>;
    Action: string | string[];
    Resource?: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

/**
 * Trust policy for a role assumed by an AWS service on this account's behalf, guarded against the
 * confused deputy: `aws:SourceAccount` always, and `aws:SourceArn` (ArnLike, so a name pattern
 * works before the resource exists) when given.
 */
export function serviceTrustPolicy(servicePrincipal: string, sourceAccount: string, sourceArn?: string): PolicyDocument {
    const condition: Record<string, Record<string, string>> = { StringEquals: { "aws:SourceAccount": sourceAccount } };
    if (sourceArn !== undefined) {
        condition.ArnLike = { "aws:SourceArn": sourceArn };
    }
    return {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: servicePrincipal }, Action: "sts:AssumeRole", Condition: condition }],
    };
}
