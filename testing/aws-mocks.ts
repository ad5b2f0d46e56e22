/**
 * `pulumi.runtime.Mocks` that answer like AWS: ARNs with region and account, Secrets Manager ARNs
 * with their 6-character suffix, RDS `masterUserSecrets`, awsx VPC subnet ids, and the invokes the
 * program makes (getCallerIdentity, getRegion, getPartition, getAvailabilityZones).
 *
 * Deterministic: every id is derived from the resource's name (and, where AWS would mint a new one
 * on a new value, from that value), never random, so two runs agree. No side effects at import.
 * Shared by the tests and the offline preview tool; nothing here is specific to one test.
 */
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { isProviderType } from "../policy-pack/policies/resource-types";

export interface AwsMocksOptions {
    /** Default: eu-west-1. */
    readonly region?: string;
    /** Default: 123456789012. */
    readonly accountId?: string;
    /**
     * What a `pulumi.StackReference` reads, by stack name (`<organization>/<project>/<stack>`): the
     * outputs of that stack's last deployment. A stack not listed has none (it was never deployed).
     */
    readonly stackOutputs?: Readonly<Record<string, Record<string, unknown>>>;
    /**
     * What DescribeVpcs/DescribeSubnets report for existing VPCs and subnets. Not listed: a VPC with DNS
     * support and hostnames on, and a subnet in the VPC asked about last, the i-th one asked in the
     * region's i-th Availability Zone (a, b, c, a, ...).
     */
    readonly existingNetwork?: {
        readonly vpcs?: Readonly<Record<string, { readonly enableDnsSupport: boolean; readonly enableDnsHostnames: boolean }>>;
        readonly subnets?: Readonly<Record<string, { readonly vpcId: string; readonly availabilityZone: string }>>;
    };
}

type State = Record<string, unknown>;
type ResourceMock = (args: pulumi.runtime.MockResourceArgs, name: string) => { id: string; state: State };

export class AwsMocks implements pulumi.runtime.Mocks {
    readonly region: string;
    readonly accountId: string;
    readonly partition = "aws";
    private readonly resources: Record<string, ResourceMock>;
    private readonly calls: Record<string, (inputs: State) => State>;
    private readonly stackOutputs: Readonly<Record<string, Record<string, unknown>>>;
    private readonly existingNetwork: NonNullable<AwsMocksOptions["existingNetwork"]>;
    private lastVpcAsked = "";
    private subnetsAsked = 0;

