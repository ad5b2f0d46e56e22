import * as assert from "assert";
import { serviceTrustPolicy } from "../lib/iam-policy";
import { redeployStateMachineDefinition, startExecutionPolicy, stateMachineArnFor, updateServicePolicy } from "../lib/redeploy-workflow";
import { ACCOUNT, REGION } from "./recording-mocks";
import { REDEPLOY_TARGET, CLUSTER_ARN, SERVICE_ARN } from "./samples";

describe("redeploy workflow documents (lib/redeploy-workflow)", () => {
    it("state machine: one aws-sdk ecs:updateService task forcing a new deployment of the service", () => {
        const definition = JSON.parse(redeployStateMachineDefinition(REDEPLOY_TARGET));
        assert.strictEqual(definition.StartAt, "ForceNewDeployment");
        assert.deepStrictEqual(Object.keys(definition.States), ["ForceNewDeployment"]);
        const task = definition.States.ForceNewDeployment;
        assert.strictEqual(task.Type, "Task");
        assert.strictEqual(task.Resource, "arn:aws:states:::aws-sdk:ecs:updateService");
        assert.deepStrictEqual(task.Parameters, { Cluster: CLUSTER_ARN, Service: SERVICE_ARN, ForceNewDeployment: true });
        assert.strictEqual(task.End, true);
        assert.ok(task.Retry.length > 0 && task.Retry.every((retry: { MaxAttempts: number }) => retry.MaxAttempts <= 3));
    });

    it("uses the service's partition for the integration ARN", () => {
        const govTarget = {
            clusterArn: CLUSTER_ARN.replace("arn:aws:", "arn:aws-us-gov:"),
            serviceArn: SERVICE_ARN.replace("arn:aws:", "arn:aws-us-gov:"),
        };
        const definition = JSON.parse(redeployStateMachineDefinition(govTarget));
        assert.strictEqual(definition.States.ForceNewDeployment.Resource, "arn:aws-us-gov:states:::aws-sdk:ecs:updateService");
    });

    it("state machine role: ecs:UpdateService on exactly the service, only in its cluster", () => {
        assert.deepStrictEqual(updateServicePolicy(REDEPLOY_TARGET).Statement, [{
            Sid: "ForceNewDeploymentOfThisServiceOnly",
            Effect: "Allow",
            Action: "ecs:UpdateService",
            Resource: SERVICE_ARN,
            Condition: { ArnEquals: { "ecs:cluster": CLUSTER_ARN } },
        }]);
    });

    it("EventBridge role: states:StartExecution on exactly the state machine", () => {
        const stateMachineArn = stateMachineArnFor(SERVICE_ARN, "adma-prod-rds-rotation-redeploy");
        assert.strictEqual(stateMachineArn, `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:adma-prod-rds-rotation-redeploy`);
        assert.deepStrictEqual(startExecutionPolicy(stateMachineArn).Statement, [{
            Sid: "StartThisStateMachineOnly", Effect: "Allow", Action: "states:StartExecution", Resource: stateMachineArn,
        }]);
    });

    it("rejects targets that are not an ECS cluster and service", () => {
        assert.throws(() => updateServicePolicy({ clusterArn: SERVICE_ARN, serviceArn: SERVICE_ARN }), /not an ECS cluster ARN/);
        assert.throws(() => redeployStateMachineDefinition({ clusterArn: CLUSTER_ARN, serviceArn: CLUSTER_ARN }), /not an ECS service ARN/);
        assert.throws(() => startExecutionPolicy(SERVICE_ARN), /not a Step Functions state machine ARN/);
    });

    it("trust policies name the service and guard against the confused deputy", () => {
        assert.deepStrictEqual(serviceTrustPolicy("states.amazonaws.com", ACCOUNT, "arn:aws:states:x").Statement[0], {
            Effect: "Allow",
            Principal: { Service: "states.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnLike: { "aws:SourceArn": "arn:aws:states:x" } },
        });
    });
});
