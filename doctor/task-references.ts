/**
 * Every secret reference ECS resolves when it starts a task of a task definition, read from the
 * `DescribeTaskDefinition` response with the policy pack's own readers: the container reader
 * (policy-pack/lib/containers.ts: `secrets[].valueFrom`, `logConfiguration.secretOptions[].valueFrom`,
 * `repositoryCredentials.credentialsParameter`) and the `valueFrom` parser and grant rules
 * (policy-pack/lib/value-from.ts). Pure: no AWS calls.
 *
 * A reference by name (an SSM parameter, or a registry secret) is in the task's own region and
 * account (ECS Developer Guide, "Pass Systems Manager parameters through Amazon ECS environment
 * variables"); it is read here as the ARN built from the task definition's ARN, a partial ARN
 * (no random suffix) for a secret, which DescribeSecret accepts.
 */
import type { TaskDefinition } from "@aws-sdk/client-ecs";
import { Arn, formatArn, tryParseArn } from "../policy-pack/lib/arn";
import { SecretUse, taskDefinitionContainers } from "../policy-pack/lib/containers";
import {
    EcsSecretReference, RequiredGrant, SecretReference, SecretReferenceError, parseValueFrom, requiredGrants, secretsManagerReference,
    ssmParameterReference,
} from "../policy-pack/lib/value-from";

export interface TaskReference {
    readonly container: string;
    readonly use: SecretUse;
    /** The environment variable (`secrets`) or log option (`secretOptions`) name; empty for registry credentials. */
    readonly name: string;
    readonly valueFrom: string;
    /** The reference by ARN; undefined when `valueFrom` is no reference ECS could resolve, and `problem` says why. */
    readonly reference?: SecretReference;
    /** What the execution role must be allowed for ECS to read it (policy-pack `requiredGrants`). */
    readonly grants: readonly RequiredGrant[];
    readonly problem?: string;
}

/** How messages name a reference: `DB_PASSWORD`, `registry credentials of backend`, `log option x of backend`. */
export function describeReference(reference: Pick<TaskReference, "container" | "use" | "name">): string {
    switch (reference.use) {
        case "environment":
            return reference.name;
        case "registry":
            return `registry credentials of ${reference.container}`;
        case "log":
            return `log option ${reference.name} of ${reference.container}`;
    }
}

/** The references of every container of the task definition, in definition order. */
export function taskReferences(taskDefinition: TaskDefinition): TaskReference[] {
    const taskArn = taskDefinition.taskDefinitionArn === undefined ? undefined : tryParseArn(taskDefinition.taskDefinitionArn);
    const references: TaskReference[] = [];
    for (const container of taskDefinition.containerDefinitions ?? []) {
        const containerName = container.name ?? "(unnamed container)";
        const [view] = taskDefinitionContainers({ containerDefinitions: [container] }).containers;
        for (const entry of view?.secrets ?? []) {
            const valueFrom = entry.valueFrom ?? "";
            references.push({ container: containerName, use: entry.use, name: entry.name ?? "", valueFrom, ...resolve(valueFrom, entry.use, taskArn) });
        }
    }
    return references;
}

function resolve(valueFrom: string, use: SecretUse, taskArn: Arn | undefined): Pick<TaskReference, "reference" | "grants" | "problem"> {
    let parsed: EcsSecretReference;
    try {
        parsed = parseValueFrom(valueFrom, use);
    } catch (error) {
        if (error instanceof SecretReferenceError) {
            return { grants: [], problem: error.message };
        }
        throw error;
    }
    const grants = requiredGrants(parsed, taskArn ?? {});
    if (parsed.kind === "secretsmanager" || parsed.kind === "ssm") {
        return { reference: parsed, grants };
    }
    if (taskArn === undefined) {
        return { grants, problem: `"${valueFrom}" is a name, and the task definition's ARN (its region and account) is unknown` };
    }
    return { reference: byArn(parsed, taskArn), grants };
}

/** A reference by name as the ARN ECS reads it: in the task definition's partition, region and account. */
function byArn(reference: Exclude<EcsSecretReference, SecretReference>, taskArn: Arn): SecretReference {
    if (reference.kind === "ssm-name") {
        const name = reference.name.startsWith("/") ? reference.name : `/${reference.name}`;
        return ssmParameterReference(formatArn({ ...taskArn, service: "ssm", resource: `parameter${name}` }));
    }
    return secretsManagerReference(formatArn({ ...taskArn, service: "secretsmanager", resource: `secret:${reference.name}` }));
}
