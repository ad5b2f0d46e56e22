/**
 * The backend container's secrets as ONE typed list: an environment variable name and a
 * `SecretReference`. The task definition's `secrets` and the execution role's grant are both
 * derived from this list (see execution-policy.ts), so they cannot drift (the model of aws-cdk's
 * ContainerDefinition.addSecret). Pure: no Pulumi calls.
 */
import {
    SecretReference,
    formatValueFrom,
    secretsManagerReference,
    ssmParameterReference,
} from "../policy-pack/lib/value-from";

export interface ContainerSecret {
    /** The environment variable the container sees. */
    readonly name: string;
    readonly reference: SecretReference;
}

/** The ECS container definition's `secrets` entry. */
export interface TaskDefinitionSecret {
    readonly name: string;
    readonly valueFrom: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Formats the list for the container definition, rejecting invalid or duplicate names. */
export function taskDefinitionSecrets(secrets: readonly ContainerSecret[]): TaskDefinitionSecret[] {
    const seen = new Set<string>();
    for (const { name } of secrets) {
        if (!ENV_NAME.test(name)) {
            throw new Error(`container secret name "${name}" is not a valid environment variable name`);
        }
        if (seen.has(name)) {
            throw new Error(`container secret "${name}" is defined twice; each environment variable needs exactly one source`);
        }
        seen.add(name);
    }
    return secrets.map(({ name, reference }) => ({ name, valueFrom: formatValueFrom(reference) }));
}

export interface BackendSecretSources {
    /** `masterUserSecrets[0].secretArn` of the RDS instance (an RDS-managed JSON secret). */
    readonly dbMasterSecretArn: string;
    readonly jwtSecretArn: string;
    readonly appBaseUrlParameterArn: string;
}

/**
 * The seed's secrets plus JWT_SECRET_PREVIOUS: the JWT secret's AWSPREVIOUS stage, so the backend
 * accepts tokens signed with the previous key during a rotation's grace period.
 */
export function backendContainerSecrets(sources: BackendSecretSources): ContainerSecret[] {
    return [
        { name: "DB_PASSWORD", reference: secretsManagerReference(sources.dbMasterSecretArn, { jsonKey: "password" }) },
        { name: "JWT_SECRET", reference: secretsManagerReference(sources.jwtSecretArn) },
        { name: "JWT_SECRET_PREVIOUS", reference: secretsManagerReference(sources.jwtSecretArn, { versionStage: "AWSPREVIOUS" }) },
        { name: "APP_BASE_URL", reference: ssmParameterReference(sources.appBaseUrlParameterArn) },
    ];
}
