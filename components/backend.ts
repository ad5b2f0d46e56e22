/**
 * AdmaBackend: the whole ADMA backend (the design document: docs/design.md) as one component.
 *
 * The container is one object (lib/container-definition.ts): the task definition's `secrets` and
 * the execution role's grant are both read from it. Like the awsx components, it exposes its
 * children (`backend.database`, `backend.jwtSecret`, `backend.service`, ...); `outputs()` builds the
 * stack outputs from them: names, ARNs and the stack record.
 */
import * as pulumi from "@pulumi/pulumi";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import { getKeyOutput } from "@pulumi/aws/kms/getKey";
import { AdmaConfig } from "../lib/config";
import { ContainerDefinition, backendContainer } from "../lib/container-definition";
import { ResourceNames, resourceNames, standardTags } from "../lib/naming";
import { DeploymentArgs, MasterSecretKey, STACK_RECORD_OUTPUT, StackRecord, stackRecord } from "../lib/stack-record";
import { Database } from "./database";
import { ExecutionRole, TaskRole } from "./iam";
import { SecretMonitoring } from "./monitoring";
import { Network } from "./network";
import { AppParameters } from "./parameters";
import { RdsSecretRotation } from "./rotation";
import { JwtSecret, SecretsKmsKey } from "./secrets";
import { BackendService } from "./service";

/** The validated configuration and, for a live stack, what it deployed last (lib/stack-record.ts). */
export type AdmaBackendArgs = DeploymentArgs;

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
    /** The key that really encrypts the RDS master secret (chosen when the instance was created). */
    readonly masterSecretKey: pulumi.Output<MasterSecretKey>;
    /** The backend container, the single source of the task definition's secrets and the execution grant. */
    readonly container: pulumi.Output<ContainerDefinition>;
    readonly executionRole: ExecutionRole;
    readonly taskRole: TaskRole;
    readonly service: BackendService;
    readonly rdsRotation: RdsSecretRotation;
    /** Undefined when `adma:monitoring` is false. */
    readonly monitoring?: SecretMonitoring;
    /** What the next deployment of this stack is checked against (stack output `stackRecord`). */
    readonly stackRecord: pulumi.Output<StackRecord>;

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
            kmsKeyArn: this.masterSecretKeyAtCreation(args),
            protect: args.protectData,
            tags,
        }, parent);

        this.parameters = new AppParameters(`${name}-parameters`, {
            names: names.appParameters,
            appBaseUrl: args.appBaseUrl,
            tags,
        }, parent);

        const { database, jwtSecret, parameters } = this;
        // The grant follows the key the master secret really uses, which the configuration cannot change.
        this.masterSecretKey = database.masterSecretKmsKeyId.apply((keyId) => getKeyOutput({ keyId }, parent))
            .apply((key) => ({ arn: key.arn, customerManaged: key.keyManager === "CUSTOMER" }));
        this.container = pulumi
            .all([this.region, database.address, database.port, database.masterSecretArn, this.masterSecretKey, jwtSecret.secretArn, parameters.appBaseUrlArn, this.kmsKeyArn])
            .apply(([region, dbAddress, dbPort, dbMasterSecretArn, masterSecretKey, jwtSecretArn, appBaseUrlParameterArn, kmsKeyArn]) => backendContainer({
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
                dbMasterSecretKmsKeyArn: masterSecretKey.customerManaged ? masterSecretKey.arn : undefined,
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
            // JWT_SECRET and APP_BASE_URL are referenced by ARN, so a new value leaves the task definition
            // unchanged; ECS reads them only when a task starts.
            redeployTriggers: { jwtSecretVersion: jwtSecret.currentVersionId, appBaseUrl: parameters.appBaseUrlValue },
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

        this.stackRecord = pulumi.all([this.masterSecretKey, this.secretsKmsKey?.keyArn])
            .apply(([masterSecretKey, createdKmsKeyArn]) => stackRecord(args, names, { masterSecretKey, createdKmsKeyArn }));

        this.registerOutputs(this.outputs());
    }

    /**
     * The key the RDS master secret gets when the instance is created: the configured one. An existing
     * instance keeps the key it has (RDS never moves a managed master secret), as the stack recorded it.
     */
    private masterSecretKeyAtCreation(args: AdmaBackendArgs): pulumi.Input<string> | undefined {
        if (args.previous === undefined || args.previous.replacesDatabase) {
            return this.kmsKeyArn;
        }
        const recorded = args.previous.record.database.masterSecretKey;
        return recorded.customerManaged ? recorded.arn : undefined;
    }

    /**
     * The stack outputs: names and ARNs, and the stack record (settings and names the next
     * deployment is checked against, lib/stack-record.ts); no secret value is reachable from here. A child the
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
            [STACK_RECORD_OUTPUT]: this.stackRecord,
        };
        return Object.fromEntries(Object.entries(outputs).filter((entry): entry is [string, pulumi.Output<unknown> | string] => entry[1] !== undefined));
    }
}
