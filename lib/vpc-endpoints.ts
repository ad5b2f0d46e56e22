/**
 * The AWS endpoints a Fargate task of this stack reaches at launch and while it runs, for VPCs whose
 * private subnets have no route out (no NAT gateway). Pure: no Pulumi calls.
 *
 * Source: Amazon ECS Developer Guide, "Amazon ECS interface VPC endpoints (AWS PrivateLink)": tasks on
 * Fargate platform 1.4 that pull images from Amazon ECR need the `ecr.dkr` and `ecr.api` interface
 * endpoints and the S3 gateway endpoint (image layers are stored in S3), the `awslogs` log driver needs
 * `logs`, and secrets referenced from Secrets Manager or SSM Parameter Store need `secretsmanager` and
 * `ssm`. Interface endpoints resolve the service's public name only with private DNS, which needs the
 * VPC's `enableDnsSupport` and `enableDnsHostnames` (AWS PrivateLink Guide, "DNS attributes for your VPC"),
 * and take one subnet per Availability Zone (AWS PrivateLink Guide, "Create an interface endpoint").
 */

export interface TaskEndpoint {
    /** The key of its `Name` tag in the network's names (lib/naming.ts). */
    readonly nameKey: "ssmEndpoint" | "ecrApiEndpoint" | "ecrDkrEndpoint" | "logsEndpoint" | "s3Endpoint";
    /** The service part of `com.amazonaws.<region>.<service>`. */
    readonly service: string;
    readonly type: "Interface" | "Gateway";
    /** What the task uses it for. */
    readonly purpose: string;
}

/** Besides Secrets Manager's, which the stack creates on its own (`adma:createSecretsManagerEndpoint`). */
export const TASK_ENDPOINTS: readonly TaskEndpoint[] = [
    { nameKey: "ssmEndpoint", service: "ssm", type: "Interface", purpose: "APP_BASE_URL, an SSM parameter ECS reads at launch" },
    { nameKey: "ecrApiEndpoint", service: "ecr.api", type: "Interface", purpose: "the image's manifest and the registry's authorization token" },
    { nameKey: "ecrDkrEndpoint", service: "ecr.dkr", type: "Interface", purpose: "the image pull" },
    { nameKey: "logsEndpoint", service: "logs", type: "Interface", purpose: "the awslogs log driver" },
    { nameKey: "s3Endpoint", service: "s3", type: "Gateway", purpose: "the image's layers, which ECR keeps in S3" },
];

/** `com.amazonaws.<region>.<service>`. */
export function endpointServiceName(region: string, service: string): string {
    return `com.amazonaws.${region}.${service}`;
}
