/**
 * The seed's "Monitor for": unexpected and console reads of the application's secrets, unusually
 * frequent reads, and a secret leaking into the backend's logs, each raising an alarm on one SNS topic.
 *
 * Assumes what the stack cannot create for itself: a CloudTrail trail with logging enabled in the
 * account and region (EventBridge receives "via CloudTrail" events only then). See docs/operations.md.
 */
import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as sns from "@pulumi/aws/sns";
import { alarmTopicPolicy, eventsToLogGroupPolicy } from "../lib/resource-policies";
import { jwtSecretShapeFilterPattern, passwordFilterPattern } from "../lib/log-leak-patterns";
import {
    DEFAULT_SECRET_READ_ALARM_THRESHOLD,
    READ_ONLY_EVENTS_RULE_STATE,
    SECRET_READ_ALERT_INPUT,
    secretReadPattern,
    unexpectedSecretReadPattern,
} from "../lib/secret-events";

export interface SecretMonitoringArgs {
    /** `${projectName}-${environment}`: every physical name starts with it. */
    namePrefix: string;
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** The application's secrets (JWT secret, RDS master secret), as full ARNs. */
    secretArns: pulumi.Input<string>[];
    /** The one principal expected to read them: the ECS task execution role. */
    executionRoleArn: pulumi.Input<string>;
    /** The backend's log group (`/ecs/${namePrefix}-backend`). */
    logGroupName: pulumi.Input<string>;
    /**
     * An existing topic for the alarms. Its owner must let `events.amazonaws.com` and
     * `cloudwatch.amazonaws.com` publish. Default: a topic created here, with that policy.
     */
    alarmTopicArn?: pulumi.Input<string>;
    /** Reads of the secrets (by anyone) within `readPeriodSeconds` that raise the frequent-read alarm. Default: 30. */
    readAlarmThreshold?: number;
    /** Default: 300 (a multiple of 60, as CloudWatch requires for standard-resolution alarms). */
    readPeriodSeconds?: number;
    /** Length of the JWT secret, for the log-leak shape filter. Default: 64. */
    jwtSecretLength?: number;
    /** Retention of the read audit log (`/aws/events/${namePrefix}-secret-reads`). Default: 90. */
    readAuditRetentionDays?: number;
}

const DEFAULT_READ_PERIOD_SECONDS = 300;
const DEFAULT_JWT_SECRET_LENGTH = 64;
const DEFAULT_READ_AUDIT_RETENTION_DAYS = 90;
const LOG_LEAK_PERIOD_SECONDS = 300;

export class SecretMonitoring extends pulumi.ComponentResource {
    public readonly alarmTopicArn: pulumi.Output<string>;
    public readonly unexpectedReadRule: cloudwatch.EventRule;
    public readonly secretReadsRule: cloudwatch.EventRule;
    public readonly alarms: cloudwatch.MetricAlarm[];

