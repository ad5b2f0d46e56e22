/**
 * The backend container as one object: its environment, its secrets and the execution grant derived
 * from them. `addSecret` is the counterpart of aws-cdk's `ContainerDefinition.addSecret`: one call
 * records the reference and what the execution role needs to resolve it, and both the container
 * definition ECS receives (`render`, its `secrets`) and the execution role's inline policy
 * (`executionSecretsPolicy`) are read from that one record, so they cannot drift.
 * The `valueFrom` format and the actions ECS needs per reference are policy-pack/lib/value-from.ts's,
 * shared with the pack. Pure: no Pulumi calls.
 */
import { parseArn } from "../policy-pack/lib/arn";
import {
    SecretReference,
    formatValueFrom,
    grantedArn,
    requiredActions,
    secretsManagerReference,
    ssmParameterReference,
} from "../policy-pack/lib/value-from";
import { IamPolicyDocument, IamPolicyStatement } from "./iam-policy";

export interface EnvironmentVariable {
    readonly name: string;
    readonly value: string;
}

export interface ContainerSecret {
    /** The environment variable the container sees. */
    readonly name: string;
    readonly reference: SecretReference;
    /** The customer-managed KMS key encrypting the secret; absent: an AWS-managed key, which needs no grant. */
    readonly kmsKeyArn?: string;
}

/** The ECS container definition's `secrets` entry. */
export interface TaskDefinitionSecret {
    readonly name: string;
    readonly valueFrom: string;
}

/** Always an Allow with a Sid and lists of actions and resources. */
export interface ExecutionPolicyStatement extends IamPolicyStatement {
    Sid: string;
    Effect: "Allow";
    Action: string[];
    Resource: string[];
}

export interface ExecutionPolicyDocument extends IamPolicyDocument {
    Statement: ExecutionPolicyStatement[];
}

export interface ContainerSettings {
    readonly name: string;
    /** `<repository>:<tag>`. */
    readonly image: string;
    readonly containerPort: number;
    readonly healthCheckPath: string;
    readonly logGroupName: string;
    /** Region of the log group (`awslogs-region`). */
    readonly region: string;
}

/** ECS environment variable names (ECS passes them to the container as given). */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Statement ids per service, so the role policy reads like the design document's. */
const SID_BY_SERVICE: Record<SecretReference["kind"], string> = {
    secretsmanager: "ReadOnlyRequiredSecrets",
    ssm: "ReadOnlyRequiredParameters",
};

export class ContainerDefinition {
    private readonly environmentVariables: EnvironmentVariable[] = [];
    private readonly secretList: ContainerSecret[] = [];

    constructor(readonly settings: ContainerSettings) {}

    get environment(): readonly EnvironmentVariable[] {
        return this.environmentVariables;
    }

    get secrets(): readonly ContainerSecret[] {
        return this.secretList;
    }

    /** A plain, non-secret variable: it is visible in the task definition. */
    addEnvironment(name: string, value: string): this {
        this.checkNewName(name, "environment variable");
        this.environmentVariables.push({ name, value });
        return this;
    }

    /**
     * A variable ECS resolves from Secrets Manager or SSM at task launch, and with it the grant:
     * `requiredActions(reference)` on `grantedArn(reference)`, plus `kms:Decrypt` on `kmsKeyArn`.
     * Throws on a name that is no environment variable name or is already defined.
     */
    addSecret(name: string, reference: SecretReference, options: { readonly kmsKeyArn?: string } = {}): this {
        this.checkNewName(name, "secret");
        this.secretList.push({ name, reference, ...(options.kmsKeyArn !== undefined && { kmsKeyArn: options.kmsKeyArn }) });
        return this;
    }

    /** The container's `secrets` as ECS expects them. */
    taskDefinitionSecrets(): TaskDefinitionSecret[] {
        return this.secretList.map(({ name, reference }) => ({ name, valueFrom: formatValueFrom(reference) }));
    }

    /** The container definition (one element of the task definition's `containerDefinitions`). */
    render(): Record<string, unknown> {
        const { name, image, containerPort, healthCheckPath, logGroupName, region } = this.settings;
        return {
            name,
            image,
            essential: true,
            portMappings: [{ containerPort, protocol: "tcp" }],
            healthCheck: {
                command: ["CMD-SHELL", `curl -fsS http://localhost:${containerPort}${healthCheckPath} || exit 1`],
                interval: 30,
                timeout: 5,
                retries: 3,
                startPeriod: 60,
            },
            logConfiguration: {
                logDriver: "awslogs",
                options: { "awslogs-group": logGroupName, "awslogs-region": region, "awslogs-stream-prefix": name },
            },
            environment: this.environmentVariables.map((variable) => ({ ...variable })),
            secrets: this.taskDefinitionSecrets(),
        };
    }

