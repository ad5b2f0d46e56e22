/**
 * ECS container secret references (`secrets[].valueFrom`, `logConfiguration.secretOptions[].valueFrom`,
 * `repositoryCredentials.credentialsParameter`) as typed values, and what IAM must allow for ECS to
 * read them.
 *
 * One module formats and parses every reference, so the task definition the program writes,
 * the IAM grant it derives and the checks the policy pack runs can never disagree on the format.
 * The forms ECS accepts (ECS API Reference, `Secret.valueFrom` and `RepositoryCredentials`; ECS
 * Developer Guide, "Pass Secrets Manager secrets through Amazon ECS environment variables" and
 * "Pass Systems Manager parameters through Amazon ECS environment variables"):
 *
 *   Secrets Manager  arn:<partition>:secretsmanager:<region>:<account>:secret:<name>[:<json-key>:<version-stage>:<version-id>]
 *   SSM parameter    arn:<partition>:ssm:<region>:<account>:parameter/<name>, or the parameter's name
 *                    alone when it is in the task's region ("If the SSM Parameter Store parameter exists
 *                    in the same Region as the task you're launching, then you can use either the full
 *                    ARN or name of the parameter")
 *   Registry credentials  a Secrets Manager secret's ARN, or its name when it is in the task's region
 *
 * Pure: no Pulumi calls.
 */
import { Arn, formatArn, parseArn, tryParseArn } from "./arn";
import type { ValueStore } from "./kms-key";

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

/** An SSM parameter given by name: ECS reads it in the task's own region and account. */
export interface SsmParameterNameReference {
    readonly kind: "ssm-name";
    /** The name as written (`/app/prod/base-url` or `base-url`). */
    readonly name: string;
}

/** A Secrets Manager secret given by name (registry credentials only): in the task's region and account. */
export interface SecretsManagerNameReference {
    readonly kind: "secretsmanager-name";
    readonly name: string;
}

/** Every form a task definition may reference a secret in. */
export type EcsSecretReference = SecretReference | SsmParameterNameReference | SecretsManagerNameReference;

export class SecretReferenceError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "SecretReferenceError";
    }
}

const SECRET_RESOURCE = /^secret:[A-Za-z0-9/_+=.@!-]+$/;
const PARAMETER_RESOURCE = /^parameter\/[A-Za-z0-9/_.-]+$/;
/** SSM parameter names (Systems Manager User Guide, "Creating Parameter Store parameters": a-zA-Z0-9_.- and / for hierarchies). */
const PARAMETER_NAME = /^[A-Za-z0-9/_.-]+$/;
/** Secrets Manager secret names (Secrets Manager API Reference, CreateSecret `Name`). */
const SECRET_NAME = /^[A-Za-z0-9/_+=.@!-]+$/;
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
 * Parses a `valueFrom` (or, with `use` "registry", a `credentialsParameter`) string as ECS reads it:
 * an ARN names its store; anything else is an SSM parameter name (a Secrets Manager secret name for
 * registry credentials). Throws SecretReferenceError for a string ECS would reject.
 */
