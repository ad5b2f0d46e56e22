/**
 * IAM policy documents as this program writes them (`Statement` always a list), before JSON.stringify.
 * The policy pack's `PolicyDocument` (policy-pack/lib/iam-document.ts) is the other direction: any
 * valid document, parsed and normalised for checking. Pure: no Pulumi calls.
 */
export interface IamPolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: Record<string, string | string[]>;
    Action: string | string[];
    Resource?: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

export interface IamPolicyDocument {
    Version: "2012-10-17";
    Statement: IamPolicyStatement[];
}

/**
 * Trust policy for a role assumed by an AWS service on this account's behalf, guarded against the
 * confused deputy: `aws:SourceAccount` always, and `aws:SourceArn` (ArnLike, so a name pattern
 * works before the resource exists) when given.
 */
export function serviceTrustPolicy(servicePrincipal: string, sourceAccount: string, sourceArn?: string): IamPolicyDocument {
    const condition: Record<string, Record<string, string>> = { StringEquals: { "aws:SourceAccount": sourceAccount } };
    if (sourceArn !== undefined) {
        condition.ArnLike = { "aws:SourceArn": sourceArn };
    }
    return {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: servicePrincipal }, Action: "sts:AssumeRole", Condition: condition }],
    };
}