    constructor(options: AwsMocksOptions = {}) {
        this.region = options.region ?? "eu-west-1";
        this.accountId = options.accountId ?? "123456789012";
        this.stackOutputs = options.stackOutputs ?? {};
        this.existingNetwork = options.existingNetwork ?? {};
        this.resources = this.resourceMocks();
        this.calls = this.callMocks();
    }

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: State } {
        const name = physicalName(args);
        const mock = this.resources[args.type];
        if (mock) {
            const { id, state } = mock(args, name);
            return { id, state: { ...args.inputs, ...state } };
        }
        if (isProviderType(args.type)) {
            return { id: `${args.name}-provider-id`, state: args.inputs };
        }
        return { id: `${name}-${hex(args.type + name, 8)}`, state: { ...args.inputs, ...this.genericArn(args.type, name) } };
    }

    call(args: pulumi.runtime.MockCallArgs): State {
        const mock = this.calls[args.token];
        return mock ? mock(args.inputs) : args.inputs;
    }

    /** `arn:aws:<service>:<region>:<account>:<resource>`; `region: ""` for global services. */
    arn(service: string, resource: string, region: string = this.region): string {
        return `arn:${this.partition}:${service}:${region}:${this.accountId}:${resource}`;
    }

    /** The AWS managed key of a service in this account and region, e.g. `aws/secretsmanager`'s. */
    awsManagedKeyArn(service: string): string {
        return this.arn("kms", `key/${uuid(`aws/${service}`)}`);
    }

    /** A Secrets Manager ARN: AWS appends `-` and 6 random characters to the name. */
    secretArn(secretName: string): string {
        return this.arn("secretsmanager", `secret:${secretName}-${suffix6(secretName)}`);
    }

    private resourceMocks(): Record<string, ResourceMock> {
        const named = (service: string, resource: (name: string) => string, idIsArn = false): ResourceMock =>
            (_args, name) => {
                const arn = this.arn(service, resource(name));
                return { id: idIsArn ? arn : name, state: { arn } };
            };
        return {
            "random:index/randomPassword:RandomPassword": (args, name) => {
                const length = Number(args.inputs.length ?? 16);
                const result = password(`${name}|${JSON.stringify(args.inputs.keepers ?? {})}`, length, String(args.inputs.overrideSpecial ?? "!@#$%&*"));
                return { id: "none", state: { result, bcryptHash: `$2a$10$${hex(result, 53)}` } };
            },
            "random:index/randomId:RandomId": (args, name) => {
                const bytes = Buffer.from(hex(`random-id|${name}|${JSON.stringify(args.inputs.keepers ?? {})}`, 2 * Number(args.inputs.byteLength)), "hex");
                const b64Url = bytes.toString("base64url");
                return {
                    id: b64Url,
                    state: { hex: bytes.toString("hex"), b64Std: bytes.toString("base64"), b64Url, dec: BigInt(`0x${bytes.toString("hex")}`).toString() },
                };
            },
            "pulumi:pulumi:StackReference": (args) => {
                const stack = String(args.inputs.name);
                return { id: stack, state: { name: stack, outputs: this.stackOutputs[stack] ?? {}, secretOutputNames: [] } };
            },
            "aws:secretsmanager/secret:Secret": (_args, name) => {
                const arn = this.secretArn(name);
                return { id: arn, state: { arn, name } };
            },
            "aws:secretsmanager/secretVersion:SecretVersion": (args, name) => {
                const secretId = String(args.inputs.secretId);
                // A new value is a new version in AWS; keep that visible under mocks.
                const versionId = uuid(`${name}|${JSON.stringify(revealed(args.inputs.secretString ?? args.inputs.secretBinary ?? ""))}`);
                return {
                    id: `${secretId}|${versionId}`,
                    state: { arn: secretId, versionId, versionStages: args.inputs.versionStages ?? ["AWSCURRENT"] },
                };
            },
            "aws:secretsmanager/secretRotation:SecretRotation": (args) => ({
                id: String(args.inputs.secretId), state: { rotationEnabled: true },
            }),
            "aws:kms/key:Key": (_args, name) => {
                const keyId = uuid(`kms|${name}`);
                return { id: keyId, state: { keyId, arn: this.arn("kms", `key/${keyId}`) } };
            },
            "aws:kms/alias:Alias": (args, name) => ({
                id: name,
                state: { arn: this.arn("kms", name), targetKeyArn: this.arn("kms", `key/${String(args.inputs.targetKeyId)}`) },
            }),
            "aws:rds/instance:Instance": (args, name) => {
                const address = `${name}.c${hex(`rds|${name}`, 12)}.${this.region}.rds.amazonaws.com`;
                const port = Number(args.inputs.port ?? 5432);
                const resourceId = `db-${hex(`rds-resource|${name}`, 26).toUpperCase()}`;
                const managed = args.inputs.manageMasterUserPassword === true;
                return {
                    id: name,
                    state: {
                        identifier: name,
                        arn: this.arn("rds", `db:${name}`),
                        address,
                        port,
                        endpoint: `${address}:${port}`,
                        resourceId,
                        hostedZoneId: "Z29XKXDKYMONMX",
                        masterUserSecrets: managed ? [{
                            secretArn: this.secretArn(`rds!db-${uuid(`rds-secret|${name}`)}`),
                            secretStatus: "active",
                            kmsKeyId: args.inputs.masterUserSecretKmsKeyId ?? this.awsManagedKeyArn("secretsmanager"),
                        }] : [],
                    },
                };
            },
            "aws:rds/subnetGroup:SubnetGroup": named("rds", (n) => `subgrp:${n}`),
            "aws:rds/parameterGroup:ParameterGroup": named("rds", (n) => `pg:${n}`),
            "aws:ec2/securityGroup:SecurityGroup": (_args, name) => {
                const id = `sg-${hex(`sg|${name}`, 17)}`;
                return { id, state: { arn: this.arn("ec2", `security-group/${id}`), ownerId: this.accountId } };
            },
            "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": (_args, name) => this.ec2Id("sgr", name, "security-group-rule"),
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (_args, name) => this.ec2Id("sgr", name, "security-group-rule"),
            "aws:ec2/vpcEndpoint:VpcEndpoint": (_args, name) => {
                const id = `vpce-${hex(`vpce|${name}`, 17)}`;
                return {
                    id,
                    state: {
                        arn: this.arn("ec2", `vpc-endpoint/${id}`),
                        dnsEntries: [{ dnsName: `${id}.secretsmanager.${this.region}.vpce.amazonaws.com`, hostedZoneId: "Z2MOCKVPCE" }],
                        state: "available",
                    },
                };
            },
            "awsx:ec2:Vpc": (_args, name) => {
                const vpcId = `vpc-${hex(`vpc|${name}`, 17)}`;
                const subnets = (kind: string) => ["a", "b", "c"].map((az) => `subnet-${hex(`${kind}|${name}|${az}`, 17)}`);
                return { id: vpcId, state: { vpcId, privateSubnetIds: subnets("private"), publicSubnetIds: subnets("public"), isolatedSubnetIds: [] } };
            },
            "aws:iam/role:Role": (_args, name) => ({
                id: name,
                state: { arn: this.arn("iam", `role/${name}`, ""), uniqueId: `AROA${hex(`role|${name}`, 17).toUpperCase()}` },
            }),
            "aws:iam/rolePolicy:RolePolicy": (args, name) => ({ id: `${String(args.inputs.role)}:${name}`, state: {} }),
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (args, name) => ({ id: `${String(args.inputs.role)}-${hex(name, 8)}`, state: {} }),
            "aws:iam/policy:Policy": named("iam", (n) => `policy/${n}`),
            "aws:ecs/cluster:Cluster": named("ecs", (n) => `cluster/${n}`, true),
            "aws:ecs/taskDefinition:TaskDefinition": (args) => {
                const family = String(args.inputs.family);
                const arnWithoutRevision = this.arn("ecs", `task-definition/${family}`);
                return { id: family, state: { arn: `${arnWithoutRevision}:1`, arnWithoutRevision, revision: 1 } };
            },
            "aws:ecs/service:Service": (args, name) => {
                const clusterName = String(args.inputs.cluster ?? "default").split("/").pop();
                return { id: this.arn("ecs", `service/${clusterName}/${name}`), state: {} };
            },
            "aws:cloudwatch/logGroup:LogGroup": named("logs", (n) => `log-group:${n}`),
            "aws:cloudwatch/metricAlarm:MetricAlarm": named("cloudwatch", (n) => `alarm:${n}`),
            "aws:cloudwatch/eventRule:EventRule": named("events", (n) => `rule/${n}`),
            "aws:sns/topic:Topic": (_args, name) => {
                const arn = this.arn("sns", name);
                return { id: arn, state: { arn } };
            },
            "aws:sfn/stateMachine:StateMachine": named("states", (n) => `stateMachine:${n}`, true),
            "aws:ssm/parameter:Parameter": named("ssm", (n) => `parameter/${n.replace(/^\//, "")}`),
        };
    }

    private callMocks(): Record<string, (inputs: State) => State> {
        return {
            "aws:index/getCallerIdentity:getCallerIdentity": () => ({
                accountId: this.accountId,
                arn: this.arn("iam", "user/offline-preview", ""),
                userId: `AIDA${hex("caller", 17).toUpperCase()}`,
                id: this.accountId,
            }),
            "aws:index/getRegion:getRegion": () => ({
                region: this.region,
                name: this.region,
                id: this.region,
                endpoint: `ec2.${this.region}.amazonaws.com`,
                description: this.region,
            }),
            "aws:index/getPartition:getPartition": () => ({
                partition: this.partition,
                id: this.partition,
                dnsSuffix: "amazonaws.com",
                reverseDnsPrefix: "com.amazonaws",
            }),
            "aws:ec2/getVpc:getVpc": (inputs) => {
                const id = String(inputs.id);
                this.lastVpcAsked = id;
                const attributes = this.existingNetwork.vpcs?.[id] ?? { enableDnsSupport: true, enableDnsHostnames: true };
                return { id, arn: this.arn("ec2", `vpc/${id}`), cidrBlock: "10.20.0.0/16", state: "available", ownerId: this.accountId, ...attributes };
            },
            "aws:ec2/getSubnet:getSubnet": (inputs) => {
                const id = String(inputs.id);
                const zone = `${this.region}${"abc"[this.subnetsAsked++ % 3]}`;
                const placement = this.existingNetwork.subnets?.[id] ?? { vpcId: this.lastVpcAsked, availabilityZone: zone };
                return { id, arn: this.arn("ec2", `subnet/${id}`), state: "available", ownerId: this.accountId, ...placement };
            },
            "aws:ec2/getRouteTables:getRouteTables": (inputs) => {
                const filters = (inputs.filters ?? []) as { name: string; values: string[] }[];
                const subnets = filters.find((filter) => filter.name === "association.subnet-id")?.values ?? [String(inputs.vpcId)];
                return { id: this.region, ids: subnets.map((subnet) => `rtb-${hex(`rtb|${subnet}`, 17)}`), vpcId: inputs.vpcId };
            },
            "aws:kms/getKey:getKey": (inputs) => {
                const keyId = String(inputs.keyId);
                const arn = keyId.startsWith("arn:") ? keyId : this.arn("kms", `key/${keyId}`);
                const keyManager = arn === this.awsManagedKeyArn("secretsmanager") ? "AWS" : "CUSTOMER";
                return { id: arn, arn, keyId: arn.split("/").pop(), keyManager, keyState: "Enabled", enabled: true };
            },
            // A version's value stands for the live value of an adopted secret: derived from the secret and version, never random.
            "aws:secretsmanager/getSecretVersion:getSecretVersion": (inputs) => {
                const secretId = String(inputs.secretId);
                const versionId = typeof inputs.versionId === "string" ? inputs.versionId : uuid(`${secretId}|${String(inputs.versionStage ?? "AWSCURRENT")}`);
                return {
                    arn: secretId,
                    id: `${secretId}|${versionId}`,
                    secretId,
                    versionId,
                    secretString: adoptedSecretValue(secretId, versionId),
                    secretBinary: "",
                    versionStages: ["AWSCURRENT"],
                    createdDate: "2026-01-01T00:00:00Z",
                };
            },
            "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({
                id: this.region,
                names: ["a", "b", "c"].map((az) => `${this.region}${az}`),
                zoneIds: ["1", "2", "3"].map((n) => `${this.region.replace(/-/g, "").slice(0, 4)}-az${n}`),
            }),
        };
    }

    private ec2Id(prefix: string, name: string, arnType: string): { id: string; state: State } {
        const id = `${prefix}-${hex(`${prefix}|${name}`, 17)}`;
        return { id, state: { arn: this.arn("ec2", `${arnType}/${id}`) } };
    }

    /** `aws:<module>/<resource>:<Type>` -> an ARN in that service, for types without a specific mock. */
    private genericArn(type: string, name: string): State {
        const match = /^aws:([a-z0-9]+)\/([A-Za-z0-9]+):/.exec(type);
        return match ? { arn: this.arn(match[1], `${match[2]}/${name}`) } : {};
    }
}

