/**
 * The AWS SDK for JavaScript v3 clients the doctor reads with, each guarded so it can send only
 * the read-only calls listed in `READ_ONLY_ACTIONS`: describe, list and get calls that return
 * metadata and policies, and `FilterLogEvents`, whose matched text is reduced to counts at once.
 * Never `GetSecretValue`, `BatchGetSecretValue` or `GetParameter(s)`, which return secret values,
 * and nothing that changes anything. The guard runs before a request is built, so a call outside
 * the list fails in this process and never reaches AWS.
 *
 * Configuration is the SDK's own: credentials from its default chain (environment, shared config
 * and credentials files with `AWS_PROFILE`, SSO, web identity, container and instance metadata),
 * and `AWS_ENDPOINT_URL` (or `AWS_ENDPOINT_URL_<SERVICE>`) for another endpoint (AWS SDKs and Tools
 * Reference Guide, "Service-specific endpoints"). Tests pass an explicit endpoint and credentials.
 */
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ECSClient } from "@aws-sdk/client-ecs";
import { IAMClient } from "@aws-sdk/client-iam";
import { KMSClient } from "@aws-sdk/client-kms";
import { RDSClient } from "@aws-sdk/client-rds";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SSMClient } from "@aws-sdk/client-ssm";
import { STSClient } from "@aws-sdk/client-sts";
import type { InitializeMiddleware, MiddlewareStack } from "@smithy/types";

/**
 * Every call the doctor may make, as IAM actions by service prefix (the IAM policy an operator
 * needs to run it: docs/operations.md lists it, and a test keeps the two equal).
 */
export const READ_ONLY_ACTIONS: Readonly<Record<string, readonly string[]>> = {
    sts: ["GetCallerIdentity"],
    ecs: ["DescribeServices", "DescribeTaskDefinition", "ListTasks", "DescribeTasks"],
    secretsmanager: ["DescribeSecret", "ListSecretVersionIds"],
    ssm: ["DescribeParameters"],
    kms: ["DescribeKey"],
    iam: ["GetRole", "ListRolePolicies", "GetRolePolicy", "ListAttachedRolePolicies", "GetPolicy", "GetPolicyVersion"],
    ec2: ["DescribeSubnets", "DescribeRouteTables", "DescribeNatGateways", "DescribeVpcEndpoints", "DescribeSecurityGroupRules"],
    rds: ["DescribeDBInstances"],
    logs: ["DescribeLogGroups", "FilterLogEvents"],
    cloudtrail: ["DescribeTrails", "GetTrailStatus", "GetEventSelectors"],
};

/** The same calls by the SDK's command names, which the guard sees. */
export const READ_ONLY_COMMANDS: ReadonlySet<string> = new Set(Object.values(READ_ONLY_ACTIONS).flat().map((action) => `${action}Command`));

export class ForbiddenCommandError extends Error {
    constructor(readonly commandName: string) {
        super(`the doctor never sends ${commandName}: it sends only read-only calls that return no secret value`);
        this.name = "ForbiddenCommandError";
    }
}

export interface DoctorClients {
    readonly sts: STSClient;
    readonly ecs: ECSClient;
    readonly secretsManager: SecretsManagerClient;
    readonly ssm: SSMClient;
    readonly kms: KMSClient;
    readonly iam: IAMClient;
    readonly ec2: EC2Client;
    readonly rds: RDSClient;
    readonly logs: CloudWatchLogsClient;
    readonly cloudTrail: CloudTrailClient;
}

/** What every client is built with: the region, and in tests an endpoint and credentials. */
export interface DoctorClientConfig {
    readonly region: string;
    readonly endpoint?: string;
    readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** Any SDK v3 client: each has a middleware stack the guard is added to. */
interface GuardableClient {
    readonly middlewareStack: Pick<MiddlewareStack<object, object>, "add">;
}

/** Lets only `READ_ONLY_COMMANDS` through the client; `onSend` (tests) hears every command that passes. */
export function guardReadOnly<C extends GuardableClient>(client: C, onSend?: (commandName: string) => void): C {
    const guard: InitializeMiddleware<object, object> = (next, context) => async (args) => {
        const name = context.commandName ?? "(unnamed command)";
        if (!READ_ONLY_COMMANDS.has(name)) {
            throw new ForbiddenCommandError(name);
        }
        onSend?.(name);
        return next(args);
    };
    client.middlewareStack.add(guard, { step: "initialize", name: "doctorReadOnlyGuard" });
    return client;
}

export function doctorClients(config: DoctorClientConfig, onSend?: (commandName: string) => void): DoctorClients {
    const settings = { ...config, credentials: config.credentials && { ...config.credentials } };
    const guard = <C extends GuardableClient>(client: C) => guardReadOnly(client, onSend);
    return {
        sts: guard(new STSClient(settings)),
        ecs: guard(new ECSClient(settings)),
        secretsManager: guard(new SecretsManagerClient(settings)),
        ssm: guard(new SSMClient(settings)),
        kms: guard(new KMSClient(settings)),
        iam: guard(new IAMClient(settings)),
        ec2: guard(new EC2Client(settings)),
        rds: guard(new RDSClient(settings)),
        logs: guard(new CloudWatchLogsClient(settings)),
        cloudTrail: guard(new CloudTrailClient(settings)),
    };
}

/** Closes every client's connections. */
export function destroyClients(clients: DoctorClients): void {
    Object.values(clients).forEach((client) => client.destroy());
}
