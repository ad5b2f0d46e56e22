/**
 * AdmaBackend with its rotation and monitoring components (issue 4), through the shared harness:
 * what the prod stack gets, each config switch, and the stack's policy pack over the whole result.
 */
import * as assert from "assert";
import { runPolicies } from "../policy-pack/audit/engine";
import { jwtSecretShapeFilterPattern } from "../lib/log-leak-patterns";
import { redeployStateMachineDefinition, updateServicePolicy } from "../lib/redeploy-workflow";
import { currentVersionChangedPattern, secretReadPattern, unexpectedSecretReadPattern } from "../lib/secret-events";
import { AdmaConfigError } from "../lib/config";
import { Deployment, MINIMAL_CONFIG, configFrom, deploy, stackConfigValues } from "./harness";

const T = {
    rotation: "aws:secretsmanager/secretRotation:SecretRotation",
    rule: "aws:cloudwatch/eventRule:EventRule",
    target: "aws:cloudwatch/eventTarget:EventTarget",
    stateMachine: "aws:sfn/stateMachine:StateMachine",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    topic: "aws:sns/topic:Topic",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    filter: "aws:cloudwatch/logMetricFilter:LogMetricFilter",
};

const ISSUE_4_TYPES = [T.rotation, T.rule, T.target, T.stateMachine, T.topic, T.alarm, T.filter, "aws:sns/topicPolicy:TopicPolicy"];

function json(value: string): unknown {
    return JSON.parse(value);
}

describe("AdmaBackend rotation and monitoring: the prod stack", function () {
    let d: Deployment;
    before(async () => {
        d = await deploy(stackConfigValues("prod"), { base: {}, stack: "prod" });
    });

    it("rotates the RDS master secret every 30 days, natively, without rotating at once", () => {
        const rotation = d.one(T.rotation);
        assert.strictEqual(rotation.inputs.secretId, d.outputs.dbMasterSecretArn);
        assert.deepStrictEqual(rotation.inputs.rotationRules, { automaticallyAfterDays: 30 });
        assert.strictEqual(rotation.inputs.rotationLambdaArn, undefined);
        assert.strictEqual(rotation.inputs.rotateImmediately, false);
    });

    it("redeploys exactly this stack's service when that secret's rotation succeeds", () => {
        const target = { clusterArn: String(d.outputs.clusterArn), serviceArn: String(d.outputs.serviceArn) };
        assert.strictEqual(target.serviceArn, "arn:aws:ecs:eu-west-1:123456789012:service/adma-prod-ecs/adma-prod-backend");
        const rule = d.one(T.rule, "rotation-succeeded");
        assert.deepStrictEqual(json(rule.inputs.eventPattern), currentVersionChangedPattern(String(d.outputs.dbMasterSecretArn)));
        assert.strictEqual(d.one(T.stateMachine).inputs.definition, redeployStateMachineDefinition(target));
        assert.deepStrictEqual(json(d.one(T.rolePolicy, "redeploy-sfn").inputs.policy), updateServicePolicy(target));
        assert.strictEqual(d.one(T.target, "rds-rotation-redeploy").inputs.arn, d.one(T.stateMachine).state.arn);
    });

    it("watches reads of exactly the JWT and RDS secrets, excepting the execution role", () => {
        const secrets = [String(d.outputs.jwtSecretArn), String(d.outputs.dbMasterSecretArn)];
        assert.deepStrictEqual(json(d.one(T.rule, "unexpected-read").inputs.eventPattern),
            unexpectedSecretReadPattern(secrets, String(d.outputs.executionRoleArn)));
        assert.deepStrictEqual(json(d.one(T.rule, "monitoring-reads").inputs.eventPattern), secretReadPattern(secrets));
        assert.strictEqual(d.one(T.alarm, "frequent-secret-reads").inputs.threshold, 30);
    });

    it("filters the backend's own log group, for the configured JWT length, and alarms to the created topic", () => {
        const filters = d.ofType(T.filter);
        assert.deepStrictEqual(filters.map((f) => f.inputs.logGroupName), ["/ecs/adma-prod-backend", "/ecs/adma-prod-backend"]);
        assert.strictEqual(d.one(T.filter, "jwt-shape").inputs.pattern, jwtSecretShapeFilterPattern(64));
        const topicArn = d.one(T.topic).state.arn;
        assert.strictEqual(topicArn, "arn:aws:sns:eu-west-1:123456789012:adma-prod-secret-alarms");
        assert.strictEqual(d.outputs.alarmTopicArn, topicArn);
        assert.ok(d.ofType(T.alarm).length === 3 && d.ofType(T.alarm).every((a) => a.inputs.alarmActions[0] === topicArn));
    });

    it("puts both components under AdmaBackend", () => {
        for (const type of ["adma:rotation:RdsSecretRotation", "adma:monitoring:SecretMonitoring"]) {
            const component = d.one(type);
            assert.strictEqual(component.options.parent, d.one("adma:index:AdmaBackend").options.urn, type);
        }
    });

    it("still passes the stack's policy pack with no violation", async () => {
        const violations = await runPolicies(d.resources.map((r) => ({ urn: r.options.urn, type: r.type, name: r.name, props: r.inputs })));
        assert.deepStrictEqual(violations.filter((v) => v.enforcementLevel === "mandatory"), []);
    });
});

