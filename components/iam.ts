/**
 * The two ECS roles, kept apart as the design document asks: the execution role (used by the ECS agent to
 * pull the image, write logs and resolve the container's secrets at launch) and the task role
 * (the application's own identity: no secret permissions at all).
 */
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import { ContainerDefinition } from "../lib/container-definition";
import { ResourceNames } from "../lib/naming";
import { IamPolicyDocument, serviceTrustPolicy } from "../lib/iam-policy";
import { ECS_EXEC_ACTIONS } from "../policy-pack/lib/ecs-exec-actions";

/** Trust for ECS tasks, scoped to this account (confused-deputy protection). */
function ecsTasksTrustPolicy(accountId: string): string {
    return JSON.stringify(serviceTrustPolicy("ecs-tasks.amazonaws.com", accountId));
}

export interface ExecutionRoleArgs {
    readonly names: ResourceNames["executionRole"];
    readonly accountId: pulumi.Input<string>;
    /** The container whose secrets the role resolves: the inline policy is its `executionSecretsPolicy()`. */
    readonly container: pulumi.Output<ContainerDefinition>;
    readonly tags: Record<string, string>;
}

export class ExecutionRole extends pulumi.ComponentResource {
    readonly roleArn: pulumi.Output<string>;
    readonly roleName: pulumi.Output<string>;

    constructor(name: string, args: ExecutionRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("adma:iam:ExecutionRole", name, {}, opts);

        const role = new iam.Role(name, {
            name: args.names.role,
            description: "ECS agent: pulls the backend image, writes its logs, resolves its secrets at launch",
            assumeRolePolicy: pulumi.output(args.accountId).apply(ecsTasksTrustPolicy),
            tags: args.tags,
        }, { parent: this });

        new iam.RolePolicyAttachment(`${name}-managed`, {
            role: role.name,
            policyArn: iam.ManagedPolicy.AmazonECSTaskExecutionRolePolicy,
        }, { parent: this });

        new iam.RolePolicy(`${name}-secrets`, {
            name: args.names.secretsPolicy,
            role: role.id,
            policy: args.container.apply((container) => JSON.stringify(container.executionSecretsPolicy())),
        }, { parent: this });

        this.roleArn = role.arn;
        this.roleName = role.name;
        this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName });
    }
}

/** ECS Exec's channels have no resource-level permissions, hence the one `Resource: "*"` of this program. */
const ECS_EXEC_POLICY: IamPolicyDocument = {
    Version: "2012-10-17",
    Statement: [{ Sid: "EcsExecChannels", Effect: "Allow", Action: [...ECS_EXEC_ACTIONS], Resource: "*" }],
};

export interface TaskRoleArgs {
    readonly names: ResourceNames["taskRole"];
    readonly accountId: pulumi.Input<string>;
    /** Adds the ssmmessages channel permissions ECS Exec needs. */
    readonly enableEcsExec: boolean;
    readonly tags: Record<string, string>;
}

export class TaskRole extends pulumi.ComponentResource {
    readonly roleArn: pulumi.Output<string>;
    readonly roleName: pulumi.Output<string>;

    constructor(name: string, args: TaskRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("adma:iam:TaskRole", name, {}, opts);

        const role = new iam.Role(name, {
            name: args.names.role,
            description: "The ADMA backend application's identity (no secret access: ECS injects secrets at launch)",
            assumeRolePolicy: pulumi.output(args.accountId).apply(ecsTasksTrustPolicy),
            tags: args.tags,
        }, { parent: this });

        if (args.enableEcsExec) {
            new iam.RolePolicy(`${name}-ecs-exec`, {
                name: args.names.ecsExecPolicy,
                role: role.id,
                policy: JSON.stringify(ECS_EXEC_POLICY),
            }, { parent: this });
        }

        this.roleArn = role.arn;
        this.roleName = role.name;
        this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName });
    }
}
