/**
 * A healthy ADMA deployment built in moto with the AWS SDK, resource by resource as the program
 * declares it (its names from the stack's target, its container and execution policy from
 * lib/container-definition.ts), in a moto account of its own so that several can be built at once
 * on one server. Also the faults the doctor must diagnose: each is applied to a built deployment and
 * returns what undoes it, so one deployment serves one fault after another.
 *
 * What moto 5.2 cannot do, and how the deployment works around it (the doctor is not told):
 * - ECS services start no tasks: the service's task is started with RunTask and the service's
 *   group (`service:<name>`), as ECS sets it for a service's tasks;
 * - RunTask needs a memory value on the container (moto sizes tasks by container): the rendered
 *   container gets `memoryReservation`;
 * - CancelRotateSecret refuses a secret without a rotation Lambda, so "rotation disabled" is a
 *   deployment whose master secret never had rotation turned on (`rdsRotation: false`).
 */
import { CloudTrailClient, CreateTrailCommand, DeleteTrailCommand, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogStreamCommand, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
    AssociateRouteTableCommand, AuthorizeSecurityGroupEgressCommand, AuthorizeSecurityGroupIngressCommand, CreateRouteTableCommand,
    CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, CreateVpcEndpointCommand, DeleteVpcEndpointsCommand, EC2Client, ModifyVpcAttributeCommand,
    RevokeSecurityGroupEgressCommand, RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import {
    CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand, StopTaskCommand, UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { AttachRolePolicyCommand, CreateRoleCommand, DeleteRolePolicyCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { CreateDBInstanceCommand, RDSClient } from "@aws-sdk/client-rds";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import {
    CreateSecretCommand, DeleteSecretCommand, PutSecretValueCommand, RestoreSecretCommand, RotateSecretCommand, SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import type { MiddlewareStack } from "@smithy/types";
import { randomBytes } from "crypto";
import { DoctorClientConfig, DoctorClients, doctorClients } from "../../doctor/aws/clients";
import { DoctorTarget } from "../../doctor/target";
import { ContainerDefinition, backendContainer } from "../../lib/container-definition";
import { MotoClientConfig } from "../../testing/moto-server";

/** moto keeps one set of resources per account, chosen per request by this header (moto's core/responses.py, get_current_account). */
const MOTO_ACCOUNT_HEADER = "x-moto-account-id";

const TRAIL = "organisation-trail";
/** The interface endpoints a task in private subnets without NAT needs (S3 is a gateway endpoint). */
const INTERFACE_ENDPOINT_SERVICES = ["secretsmanager", "ssm", "logs", "ecr.api", "ecr.dkr"];

/** Puts a deployment back the way it was before a fault. */
export type Undo = () => Promise<unknown>;

const ECS_TASK_EXECUTION_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
const ECS_TASKS_TRUST = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/** Points a client at one moto account. */
export function inAccount<C extends { middlewareStack: Pick<MiddlewareStack<object, object>, "add"> }>(client: C, accountId: string): C {
    client.middlewareStack.add((next) => async (args) => {
        const request = (args as { request?: { headers?: Record<string, string> } }).request;
        if (request?.headers) {
            request.headers[MOTO_ACCOUNT_HEADER] = accountId;
        }
        return next(args);
    }, { step: "build", name: "motoAccount" });
    return client;
}

/** The doctor's own (guarded) clients, in the account; `sent` collects every command they send. */
export function doctorClientsIn(config: MotoClientConfig, accountId: string, sent: string[] = []): DoctorClients {
    const clients = doctorClients(config as DoctorClientConfig, (name) => sent.push(name));
    Object.values(clients).forEach((client) => inAccount(client, accountId));
    return clients;
}

export interface DeploymentOptions {
    /** A JWT secret with AWSCURRENT only (as the design document's Terraform writes it). Default: two versions. */
    readonly singleJwtVersion?: boolean;
    /** Rotation on the RDS master secret. Default: on, on the stack's schedule. */
    readonly rdsRotation?: boolean;
}

export class MotoDeployment {
    /** Values written into the secrets: no output of the doctor may contain one. */
    readonly secretValues: string[] = [];
    jwtSecretArn = "";
    dbMasterSecretArn = "";
    parameterArn = "";
    keyArn = "";
    serviceGroupId = "";
    endpointGroupId = "";
    endpointIds: Record<string, string> = {};
    private vpcId = "";
    private subnetIds: string[] = [];
    private routeTableId = "";
    private runningTask?: string;
    private executionPolicy = "";
    private readonly sm: SecretsManagerClient;
    private readonly ec2: EC2Client;
    private readonly ecs: ECSClient;
    private readonly iam: IAMClient;
    private readonly rds: RDSClient;
    private readonly logs: CloudWatchLogsClient;
    private readonly cloudTrail: CloudTrailClient;
    private readonly kms: KMSClient;
    private readonly ssm: SSMClient;
    private readonly s3: S3Client;

    constructor(readonly config: MotoClientConfig, readonly accountId: string, readonly target: DoctorTarget) {
        // One attempt: a retried create would hide moto's first answer behind "already exists".
        const settings = { ...config, region: target.region, credentials: { ...config.credentials }, maxAttempts: 1 };
        const client = <C extends { middlewareStack: Pick<MiddlewareStack<object, object>, "add"> }>(c: C) => inAccount(c, accountId);
        this.sm = client(new SecretsManagerClient(settings));
        this.ec2 = client(new EC2Client(settings));
        this.ecs = client(new ECSClient(settings));
        this.iam = client(new IAMClient(settings));
        this.rds = client(new RDSClient(settings));
        this.logs = client(new CloudWatchLogsClient(settings));
        this.cloudTrail = client(new CloudTrailClient(settings));
        this.kms = client(new KMSClient(settings));
        this.ssm = client(new SSMClient(settings));
        this.s3 = client(new S3Client({ ...settings, forcePathStyle: true }));
    }

    private get names() {
        return this.target.names;
    }

    /** Builds every resource the doctor reads, healthy unless the options say otherwise. */
    async build(options: DeploymentOptions = {}): Promise<this> {
        const { names } = this;
        const key = await this.kms.send(new CreateKeyCommand({ Description: `Encrypts the ${names.namePrefix} secrets` }));
        this.keyArn = key.KeyMetadata!.Arn!;
        await this.kms.send(new CreateAliasCommand({ AliasName: names.secretsKmsKey.alias, TargetKeyId: key.KeyMetadata!.KeyId }));
        await Promise.all([this.buildSecrets(options), this.buildNetwork(), this.buildTrail(), this.buildLogGroup()]);
        await this.buildDatabase(names.database.instance, options.rdsRotation ?? true).then((arn) => (this.dbMasterSecretArn = arn));
        await this.deployBackend(this.dbMasterSecretArn);
        return this;
    }

    private async buildSecrets(options: DeploymentOptions): Promise<void> {
        const value = this.newSecretValue();
        const secret = await this.sm.send(new CreateSecretCommand({ Name: this.names.jwtSecret.secret, KmsKeyId: this.keyArn, SecretString: value }));
        this.jwtSecretArn = secret.ARN!;
        if (!options.singleJwtVersion) {
            // The program's bootstrap and current versions: writing the second moves AWSPREVIOUS to the first.
            await this.sm.send(new PutSecretValueCommand({ SecretId: this.jwtSecretArn, SecretString: value }));
        }
        await this.ssm.send(new PutParameterCommand({ Name: this.names.appParameters.appBaseUrl, Type: "String", Value: "https://adma.example.com" }));
        this.parameterArn = `arn:aws:ssm:${this.target.region}:${this.accountId}:parameter${this.names.appParameters.appBaseUrl}`;
    }

    private async buildNetwork(): Promise<void> {
        const { region } = this.target;
        const vpc = (await this.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc!.VpcId!;
        this.vpcId = vpc;
        // As the program's VPC: private DNS of interface endpoints needs DNS hostnames.
        await this.ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpc, EnableDnsHostnames: { Value: true } }));
        const subnets = await Promise.all(["a", "b"].map((zone, i) =>
            this.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: `10.0.${128 + 16 * i}.0/20`, AvailabilityZone: `${region}${zone}` }))));
        this.subnetIds = subnets.map((subnet) => subnet.Subnet!.SubnetId!);
        // Private subnets without a NAT gateway: the interface endpoints are the only way out.
        this.routeTableId = (await this.ec2.send(new CreateRouteTableCommand({ VpcId: vpc }))).RouteTable!.RouteTableId!;
        await Promise.all(this.subnetIds.map((SubnetId) => this.ec2.send(new AssociateRouteTableCommand({ RouteTableId: this.routeTableId, SubnetId }))));

        this.serviceGroupId = (await this.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: this.names.network.serviceSecurityGroup, Description: "backend tasks" }))).GroupId!;
        this.endpointGroupId = (await this.ec2.send(new CreateSecurityGroupCommand({
            VpcId: vpc, GroupName: this.names.network.secretsManagerEndpointSecurityGroup, Description: "interface endpoints",
        }))).GroupId!;
        const allTraffic = [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }];
        const https = { IpProtocol: "tcp", FromPort: 443, ToPort: 443 };
        // As the program declares them: no default egress; HTTPS out from the service, HTTPS into the endpoints from the service.
        await Promise.all([this.serviceGroupId, this.endpointGroupId].map((GroupId) =>
            this.ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId, IpPermissions: allTraffic }))));
        await this.ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: this.serviceGroupId, IpPermissions: [{ ...https, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }] }));
        await this.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: this.endpointGroupId, IpPermissions: [{ ...https, UserIdGroupPairs: [{ GroupId: this.serviceGroupId }] }] }));

        await this.createEndpoints();
    }

    private async createEndpoints(): Promise<void> {
        await Promise.all(INTERFACE_ENDPOINT_SERVICES.map((service) => this.createInterfaceEndpoint(service)));
        const s3 = await this.ec2.send(new CreateVpcEndpointCommand({
            VpcId: this.vpcId, ServiceName: `com.amazonaws.${this.target.region}.s3`, VpcEndpointType: "Gateway", RouteTableIds: [this.routeTableId],
        }));
        this.endpointIds.s3 = s3.VpcEndpoint!.VpcEndpointId!;
    }

    private async createInterfaceEndpoint(service: string): Promise<void> {
        const endpoint = await this.ec2.send(new CreateVpcEndpointCommand({
            VpcId: this.vpcId, ServiceName: `com.amazonaws.${this.target.region}.${service}`, VpcEndpointType: "Interface", PrivateDnsEnabled: true,
            SubnetIds: this.subnetIds, SecurityGroupIds: [this.endpointGroupId],
        }));
        this.endpointIds[service] = endpoint.VpcEndpoint!.VpcEndpointId!;
    }

    private async buildTrail(): Promise<void> {
        await this.s3.send(new CreateBucketCommand({ Bucket: this.trailBucket, CreateBucketConfiguration: { LocationConstraint: this.target.region as "eu-west-1" } }));
        await this.startTrail();
    }

    private get trailBucket(): string {
        return `${this.accountId}-${this.names.namePrefix}-trail`;
    }

    private async startTrail(): Promise<void> {
        await this.cloudTrail.send(new CreateTrailCommand({ Name: TRAIL, S3BucketName: this.trailBucket, IsMultiRegionTrail: true }));
        await this.cloudTrail.send(new StartLoggingCommand({ Name: TRAIL }));
    }

    private async buildLogGroup(): Promise<void> {
        await this.logs.send(new CreateLogGroupCommand({ logGroupName: this.names.backendService.logGroup }));
    }

    /** An RDS instance with an RDS-managed master password: the ARN of its master secret. */
    private async buildDatabase(identifier: string, rotation: boolean): Promise<string> {
        const { DBInstance } = await this.rds.send(new CreateDBInstanceCommand({
            DBInstanceIdentifier: identifier, Engine: "postgres", DBInstanceClass: "db.t4g.micro", AllocatedStorage: 20,
            MasterUsername: "appuser", ManageMasterUserPassword: true, MasterUserSecretKmsKeyId: this.keyArn,
        }));
        const secretArn = DBInstance!.MasterUserSecret!.SecretArn!;
        if (rotation) {
            const schedule = this.target.rdsSchedule;
            const RotationRules = "afterDays" in schedule ? { AutomaticallyAfterDays: schedule.afterDays } : { ScheduleExpression: schedule.expression };
            await this.sm.send(new RotateSecretCommand({ SecretId: secretArn, RotationRules, RotateImmediately: false }));
        }
        return secretArn;
    }

    /** The program's backend container for these secrets. */
    private container(dbMasterSecretArn: string): ContainerDefinition {
        const { backendService } = this.names;
        return backendContainer({
            name: backendService.container,
            image: `${this.accountId}.dkr.ecr.${this.target.region}.amazonaws.com/adma-backend:1.0.0`,
            containerPort: 8080,
            healthCheckPath: "/actuator/health",
            logGroupName: backendService.logGroup,
            region: this.target.region,
        }, {
            dbAddress: `${this.names.database.instance}.example.internal`, dbPort: 5432, dbName: "urlshortener", dbUsername: "appuser",
            dbMasterSecretArn, dbMasterSecretKmsKeyArn: this.keyArn, jwtSecretArn: this.jwtSecretArn, jwtSecretKmsKeyArn: this.keyArn,
            appBaseUrlParameterArn: this.parameterArn, appEnvironment: "prod",
        });
    }

    /**
     * Deploys the backend as `pulumi up` would: the execution role's inline policy derived from the
     * container, the task definition, the service on it and its running task. Again on a built
     * deployment: a new task definition revision, the policy updated, the service's task replaced.
     */
    async deployBackend(dbMasterSecretArn: string, change: (rendered: Record<string, unknown>) => Record<string, unknown> = (r) => r): Promise<void> {
        const { executionRole, backendService } = this.names;
        const container = this.container(dbMasterSecretArn);
        let roleArn = `arn:aws:iam::${this.accountId}:role/${executionRole.role}`;
        const firstDeployment = this.runningTask === undefined;
        if (firstDeployment) {
            roleArn = (await this.iam.send(new CreateRoleCommand({ RoleName: executionRole.role, AssumeRolePolicyDocument: ECS_TASKS_TRUST }))).Role!.Arn!;
            await this.iam.send(new AttachRolePolicyCommand({ RoleName: executionRole.role, PolicyArn: ECS_TASK_EXECUTION_POLICY }));
            await this.ecs.send(new CreateClusterCommand({ clusterName: backendService.cluster }));
        }
        this.executionPolicy = JSON.stringify(container.executionSecretsPolicy());
        await this.putExecutionPolicy();
        const { taskDefinition } = await this.ecs.send(new RegisterTaskDefinitionCommand({
            family: backendService.taskFamily, networkMode: "awsvpc", requiresCompatibilities: ["FARGATE"], cpu: "1024", memory: "2048",
            executionRoleArn: roleArn,
            containerDefinitions: [{ ...change(container.render()), memoryReservation: 1024 }],
        }));
        const networkConfiguration = { awsvpcConfiguration: { subnets: this.subnetIds, securityGroups: [this.serviceGroupId], assignPublicIp: "DISABLED" as const } };
        if (firstDeployment) {
            await this.ecs.send(new CreateServiceCommand({
                cluster: backendService.cluster, serviceName: backendService.service, taskDefinition: taskDefinition!.taskDefinitionArn,
                desiredCount: 1, launchType: "FARGATE", networkConfiguration,
            }));
        } else {
            await this.ecs.send(new UpdateServiceCommand({ cluster: backendService.cluster, service: backendService.service, taskDefinition: taskDefinition!.taskDefinitionArn }));
            await this.ecs.send(new StopTaskCommand({ cluster: backendService.cluster, task: this.runningTask, reason: "replaced by a new deployment" }));
        }
        const { tasks } = await this.ecs.send(new RunTaskCommand({
            cluster: backendService.cluster, taskDefinition: taskDefinition!.taskDefinitionArn, launchType: "FARGATE",
            group: `service:${backendService.service}`, networkConfiguration,
        }));
        this.runningTask = tasks![0].taskArn;
    }

    private async putExecutionPolicy(): Promise<void> {
        const { role, secretsPolicy } = this.names.executionRole;
        await this.iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: secretsPolicy, PolicyDocument: this.executionPolicy }));
    }

    private newSecretValue(): string {
        const value = randomBytes(48).toString("base64url").slice(0, 64);
        this.secretValues.push(value);
        return value;
    }

    // The faults the doctor must diagnose, one each; each resolves to what undoes it.

    async removeExecutionRoleRead(): Promise<Undo> {
        await this.iam.send(new DeleteRolePolicyCommand({ RoleName: this.names.executionRole.role, PolicyName: this.names.executionRole.secretsPolicy }));
        return () => this.putExecutionPolicy();
    }

    async selectWrongJsonKey(): Promise<Undo> {
        await this.deployBackend(this.dbMasterSecretArn, (rendered) => ({
            ...rendered,
            secrets: (rendered.secrets as Array<{ name: string; valueFrom: string }>).map((secret) =>
                (secret.name === "DB_PASSWORD" ? { ...secret, valueFrom: secret.valueFrom.replace(/:password::$/, ":passwd::") } : secret)),
        }));
        return () => this.deployBackend(this.dbMasterSecretArn);
    }

    /** Deleted with the design document's 7-day recovery window: scheduled for deletion, restorable. */
    async deleteJwtSecret(): Promise<Undo> {
        await this.sm.send(new DeleteSecretCommand({ SecretId: this.jwtSecretArn, RecoveryWindowInDays: 7 }));
        return () => this.sm.send(new RestoreSecretCommand({ SecretId: this.jwtSecretArn }));
    }

    async deleteSecretsManagerEndpoint(): Promise<Undo> {
        await this.ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [this.endpointIds.secretsmanager] }));
        return () => this.createInterfaceEndpoint("secretsmanager");
    }

    /** Every endpoint gone, in private subnets without a NAT gateway: nothing the task needs is reachable. */
    async deleteEndpoints(): Promise<Undo> {
        await this.ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: Object.values(this.endpointIds) }));
        return () => this.createEndpoints();
    }

    async closeEndpointSecurityGroup(): Promise<Undo> {
        const rule = { GroupId: this.endpointGroupId, IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: this.serviceGroupId }] }] };
        await this.ec2.send(new RevokeSecurityGroupIngressCommand(rule));
        return () => this.ec2.send(new AuthorizeSecurityGroupIngressCommand(rule));
    }

    /** Another database of the account, for `pointAtAnotherDatabase`: the ARN of its master secret. */
    async addDatabase(identifier: string): Promise<string> {
        return this.buildDatabase(identifier, true);
    }

    /** Another database's master secret behind DB_PASSWORD (the grant follows it, as the program derives it). */
    async pointAtAnotherDatabase(otherMasterSecretArn: string): Promise<Undo> {
        await this.deployBackend(otherMasterSecretArn);
        return () => this.deployBackend(this.dbMasterSecretArn);
    }

    /** A new JWT value after the task started, the service not redeployed (nothing to undo: the task reads it on its next start). */
    async rotateJwtSecret(): Promise<Undo> {
        await this.sm.send(new PutSecretValueCommand({ SecretId: this.jwtSecretArn, SecretString: this.newSecretValue() }));
        return async () => undefined;
    }

    /** A backend log line holding a password: the value is recorded so tests can assert it is never printed. */
    async logPassword(): Promise<Undo> {
        const logGroupName = this.names.backendService.logGroup;
        const logStreamName = `${this.names.backendService.container}/${this.names.backendService.container}/0123456789abcdef`;
        await this.logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName }));
        await this.logs.send(new PutLogEventsCommand({
            logGroupName, logStreamName, logEvents: [{ timestamp: Date.now(), message: `connecting to the database with password=${this.newSecretValue()}` }],
        }));
        return () => this.logs.send(new DeleteLogStreamCommand({ logGroupName, logStreamName }));
    }

    async deleteTrail(): Promise<Undo> {
        await this.cloudTrail.send(new DeleteTrailCommand({ Name: TRAIL }));
        return () => this.startTrail();
    }
}
