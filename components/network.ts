/**
 * Where the backend runs: a new VPC (awsx.ec2.Vpc) or an existing one from config, the security
 * groups of the service, the database and the Secrets Manager endpoint, and that interface
 * endpoint, so tasks in private subnets can pull their secrets (the design document's first troubleshooting case).
 * With `createTaskEndpoints` (always without NAT gateways), the other endpoints the tasks need too:
 * SSM, ECR, CloudWatch Logs and the S3 gateway (lib/vpc-endpoints.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import { getRouteTablesOutput } from "@pulumi/aws/ec2/getRouteTables";
import * as vpc from "@pulumi/aws/vpc";
import * as awsxEc2 from "@pulumi/awsx/ec2";
import type { ec2 as ec2Inputs } from "@pulumi/aws/types/input";
import { AdmaConfig } from "../lib/config";
import { ResourceNames } from "../lib/naming";
import { TASK_ENDPOINTS, endpointServiceName } from "../lib/vpc-endpoints";

export interface NetworkArgs {
    readonly names: ResourceNames["network"];
    /** The stack's name prefix, quoted in descriptions (every name is in `names`). */
    readonly namePrefix: string;
    /** A VPC to create or an existing one, and whether to create the Secrets Manager endpoint. */
    readonly settings: AdmaConfig["network"];
    readonly region: pulumi.Input<string>;
    readonly tags: Record<string, string>;
}

const POSTGRES_PORT = 5432;
const HTTPS_PORT = 443;