    constructor(name: string, args: SecretMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("adma:monitoring:SecretMonitoring", name, {}, opts);
        const readAlarmThreshold = positiveInteger(args.readAlarmThreshold ?? DEFAULT_SECRET_READ_ALARM_THRESHOLD, `${name}: readAlarmThreshold`);
        const readPeriodSeconds = positiveInteger(args.readPeriodSeconds ?? DEFAULT_READ_PERIOD_SECONDS, `${name}: readPeriodSeconds`);
        if (readPeriodSeconds % 60 !== 0) {
            throw new Error(`${name}: readPeriodSeconds must be a multiple of 60, got ${readPeriodSeconds}`);
        }
        // Validates the length before any child exists.
        const jwtShapePattern = jwtSecretShapeFilterPattern(args.jwtSecretLength ?? DEFAULT_JWT_SECRET_LENGTH);
        const prefix = args.namePrefix;
        const secretArns = pulumi.all(args.secretArns);

        let createdTopic: sns.Topic | undefined;
        if (args.alarmTopicArn === undefined) {
            createdTopic = new sns.Topic(`${name}-alarms`, { name: `${prefix}-secret-alarms`, tags: args.tags }, { parent: this });
            this.alarmTopicArn = createdTopic.arn;
        } else {
            this.alarmTopicArn = pulumi.output(args.alarmTopicArn);
        }

        // (a) A read by anyone but the execution role (console retrievals included) is an alert on its own.
        this.unexpectedReadRule = new cloudwatch.EventRule(`${name}-unexpected-read`, {
            name: `${prefix}-unexpected-secret-read`,
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
            name: `${prefix}-secret-reads`,
            description: "Every GetSecretValue on the application's secrets, counted for the frequent-read alarm",
            state: READ_ONLY_EVENTS_RULE_STATE,
            eventPattern: secretArns.apply((arns) => JSON.stringify(secretReadPattern(arns))),
            tags: args.tags,
        }, { parent: this });
        const readAudit = new cloudwatch.LogGroup(`${name}-read-audit`, {
            // EventBridge targets log groups under /aws/events/.
            name: `/aws/events/${prefix}-secret-reads`,
            retentionInDays: args.readAuditRetentionDays ?? DEFAULT_READ_AUDIT_RETENTION_DAYS,
            tags: args.tags,
        }, { parent: this });
        const readAuditDelivery = new cloudwatch.LogResourcePolicy(`${name}-read-audit`, {
            policyName: `${prefix}-secret-reads-delivery`,
            policyDocument: readAudit.arn.apply((arn) => JSON.stringify(eventsToLogGroupPolicy(arn))),
        }, { parent: this });
        new cloudwatch.EventTarget(`${name}-reads`, {
            rule: this.secretReadsRule.name,
            arn: readAudit.arn,
        }, { parent: this, dependsOn: [readAuditDelivery] });

        const alarm = (suffix: string, alarmArgs: Omit<cloudwatch.MetricAlarmArgs, "name" | "alarmActions" | "tags">) =>
            new cloudwatch.MetricAlarm(`${name}-${suffix}`, {
                name: `${prefix}-${suffix}`,
                alarmActions: [this.alarmTopicArn],
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                evaluationPeriods: 1,
                statistic: "Sum",
                // No data means no reads, no leaked lines: the healthy state.
                treatMissingData: "notBreaching",
                tags: args.tags,
                ...alarmArgs,
            }, { parent: this });

        const frequentReads = alarm("frequent-secret-reads", {
            alarmDescription: `At least ${readAlarmThreshold} reads of the application's secrets within ${readPeriodSeconds} s (possible leak or crash loop)`,
            namespace: "AWS/Events",
            metricName: "Invocations",
            dimensions: { RuleName: this.secretReadsRule.name },
            period: readPeriodSeconds,
            threshold: readAlarmThreshold,
        });

        // (c) A secret in the backend's logs: one filter and alarm per pattern, so the alarm says which.
        const metricNamespace = `${prefix}/Secrets`;
        const logLeak = (suffix: string, pattern: string, metricName: string, description: string) => {
            new cloudwatch.LogMetricFilter(`${name}-${suffix}`, {
                name: `${prefix}-${suffix}`,
                logGroupName: args.logGroupName,
                pattern,
                metricTransformation: { name: metricName, namespace: metricNamespace, value: "1" },
            }, { parent: this });
            return alarm(suffix, {
                alarmDescription: description,
                namespace: metricNamespace,
                metricName,
                period: LOG_LEAK_PERIOD_SECONDS,
                threshold: 1,
            });
        };
        const passwordLeak = logLeak("log-leak-password", passwordFilterPattern(), "PasswordInBackendLogs",
            "A backend log line mentions \"password\" (the seed's leak check; also fires on \"password authentication failed\")");
        const jwtShapeLeak = logLeak("log-leak-jwt-shape", jwtShapePattern, "JwtSecretShapeInBackendLogs",
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

function positiveInteger(value: number, setting: string): number {
    if (!Number.isInteger(value) || value < 1) {
        throw new Error(`${setting} must be a positive whole number, got ${value}`);
    }
    return value;
}
