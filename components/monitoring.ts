/**
 * The design document's "Monitor for": unexpected and console reads of the application's secrets, unusually
 * frequent reads, and a secret leaking into the backend's logs, each raising an alarm on one SNS topic.
 *
 * Assumes what the stack cannot create for itself: a CloudTrail trail with logging enabled in the
 * account and region (EventBridge receives "via CloudTrail" events only then). See docs/operations.md.
 */
import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as sns from "@pulumi/aws/sns";
import { AdmaConfig } from "../lib/config";
import { ResourceNames } from "../lib/naming";
import { alarmTopicPolicy, eventsToLogGroupPolicy } from "../lib/resource-policies";
import { jwtSecretShapeFilterPattern, passwordFilterPattern } from "../lib/log-leak-patterns";
import {
    READ_ONLY_EVENTS_RULE_STATE,
    SECRET_READ_ALERT_INPUT,
    secretReadPattern,
    unexpectedSecretReadPattern,
} from "../lib/secret-events";

export interface SecretMonitoringArgs {
    readonly names: ResourceNames["monitoring"];
    readonly tags: Record<string, string>;
    /** The validated monitoring settings; `alarmTopicArn` undefined: a topic is created here. */
    readonly settings: AdmaConfig["monitoring"];
    /** The application's secrets (JWT secret, RDS master secret), as full ARNs. */
    readonly secretArns: pulumi.Input<string>[];
    /** The one principal expected to read them: the ECS task execution role. */
    readonly executionRoleArn: pulumi.Input<string>;
    /** The backend's log group. */
    readonly logGroupName: pulumi.Input<string>;
    /** Length of the JWT secret, for the log-leak shape filter. */
    readonly jwtSecretLength: number;
}

const LOG_LEAK_PERIOD_SECONDS = 300;

export class SecretMonitoring extends pulumi.ComponentResource {
    public readonly alarmTopicArn: pulumi.Output<string>;
    public readonly unexpectedReadRule: cloudwatch.EventRule;
    public readonly secretReadsRule: cloudwatch.EventRule;
    public readonly alarms: cloudwatch.MetricAlarm[];