describe("AdmaBackend rotation and monitoring: configuration", function () {
    it("dev: monitoring off creates no topic, rule for reads, filter or alarm; rotation stays", async () => {
        const d = await deploy(stackConfigValues("dev"), { base: {}, stack: "dev" });
        assert.strictEqual(d.backend.monitoring, undefined);
        for (const type of [T.topic, T.alarm, T.filter]) {
            assert.deepStrictEqual(d.ofType(type), [], type);
        }
        assert.deepStrictEqual(d.ofType(T.rule).map((r) => r.inputs.name), ["adma-dev-rds-rotation-succeeded"]);
        assert.strictEqual(d.outputs.alarmTopicArn, undefined);
        assert.strictEqual(d.ofType(T.rotation).length, 1);
    });

    it("redeployOnRdsRotation=false keeps only the schedule", async () => {
        const d = await deploy({ redeployOnRdsRotation: "false", monitoring: "false" });
        assert.deepStrictEqual(d.resources.filter((r) => ISSUE_4_TYPES.includes(r.type)).map((r) => r.type), [T.rotation]);
        assert.deepStrictEqual(d.ofType(T.rolePolicy).map((p) => p.inputs.name), ["adma-staging-ecs-execution-secrets"]);
    });

    it("rdsRotationDays sets the days; rdsRotationSchedule replaces them", () => {
        assert.deepStrictEqual(configFrom({ ...MINIMAL_CONFIG, rdsRotationDays: "10" }).rotation.rdsSchedule, { afterDays: 10 });
        assert.deepStrictEqual(configFrom({ ...MINIMAL_CONFIG, rdsRotationDays: "10", rdsRotationSchedule: "rate(12 days)" }).rotation.rdsSchedule,
            { expression: "rate(12 days)" });
    });

    it("an alarm topic from config is used as is (no topic, no topic policy); a schedule expression reaches the rotation", async () => {
        const topicArn = "arn:aws:sns:eu-west-1:123456789012:org-security-alerts";
        const d = await deploy({ alarmTopicArn: topicArn, secretReadAlarmThreshold: "50", rdsRotationSchedule: "cron(0 3 ? * SUN *)" });
        assert.deepStrictEqual([...d.ofType(T.topic), ...d.ofType("aws:sns/topicPolicy:TopicPolicy")], []);
        assert.ok(d.ofType(T.alarm).every((a) => a.inputs.alarmActions[0] === topicArn));
        assert.strictEqual(d.one(T.target, "unexpected-read").inputs.arn, topicArn);
        assert.strictEqual(d.one(T.alarm, "frequent-secret-reads").inputs.threshold, 50);
        assert.strictEqual(d.outputs.alarmTopicArn, topicArn);
        assert.deepStrictEqual(d.one(T.rotation).inputs.rotationRules, { scheduleExpression: "cron(0 3 ? * SUN *)" });
    });

    for (const [key, value, message] of [
        ["rdsRotationDays", "0", /^adma:rdsRotationDays: expected an integer from 1 to 1000, got 0$/],
        ["rdsRotationDays", "1001", /adma:rdsRotationDays: expected an integer from 1 to 1000/],
        ["rdsRotationSchedule", "every sunday", /^adma:rdsRotationSchedule: not a schedule expression: rate\(<value> hours\|days\) or cron\(.*\); got "every sunday"$/],
        ["alarmTopicArn", "org-security-alerts", /^adma:alarmTopicArn: not the ARN of an SNS topic \(arn:<partition>:sns:<region>:<account>:<topic name>\)/],
        ["alarmTopicArn", "arn:aws:sqs:eu-west-1:123456789012:queue", /^adma:alarmTopicArn: an ARN of the sqs service, not of an SNS topic/],
        ["secretReadAlarmThreshold", "0", /adma:secretReadAlarmThreshold: expected an integer of at least 1, got 0/],
        ["secretReadAlarmThreshold", "2.5", /adma:secretReadAlarmThreshold: expected an integer of at least 1, got "2.5"/],
        ["jwtSecretLength", "-1", /adma:jwtSecretLength: expected an integer from 32 to 4096, got -1/],
        ["redeployOnRdsRotation", "yes", /adma:redeployOnRdsRotation: expected true or false/],
        ["monitoring", "on", /adma:monitoring: expected true or false/],
    ] as const) {
        it(`rejects ${key}=${value} before any resource exists, naming the key and the allowed values`, () => {
            assert.throws(() => configFrom({ ...MINIMAL_CONFIG, [key]: value }),
                (error: unknown) => error instanceof AdmaConfigError && error.problems.some((p) => message.test(p)));
        });
    }
});
