/**
 * The backend on ECS Fargate, written with @pulumi/aws directly (awsx.ecs components run in the
 * awsx plugin, so their task definition would be invisible to tests and policies): cluster, log
 * group, task definition, service.
 */
import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ecs from "@pulumi/aws/ecs";
import { AdmaConfig } from "../lib/config";
import { ContainerDefinition } from "../lib/container-definition";
import { ResourceNames } from "../lib/naming";

export interface BackendServiceArgs {
    /** `container` is the name of the container inside the task definition (see `args.container`). */
    readonly names: ResourceNames["backendService"];
    readonly settings: AdmaConfig["backend"];
    /** The task's one container; the execution role's grant is read from the same object. */
    readonly container: pulumi.Output<ContainerDefinition>;
    readonly executionRoleArn: pulumi.Input<string>;
    readonly taskRoleArn: pulumi.Input<string>;
    readonly subnetIds: pulumi.Input<string[]>;
    readonly securityGroupIds: pulumi.Input<string>[];
    /**
     * Values whose change must restart the tasks although the task definition is unchanged
     * (a secret referenced by ARN got a new version): a change forces a new deployment.
     */
    readonly redeployTriggers: pulumi.Input<Record<string, pulumi.Input<string>>>;
    readonly tags: Record<string, string>;
}

export class BackendService extends pulumi.ComponentResource {
    readonly clusterArn: pulumi.Output<string>;
    readonly clusterName: pulumi.Output<string>;
    readonly logGroupName: pulumi.Output<string>;
    readonly logGroupArn: pulumi.Output<string>;
    readonly taskDefinitionArn: pulumi.Output<string>;
    /** The service's ARN (the provider uses it as the id). */
    readonly serviceArn: pulumi.Output<string>;
    readonly serviceName: pulumi.Output<string>;

    constructor(name: string, args: BackendServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("adma:ecs:BackendService", name, {}, opts);
        const { names, settings, tags } = args;

        const cluster = new ecs.Cluster(`${name}-cluster`, {
            name: names.cluster,
            settings: [{ name: "containerInsights", value: "enabled" }],
            tags,
        }, { parent: this });

        const logGroup = new cloudwatch.LogGroup(`${name}-logs`, {
            name: names.logGroup,
            retentionInDays: settings.logRetentionDays,
            tags,
        }, { parent: this });

        const taskDefinition = new ecs.TaskDefinition(`${name}-task`, {
            family: names.taskFamily,
            networkMode: "awsvpc",
            requiresCompatibilities: ["FARGATE"],
            cpu: String(settings.cpu),
            memory: String(settings.memory),
            executionRoleArn: args.executionRoleArn,
            taskRoleArn: args.taskRoleArn,
            containerDefinitions: args.container.apply((container) => JSON.stringify([container.render()])),
            runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
            tags,
        }, { parent: this, dependsOn: [logGroup] });

        const service = new ecs.Service(`${name}-service`, {
            name: names.service,
            cluster: cluster.arn,
            taskDefinition: taskDefinition.arn,
            desiredCount: settings.desiredCount,
            launchType: "FARGATE",
            networkConfiguration: {
                subnets: args.subnetIds,
                securityGroups: args.securityGroupIds,
                assignPublicIp: false,
            },
            enableExecuteCommand: settings.enableEcsExec,
            deploymentCircuitBreaker: { enable: true, rollback: true },
            // The provider then waits for the deployment and fails when the circuit breaker rolled it back.
            waitForSteadyState: settings.waitForSteadyState,
            propagateTags: "SERVICE",
            // Every update of the service is a new deployment; `triggers` turns a new secret version into one.
            forceNewDeployment: true,
            triggers: args.redeployTriggers,
            tags,
        }, { parent: this });

        this.clusterArn = cluster.arn;
        this.clusterName = cluster.name;
        this.logGroupName = logGroup.name;
        this.logGroupArn = logGroup.arn;
        this.taskDefinitionArn = taskDefinition.arn;
        this.serviceArn = service.id;
        this.serviceName = service.name;
        this.registerOutputs({
            clusterArn: this.clusterArn,
            logGroupName: this.logGroupName,
            taskDefinitionArn: this.taskDefinitionArn,
            serviceArn: this.serviceArn,
            serviceName: this.serviceName,
        });
    }
}
