import * as assert from "assert";
import { alarmTopicPolicy, eventsToLogGroupPolicy } from "../lib/resource-policies";
import { ACCOUNT, REGION } from "./recording-mocks";

describe("monitoring resource policies (lib/resource-policies)", () => {
    const topicArn = `arn:aws:sns:${REGION}:${ACCOUNT}:adma-prod-secret-alarms`;
    const ruleArn = `arn:aws:events:${REGION}:${ACCOUNT}:rule/adma-prod-unexpected-secret-read`;
    const alarmArn = `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:adma-prod-log-leak-password`;

    it("topic: EventBridge and CloudWatch may publish, only for this stack's rules and alarms", () => {
        assert.deepStrictEqual(alarmTopicPolicy({ topicArn, eventRuleArns: [ruleArn], alarmArns: [alarmArn] }).Statement, [
            {
                Sid: "AllowThisStacksEventRules", Effect: "Allow", Principal: { Service: "events.amazonaws.com" },
                Action: "sns:Publish", Resource: topicArn, Condition: { ArnEquals: { "aws:SourceArn": [ruleArn] } },
            },
            {
                Sid: "AllowThisStacksAlarms", Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: "sns:Publish", Resource: topicArn, Condition: { ArnEquals: { "aws:SourceArn": [alarmArn] } },
            },
        ]);
        assert.throws(() => alarmTopicPolicy({ topicArn, eventRuleArns: [], alarmArns: [] }), /at least one/);
    });

    it("read audit log group: EventBridge may create streams and put events in that log group only", () => {
        const logGroupArn = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/events/adma-prod-secret-reads`;
        const [statement] = eventsToLogGroupPolicy(logGroupArn).Statement;
        assert.deepStrictEqual(statement.Action, ["logs:CreateLogStream", "logs:PutLogEvents"]);
        assert.strictEqual(statement.Resource, `${logGroupArn}:*`);
    });
});
