/**
 * AdmaBackend: the whole ADMA backend (seed: secrets-architecture.txt) as one component.
 *
 * The container is one object (lib/container-definition.ts): the task definition's `secrets` and
 * the execution role's grant are both read from it. The public properties are the hook points for
 * the rotation and monitoring components.
 */
import * as pulumi from "@pulumi/pulumi";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import { AdmaConfig } from "../lib/config";
import { ContainerDefinition, backendContainer } from "../lib/container-definition";
import { ResourceNames, resourceNames, standardTags } from "../lib/naming";
import { Database } from "./database";
import { ExecutionRole, TaskRole } from "./iam";
import { SecretMonitoring } from "./monitoring";
import { Network } from "./network";
import { AppParameters } from "./parameters";
import { RdsSecretRotation } from "./rotation";
import { JwtSecret, SecretsKmsKey } from "./secrets";
import { BackendService } from "./service";

export type AdmaBackendArgs = AdmaConfig;

export class AdmaBackend extends pulumi.ComponentResource {
    readonly config: AdmaConfig;
    /** `${projectName}-${environment}`, e.g. `adma-prod`. */
    readonly namePrefix: string;
    readonly names: ResourceNames;
    readonly tags: Record<string, string>;
    readonly accountId: pulumi.Output<string>;
    readonly region: pulumi.Output<string>;

    /** The customer-managed key of the secrets; undefined with the AWS-managed key. */
    readonly kmsKeyArn?: pulumi.Output<string>;

    readonly jwtSecretArn: pulumi.Output<string>;
    readonly jwtSecretName: pulumi.Output<string>;
    /** The AWSCURRENT version this program wrote; changes on every rotation. */
    readonly jwtSecretVersionId: pulumi.Output<string>;

    readonly dbInstanceArn: pulumi.Output<string>;
    readonly dbIdentifier: pulumi.Output<string>;
    readonly dbEndpoint: pulumi.Output<string>;
    readonly dbAddress: pulumi.Output<string>;
    readonly dbPort: pulumi.Output<number>;
    /** The RDS-managed master secret (`masterUserSecrets[0].secretArn`). */
    readonly dbMasterSecretArn: pulumi.Output<string>;

    readonly appBaseUrlParameterArn: pulumi.Output<string>;

    readonly vpcId: pulumi.Output<string>;
    readonly privateSubnetIds: pulumi.Output<string[]>;
    readonly serviceSecurityGroupId: pulumi.Output<string>;

    readonly executionRoleArn: pulumi.Output<string>;
    readonly executionRoleName: pulumi.Output<string>;
    readonly taskRoleArn: pulumi.Output<string>;
    readonly taskRoleName: pulumi.Output<string>;

    readonly clusterArn: pulumi.Output<string>;
    readonly clusterName: pulumi.Output<string>;
    readonly serviceArn: pulumi.Output<string>;
    readonly serviceName: pulumi.Output<string>;
    readonly taskDefinitionArn: pulumi.Output<string>;
    readonly logGroupName: pulumi.Output<string>;
    readonly logGroupArn: pulumi.Output<string>;

    /** The backend container, the single source of the task definition's secrets and the execution grant. */
    readonly container: pulumi.Output<ContainerDefinition>;

    readonly rdsRotation: RdsSecretRotation;
    /** Undefined when `adma:monitoring` is false. */
    readonly monitoring?: SecretMonitoring;

