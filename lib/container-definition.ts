/**
 * The backend's ECS container definition (the JSON inside the task definition). Pure: no Pulumi
 * calls, so the exact document ECS receives is unit-testable.
 */
import { ContainerSecret, taskDefinitionSecrets } from "./container-secrets";

export interface EnvironmentVariable {
    readonly name: string;
    readonly value: string;
}

export interface BackendContainerArgs {
    readonly name: string;
    readonly image: string;
    readonly containerPort: number;
    readonly healthCheckPath: string;
    readonly logGroupName: string;
    readonly region: string;
    /** Non-secret values only: they are visible in the task definition. */
    readonly environment: readonly EnvironmentVariable[];
    readonly secrets: readonly ContainerSecret[];
}

export function backendContainerDefinition(args: BackendContainerArgs): Record<string, unknown> {
    const secretNames = new Set(args.secrets.map((secret) => secret.name));
    const clash = args.environment.find((variable) => secretNames.has(variable.name));
    if (clash) {
        throw new Error(`container variable "${clash.name}" is both a plain environment variable and a secret; secrets go in "secrets" only`);
    }
    return {
        name: args.name,
        image: args.image,
        essential: true,
        portMappings: [{ containerPort: args.containerPort, protocol: "tcp" }],
        healthCheck: {
            command: ["CMD-SHELL", `curl -fsS http://localhost:${args.containerPort}${args.healthCheckPath} || exit 1`],
            interval: 30,
            timeout: 5,
            retries: 3,
            startPeriod: 60,
        },
        logConfiguration: {
            logDriver: "awslogs",
            options: {
                "awslogs-group": args.logGroupName,
                "awslogs-region": args.region,
                "awslogs-stream-prefix": args.name,
            },
        },
        environment: args.environment.map(({ name, value }) => ({ name, value })),
        secrets: taskDefinitionSecrets(args.secrets),
    };
}
