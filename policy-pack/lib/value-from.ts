/**
 * ECS container secret references (`secrets[].valueFrom`) as a typed value.
 *
 * One module formats and parses every reference, so the task definition the program writes,
 * the IAM grant it derives and the checks the policy pack runs can never disagree on the format:
 *
 *   Secrets Manager  arn:aws:secretsmanager:<region>:<account>:secret:<name>[:<json-key>:<version-stage>:<version-id>]
 *   SSM parameter    arn:aws:ssm:<region>:<account>:parameter/<name>
 *
 * (ECS documentation, "Pass Secrets Manager secrets through Amazon ECS environment variables".)
 * Pure: no Pulumi calls.
 */
import { Arn, formatArn, parseArn, tryParseArn } from "./arn";

export type VersionStage = "AWSCURRENT" | "AWSPREVIOUS" | (string & {});

export interface SecretsManagerReference {
    readonly kind: "secretsmanager";
    /** The secret's ARN, without any `:json-key:stage:version` suffix. This is what IAM must grant. */
    readonly secretArn: string;
    /** A top-level key of a JSON secret (`password` of an RDS-managed secret); absent: the whole value. */
    readonly jsonKey?: string;
    /** A staging label; absent: AWSCURRENT. Mutually exclusive with `versionId`. */
    readonly versionStage?: VersionStage;
    /** A version UUID. Mutually exclusive with `versionStage`. */
    readonly versionId?: string;
}

export interface SsmParameterReference {
    readonly kind: "ssm";
    readonly parameterArn: string;
}

export type SecretReference = SecretsManagerReference | SsmParameterReference;

export class SecretReferenceError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "SecretReferenceError";
    }
}

const SECRET_RESOURCE = /^secret:[A-Za-z0-9/_+=.@!-]+$/;
const PARAMETER_RESOURCE = /^parameter\/[A-Za-z0-9/_.-]+$/;
const VERSION_ID = /^[A-Za-z0-9-]{32,64}$/;
const FIELD = /^[^:]+$/;

/** Builds a Secrets Manager reference, rejecting combinations ECS cannot resolve. */
export function secretsManagerReference(
    secretArn: string,
    options: { jsonKey?: string; versionStage?: VersionStage; versionId?: string } = {},
): SecretsManagerReference {
    const arn = parseArn(secretArn, "Secrets Manager secret ARN");
    if (arn.service !== "secretsmanager" || !SECRET_RESOURCE.test(arn.resource)) {
        throw new SecretReferenceError(
            `"${secretArn}" is not a Secrets Manager secret ARN (arn:<partition>:secretsmanager:<region>:<account>:secret:<name>)`);
    }
    const { jsonKey, versionStage, versionId } = options;
    for (const [field, value] of Object.entries({ jsonKey, versionStage, versionId })) {
        if (value !== undefined && !FIELD.test(value)) {
            throw new SecretReferenceError(`${field} must be a non-empty string without ":", got "${value}"`);
        }
    }
    if (versionStage !== undefined && versionId !== undefined) {
        throw new SecretReferenceError(
            `a secret reference takes a version stage or a version id, not both (got stage "${versionStage}" and id "${versionId}")`);
    }
    if (versionId !== undefined && !VERSION_ID.test(versionId)) {
        throw new SecretReferenceError(`versionId must be a secret version UUID, got "${versionId}"`);
    }
    return {
        kind: "secretsmanager",
        secretArn,
        ...(jsonKey !== undefined && { jsonKey }),
        ...(versionStage !== undefined && { versionStage }),
        ...(versionId !== undefined && { versionId }),
    };
}

/** Builds an SSM Parameter Store reference from the parameter's ARN. */
export function ssmParameterReference(parameterArn: string): SsmParameterReference {
    const arn = parseArn(parameterArn, "SSM parameter ARN");
    if (arn.service !== "ssm" || !PARAMETER_RESOURCE.test(arn.resource)) {
        throw new SecretReferenceError(
            `"${parameterArn}" is not an SSM parameter ARN (arn:<partition>:ssm:<region>:<account>:parameter/<name>)`);
    }
    return { kind: "ssm", parameterArn };
}

/** The `valueFrom` string ECS expects for a reference. */
export function formatValueFrom(reference: SecretReference): string {
    if (reference.kind === "ssm") {
        return reference.parameterArn;
    }
    const { secretArn, jsonKey, versionStage, versionId } = reference;
    if (jsonKey === undefined && versionStage === undefined && versionId === undefined) {
        return secretArn;
    }
    return `${secretArn}:${jsonKey ?? ""}:${versionStage ?? ""}:${versionId ?? ""}`;
}

/**
 * Parses a `valueFrom` string. Throws SecretReferenceError for a string ECS would reject or
 * that is not an ARN (a bare parameter or secret name cannot be checked against IAM grants).
 */
export function parseValueFrom(valueFrom: string): SecretReference {
    const arn = tryParseArn(valueFrom);
    if (!arn) {
        throw new SecretReferenceError(`valueFrom "${valueFrom}" is not an ARN; reference secrets and parameters by full ARN`);
    }
    if (arn.service === "ssm") {
        return ssmParameterReference(valueFrom);
    }
    if (arn.service !== "secretsmanager") {
        throw new SecretReferenceError(
            `valueFrom "${valueFrom}" is neither a Secrets Manager secret nor an SSM parameter (service "${arn.service}")`);
    }
    // resource = secret:<name>[:<json-key>:<version-stage>:<version-id>]; a secret name has no colon.
    const [kind, name, ...suffix] = arn.resource.split(":");
    if (suffix.length !== 0 && suffix.length !== 3) {
        throw new SecretReferenceError(
            `valueFrom "${valueFrom}" must end in the secret ARN or in ":<json-key>:<version-stage>:<version-id>" (three fields, empty ones allowed), found ${suffix.length}`);
    }
    const secretArn = formatArn(withResource(arn, `${kind}:${name}`));
    const [jsonKey, versionStage, versionId] = suffix.map((field) => (field === "" ? undefined : field));
    return secretsManagerReference(secretArn, { jsonKey, versionStage, versionId });
}

/** The ARN an IAM policy must grant for ECS to resolve the reference. */
export function grantedArn(reference: SecretReference): string {
    return reference.kind === "ssm" ? reference.parameterArn : reference.secretArn;
}

/** The IAM actions ECS needs on `grantedArn(reference)` at task launch. */
export function requiredActions(reference: SecretReference): readonly string[] {
    return reference.kind === "ssm"
        ? ["ssm:GetParameters"]
        : ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"];
}

function withResource(arn: Arn, resource: string): Arn {
    return { ...arn, resource };
}
