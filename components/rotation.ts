/**
 * Scheduled rotation of the RDS-managed master secret, and the wiring that gets a rotated password
 * into the running tasks without a human.
 *
 * RDS-managed secrets rotate natively: `aws.secretsmanager.SecretRotation` without `rotationLambdaArn`
 * ("Must be supplied if the secret is not managed by AWS", @pulumi/aws 7 docs) only sets the schedule.
 * ECS reads `secrets[].valueFrom` at task start, so each successful rotation forces a new deployment
 * through EventBridge and a one-step Step Functions state machine (see lib/redeploy-workflow.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as secretsmanager from "@pulumi/aws/secretsmanager";
import * as sfn from "@pulumi/aws/sfn";
import { parseArn } from "../policy-pack/lib/arn";
import { serviceTrustPolicy } from "../lib/iam-policy";
import {
    redeployStateMachineDefinition,
    startExecutionPolicy,
    stateMachineArnFor,
    updateServicePolicy,
} from "../lib/redeploy-workflow";
import { AdmaConfig } from "../lib/config";
import { ResourceNames } from "../lib/naming";
import { rotationRules } from "../lib/rotation-schedule";
import { currentVersionChangedPattern } from "../lib/secret-events";

export interface RdsSecretRotationArgs {
    readonly names: ResourceNames["rotation"];
    readonly tags: Record<string, string>;
    /** `masterUserSecrets[0].secretArn` of the RDS instance. */
    readonly rdsMasterSecretArn: pulumi.Input<string>;
    /** The validated schedule, and whether each successful rotation forces a new deployment of `service`. */
    readonly settings: AdmaConfig["rotation"];
    /** The ECS service whose tasks read the secret. */
    readonly service: {
        readonly clusterArn: pulumi.Input<string>;
        readonly serviceArn: pulumi.Input<string>;
    };
}

export class RdsSecretRotation extends pulumi.ComponentResource {
    public readonly rotation: secretsmanager.SecretRotation;
    /** Undefined when `redeployOnRdsRotation` is false. */
    public readonly redeployStateMachine?: sfn.StateMachine;
    public readonly rotationSucceededRule?: cloudwatch.EventRule;

    constructor(name: string, args: RdsSecretRotationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("adma:rotation:RdsSecretRotation", name, {}, opts);
        const { names } = args;

        this.rotation = new secretsmanager.SecretRotation(`${name}-schedule`, {
            secretId: args.rdsMasterSecretArn,
            rotationRules: rotationRules(args.settings.rdsSchedule),
            // Enabling the schedule must not change the password of a database that may be serving traffic.
            rotateImmediately: false,
        }, { parent: this });

        if (args.settings.redeployOnRdsRotation) {
            const { clusterArn, serviceArn } = args.service;

            const stateMachineRole = new iam.Role(`${name}-redeploy-sfn`, {
                name: names.stateMachineRole,
                description: "Step Functions: force a new deployment of the backend service after an RDS secret rotation",
                assumeRolePolicy: pulumi.output(serviceArn).apply((arn) => JSON.stringify(serviceTrustPolicy(
                    "states.amazonaws.com", parseArn(arn).account, stateMachineArnFor(arn, names.stateMachine)))),
                tags: args.tags,
            }, { parent: this });
            const updateService = new iam.RolePolicy(`${name}-redeploy-sfn`, {
                name: names.stateMachinePolicy,
                role: stateMachineRole.id,
                policy: pulumi.all([clusterArn, serviceArn]).apply(([cluster, service]) =>
                    JSON.stringify(updateServicePolicy({ clusterArn: cluster, serviceArn: service }))),
            }, { parent: this });

            this.redeployStateMachine = new sfn.StateMachine(`${name}-redeploy`, {
                name: names.stateMachine,
                type: "STANDARD",
                roleArn: stateMachineRole.arn,
                definition: pulumi.all([clusterArn, serviceArn]).apply(([cluster, service]) =>
                    redeployStateMachineDefinition({ clusterArn: cluster, serviceArn: service })),
                tags: args.tags,
            }, { parent: this, dependsOn: [updateService] });

            this.rotationSucceededRule = new cloudwatch.EventRule(`${name}-rotation-succeeded`, {
                name: names.rotationSucceededRule,
                description: "RDS master secret rotated: redeploy the backend so tasks read the new password",
                eventPattern: pulumi.output(args.rdsMasterSecretArn).apply((arn) => JSON.stringify(currentVersionChangedPattern(arn))),
                tags: args.tags,
            }, { parent: this });

            const eventsRole = new iam.Role(`${name}-redeploy-events`, {
                name: names.eventsRole,
                description: "EventBridge: start the backend redeploy state machine",
                assumeRolePolicy: pulumi.all([serviceArn, this.rotationSucceededRule.arn]).apply(([service, ruleArn]) =>
                    JSON.stringify(serviceTrustPolicy("events.amazonaws.com", parseArn(service).account, ruleArn))),
                tags: args.tags,
            }, { parent: this });
            const startExecution = new iam.RolePolicy(`${name}-redeploy-events`, {
                name: names.eventsPolicy,
                role: eventsRole.id,
                policy: this.redeployStateMachine.arn.apply((arn) => JSON.stringify(startExecutionPolicy(arn))),
            }, { parent: this });

            new cloudwatch.EventTarget(`${name}-redeploy`, {
                rule: this.rotationSucceededRule.name,
                arn: this.redeployStateMachine.arn,
                roleArn: eventsRole.arn,
            }, { parent: this, dependsOn: [startExecution] });
        }

        this.registerOutputs({
            rotation: this.rotation,
            redeployStateMachine: this.redeployStateMachine,
            rotationSucceededRule: this.rotationSucceededRule,
        });
    }
}
