/**
 * AdmaBackend: the whole ADMA backend (seed: secrets-architecture.txt) as one component.
 *
 * The container is one object (lib/container-definition.ts): the task definition's `secrets` and
 * the execution role's grant are both read from it. Like the awsx components, it exposes its
 * children (`backend.database`, `backend.jwtSecret`, `backend.service`, ...); `outputs()` builds the
 * stack outputs from them, names and ARNs only.
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

    /** Created with `createSecretsKmsKey`; undefined otherwise. */
    readonly secretsKmsKey?: SecretsKmsKey;
    /** The customer-managed key of the secrets (created or existing); undefined with the AWS-managed key. */
    readonly kmsKeyArn?: pulumi.Output<string>;
    readonly network: Network;
    readonly jwtSecret: JwtSecret;
    readonly database: Database;
    readonly parameters: AppParameters;
    /** The backend container, the single source of the task definition's secrets and the execution grant. */
    readonly container: pulumi.Output<ContainerDefinition>;
    readonly executionRole: ExecutionRole;
    readonly taskRole: TaskRole;
    readonly service: BackendService;
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

        if (args.kms.mode === "create") {
            this.secretsKmsKey = new SecretsKmsKey(`${name}-secrets-key`, {
                names: names.secretsKmsKey,
                description: `Encrypts the ${names.namePrefix} JWT secret and RDS master secret`,
                protect: args.protectData,
                tags,
            }, parent);
        }
        this.kmsKeyArn = args.kms.mode === "existing" ? pulumi.output(args.kms.keyArn) : this.secretsKmsKey?.keyArn;

        this.network = new Network(`${name}-network`, {
            names: names.network,
            namePrefix: names.namePrefix,
            settings: args.network,
            region: this.region,
            tags,
        }, parent);

        this.jwtSecret = new JwtSecret(`${name}-jwt-secret`, {
            names: names.jwtSecret,
            description: `JWT signing secret for ${names.namePrefix} backend`,
            settings: args.jwt,
            kmsKeyArn: this.kmsKeyArn,
            protect: args.protectData,
            tags,
        }, parent);

        this.database = new Database(`${name}-postgres`, {
            names: names.database,
            settings: args.database,
            subnetIds: this.network.privateSubnetIds,
            securityGroupId: this.network.databaseSecurityGroupId,
            kmsKeyArn: this.kmsKeyArn,
            protect: args.protectData,
            tags,
        }, parent);

        this.parameters = new AppParameters(`${name}-parameters`, {
            names: names.appParameters,
            appBaseUrl: args.appBaseUrl,
            tags,
        }, parent);

        const { database, jwtSecret, parameters } = this;
        this.container = pulumi
            .all([this.region, database.address, database.port, database.masterSecretArn, jwtSecret.secretArn, parameters.appBaseUrlArn, this.kmsKeyArn])
            .apply(([region, dbAddress, dbPort, dbMasterSecretArn, jwtSecretArn, appBaseUrlParameterArn, kmsKeyArn]) => backendContainer({
                name: names.backendService.container,
                image: args.backend.image,
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

        this.executionRole = new ExecutionRole(`${name}-execution-role`, {
            names: names.executionRole,
            accountId: this.accountId,
            container: this.container,
            tags,
        }, parent);

        this.taskRole = new TaskRole(`${name}-task-role`, {
            names: names.taskRole,
            accountId: this.accountId,
            enableEcsExec: args.backend.enableEcsExec,
            tags,
        }, parent);

        this.service = new BackendService(`${name}-backend`, {
            names: names.backendService,
            settings: args.backend,
            container: this.container,
            executionRoleArn: this.executionRole.roleArn,
            taskRoleArn: this.taskRole.roleArn,
            subnetIds: this.network.privateSubnetIds,
            securityGroupIds: [this.network.serviceSecurityGroupId],
            // JWT_SECRET is referenced by ARN, so a rotation leaves the task definition unchanged.
            redeployTriggers: { jwtSecretVersion: jwtSecret.currentVersionId },
            tags,
        }, parent);

        this.rdsRotation = new RdsSecretRotation(`${name}-rds-rotation`, {
            names: names.rotation,
            tags,
            rdsMasterSecretArn: database.masterSecretArn,
            settings: args.rotation,
            service: { clusterArn: this.service.clusterArn, serviceArn: this.service.serviceArn },
        }, parent);

        if (args.monitoring.enabled) {
            this.monitoring = new SecretMonitoring(`${name}-monitoring`, {
                names: names.monitoring,
                tags,
                settings: args.monitoring,
                secretArns: [jwtSecret.secretArn, database.masterSecretArn],
                executionRoleArn: this.executionRole.roleArn,
                logGroupName: this.service.logGroupName,
                jwtSecretLength: args.jwt.length,
            }, parent);
        }

        this.registerOutputs(this.outputs());
    }

    /**
     * The stack outputs: names and ARNs only, no secret value is reachable from here. A child the
     * stack does not have (no customer key, no monitoring) has no output, rather than an undefined
     * one the runtime would warn about on every preview.
     */
    outputs(): Record<string, pulumi.Output<unknown> | string> {
        const { network, jwtSecret, database, parameters, executionRole, taskRole, service } = this;
        const outputs: Record<string, pulumi.Output<unknown> | string | undefined> = {
            namePrefix: this.namePrefix,
            kmsKeyArn: this.kmsKeyArn,
            jwtSecretArn: jwtSecret.secretArn,
            jwtSecretName: jwtSecret.secretName,
            dbIdentifier: database.identifier,
            dbEndpoint: database.endpoint,
            dbMasterSecretArn: database.masterSecretArn,
            appBaseUrlParameterArn: parameters.appBaseUrlArn,
            vpcId: network.vpcId,
            privateSubnetIds: network.privateSubnetIds,
            executionRoleArn: executionRole.roleArn,
            taskRoleArn: taskRole.roleArn,
            clusterArn: service.clusterArn,
            clusterName: service.clusterName,
            serviceArn: service.serviceArn,
            serviceName: service.serviceName,
            taskDefinitionArn: service.taskDefinitionArn,
            logGroupName: service.logGroupName,
            alarmTopicArn: this.monitoring?.alarmTopicArn,
        };
        return Object.fromEntries(Object.entries(outputs).filter((entry): entry is [string, pulumi.Output<unknown> | string] => entry[1] !== undefined));
    }
}