export function parseValueFrom(valueFrom: string, use: "environment" | "log" | "registry" = "environment"): EcsSecretReference {
    const arn = tryParseArn(valueFrom);
    if (!arn) {
        if (valueFrom.startsWith("arn:")) {
            throw new SecretReferenceError(`valueFrom "${valueFrom}" is not a valid ARN (arn:<partition>:<service>:<region>:<account>:<resource>)`);
        }
        if (use === "registry") {
            if (!SECRET_NAME.test(valueFrom)) {
                throw new SecretReferenceError(`credentialsParameter "${valueFrom}" is neither a Secrets Manager secret ARN nor a secret name`);
            }
            return { kind: "secretsmanager-name", name: valueFrom };
        }
        if (!PARAMETER_NAME.test(valueFrom)) {
            throw new SecretReferenceError(`valueFrom "${valueFrom}" is neither an ARN nor an SSM parameter name (letters, digits, _ . - and /)`);
        }
        return { kind: "ssm-name", name: valueFrom };
    }
    if (arn.service === "ssm" && use !== "registry") {
        return ssmParameterReference(valueFrom);
    }
    if (arn.service !== "secretsmanager") {
        throw new SecretReferenceError(use === "registry"
            ? `credentialsParameter "${valueFrom}" is not a Secrets Manager secret (service "${arn.service}")`
            : `valueFrom "${valueFrom}" is neither a Secrets Manager secret nor an SSM parameter (service "${arn.service}")`);
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

/**
 * The IAM action ECS calls with the execution role to read a reference at task launch: exactly
 * `secretsmanager:GetSecretValue` for a Secrets Manager secret and `ssm:GetParameters` for a
 * Parameter Store parameter (ECS Developer Guide, "Amazon ECS task execution IAM role", sections
 * "Secrets Manager or Systems Manager permissions" and "Private registry authentication
 * permissions": https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html).
 * `kms:Decrypt` is needed on top only when a customer managed key encrypts the value (`kms-key.ts`).
 */
export const ECS_READ_ACTION: Readonly<Record<SecretReference["kind"], string>> = {
    secretsmanager: "secretsmanager:GetSecretValue",
    ssm: "ssm:GetParameters",
};

/**
 * The actions the ADMA program grants its execution role per reference: what ECS needs
 * (`ECS_READ_ACTION`) and, for Secrets Manager, `secretsmanager:DescribeSecret`, which the
 * design document's least-privilege grant includes. The policy pack requires only what ECS needs.
 */
export function requiredActions(reference: SecretReference): readonly string[] {
    return reference.kind === "ssm"
        ? [ECS_READ_ACTION.ssm]
        : [ECS_READ_ACTION.secretsmanager, "secretsmanager:DescribeSecret"];
}

/** What a reference's ARN is built from when the reference does not spell it out: the task definition's partition, region and account. */
export interface ArnContext {
    readonly partition?: string;
    readonly region?: string;
    readonly account?: string;
}

/** One permission ECS needs at task launch. */
export interface RequiredGrant {
    readonly action: string;
    /** The resource's exact ARN or, when part of it cannot be known, an IAM pattern of the ARNs it can be. */
    readonly resource: string;
    /** Why `resource` is a pattern rather than the ARN; absent when it is the ARN. */
    readonly unknownBecause?: string;
    /**
     * The service that stores the value at `resource` and decrypts it with its KMS key on ECS's
     * behalf (see `kms-key.ts`); absent for a `/aws/reference/secretsmanager/` parameter, which
     * stores nothing itself (the secret it names is a grant of its own).
     */
    readonly valueStore?: ValueStore;
}

/** Parameter Store's names for Secrets Manager secrets (Systems Manager User Guide, "Referencing AWS Secrets Manager secrets from Parameter Store parameters"). */
const SECRETS_MANAGER_PARAMETER_PREFIX = "/aws/reference/secretsmanager/";
/** A complete secret ARN ends in "-" and six random characters (Secrets Manager User Guide, "Secret ARN"). */
const RANDOM_SUFFIX = /-[A-Za-z0-9]{6}$/;
const RANDOM_SUFFIX_PATTERN = "-??????";

/**
 * The permissions ECS needs to read a reference (see ECS_READ_ACTION), on the ARNs it reads:
 * an SSM parameter name resolves in the task's region and account (`context`); a Secrets Manager
 * secret named without its random suffix (a name, a partial ARN, or a `/aws/reference/secretsmanager/`
 * parameter, which also needs `secretsmanager:GetSecretValue` on the secret) can only be given as a
 * pattern.
 */
export function requiredGrants(reference: EcsSecretReference, context: ArnContext = {}): RequiredGrant[] {
    switch (reference.kind) {
        case "secretsmanager":
            return [RANDOM_SUFFIX.test(reference.secretArn)
                ? { action: ECS_READ_ACTION.secretsmanager, resource: reference.secretArn, valueStore: "secretsmanager" }
                : { action: ECS_READ_ACTION.secretsmanager, resource: `${reference.secretArn}${RANDOM_SUFFIX_PATTERN}`,
                    unknownBecause: "it names the secret without the random suffix of its ARN", valueStore: "secretsmanager" }];
        case "secretsmanager-name":
            return [secretByName(reference.name, contextArn(context, "secretsmanager"))];
        case "ssm": {
            const arn = tryParseArn(reference.parameterArn)!;
            return parameterGrants(reference.parameterArn, arn.resource.slice("parameter".length), { ...arn });
        }
        case "ssm-name": {
            const name = reference.name.startsWith("/") ? reference.name : `/${reference.name}`;
            const { arn, unknownBecause } = contextArn(context, "ssm");
            return parameterGrants(`${arn}parameter${name}`, name, context, unknownBecause);
        }
    }
}

function parameterGrants(parameterArn: string, name: string, context: ArnContext, unknownBecause?: string): RequiredGrant[] {
    const reference = name.startsWith(SECRETS_MANAGER_PARAMETER_PREFIX);
    const grants: RequiredGrant[] = [{
        action: ECS_READ_ACTION.ssm, resource: parameterArn, ...(unknownBecause !== undefined && { unknownBecause }), ...(!reference && { valueStore: "ssm" as const }),
    }];
    if (reference) {
        grants.push(secretByName(name.slice(SECRETS_MANAGER_PARAMETER_PREFIX.length), contextArn(context, "secretsmanager")));
    }
    return grants;
}

function secretByName(name: string, { arn }: { arn: string }): RequiredGrant {
    return { action: ECS_READ_ACTION.secretsmanager, resource: `${arn}secret:${name}${RANDOM_SUFFIX_PATTERN}`,
        unknownBecause: "it names the secret without the random suffix of its ARN", valueStore: "secretsmanager" };
}

/** `arn:<partition>:<service>:<region>:<account>:` from the context, `*` where unknown. */
function contextArn(context: ArnContext, service: string): { arn: string; unknownBecause?: string } {
    const missing = (["partition", "region", "account"] as const).filter((field) => context[field] === undefined);
    const arn = `arn:${context.partition ?? "*"}:${service}:${context.region ?? "*"}:${context.account ?? "*"}:`;
    return missing.length === 0 ? { arn } : { arn, unknownBecause: `the task definition's ${missing.join(" and ")} cannot be read (the ARN is built from them)` };
}

function withResource(arn: Arn, resource: string): Arn {
    return { ...arn, resource };
}
