/**
 * What the doctor read from the account: the AWS API responses the checks judge, as the AWS SDK
 * for JavaScript v3 types them. Produced by aws/read-deployment.ts, consumed by the pure checks;
 * tests build it by hand. It never holds a secret value: the reads that fill it are describe, get
 * (of metadata and policies), list and filter calls only, and log events are reduced to counts and
 * stream names as they arrive.
 */
import type { GetEventSelectorsResponse, GetTrailStatusResponse, Trail } from "@aws-sdk/client-cloudtrail";
import type { NatGateway, RouteTable, SecurityGroupRule, Subnet, VpcEndpoint } from "@aws-sdk/client-ec2";
import type { Service, Task, TaskDefinition } from "@aws-sdk/client-ecs";
import type { Role } from "@aws-sdk/client-iam";
import type { KeyMetadata } from "@aws-sdk/client-kms";
import type { DBInstance } from "@aws-sdk/client-rds";
import type { DescribeSecretResponse, SecretVersionsListEntry } from "@aws-sdk/client-secrets-manager";
import type { ParameterMetadata } from "@aws-sdk/client-ssm";

/** One read: its response, or that the resource does not exist, or why it could not be read. */
export type Read<T> =
    | { readonly status: "ok"; readonly value: T }
    | { readonly status: "not-found" }
    | { readonly status: "error"; readonly error: string };

export const found = <T>(value: T): Read<T> => ({ status: "ok", value });
export const notFound: Read<never> = { status: "not-found" };
export const readError = (error: string): Read<never> => ({ status: "error", error });

/** A Secrets Manager secret's metadata (`DescribeSecret`) and versions (`ListSecretVersionIds`): no value. */
export interface SecretState {
    readonly description: DescribeSecretResponse;
    readonly versions: readonly SecretVersionsListEntry[];
}

/** A policy document as IAM stores it (URL-decoded JSON text), and where it comes from. */
export interface RolePolicyDocument {
    /** The inline policy's name or the managed policy's ARN. */
    readonly source: string;
    readonly document: string;
}

/** An IAM role and every identity policy that applies to it. */
export interface RolePolicies {
    readonly role: Role;
    readonly inline: readonly RolePolicyDocument[];
    /** Attached managed policies, each at its default version. */
    readonly attached: readonly RolePolicyDocument[];
    /** The permissions boundary's default version, when the role has one. */
    readonly boundary?: RolePolicyDocument;
}

/** The network around the service's tasks: its subnets' VPC, routes, NAT gateways, endpoints and security group rules. */
export interface NetworkView {
    readonly subnets: readonly Subnet[];
    /** Every route table of the subnets' VPCs (explicit associations and the main table). */
    readonly routeTables: readonly RouteTable[];
    readonly natGateways: readonly NatGateway[];
    readonly endpoints: readonly VpcEndpoint[];
    /** The rules of the service's security groups and of the endpoints' security groups. */
    readonly securityGroupRules: readonly SecurityGroupRule[];
}

/** Log events in the window that match one leak pattern: how many, and in which streams. Never the text. */
export interface LogPatternMatches {
    readonly pattern: string;
    readonly events: number;
    /** Distinct stream names, at most `MAX_REPORTED_STREAMS`. */
    readonly streams: readonly string[];
    /** The search stopped at the page limit: there may be more. */
    readonly truncated: boolean;
}

export const MAX_REPORTED_STREAMS = 10;

export interface LogSearch {
    readonly logGroupName: string;
    readonly startTime: Date;
    readonly endTime: Date;
    readonly matches: readonly LogPatternMatches[];
}

export interface TrailState {
    readonly trail: Trail;
    readonly status: Read<GetTrailStatusResponse>;
    /** Read only for trails with custom event selectors (`HasCustomEventSelectors`). */
    readonly selectors?: Read<GetEventSelectorsResponse>;
}

export interface DeploymentSnapshot {
    readonly region: string;
    readonly service: Service;
    /** The service's current task definition. */
    readonly taskDefinition: TaskDefinition;
    /** The service's running tasks. */
    readonly tasks: Read<readonly Task[]>;
    /** Every Secrets Manager secret a reference names, and the database's master secret, by the ARN as written there. */
    readonly secrets: ReadonlyMap<string, Read<SecretState>>;
    /** Every SSM parameter a reference names, by parameter ARN. */
    readonly parameters: ReadonlyMap<string, Read<ParameterMetadata>>;
    /** KMS keys of the referenced secrets and parameters, by the key id they name (ARN, id or alias). */
    readonly kmsKeys: ReadonlyMap<string, Read<KeyMetadata>>;
    /** Undefined when the task definition has no execution role. */
    readonly executionRole?: Read<RolePolicies>;
    readonly network: Read<NetworkView>;
    readonly database: Read<DBInstance>;
    /** The stack's JWT secret, by its name from the stack's configuration. */
    readonly jwtSecret: Read<SecretState>;
    readonly logs: Read<LogSearch>;
    /** Trails that apply to the region (multi-region trails and trails whose home region it is). */
    readonly trails: Read<readonly TrailState[]>;
}