    constructor(name: string, args: SecretMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("adma:monitoring:SecretMonitoring", name, {}, opts);
        const { names, settings } = args;
        const secretArns = pulumi.all(args.secretArns);

        let createdTopic: sns.Topic | undefined;
        if (settings.alarmTopicArn === undefined) {
            createdTopic = new sns.Topic(`${name}-alarms`, { name: names.alarmTopic, tags: args.tags }, { parent: this });
            this.alarmTopicArn = createdTopic.arn;
        } else {
            this.alarmTopicArn = pulumi.output(settings.alarmTopicArn);
        }

        // (a) A read by anyone but the execution role (console retrievals included) is an alert on its own.
        this.unexpectedReadRule = new cloudwatch.EventRule(`${name}-unexpected-read`, {
            name: names.unexpectedReadRule,
            description: "GetSecretValue on the application's secrets by a principal other than the ECS execution role",
            state: READ_ONLY_EVENTS_RULE_STATE,
            eventPattern: pulumi.all([secretArns, args.executionRoleArn]).apply(([arns, roleArn]) =>
                JSON.stringify(unexpectedSecretReadPattern(arns, roleArn))),
            tags: args.tags,
        }, { parent: this });
        new cloudwatch.EventTarget(`${name}-unexpected-read`, {
            rule: this.unexpectedReadRule.name,
            arn: this.alarmTopicArn,
            inputTransformer: SECRET_READ_ALERT_INPUT,
        }, { parent: this });

        // (b) Every read, by anyone, goes to an audit log group; the rule's invocation count is the read rate.
        this.secretReadsRule = new cloudwatch.EventRule(`${name}-reads`, {
            name: names.secretReadsRule,
            description: "Every GetSecretValue on the application's secrets, counted for the frequent-read alarm",
            state: READ_ONLY_EVENTS_RULE_STATE,
            eventPattern: secretArns.apply((arns) => JSON.stringify(secretReadPattern(arns))),
            tags: args.tags,
        }, { parent: this });
        const readAudit = new cloudwatch.LogGroup(`${name}-read-audit`, {
            name: names.readAuditLogGroup,
            retentionInDays: settings.readAuditRetentionDays,
            tags: args.tags,
        }, { parent: this });
        const readAuditDelivery = new cloudwatch.LogResourcePolicy(`${name}-read-audit`, {
            policyName: names.readAuditDeliveryPolicy,
            policyDocument: readAudit.arn.apply((arn) => JSON.stringify(eventsToLogGroupPolicy(arn))),
        }, { parent: this });
        new cloudwatch.EventTarget(`${name}-reads`, {
            rule: this.secretReadsRule.name,
            arn: readAudit.arn,
        }, { parent: this, dependsOn: [readAuditDelivery] });

        const alarm = (suffix: string, alarmName: string, alarmArgs: Omit<cloudwatch.MetricAlarmArgs, "name" | "alarmActions" | "tags">) =>
            new cloudwatch.MetricAlarm(`${name}-${suffix}`, {
                name: alarmName,
                alarmActions: [this.alarmTopicArn],
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                evaluationPeriods: 1,
                statistic: "Sum",
                // No data means no reads, no leaked lines: the healthy state.
                treatMissingData: "notBreaching",
                tags: args.tags,
                ...alarmArgs,
            }, { parent: this });

        const frequentReads = alarm("frequent-secret-reads", names.frequentReadsAlarm, {
            alarmDescription: `At least ${settings.secretReadAlarmThreshold} reads of the application's secrets within ${settings.secretReadPeriodSeconds} s (possible leak or crash loop)`,
            namespace: "AWS/Events",
            metricName: "Invocations",
            dimensions: { RuleName: this.secretReadsRule.name },
            period: settings.secretReadPeriodSeconds,
            threshold: settings.secretReadAlarmThreshold,
        });

        // (c) A secret in the backend's logs: one filter and alarm per pattern, so the alarm says which.
        const logLeak = (suffix: string, leakNames: { filter: string; alarm: string }, pattern: string, metricName: string, description: string) => {
            new cloudwatch.LogMetricFilter(`${name}-${suffix}`, {
                name: leakNames.filter,
                logGroupName: args.logGroupName,
                pattern,
                metricTransformation: { name: metricName, namespace: names.metricNamespace, value: "1" },
            }, { parent: this });
            return alarm(suffix, leakNames.alarm, {
                alarmDescription: description,
                namespace: names.metricNamespace,
                metricName,
                period: LOG_LEAK_PERIOD_SECONDS,
                threshold: 1,
            });
        };
        const passwordLeak = logLeak("log-leak-password", { filter: names.passwordLeakFilter, alarm: names.passwordLeakAlarm },
            passwordFilterPattern(), "PasswordInBackendLogs",
            "A backend log line mentions \"password\" (the design document's leak check; also fires on \"password authentication failed\")");
        const jwtShapeLeak = logLeak("log-leak-jwt-shape", { filter: names.jwtShapeLeakFilter, alarm: names.jwtShapeLeakAlarm },
            jwtSecretShapeFilterPattern(args.jwtSecretLength), "JwtSecretShapeInBackendLogs",
            "A backend log line holds an unbroken token as long as the JWT secret: possibly the secret itself");
        this.alarms = [frequentReads, passwordLeak, jwtShapeLeak];

        if (createdTopic) {
            new sns.TopicPolicy(`${name}-alarms`, {
                arn: createdTopic.arn,
                policy: pulumi.all([createdTopic.arn, this.unexpectedReadRule.arn, pulumi.all(this.alarms.map((a) => a.arn))])
                    .apply(([topicArn, ruleArn, alarmArns]) =>
                        JSON.stringify(alarmTopicPolicy({ topicArn, eventRuleArns: [ruleArn], alarmArns }))),
            }, { parent: this });
        }

        this.registerOutputs({
            alarmTopicArn: this.alarmTopicArn,
            unexpectedReadRule: this.unexpectedReadRule,
            secretReadsRule: this.secretReadsRule,
            alarms: this.alarms,
        });
    }
}
