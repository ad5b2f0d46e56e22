import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { SecretMonitoring } from "../components/monitoring";
import { AdmaConfig } from "../lib/config";
import { jwtSecretShapeFilterPattern, passwordFilterPattern } from "../lib/log-leak-patterns";
import { alarmTopicPolicy, eventsToLogGroupPolicy } from "../lib/resource-policies";
import { READ_ONLY_EVENTS_RULE_STATE, secretReadPattern, unexpectedSecretReadPattern } from "../lib/secret-events";
import { runPolicies } from "../policy-pack/audit/engine";
import { ACCOUNT, REGION, RecordingMocks, auditResources, json, registeredUrns, settled } from "./recording-mocks";
import { SECRET_ARNS, EXECUTION_ROLE_ARN, LOG_GROUP, PROD_CONFIG, PROD_NAMES } from "./samples";
import { withoutStackTraces } from "./stack-traces";

describe("SecretMonitoring component (mocked)", () => {
    let mocks: RecordingMocks;

    beforeEach(async () => {
        mocks = new RecordingMocks();
        await pulumi.runtime.setMocks(mocks, "adma", "test", false);
    });

    async function build(settings: Partial<AdmaConfig["monitoring"]> = {}, jwtSecretLength = 64): Promise<SecretMonitoring> {
        return withoutStackTraces(async () => {
            const component = new SecretMonitoring("monitoring", {
                names: PROD_NAMES.monitoring,
                tags: { Project: "adma", Environment: "prod" },
                settings: { ...PROD_CONFIG.monitoring, ...settings },
                secretArns: SECRET_ARNS,
                executionRoleArn: EXECUTION_ROLE_ARN,
                logGroupName: LOG_GROUP,
                jwtSecretLength,
            });
            await settled();
            return component;
        });
    }

    const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:adma-prod-secret-alarms`;

    it("sends reads by anyone but the execution role, console included, to the alarm topic", async () => {
        await build();
        const rule = mocks.one("aws:cloudwatch/eventRule:EventRule", "-unexpected-read");
        assert.strictEqual(rule.inputs.name, "adma-prod-unexpected-secret-read");
        assert.strictEqual(rule.inputs.state, READ_ONLY_EVENTS_RULE_STATE);
        assert.deepStrictEqual(json(rule.inputs.eventPattern), unexpectedSecretReadPattern(SECRET_ARNS, EXECUTION_ROLE_ARN));
        const target = mocks.one("aws:cloudwatch/eventTarget:EventTarget", "-unexpected-read");
        assert.strictEqual(target.inputs.rule, "adma-prod-unexpected-secret-read");
        assert.strictEqual(target.inputs.arn, TOPIC_ARN);
        assert.match(target.inputs.inputTransformer.inputTemplate, /<principal>/);
        assert.strictEqual(target.inputs.inputTransformer.inputPaths.fromConsole, "$.detail.sessionCredentialFromConsole");
    });

    it("counts every read into an audit log and alarms at the configured rate", async () => {
        await build({ secretReadAlarmThreshold: 12, secretReadPeriodSeconds: 600 });
        const rule = mocks.one("aws:cloudwatch/eventRule:EventRule", "-reads");
        assert.strictEqual(rule.inputs.state, READ_ONLY_EVENTS_RULE_STATE);
        assert.deepStrictEqual(json(rule.inputs.eventPattern), secretReadPattern(SECRET_ARNS));

        const logGroup = mocks.one("aws:cloudwatch/logGroup:LogGroup", "-read-audit");
        assert.strictEqual(logGroup.inputs.name, "/aws/events/adma-prod-secret-reads");
        const target = mocks.one("aws:cloudwatch/eventTarget:EventTarget", "-reads");
        assert.strictEqual(target.inputs.arn, `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/events/adma-prod-secret-reads`);
        assert.strictEqual(target.inputs.roleArn, undefined, "CloudWatch Logs targets use the resource policy, never a role");
        const delivery = mocks.one("aws:cloudwatch/logResourcePolicy:LogResourcePolicy", "-read-audit");
        assert.deepStrictEqual(json(delivery.inputs.policyDocument), eventsToLogGroupPolicy(target.inputs.arn));

        const alarm = mocks.one("aws:cloudwatch/metricAlarm:MetricAlarm", "-frequent-secret-reads");
        assert.deepStrictEqual(
            pick(alarm.inputs, ["name", "namespace", "metricName", "dimensions", "statistic", "period", "threshold", "comparisonOperator", "alarmActions"]),
            {
                name: "adma-prod-frequent-secret-reads", namespace: "AWS/Events", metricName: "Invocations",
                dimensions: { RuleName: "adma-prod-secret-reads" }, statistic: "Sum", period: 600, threshold: 12,
                comparisonOperator: "GreaterThanOrEqualToThreshold", alarmActions: [TOPIC_ARN],
            });
    });

    it("filters the backend log group for password and the JWT shape, one alarm each", async () => {
        await build({}, 80);
        const filters = mocks.ofType("aws:cloudwatch/logMetricFilter:LogMetricFilter");
        assert.deepStrictEqual(filters.map((f) => [f.inputs.name, f.inputs.logGroupName, f.inputs.pattern]), [
            ["adma-prod-log-leak-password", LOG_GROUP, passwordFilterPattern()],
            ["adma-prod-log-leak-jwt-shape", LOG_GROUP, jwtSecretShapeFilterPattern(80)],
        ]);
        for (const filter of filters) {
            const { name: metricName, namespace, value } = filter.inputs.metricTransformation;
            assert.deepStrictEqual([namespace, value], ["adma-prod/Secrets", "1"]);
            const alarm = mocks.one("aws:cloudwatch/metricAlarm:MetricAlarm", filter.inputs.name.replace("adma-prod", ""));
            assert.deepStrictEqual(
                pick(alarm.inputs, ["namespace", "metricName", "threshold", "comparisonOperator", "treatMissingData", "alarmActions"]),
                {
                    namespace, metricName, threshold: 1, comparisonOperator: "GreaterThanOrEqualToThreshold",
                    treatMissingData: "notBreaching", alarmActions: [TOPIC_ARN],
                });
        }
    });

    it("creates the topic with a policy naming exactly this stack's rule and alarms", async () => {
        await build();
        const topic = mocks.one("aws:sns/topic:Topic", "-alarms");
        assert.strictEqual(topic.inputs.name, "adma-prod-secret-alarms");
        const policy = json(mocks.one("aws:sns/topicPolicy:TopicPolicy", "-alarms").inputs.policy);
        const alarmArns = ["frequent-secret-reads", "log-leak-password", "log-leak-jwt-shape"]
            .map((suffix) => `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:adma-prod-${suffix}`);
        assert.deepStrictEqual(policy, alarmTopicPolicy({
            topicArn: TOPIC_ARN,
            eventRuleArns: [`arn:aws:events:${REGION}:${ACCOUNT}:rule/adma-prod-unexpected-secret-read`],
            alarmArns,
        }));
    });

    it("uses a topic from configuration as is, without touching its policy", async () => {
        const existing = `arn:aws:sns:${REGION}:${ACCOUNT}:org-security-alerts`;
        const component = await build({ alarmTopicArn: existing });
        assert.deepStrictEqual(mocks.ofType("aws:sns/topic:Topic"), []);
        assert.deepStrictEqual(mocks.ofType("aws:sns/topicPolicy:TopicPolicy"), []);
        assert.strictEqual(mocks.one("aws:cloudwatch/eventTarget:EventTarget", "-unexpected-read").inputs.arn, existing);
        assert.ok(mocks.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").every((a) => a.inputs.alarmActions[0] === existing));
        assert.strictEqual(await new Promise((resolve) => component.alarmTopicArn.apply(resolve)), existing);
    });

    it("takes a read period CloudWatch accepts for a standard-resolution alarm from the configuration (a multiple of 60)", () => {
        const period = PROD_CONFIG.monitoring.secretReadPeriodSeconds;
        assert.ok(period >= 60 && period % 60 === 0, String(period));
    });

    it("names everything with the stack's prefix, tags what takes tags, parents everything to the component", async () => {
        await build();
        const physicalNames = mocks.resources.filter((r) => r.type.startsWith("aws:")).map((r) => r.inputs.name ?? r.inputs.policyName)
            .filter((name) => name !== undefined);
        assert.ok(physicalNames.length >= 9);
        assert.ok(physicalNames.every((name: string) => name.startsWith("adma-prod-") || name === "/aws/events/adma-prod-secret-reads"),
            physicalNames.join());
        for (const type of ["aws:sns/topic:Topic", "aws:cloudwatch/eventRule:EventRule", "aws:cloudwatch/metricAlarm:MetricAlarm", "aws:cloudwatch/logGroup:LogGroup"]) {
            assert.ok(mocks.ofType(type).every((r) => r.inputs.tags?.Environment === "prod"), type);
        }
        const awsUrns = registeredUrns().filter((urn) => urn.includes("aws:"));
        assert.ok(awsUrns.length >= 12);
        assert.ok(awsUrns.every((urn) => urn.includes("::adma:monitoring:SecretMonitoring$aws:")), awsUrns.join("\n"));
    });

    it("passes the stack's own policy pack with no violation at all", async () => {
        await build();
        const violations = await runPolicies(auditResources(mocks));
        assert.deepStrictEqual(violations, []);
    });

    it("grants nothing through IAM: every permission is a resource policy scoped to one topic or log group", async () => {
        await build();
        assert.deepStrictEqual(mocks.resources.filter((r) => r.type.startsWith("aws:iam/")), []);
        const documents = [
            json(mocks.one("aws:sns/topicPolicy:TopicPolicy", "-alarms").inputs.policy),
            json(mocks.one("aws:cloudwatch/logResourcePolicy:LogResourcePolicy", "-read-audit").inputs.policyDocument),
        ];
        for (const document of documents) {
            for (const statement of document.Statement) {
                assert.ok(statement.Resource !== "*" && !String(statement.Resource).startsWith("*"), JSON.stringify(statement));
            }
        }
    });
});

function pick(object: Record<string, unknown>, keys: string[]): Record<string, unknown> {
    return Object.fromEntries(keys.map((key) => [key, object[key]]));
}
