/**
 * The "rotation reaches running tasks" workflow as plain documents. Pure: no Pulumi calls.
 *
 *   RotationSucceeded (EventBridge rule) --states:StartExecution--> state machine
 *     --arn:aws:states:::aws-sdk:ecs:updateService {ForceNewDeployment: true}--> ECS service
 *
 * ECS resolves `secrets[].valueFrom` only when a task starts, so a forced new deployment is what puts
 * the rotated password into the containers. Step Functions' AWS SDK integration calls the ECS API
 * directly: no Lambda code to own. Both roles name exactly one resource; nothing here is `"*"`.
 */
import { parseArn } from "../policy-pack/lib/arn";
import { IamPolicyDocument } from "./iam-policy";

export interface RedeployTarget {
    readonly clusterArn: string;
    readonly serviceArn: string;
}

/** Retries cover ECS throttling and a deployment already in progress; a permanent failure ends the execution as failed. */
const UPDATE_SERVICE_RETRY = { ErrorEquals: ["States.TaskFailed"], IntervalSeconds: 10, MaxAttempts: 3, BackoffRate: 2 };

/** Amazon States Language definition: one task that forces a new deployment of the service. */
export function redeployStateMachineDefinition(target: RedeployTarget): string {
    const { clusterArn, serviceArn } = checkedTarget(target);
    const partition = parseArn(serviceArn).partition;
    return JSON.stringify({
        Comment: "Forces a new deployment so running tasks pick up the rotated secret value",
        StartAt: "ForceNewDeployment",
        States: {
            ForceNewDeployment: {
                Type: "Task",
                Resource: `arn:${partition}:states:::aws-sdk:ecs:updateService`,
                Parameters: { Cluster: clusterArn, Service: serviceArn, ForceNewDeployment: true },
                Retry: [UPDATE_SERVICE_RETRY],
                End: true,
            },
        },
    });
}

/** The state machine's permissions: `ecs:UpdateService` on that one service, in that one cluster. */
export function updateServicePolicy(target: RedeployTarget): IamPolicyDocument {
    const { clusterArn, serviceArn } = checkedTarget(target);
    return {
        Version: "2012-10-17",
        Statement: [{
            Sid: "ForceNewDeploymentOfThisServiceOnly",
            Effect: "Allow",
            Action: "ecs:UpdateService",
            Resource: serviceArn,
            Condition: { ArnEquals: { "ecs:cluster": clusterArn } },
        }],
    };
}

/** EventBridge's permission to start exactly this state machine. */
export function startExecutionPolicy(stateMachineArn: string): IamPolicyDocument {
    const arn = parseArn(stateMachineArn, "state machine ARN");
    if (arn.service !== "states" || !arn.resource.startsWith("stateMachine:")) {
        throw new Error(`"${stateMachineArn}" is not a Step Functions state machine ARN`);
    }
    return {
        Version: "2012-10-17",
        Statement: [{ Sid: "StartThisStateMachineOnly", Effect: "Allow", Action: "states:StartExecution", Resource: stateMachineArn }],
    };
}

/** The ARN Step Functions will give a state machine of this name, known before it exists (for the trust policy). */
export function stateMachineArnFor(serviceArn: string, stateMachineName: string): string {
    const { partition, region, account } = parseArn(serviceArn, "ECS service ARN");
    return `arn:${partition}:states:${region}:${account}:stateMachine:${stateMachineName}`;
}

function checkedTarget(target: RedeployTarget): RedeployTarget {
    const cluster = parseArn(target.clusterArn, "ECS cluster ARN");
    const service = parseArn(target.serviceArn, "ECS service ARN");
    if (cluster.service !== "ecs" || !cluster.resource.startsWith("cluster/")) {
        throw new Error(`"${target.clusterArn}" is not an ECS cluster ARN (arn:<partition>:ecs:<region>:<account>:cluster/<name>)`);
    }
    if (service.service !== "ecs" || !service.resource.startsWith("service/")) {
        throw new Error(`"${target.serviceArn}" is not an ECS service ARN (arn:<partition>:ecs:<region>:<account>:service/<cluster>/<name>)`);
    }
    return target;
}
