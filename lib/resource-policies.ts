/**
 * Resource policies of the monitoring targets this stack creates. Pure: no Pulumi calls.
 *
 * Alarm topic: EventBridge needs the topic policy to allow `events.amazonaws.com` to publish (EventBridge User
 * Guide, "Amazon SNS permissions"); CloudWatch alarms are allowed the same way, so neither depends on
 * the default policy. Each service may publish only on behalf of this stack's own rules and alarms
 * (`aws:SourceArn`), so no other rule or alarm in the account can use the topic as a relay.
 */
import { IamPolicyDocument } from "./iam-policy";

export interface AlarmTopicPublishers {
    readonly topicArn: string;
    readonly eventRuleArns: readonly string[];
    readonly alarmArns: readonly string[];
}

export function alarmTopicPolicy(publishers: AlarmTopicPublishers): IamPolicyDocument {
    const { topicArn, eventRuleArns, alarmArns } = publishers;
    const statements: IamPolicyDocument["Statement"] = [];
    if (eventRuleArns.length > 0) {
        statements.push(publishStatement("AllowThisStacksEventRules", "events.amazonaws.com", topicArn, eventRuleArns));
    }
    if (alarmArns.length > 0) {
        statements.push(publishStatement("AllowThisStacksAlarms", "cloudwatch.amazonaws.com", topicArn, alarmArns));
    }
    if (statements.length === 0) {
        throw new Error("the alarm topic policy needs at least one event rule or alarm allowed to publish");
    }
    return { Version: "2012-10-17", Statement: statements };
}

function publishStatement(sid: string, servicePrincipal: string, topicArn: string, sourceArns: readonly string[]): IamPolicyDocument["Statement"][number] {
    return {
        Sid: sid,
        Effect: "Allow",
        Principal: { Service: servicePrincipal },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { ArnEquals: { "aws:SourceArn": [...sourceArns] } },
    };
}

/**
 * CloudWatch Logs resource policy letting EventBridge deliver into this one log group. EventBridge
 * writes to CloudWatch Logs targets only under a resource policy, never through a role (EventBridge
 * User Guide, "Using resource-based policies", CloudWatch Logs permissions), with these two principals.
 */
export function eventsToLogGroupPolicy(logGroupArn: string): IamPolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{
            Sid: "EventBridgeDeliversToThisLogGroupOnly",
            Effect: "Allow",
            Principal: { Service: ["events.amazonaws.com", "delivery.logs.amazonaws.com"] },
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `${logGroupArn}:*`,
        }],
    };
}