export class Network extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly privateSubnetIds: pulumi.Output<string[]>;
    readonly serviceSecurityGroupId: pulumi.Output<string>;
    readonly databaseSecurityGroupId: pulumi.Output<string>;
    /** Absent when `createSecretsManagerEndpoint` is off (the VPC already has one). */
    readonly secretsManagerEndpointId?: pulumi.Output<string>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("adma:network:Network", name, {}, opts);
        const { names, namePrefix, settings, tags } = args;

        if (settings.vpc.mode === "create") {
            const network = new awsxEc2.Vpc(`${name}-vpc`, {
                cidrBlock: settings.vpc.cidrBlock,
                enableDnsHostnames: true,
                enableDnsSupport: true,
                natGateways: { strategy: settings.vpc.natGateways },
                tags: { ...tags, Name: names.vpc },
            }, { parent: this });
            this.vpcId = network.vpcId;
            this.privateSubnetIds = network.privateSubnetIds;
        } else {
            this.vpcId = pulumi.output(settings.vpc.vpcId);
            this.privateSubnetIds = pulumi.output([...settings.vpc.privateSubnetIds]);
        }

        // The service group's rules are separate resources (it references the database group and
        // the provider must not mix inline and separate rules on one group); the other two are inline.
        const serviceGroup = new ec2.SecurityGroup(`${name}-service`, {
            name: names.serviceSecurityGroup,
            description: `ADMA backend tasks (${namePrefix})`,
            vpcId: this.vpcId,
            tags: { ...tags, Name: names.serviceSecurityGroup },
        }, { parent: this });

        const databaseGroup = new ec2.SecurityGroup(`${name}-database`, {
            name: names.databaseSecurityGroup,
            description: `PostgreSQL, reachable only from the backend tasks (${namePrefix})`,
            vpcId: this.vpcId,
            ingress: [fromGroup(POSTGRES_PORT, serviceGroup.id, "PostgreSQL from the backend tasks")],
            egress: [],
            tags: { ...tags, Name: names.databaseSecurityGroup },
        }, { parent: this });

        new vpc.SecurityGroupEgressRule(`${name}-service-to-database`, {
            securityGroupId: serviceGroup.id,
            description: "PostgreSQL to the database",
            ipProtocol: "tcp",
            fromPort: POSTGRES_PORT,
            toPort: POSTGRES_PORT,
            referencedSecurityGroupId: databaseGroup.id,
            tags,
        }, { parent: this });

        // Image pulls (ECR), CloudWatch Logs and the Secrets Manager endpoint are all HTTPS.
        new vpc.SecurityGroupEgressRule(`${name}-service-https`, {
            securityGroupId: serviceGroup.id,
            description: "HTTPS to AWS APIs (ECR, CloudWatch Logs, Secrets Manager, SSM)",
            ipProtocol: "tcp",
            fromPort: HTTPS_PORT,
            toPort: HTTPS_PORT,
            cidrIpv4: "0.0.0.0/0",
            tags,
        }, { parent: this });

        // Interface endpoints with private DNS, in the private subnets, reachable on 443 from the tasks only.
        const endpointGroup = (logicalName: string, groupName: string, what: string) => new ec2.SecurityGroup(logicalName, {
            name: groupName,
            description: `${what}, HTTPS from the backend tasks (${namePrefix})`,
            vpcId: this.vpcId,
            ingress: [fromGroup(HTTPS_PORT, serviceGroup.id, "HTTPS from the backend tasks")],
            egress: [],
            tags: { ...tags, Name: groupName },
        }, { parent: this });
        const interfaceEndpoint = (logicalName: string, service: string, group: ec2.SecurityGroup, nameTag: string) => new ec2.VpcEndpoint(logicalName, {
            vpcId: this.vpcId,
            serviceName: pulumi.output(args.region).apply((region) => endpointServiceName(region, service)),
            vpcEndpointType: "Interface",
            privateDnsEnabled: true,
            subnetIds: this.privateSubnetIds,
            securityGroupIds: [group.id],
            tags: { ...tags, Name: nameTag },
        }, { parent: this });

        if (settings.createSecretsManagerEndpoint) {
            const group = endpointGroup(`${name}-secretsmanager-endpoint`, names.secretsManagerEndpointSecurityGroup, "Secrets Manager interface endpoint");
            this.secretsManagerEndpointId = interfaceEndpoint(`${name}-secretsmanager`, "secretsmanager", group, names.secretsManagerEndpoint).id;
        }

        if (settings.createTaskEndpoints) {
            const group = endpointGroup(`${name}-task-endpoints`, names.taskEndpointsSecurityGroup, "Interface endpoints the backend tasks need (SSM, ECR, CloudWatch Logs)");
            // The gateway endpoint is a route in the private subnets' route tables, however the VPC was made.
            const routeTableIds = getRouteTablesOutput({
                vpcId: this.vpcId,
                filters: [{ name: "association.subnet-id", values: this.privateSubnetIds }],
            }, { parent: this }).ids;
            for (const endpoint of TASK_ENDPOINTS) {
                const logicalName = `${name}-${endpoint.service.replace(".", "-")}`;
                if (endpoint.type === "Interface") {
                    interfaceEndpoint(logicalName, endpoint.service, group, names[endpoint.nameKey]);
                    continue;
                }
                new ec2.VpcEndpoint(logicalName, {
                    vpcId: this.vpcId,
                    serviceName: pulumi.output(args.region).apply((region) => endpointServiceName(region, endpoint.service)),
                    vpcEndpointType: "Gateway",
                    routeTableIds,
                    tags: { ...tags, Name: names[endpoint.nameKey] },
                }, { parent: this });
            }
        }

        this.serviceSecurityGroupId = serviceGroup.id;
        this.databaseSecurityGroupId = databaseGroup.id;
        this.registerOutputs({
            vpcId: this.vpcId,
            privateSubnetIds: this.privateSubnetIds,
            serviceSecurityGroupId: this.serviceSecurityGroupId,
            databaseSecurityGroupId: this.databaseSecurityGroupId,
            secretsManagerEndpointId: this.secretsManagerEndpointId,
        });
    }
}

function fromGroup(port: number, sourceGroupId: pulumi.Input<string>, description: string): ec2Inputs.SecurityGroupIngress {
    return { protocol: "tcp", fromPort: port, toPort: port, securityGroups: [sourceGroupId], description };
}