/** The explicit physical name input, else the logical name (the provider would auto-name). */
function physicalName(args: pulumi.runtime.MockResourceArgs): string {
    for (const key of ["name", "identifier"]) {
        const value = revealed(args.inputs[key]);
        if (typeof value === "string" && value !== "") {
            return value;
        }
    }
    return args.name;
}

/** Mock inputs carry secrets in their wire envelope; ids derived from them need the value. */
function revealed(value: unknown): unknown {
    const envelope = value as Record<string, unknown> | undefined;
    return envelope && typeof envelope === "object" && envelope[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig ? envelope.value : value;
}

function hex(seed: string, length: number): string {
    let out = "";
    for (let i = 0; out.length < length; i++) {
        out += createHash("sha256").update(`${i}|${seed}`).digest("hex");
    }
    return out.slice(0, length);
}

function uuid(seed: string): string {
    const h = hex(seed, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function suffix6(seed: string): string {
    const bytes = createHash("sha256").update(`suffix|${seed}`).digest();
    return [...bytes.subarray(0, 6)].map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join("");
}

/** The value the mocks give the version `versionId` of the secret `secretId` (getSecretVersion): a test's stand-in for a live value. */
export function adoptedSecretValue(secretId: string, versionId: string): string {
    return `MOCK-LIVE-${password(`${secretId}|${versionId}`, 54, "_-+=@#%")}`;
}

/** A deterministic stand-in for random_password: same length and alphabet, derived from the seed. */
function password(seed: string, length: number, specials: string): string {
    const alphabet = ALPHANUMERIC + specials;
    let out = "";
    for (let i = 0; out.length < length; i++) {
        for (const byte of createHash("sha256").update(`${i}|password|${seed}`).digest()) {
            out += alphabet[byte % alphabet.length];
        }
    }
    return out.slice(0, length);
}
