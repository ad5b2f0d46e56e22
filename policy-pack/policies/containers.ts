/**
 * What containers receive: secrets through `secrets[].valueFrom`, never as plain environment
 * values, and references to RDS-managed secrets that pick the right JSON key.
 */
import { ContainerSet, SecretUse, awsxContainers, lambdaEnvironmentNames, taskDefinitionContainers } from "../lib/containers";
import type { InputTerms } from "../lib/input-terms";
import { RDS_MANAGED_SECRET_KEYS, isRdsManagedSecretArn } from "../lib/rds-managed-secret";
import { OpaquePaths } from "../lib/unknowns";
import { EcsSecretReference, SecretReferenceError, parseValueFrom } from "../lib/value-from";
import * as types from "./resource-types";
import { CheckedResource, lowerCaseSet, resourcePolicy } from "./support";

/** The containers of an ECS task definition or awsx ECS component (undefined for other types). */
export function containersOf(resource: CheckedResource): ContainerSet | undefined {
    if (types.TASK_DEFINITIONS.includes(resource.type)) {
        return taskDefinitionContainers(resource.props);
    }
    if ((types.AWSX_CONTAINER_COMPONENTS as readonly string[]).includes(resource.type)) {
        return awsxContainers(resource.props);
    }
    return undefined;
}

/**
 * Whether an awsx ECS component created the resource from container arguments it carries itself:
 * a URN's type names the resource's ancestors (`awsx:ecs:FargateService$awsx:ecs:FargateTaskDefinition$aws:ecs/taskDefinition:TaskDefinition`),
 * and an awsx service's task definition component, and that component's task definition, repeat
 * the containers of the component above them. A fault in them is reported once, on the outermost
 * resource, where the program wrote it.
 */
export function carriedByAwsxAncestor(urn: string): boolean {
    const parts = urn.split("::");
    const ancestors = parts.length >= 4 ? parts[parts.length - 2].split("$").slice(0, -1) : [];
    return ancestors.some((type) => (types.AWSX_CONTAINER_COMPONENTS as readonly string[]).includes(type));
}

/** Copies what could not be read into the check's opaque paths; reports definitions ECS would reject. */
function adoptContainerSet(resource: CheckedResource, set: ContainerSet, report: (message: string) => void, opaque: OpaquePaths, terms: InputTerms): void {
    opaque.adopt(set.opaque);
    set.errors.forEach((error) => report(`${terms.path(resource.type, error.path)} ${error.problem}, so its containers cannot be checked`));
}

export interface JwtEnvironmentConfig {
    forbiddenEnvironmentNames: string[];
}

const CONTAINER_TYPES = [...types.TASK_DEFINITIONS, ...types.AWSX_CONTAINER_COMPONENTS];

export const noJwtSecretInEnvironment = resourcePolicy<JwtEnvironmentConfig>({
    name: "no-jwt-secret-in-environment",
    description: "Secrets such as JWT_SECRET must reach containers and functions through secrets[].valueFrom (Secrets Manager), never as a plain environment variable.",
    enforcementLevel: "mandatory",
    resourceTypes: [...CONTAINER_TYPES, ...types.LAMBDA_FUNCTIONS],
    config: {
        schema: {
            forbiddenEnvironmentNames: {
                type: "array",
                items: { type: "string" },
                description: "Environment variable names that must never carry a plain value (compared case-insensitively).",
                default: ["JWT_SECRET"],
            },
        },
        defaults: { forbiddenEnvironmentNames: ["JWT_SECRET"] },
    },
    check: (resource, config, report, opaque, terms) => {
        if (carriedByAwsxAncestor(resource.urn)) {
            return;
        }
        const forbidden = lowerCaseSet(config.forbiddenEnvironmentNames);
        const containers = containersOf(resource);
        let entries;
        if (containers === undefined) {
            entries = lambdaEnvironmentNames(resource.props, opaque);
        } else {
            adoptContainerSet(resource, containers, report, opaque, terms);
            entries = containers.containers.flatMap((container) => container.environment);
        }
        for (const entry of entries) {
            if (forbidden.has(entry.name.trim().toLowerCase())) {
                report(`${terms.path(resource.type, entry.path)} sets "${entry.name}" as a plain environment variable, readable in the resource's configuration, ` +
                    "the console and the state; pass it through secrets[] with valueFrom set to the Secrets Manager secret ARN");
            }
        }
    },
});

export const rdsSecretReferenceJsonKey = resourcePolicy({
    name: "rds-secret-reference-json-key",
    description: "A container secret that references an RDS-managed secret must select a JSON key (\":password::\" for a password), or the container receives the whole JSON document.",
    enforcementLevel: "mandatory",
    resourceTypes: CONTAINER_TYPES,
    check: (resource, _config, report, opaque, terms) => {
        const containers = containersOf(resource);
        if (containers === undefined || carriedByAwsxAncestor(resource.urn)) {
            return;
        }
        adoptContainerSet(resource, containers, report, opaque, terms);
        for (const entry of containers.containers.flatMap((container) => container.secrets)) {
            // Registry credentials are the whole secret by design; an unparseable reference is execution-role-secret-access's to report.
            const { name, valueFrom } = entry;
            const reference = valueFrom === undefined || name === undefined ? undefined : tryParseValueFrom(valueFrom, entry.use);
            if (name === undefined || reference === undefined || reference.kind !== "secretsmanager") {
                continue;
            }
            if (!isRdsManagedSecretArn(reference.secretArn)) {
                continue;
            }
            const wantsPassword = /PASSWORD|PASSWD|PWD/i.test(name);
            if (reference.jsonKey === undefined) {
                report(`${terms.path(resource.type, entry.path)} ("${name}") reads the whole RDS-managed secret, a JSON document; ` +
                    `select the key: "${reference.secretArn}:${wantsPassword ? "password" : "<username|password>"}::"`);
            } else if (!RDS_MANAGED_SECRET_KEYS.includes(reference.jsonKey) || (wantsPassword && reference.jsonKey !== "password")) {
                report(`${terms.path(resource.type, entry.path)} ("${name}") reads JSON key "${reference.jsonKey}" of an RDS-managed secret, ` +
                    `which holds only ${RDS_MANAGED_SECRET_KEYS.map((key) => `"${key}"`).join(" and ")}; ` +
                    `use "${reference.secretArn}:${wantsPassword ? "password" : "username"}::"`);
            }
        }
    },
});

function tryParseValueFrom(valueFrom: string, use: SecretUse): EcsSecretReference | undefined {
    try {
        return parseValueFrom(valueFrom, use);
    } catch (error) {
        if (error instanceof SecretReferenceError) {
            return undefined;
        }
        throw error;
    }
}

export const containerPolicies = [noJwtSecretInEnvironment, rdsSecretReferenceJsonKey];
