/**
 * Every secret reference ECS resolves when it starts a task of a task definition, read from the
 * `DescribeTaskDefinition` response. Pure: no AWS calls.
 *
 * ECS resolves three kinds (Amazon ECS Developer Guide, "Pass sensitive data to an Amazon ECS
 * container" and "Private registry authentication for tasks"): a container's `secrets[].valueFrom`,
 * its `repositoryCredentials.credentialsParameter` (a Secrets Manager secret), and its log driver's
 * `logConfiguration.secretOptions[].valueFrom`. A Secrets Manager secret is referenced by full or
 * partial ARN; an SSM parameter by ARN or, in the task's own region, by name, which is read here as
 * the parameter's ARN in the task definition's partition, region and account.
 */
import type { ContainerDefinition, TaskDefinition } from "@aws-sdk/client-ecs";
import { formatArn, tryParseArn } from "../policy-pack/lib/arn";
import { SecretReference, SecretReferenceError, parseValueFrom } from "../policy-pack/lib/value-from";

export type ReferenceKind = "secret" | "repository-credentials" | "log-secret-option";

export interface TaskReference {
    readonly container: string;
    readonly kind: ReferenceKind;
    /** The environment variable (`secrets`) or log option (`secretOptions`) name; the container's name for registry credentials. */
    readonly name: string;
    readonly valueFrom: string;
    /** Undefined when `valueFrom` is no reference ECS could resolve; `problem` says why. */
    readonly reference?: SecretReference;
    readonly problem?: string;
}

/** How messages name a reference: `DB_PASSWORD`, `registry credentials of backend`, `log option x of backend`. */
export function describeReference(reference: Pick<TaskReference, "container" | "kind" | "name">): string {
    switch (reference.kind) {
        case "secret":
            return reference.name;
        case "repository-credentials":
            return `registry credentials of ${reference.container}`;
        case "log-secret-option":
            return `log option ${reference.name} of ${reference.container}`;
    }
}

/** The references of every container of the task definition, in definition order. */
export function taskReferences(taskDefinition: TaskDefinition): TaskReference[] {
    const taskArn = taskDefinition.taskDefinitionArn === undefined ? undefined : tryParseArn(taskDefinition.taskDefinitionArn);
    const references: TaskReference[] = [];
    for (const container of taskDefinition.containerDefinitions ?? []) {
        const containerName = container.name ?? "(unnamed container)";
        for (const { kind, name, valueFrom } of rawReferences(container, containerName)) {
            references.push({ container: containerName, kind, name, valueFrom, ...resolve(valueFrom, kind, taskArn) });
        }
    }
    return references;
}

function rawReferences(container: ContainerDefinition, containerName: string): Array<{ kind: ReferenceKind; name: string; valueFrom: string }> {
    const found: Array<{ kind: ReferenceKind; name: string; valueFrom: string }> = [];
    for (const secret of container.secrets ?? []) {
        found.push({ kind: "secret", name: secret.name ?? "", valueFrom: secret.valueFrom ?? "" });
    }
    const credentials = container.repositoryCredentials?.credentialsParameter;
    if (credentials !== undefined) {
        found.push({ kind: "repository-credentials", name: containerName, valueFrom: credentials });
    }
    for (const option of container.logConfiguration?.secretOptions ?? []) {
        found.push({ kind: "log-secret-option", name: option.name ?? "", valueFrom: option.valueFrom ?? "" });
    }
    return found;
}

function resolve(valueFrom: string, kind: ReferenceKind, taskArn: ReturnType<typeof tryParseArn>): { reference: SecretReference } | { problem: string } {
    const asArn = tryParseArn(valueFrom) === undefined && taskArn !== undefined && kind !== "repository-credentials"
        ? parameterArnForName(valueFrom, taskArn)
        : valueFrom;
    try {
        const reference = parseValueFrom(asArn);
        if (kind === "repository-credentials" && reference.kind !== "secretsmanager") {
            return { problem: `registry credentials must be a Secrets Manager secret, got "${valueFrom}"` };
        }
        return { reference };
    } catch (error) {
        if (error instanceof SecretReferenceError) {
            return { problem: error.message };
        }
        throw error;
    }
}

/** `name` or `/path/name` as the ARN of a parameter in the task definition's partition, region and account. */
function parameterArnForName(name: string, taskArn: NonNullable<ReturnType<typeof tryParseArn>>): string {
    const resource = name.startsWith("/") ? `parameter${name}` : `parameter/${name}`;
    return formatArn({ ...taskArn, service: "ssm", resource });
}
