import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { RdsSecretRotation } from "../components/rotation";
import { AdmaConfig, CONFIG_DEFAULTS } from "../lib/config";
import { serviceTrustPolicy } from "../lib/iam-policy";
import {
    redeployStateMachineDefinition,
    startExecutionPolicy,
    stateMachineArnFor,
    updateServicePolicy,
} from "../lib/redeploy-workflow";
import { resourceNames } from "../lib/naming";
import { rotationRules } from "../lib/rotation-schedule";
import { rotationSucceededPattern, secretIdentifiers } from "../lib/secret-events";
import { runPolicies } from "../policy-pack/audit/engine";
import { matchesEventPattern } from "./event-pattern-matcher";
import { ACCOUNT, REGION, RecordingMocks, auditResources, json, policyResources, registeredUrns, settled } from "./recording-mocks";
import { MINIMAL_CONFIG, configFrom } from "./harness";
import { withoutStackTraces } from "./stack-traces";

const RDS_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:rds!db-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b-Ab12Cd`;
const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/adma-prod-ecs`;
const SERVICE_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/adma-prod-ecs/adma-prod-backend`;
const TARGET = { clusterArn: CLUSTER_ARN, serviceArn: SERVICE_ARN };
const PROD_CONFIG = configFrom({ ...MINIMAL_CONFIG, environment: "prod" });

function rotationSucceededEvent(secretId: string): Record<string, unknown> {
    return {
        "source": "aws.secretsmanager",
        "detail-type": "AWS Service Event via CloudTrail",
        "detail": {
            eventSource: "secretsmanager.amazonaws.com",
            eventName: "RotationSucceeded",
            eventType: "AwsServiceEvent",
            requestParameters: null,
            additionalEventData: { SecretId: secretId },
        },
    };
}

describe("rotation schedule (lib/rotation-schedule)", () => {
    it("defaults to the design document's 30 days", () => {
        assert.strictEqual(CONFIG_DEFAULTS.rdsRotationDays, 30);
        assert.deepStrictEqual(rotationRules(PROD_CONFIG.rotation.rdsSchedule), { automaticallyAfterDays: 30 });
    });

    it("passes a rate() or cron() expression through as scheduleExpression", () => {
        assert.deepStrictEqual(rotationRules({ expression: "rate(10 days)" }), { scheduleExpression: "rate(10 days)" });
        assert.deepStrictEqual(rotationRules({ expression: "cron(0 4 ? * SUN *)" }), { scheduleExpression: "cron(0 4 ? * SUN *)" });
    });

    for (const days of ["0", "-1", "1001", "7.5", "NaN"]) {
        it(`configuration rejects ${days} days with an error naming the setting and the range`, () => {
            assert.throws(() => configFrom({ ...MINIMAL_CONFIG, rdsRotationDays: days }),
                /adma:rdsRotationDays: expected an integer >= 1 and <= 1000/);
        });
    }

    for (const expression of ["every 30 days", "rate(30 days", "at(2026-01-01T00:00:00)"]) {
        it(`configuration rejects the schedule expression "${expression}"`, () => {
            assert.throws(() => configFrom({ ...MINIMAL_CONFIG, rdsRotationSchedule: expression }),
                /adma:rdsRotationSchedule: expected a Secrets Manager schedule expression, "rate\(<n> days\)" or "cron\(<fields>\)"/);
        });
    }
});

describe("RotationSucceeded event pattern (lib/secret-events)", () => {
    it("has the CloudTrail service-event shape for exactly this secret", () => {
        const pattern = rotationSucceededPattern(RDS_SECRET_ARN);
        assert.deepStrictEqual(pattern, {
            "source": ["aws.secretsmanager"],
            "detail-type": ["AWS Service Event via CloudTrail"],
            "detail": {
                eventSource: ["secretsmanager.amazonaws.com"],
                eventName: ["RotationSucceeded"],
                additionalEventData: { SecretId: secretIdentifiers(RDS_SECRET_ARN) },
            },
        });
    });

    it("matches this secret's rotation and nothing else", () => {
        const pattern = rotationSucceededPattern(RDS_SECRET_ARN);
        assert.ok(matchesEventPattern(pattern, rotationSucceededEvent(RDS_SECRET_ARN)));
        const otherSecret = RDS_SECRET_ARN.replace("Ab12Cd", "Zz99Yy").replace("0f1e2d3c", "99999999");
        assert.ok(!matchesEventPattern(pattern, rotationSucceededEvent(otherSecret)));
        const failed = rotationSucceededEvent(RDS_SECRET_ARN);
        (failed.detail as Record<string, unknown>).eventName = "RotationFailed";
        assert.ok(!matchesEventPattern(pattern, failed));
    });

    it("derives the partial ARN and the name a caller may use instead of the full ARN", () => {
        assert.deepStrictEqual(secretIdentifiers(RDS_SECRET_ARN), [
            RDS_SECRET_ARN,
            `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:rds!db-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`,
            "rds!db-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
        ]);
    });

    it("rejects an ARN that is not a secret's", () => {
        assert.throws(() => rotationSucceededPattern(`arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/x`), /not a Secrets Manager secret ARN/);
        assert.throws(() => rotationSucceededPattern("rds!db-123"), /must be an ARN/);
    });
});

describe("redeploy workflow documents (lib/redeploy-workflow)", () => {
    it("state machine: one aws-sdk ecs:updateService task forcing a new deployment of the service", () => {
        const definition = JSON.parse(redeployStateMachineDefinition(TARGET));
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
        assert.deepStrictEqual(updateServicePolicy(TARGET).Statement, [{
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

describe("RdsSecretRotation component (mocked)", () => {
    let mocks: RecordingMocks;

    beforeEach(async () => {
        mocks = new RecordingMocks();
        await pulumi.runtime.setMocks(mocks, "adma", "test", false);
    });

    async function build(settings: Partial<AdmaConfig["rotation"]> = {}): Promise<RdsSecretRotation> {
        return withoutStackTraces(async () => {
            const component = new RdsSecretRotation("rds-rotation", {
                names: resourceNames(PROD_CONFIG).rotation,
                tags: { Project: "adma", Environment: "prod" },
                rdsMasterSecretArn: RDS_SECRET_ARN,
                settings: { ...PROD_CONFIG.rotation, ...settings },
                service: TARGET,
            });
            await settled();
            return component;
        });
    }

    it("schedules the RDS master secret every 30 days by default, natively (no Lambda), without rotating at once", async () => {
        await build();
        const [rotation] = mocks.ofType("aws:secretsmanager/secretRotation:SecretRotation");
        assert.strictEqual(rotation.inputs.secretId, RDS_SECRET_ARN);
        assert.deepStrictEqual(rotation.inputs.rotationRules, { automaticallyAfterDays: 30 });
        assert.strictEqual(rotation.inputs.rotationLambdaArn, undefined);
        assert.strictEqual(rotation.inputs.rotateImmediately, false);
    });

    it("takes the schedule from its arguments", async () => {
        await build({ rdsSchedule: { afterDays: 14 } });
        const [rotation] = mocks.ofType("aws:secretsmanager/secretRotation:SecretRotation");
        assert.deepStrictEqual(rotation.inputs.rotationRules, { automaticallyAfterDays: 14 });
    });

    it("wires RotationSucceeded for this secret to a state machine that redeploys this service", async () => {
        const component = await build();
        assert.ok(component.redeployStateMachine && component.rotationSucceededRule);

        const rule = mocks.one("aws:cloudwatch/eventRule:EventRule", "-rotation-succeeded");
        assert.strictEqual(rule.inputs.name, "adma-prod-rds-rotation-succeeded");
        assert.deepStrictEqual(json(rule.inputs.eventPattern), rotationSucceededPattern(RDS_SECRET_ARN));

        const stateMachine = mocks.one("aws:sfn/stateMachine:StateMachine", "-redeploy");
        assert.strictEqual(stateMachine.inputs.name, "adma-prod-rds-rotation-redeploy");
        assert.strictEqual(stateMachine.inputs.definition, redeployStateMachineDefinition(TARGET));
        assert.strictEqual(stateMachine.inputs.roleArn, `arn:aws:iam::${ACCOUNT}:role/adma-prod-rds-rotation-redeploy-sfn`);

        const target = mocks.one("aws:cloudwatch/eventTarget:EventTarget", "-redeploy");
        assert.strictEqual(target.inputs.rule, "adma-prod-rds-rotation-succeeded");
        assert.strictEqual(target.inputs.arn, `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:adma-prod-rds-rotation-redeploy`);
        assert.strictEqual(target.inputs.roleArn, `arn:aws:iam::${ACCOUNT}:role/adma-prod-rds-rotation-redeploy-events`);
    });

    it("scopes each role to one action on one resource, trusted by one service for this stack's resource", async () => {
        await build();
        const stateMachineArn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:adma-prod-rds-rotation-redeploy`;
        const ruleArn = `arn:aws:events:${REGION}:${ACCOUNT}:rule/adma-prod-rds-rotation-succeeded`;

        const sfnRole = mocks.one("aws:iam/role:Role", "-redeploy-sfn");
        assert.deepStrictEqual(json(sfnRole.inputs.assumeRolePolicy), serviceTrustPolicy("states.amazonaws.com", ACCOUNT, stateMachineArn));
        const sfnPolicy = json(mocks.one("aws:iam/rolePolicy:RolePolicy", "-redeploy-sfn").inputs.policy);
        assert.deepStrictEqual(sfnPolicy, updateServicePolicy(TARGET));

        const eventsRole = mocks.one("aws:iam/role:Role", "-redeploy-events");
        assert.deepStrictEqual(json(eventsRole.inputs.assumeRolePolicy), serviceTrustPolicy("events.amazonaws.com", ACCOUNT, ruleArn));
        const eventsPolicy = json(mocks.one("aws:iam/rolePolicy:RolePolicy", "-redeploy-events").inputs.policy);
        assert.deepStrictEqual(eventsPolicy, startExecutionPolicy(stateMachineArn));
    });

    it("creates no wildcard resource and no Secrets Manager permission", async () => {
        await build();
        const policies = mocks.ofType("aws:iam/rolePolicy:RolePolicy").map((p) => json(p.inputs.policy));
        assert.strictEqual(policies.length, 2);
        for (const policy of policies) {
            assert.ok(policyResources(policy).every((resource) => !resource.includes("*")), JSON.stringify(policy));
            const actions = policy.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
            assert.ok(actions.every((action: string) => !action.startsWith("secretsmanager:") && !action.includes("*")), actions.join());
        }
    });

    it("names every physical resource with the stack's prefix and tags what takes tags", async () => {
        await build();
        const named = mocks.resources.filter((r) => r.type.startsWith("aws:") && r.inputs.name !== undefined);
        assert.ok(named.length >= 5);
        assert.ok(named.every((r) => r.inputs.name.startsWith("adma-prod-")), named.map((r) => r.inputs.name).join());
        for (const type of ["aws:iam/role:Role", "aws:sfn/stateMachine:StateMachine", "aws:cloudwatch/eventRule:EventRule"]) {
            assert.ok(mocks.ofType(type).every((r) => r.inputs.tags?.Environment === "prod"), type);
        }
    });

    it("passes the stack's own policy pack with no violation at all", async () => {
        await build();
        const resources = auditResources(mocks);
        assert.deepStrictEqual(await runPolicies(resources), []);
        // Control: the same audit does read these role policies (a widened one is reported).
        const widened = resources.map((resource) => resource.type !== "aws:iam/rolePolicy:RolePolicy" ? resource : {
            ...resource,
            props: { ...resource.props, policy: (resource.props.policy as string).replace(/"Resource":"[^"]+"/, "\"Resource\":\"*\"") },
        });
        const names = (await runPolicies(widened)).map((violation) => violation.policyName);
        assert.ok(names.includes("no-wildcard-resource"), names.join());
    });

    it("with redeployOnRdsRotation off, only schedules the rotation", async () => {
        const component = await build({ redeployOnRdsRotation: false });
        assert.strictEqual(component.redeployStateMachine, undefined);
        assert.deepStrictEqual(mocks.resources.filter((r) => r.type.startsWith("aws:")).map((r) => r.type),
            ["aws:secretsmanager/secretRotation:SecretRotation"]);
    });

    it("registers as an adma:rotation component with every resource parented to it", async () => {
        await build();
        const awsUrns = registeredUrns().filter((urn) => urn.includes("aws:"));
        assert.strictEqual(awsUrns.length, mocks.resources.filter((r) => r.type.startsWith("aws:")).length);
        assert.ok(awsUrns.every((urn) => urn.includes("::adma:rotation:RdsSecretRotation$aws:")), awsUrns.join("\n"));
    });
});