    /**
     * The execution role's inline policy: exactly the actions ECS needs on exactly the granted ARNs,
     * de-duplicated, one statement per action set, plus `kms:Decrypt` on the customer-managed keys of
     * the secrets, only through the service that holds them (`kms:ViaService`, in the secret's own
     * region). Nothing else, no wildcard. Throws when no secret was added (IAM rejects an empty
     * statement list).
     */
    executionSecretsPolicy(): ExecutionPolicyDocument {
        if (this.secretList.length === 0) {
            throw new Error("the execution secrets policy needs at least one secret reference (IAM rejects an empty statement list)");
        }
        const statements = new Map<string, { kind: SecretReference["kind"]; actions: string[]; resources: Set<string> }>();
        const keys = new Set<string>();
        const viaServices = new Set<string>();
        for (const { reference, kmsKeyArn } of this.secretList) {
            const actions = [...requiredActions(reference)].sort();
            const key = `${reference.kind}|${actions.join(",")}`;
            const statement = statements.get(key) ?? { kind: reference.kind, actions, resources: new Set<string>() };
            statement.resources.add(grantedArn(reference));
            statements.set(key, statement);
            if (kmsKeyArn !== undefined) {
                keys.add(kmsKeyArn);
                viaServices.add(`${reference.kind}.${parseArn(grantedArn(reference)).region}.amazonaws.com`);
            }
        }
        const Statement: ExecutionPolicyStatement[] = [...statements.values()].map(({ kind, actions, resources }) => ({
            Sid: SID_BY_SERVICE[kind],
            Effect: "Allow",
            Action: actions,
            Resource: [...resources].sort(),
        }));
        if (keys.size > 0) {
            Statement.push({
                Sid: "DecryptSecretsWithCustomerKey",
                Effect: "Allow",
                Action: ["kms:Decrypt"],
                Resource: [...keys].sort(),
                Condition: { StringEquals: { "kms:ViaService": [...viaServices].sort() } },
            });
        }
        return { Version: "2012-10-17", Statement };
    }

    private checkNewName(name: string, what: string): void {
        if (!ENV_NAME.test(name)) {
            throw new Error(`container ${what} name "${name}" is not a valid environment variable name`);
        }
        const existing = this.environmentVariables.some((variable) => variable.name === name) ? "a plain environment variable"
            : this.secretList.some((secret) => secret.name === name) ? "a secret" : undefined;
        if (existing !== undefined) {
            throw new Error(`container variable "${name}" is already defined as ${existing}; each variable needs exactly one source, and secrets go in "secrets" only`);
        }
    }
}

export interface BackendContainerSources {
    readonly dbAddress: string;
    readonly dbPort: number;
    readonly dbName: string;
    readonly dbUsername: string;
    /** `masterUserSecrets[0].secretArn` of the RDS instance (an RDS-managed JSON secret). */
    readonly dbMasterSecretArn: string;
    /** The customer-managed key of the RDS master secret; absent: the AWS-managed key. */
    readonly dbMasterSecretKmsKeyArn?: string;
    readonly jwtSecretArn: string;
    /** The customer-managed key of the JWT secret; absent: the AWS-managed key. */
    readonly jwtSecretKmsKeyArn?: string;
    readonly appBaseUrlParameterArn: string;
    /** `dev`, `staging` or `prod`, passed as APP_ENVIRONMENT. */
    readonly appEnvironment: string;
}

/**
 * The ADMA backend container: the design document's environment and secrets, plus JWT_SECRET_PREVIOUS,
 * the JWT secret's AWSPREVIOUS stage, so the backend accepts tokens signed with the previous key
 * during a rotation's grace period (it names the same secret, so it needs no grant of its own).
 */
export function backendContainer(settings: ContainerSettings, sources: BackendContainerSources): ContainerDefinition {
    const jwtKey = { kmsKeyArn: sources.jwtSecretKmsKeyArn };
    return new ContainerDefinition(settings)
        .addEnvironment("DB_HOST", sources.dbAddress)
        .addEnvironment("DB_PORT", String(sources.dbPort))
        .addEnvironment("DB_NAME", sources.dbName)
        .addEnvironment("DB_USERNAME", sources.dbUsername)
        .addEnvironment("APP_ENVIRONMENT", sources.appEnvironment)
        .addEnvironment("SERVER_PORT", String(settings.containerPort))
        .addSecret("DB_PASSWORD", secretsManagerReference(sources.dbMasterSecretArn, { jsonKey: "password" }),
            { kmsKeyArn: sources.dbMasterSecretKmsKeyArn })
        .addSecret("JWT_SECRET", secretsManagerReference(sources.jwtSecretArn), jwtKey)
        .addSecret("JWT_SECRET_PREVIOUS", secretsManagerReference(sources.jwtSecretArn, { versionStage: "AWSPREVIOUS" }), jwtKey)
        .addSecret("APP_BASE_URL", ssmParameterReference(sources.appBaseUrlParameterArn));
}