    constructor(name: string, args: AdmaBackendArgs, opts?: pulumi.ComponentResourceOptions) {
        super("adma:index:AdmaBackend", name, {}, opts);
        const parent = { parent: this };
        const names = resourceNames(args);
        const tags = standardTags(args.projectName, args.environment);
        this.config = args;
        this.names = names;
        this.namePrefix = names.namePrefix;
        this.tags = tags;
        this.accountId = getCallerIdentityOutput({}, parent).accountId;
        this.region = getRegionOutput({}, parent).region;

        this.kmsKeyArn = this.secretsKeyArn(name, args, names, tags);

        const network = new Network(`${name}-network`, {
            names: names.network,
            namePrefix: names.namePrefix,
            vpc: args.network.vpc,
            createSecretsManagerEndpoint: args.network.createSecretsManagerEndpoint,
            region: this.region,
            tags,
        }, parent);

        const jwt = new JwtSecret(`${name}-jwt-secret`, {
            names: names.jwtSecret,
            description: `JWT signing secret for ${names.namePrefix} backend`,
            length: args.jwt.length,
            generation: args.jwt.generation,
            kmsKeyArn: this.kmsKeyArn,
            protect: args.protectData,
            tags,
        }, parent);

        const database = new Database(`${name}-postgres`, {
            names: names.database,
            settings: args.database,
            subnetIds: network.privateSubnetIds,
            securityGroupId: network.databaseSecurityGroupId,
            kmsKeyArn: this.kmsKeyArn,
            protect: args.protectData,
            tags,
        }, parent);

        const parameters = new AppParameters(`${name}-parameters`, {
            names: names.appParameters,
            appBaseUrl: args.appBaseUrl,
            tags,
        }, parent);

        this.container = pulumi
            .all([this.region, database.address, database.port, database.masterSecretArn, jwt.secretArn, parameters.appBaseUrlArn, this.kmsKeyArn])
            .apply(([region, dbAddress, dbPort, dbMasterSecretArn, jwtSecretArn, appBaseUrlParameterArn, kmsKeyArn]) => backendContainer({
                name: names.backendService.container,
                image: `${args.backend.repositoryUrl}:${args.backend.imageTag}`,
                containerPort: args.backend.containerPort,
                healthCheckPath: args.backend.healthCheckPath,
                logGroupName: names.backendService.logGroup,
                region,
            }, {
                dbAddress,
                dbPort,
                dbName: args.database.name,
                dbUsername: args.database.username,
                dbMasterSecretArn,
                dbMasterSecretKmsKeyArn: kmsKeyArn,
                jwtSecretArn,
                jwtSecretKmsKeyArn: kmsKeyArn,
                appBaseUrlParameterArn,
                appEnvironment: args.environment,
            }));

        const executionRole = new ExecutionRole(`${name}-execution-role`, {
            names: names.executionRole,
            accountId: this.accountId,
            container: this.container,
            tags,
        }, parent);

        const taskRole = new TaskRole(`${name}-task-role`, {
            names: names.taskRole,
            accountId: this.accountId,
            enableEcsExec: args.backend.enableEcsExec,
            tags,
        }, parent);

        const service = new BackendService(`${name}-backend`, {
            names: names.backendService,
            settings: args.backend,
            container: this.container,
            executionRoleArn: executionRole.roleArn,
            taskRoleArn: taskRole.roleArn,
            subnetIds: network.privateSubnetIds,
            securityGroupIds: [network.serviceSecurityGroupId],
            // JWT_SECRET is referenced by ARN, so a rotation leaves the task definition unchanged.
            redeployTriggers: { jwtSecretVersion: jwt.currentVersionId },
            tags,
        }, parent);

        this.jwtSecretArn = jwt.secretArn;
        this.jwtSecretName = jwt.secretName;
        this.jwtSecretVersionId = jwt.currentVersionId;
        this.dbInstanceArn = database.instanceArn;
        this.dbIdentifier = database.identifier;
        this.dbEndpoint = database.endpoint;
        this.dbAddress = database.address;
        this.dbPort = database.port;
        this.dbMasterSecretArn = database.masterSecretArn;
        this.appBaseUrlParameterArn = parameters.appBaseUrlArn;
        this.vpcId = network.vpcId;
        this.privateSubnetIds = network.privateSubnetIds;
        this.serviceSecurityGroupId = network.serviceSecurityGroupId;
        this.executionRoleArn = executionRole.roleArn;
        this.executionRoleName = executionRole.roleName;
        this.taskRoleArn = taskRole.roleArn;
        this.taskRoleName = taskRole.roleName;
        this.clusterArn = service.clusterArn;
        this.clusterName = service.clusterName;
        this.serviceArn = service.serviceArn;
        this.serviceName = service.serviceName;
        this.taskDefinitionArn = service.taskDefinitionArn;
        this.logGroupName = service.logGroupName;
        this.logGroupArn = service.logGroupArn;

        this.rdsRotation = new RdsSecretRotation(`${name}-rds-rotation`, {
            names: names.rotation,
            tags,
            rdsMasterSecretArn: this.dbMasterSecretArn,
            settings: args.rotation,
            service: { clusterArn: this.clusterArn, serviceArn: this.serviceArn },
        }, parent);

        if (args.monitoring.enabled) {
            this.monitoring = new SecretMonitoring(`${name}-monitoring`, {
                names: names.monitoring,
                tags,
                settings: args.monitoring,
                secretArns: [this.jwtSecretArn, this.dbMasterSecretArn],
                executionRoleArn: this.executionRoleArn,
                logGroupName: this.logGroupName,
                jwtSecretLength: args.jwt.length,
            }, parent);
        }

        this.registerOutputs(this.outputs());
    }

    /** Names and ARNs only: the stack outputs. No secret value is reachable from here. */
    outputs(): Record<string, pulumi.Output<unknown> | string | undefined> {
        return {
            namePrefix: this.namePrefix,
            kmsKeyArn: this.kmsKeyArn,
            jwtSecretArn: this.jwtSecretArn,
            jwtSecretName: this.jwtSecretName,
            dbIdentifier: this.dbIdentifier,
            dbEndpoint: this.dbEndpoint,
            dbMasterSecretArn: this.dbMasterSecretArn,
            appBaseUrlParameterArn: this.appBaseUrlParameterArn,
            vpcId: this.vpcId,
            privateSubnetIds: this.privateSubnetIds,
            executionRoleArn: this.executionRoleArn,
            taskRoleArn: this.taskRoleArn,
            clusterArn: this.clusterArn,
            clusterName: this.clusterName,
            serviceArn: this.serviceArn,
            serviceName: this.serviceName,
            taskDefinitionArn: this.taskDefinitionArn,
            logGroupName: this.logGroupName,
            alarmTopicArn: this.monitoring?.alarmTopicArn,
        };
    }

    private secretsKeyArn(name: string, args: AdmaConfig, names: ResourceNames, tags: Record<string, string>): pulumi.Output<string> | undefined {
        switch (args.kms.mode) {
            case "aws-managed":
                return undefined;
            case "existing":
                return pulumi.output(args.kms.keyArn);
            case "create":
                return new SecretsKmsKey(`${name}-secrets-key`, {
                    names: names.secretsKmsKey,
                    description: `Encrypts the ${names.namePrefix} JWT secret and RDS master secret`,
                    protect: args.protectData,
                    tags,
                }, { parent: this }).keyArn;
        }
    }
}
