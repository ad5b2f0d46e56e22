/**
 * `execution-role-access`: the task's execution role may do what ECS does with it at launch for each
 * reference: the policy pack's `requiredGrants` (policy-pack/lib/value-from.ts: `secretsmanager:GetSecretValue`
 * on a secret, `ssm:GetParameters` on a parameter), and `kms:Decrypt` on a customer managed key that
 * encrypts it (Amazon ECS Developer Guide, "Amazon ECS task execution IAM role": "kms:Decrypt — Required
 * only if your key uses a custom KMS key and not the default key"). The design document's first cause
 * of "unable to pull secrets". Pure: judges the snapshot.
 *
 * The role's inline and attached policies are read with the project's IAM analysis
 * (policy-pack/lib/iam-document.ts, the same reading the policy pack applies at preview); a
 * permissions boundary must allow the action too (IAM User Guide, "Permissions boundaries for IAM
 * entities"). A secret referenced without its ARN's random suffix is judged by the full ARN
 * DescribeSecret returned. Not evaluated: service control policies and the secrets' resource
 * policies, which can only deny more.
 */
import { PolicyDocumentError, PolicyStatement, allowsAction, parsePolicyDocument } from "../../policy-pack/lib/iam-document";
import { SecretReference } from "../../policy-pack/lib/value-from";
import { CheckResult, Finding, resultOf } from "../check-result";
import { pulumiUp } from "../fixes";
import { DeploymentSnapshot, RolePolicies, RolePolicyDocument } from "../snapshot";
import { DoctorTarget } from "../target";
import { TaskReference, describeReference, taskReferences } from "../task-references";

const DECRYPT = "kms:Decrypt";

/** What one ARN needs, and which references need it. */
interface Need {
    readonly arn: string;
    readonly actions: Set<string>;
    readonly users: string[];
}

export function checkExecutionRoleAccess(snapshot: DeploymentSnapshot, target: DoctorTarget): CheckResult {
    const roleArn = snapshot.taskDefinition.executionRoleArn;
    const resource = roleArn?.split("/").pop() ?? target.names.executionRole.role;
    const references = taskReferences(snapshot.taskDefinition).filter((reference) => reference.reference !== undefined);
    if (references.length === 0) {
        return resultOf("execution-role-access", resource, [{ status: "skip", message: "the task definition references no secret or parameter" }]);
    }
    const role = snapshot.executionRole;
    if (role === undefined) {
        return resultOf("execution-role-access", resource, [{
            status: "fail",
            message: "the task definition has no execution role, so ECS cannot pull its secrets",
            fix: `${pulumiUp(target)} (the program sets executionRoleArn)`,
        }]);
    }
    if (role.status === "not-found") {
        return resultOf("execution-role-access", resource, [{
            status: "fail", message: `execution role ${roleArn} does not exist`, fix: `${pulumiUp(target)} (recreates the role and its policies)`,
        }]);
    }
    if (role.status === "error") {
        return resultOf("execution-role-access", resource, [{ status: "warn", message: `could not read execution role ${roleArn}: ${role.error}` }]);
    }
    const { needs, findings } = collectNeeds(references, snapshot);
    const policies = readPolicies(role.value);
    findings.push(...policies.findings);
    const roleName = role.value.role.RoleName ?? resource;
    for (const need of needs.values()) {
        const missing = [...need.actions].sort().filter((action) => !policies.allows(action, need.arn));
        if (missing.length > 0) {
            findings.push({
                status: "fail",
                message: `${need.users.join(", ")}: execution role ${roleName} is not allowed ${missing.join(", ")} on ${need.arn}`,
                fix: `${pulumiUp(target)} (restores the inline policy ${target.names.executionRole.secretsPolicy}, derived from the task definition's secrets); ` +
                    `inspect it with: aws iam get-role-policy --role-name ${roleName} --policy-name ${target.names.executionRole.secretsPolicy}`,
            });
        }
    }
    if (!findings.some((finding) => finding.status !== "pass")) {
        findings.push({ status: "pass", message: `execution role ${roleName} may do what ECS needs for all ${references.length} references (${needs.size} resources)` });
    }
    return resultOf("execution-role-access", resource, findings);
}

