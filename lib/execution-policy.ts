/**
 * The ECS execution role's inline policy, derived from the container's secret references:
 * exactly the actions ECS needs (`requiredActions`) on exactly the granted ARNs (`grantedArn`),
 * de-duplicated, one statement per action set, plus `kms:Decrypt` on a customer-managed key
 * (only through Secrets Manager) when one encrypts the secrets. Nothing else, no wildcard.
 * Pure: no Pulumi calls.
 */
import { SecretReference, grantedArn, requiredActions } from "../policy-pack/lib/value-from";
import { PolicyDocument, PolicyStatement } from "./iam-policy";

/** Always an Allow with a Sid and lists of actions and resources. */
export interface ExecutionPolicyStatement extends PolicyStatement {
    Sid: string;
    Effect: "Allow";
    Action: string[];
    Resource: string[];
}

export interface ExecutionPolicyDocument extends PolicyDocument {
    Statement: ExecutionPolicyStatement[];
}

export interface ExecutionPolicyOptions {
    /** ARN of the customer-managed KMS key encrypting the referenced secrets; absent: AWS-managed key, no grant needed. */
    readonly kmsKeyArn?: string;
    /** Region of the secrets, for the `kms:ViaService` condition. Required with `kmsKeyArn`. */
    readonly region?: string;
}

/** Statement ids per service, so the role policy reads like the seed's. */
const SID_BY_SERVICE: Record<SecretReference["kind"], string> = {
    secretsmanager: "ReadOnlyRequiredSecrets",
    ssm: "ReadOnlyRequiredParameters",
};

export function executionSecretsPolicy(
    references: readonly SecretReference[],
    options: ExecutionPolicyOptions = {},
): ExecutionPolicyDocument {
    if (references.length === 0) {
        throw new Error("the execution secrets policy needs at least one secret reference (IAM rejects an empty statement list)");
    }
    const statements = new Map<string, { kind: SecretReference["kind"]; actions: string[]; resources: Set<string> }>();
    for (const reference of references) {
        const actions = [...requiredActions(reference)].sort();
        const key = `${reference.kind}|${actions.join(",")}`;
        const statement = statements.get(key) ?? { kind: reference.kind, actions, resources: new Set<string>() };
        statement.resources.add(grantedArn(reference));
        statements.set(key, statement);
    }
    const Statement: ExecutionPolicyStatement[] = [...statements.values()].map(({ kind, actions, resources }) => ({
        Sid: SID_BY_SERVICE[kind],
        Effect: "Allow",
        Action: actions,
        Resource: [...resources].sort(),
    }));
    if (options.kmsKeyArn !== undefined) {
        if (!options.region) {
            throw new Error("executionSecretsPolicy: a region is required with kmsKeyArn (for the kms:ViaService condition)");
        }
        Statement.push({
            Sid: "DecryptSecretsWithCustomerKey",
            Effect: "Allow",
            Action: ["kms:Decrypt"],
            Resource: [options.kmsKeyArn],
            Condition: { StringEquals: { "kms:ViaService": [`secretsmanager.${options.region}.amazonaws.com`] } },
        });
    }
    return { Version: "2012-10-17", Statement };
}