function collectNeeds(references: readonly TaskReference[], snapshot: DeploymentSnapshot): { needs: Map<string, Need>; findings: Finding[] } {
    const needs = new Map<string, Need>();
    const findings: Finding[] = [];
    const need = (arn: string, actions: readonly string[], user: string) => {
        const entry = needs.get(arn) ?? { arn, actions: new Set<string>(), users: [] };
        actions.forEach((action) => entry.actions.add(action));
        if (!entry.users.includes(user)) {
            entry.users.push(user);
        }
        needs.set(arn, entry);
    };
    for (const reference of references) {
        const parsed = reference.reference!;
        const user = describeReference(reference);
        for (const grant of reference.grants) {
            const resource = grant.unknownBecause === undefined ? grant.resource : fullSecretArn(parsed, snapshot);
            if (resource === undefined) {
                findings.push({ status: "warn", message: `${user}: cannot tell which resource to check ${grant.action} on: ${grant.unknownBecause}` });
            } else {
                need(resource, [grant.action], user);
            }
        }
        const keyId = encryptionKeyOf(parsed.kind === "ssm" ? parsed.parameterArn : parsed.secretArn, parsed.kind, snapshot);
        if (keyId === undefined) {
            continue;
        }
        const key = snapshot.kmsKeys.get(keyId);
        if (key?.status === "ok") {
            if (key.value.KeyManager !== "AWS" && key.value.Arn !== undefined) {
                need(key.value.Arn, [DECRYPT], user);
            }
        } else {
            const why = key === undefined ? "not read" : key.status === "error" ? key.error : "the key does not exist";
            findings.push({ status: "warn", message: `${user}: could not tell whether KMS key ${keyId} needs kms:Decrypt: ${why}` });
        }
    }
    return { needs, findings };
}

/** The complete ARN (with its random suffix) DescribeSecret gave for a secret referenced by partial ARN or name. */
function fullSecretArn(reference: SecretReference, snapshot: DeploymentSnapshot): string | undefined {
    const secret = reference.kind === "secretsmanager" ? snapshot.secrets.get(reference.secretArn) : undefined;
    return secret?.status === "ok" ? secret.value.description.ARN : undefined;
}

/** The KMS key id a secret or SecureString parameter names, or undefined for an AWS managed default key. */
function encryptionKeyOf(arn: string, kind: "secretsmanager" | "ssm", snapshot: DeploymentSnapshot): string | undefined {
    if (kind === "secretsmanager") {
        // DescribeSecret omits KmsKeyId for the AWS managed key aws/secretsmanager (Secrets Manager API Reference).
        const secret = snapshot.secrets.get(arn);
        return secret?.status === "ok" ? secret.value.description.KmsKeyId : undefined;
    }
    const parameter = snapshot.parameters.get(arn);
    if (parameter?.status !== "ok" || parameter.value.Type !== "SecureString") {
        return undefined;
    }
    const keyId = parameter.value.KeyId;
    return keyId === undefined || keyId === "alias/aws/ssm" ? undefined : keyId;
}

interface ReadPolicies {
    readonly findings: Finding[];
    allows(action: string, arn: string): boolean;
}

function readPolicies(role: RolePolicies): ReadPolicies {
    const findings: Finding[] = [];
    const parse = (documents: readonly RolePolicyDocument[]): PolicyStatement[] => documents.flatMap(({ source, document }) => {
        try {
            return [...parsePolicyDocument(document).statements];
        } catch (error) {
            if (!(error instanceof PolicyDocumentError)) {
                throw error;
            }
            findings.push({ status: "warn", message: `policy ${source} of the execution role cannot be read: ${error.message}` });
            return [];
        }
    });
    const identity = parse([...role.inline, ...role.attached]);
    const boundary = role.boundary === undefined ? undefined : parse([role.boundary]);
    return {
        findings,
        allows: (action, arn) => allowsAction(identity, action, arn) && (boundary === undefined || allowsAction(boundary, action, arn)),
    };
}
