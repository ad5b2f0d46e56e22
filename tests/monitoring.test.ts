import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { SecretMonitoring } from "../components/monitoring";
import { AdmaConfig } from "../lib/config";
import {
    MAX_REGEX_FILTER_PATTERNS_PER_LOG_GROUP,
    cloudWatchRegex,
    jwtSecretShapeFilterPattern,
    passwordFilterPattern,
} from "../lib/log-leak-patterns";
import { alarmTopicPolicy, eventsToLogGroupPolicy } from "../lib/resource-policies";
import {
    READ_ONLY_EVENTS_RULE_STATE,
    assumedRoleArnPrefix,
    secretReadPattern,
    unexpectedSecretReadPattern,
} from "../lib/secret-events";
import { runPolicies } from "../policy-pack/audit/engine";
import { matchesEventPattern } from "./event-pattern-matcher";
import { ACCOUNT, REGION, RecordingMocks, auditResources, json, registeredUrns, settled } from "./recording-mocks";
import { resourceNames } from "../lib/naming";
import { MINIMAL_CONFIG, configFrom } from "./harness";
import { withoutStackTraces } from "./stack-traces";

const JWT_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:/adma/prod/jwt-secret-Xy12Ab`;
const RDS_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:rds!db-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b-Ab12Cd`;
const SECRET_ARNS = [JWT_SECRET_ARN, RDS_SECRET_ARN];
const EXECUTION_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/adma-prod-ecs-execution-role`;
const EXECUTION_ROLE_SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/adma-prod-ecs-execution-role/3f2a9c1d0e8b4a7f`;
const LOG_GROUP = "/ecs/adma-prod-backend";
const PROD = (() => {
    const config = configFrom({ ...MINIMAL_CONFIG, environment: "prod" });
    return { config, names: resourceNames(config) };
})();
const JWT_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+=@#%";

function getSecretValueEvent(secretId: string, principalArn: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        "source": "aws.secretsmanager",
        "detail-type": "AWS API Call via CloudTrail",
        "detail": {
            eventSource: "secretsmanager.amazonaws.com",
            eventName: "GetSecretValue",
            userIdentity: { type: principalArn.includes(":assumed-role/") ? "AssumedRole" : "IAMUser", arn: principalArn },
            requestParameters: { secretId },
            ...extra,
        },
    };
}

/** The CloudWatch Logs regex (between the `%`) as a JavaScript RegExp: the supported subset means the same in both. */
function asRegExp(filterPattern: string): RegExp {
    assert.match(filterPattern, /^%.+%$/);
    return new RegExp(filterPattern.slice(1, -1));
}

/** A JWT secret as random.RandomPassword makes it (length 64, special: true, overrideSpecial "_-+=@#%"). */
function randomJwtSecret(seed: number): string {
    let state = seed;
    return Array.from({ length: 64 }, () => {
        state = (state * 1103515245 + 12345) % 2147483648;
        return JWT_ALPHABET[state % JWT_ALPHABET.length];
    }).join("");
}

describe("secret read patterns (lib/secret-events)", () => {
    const unexpected = unexpectedSecretReadPattern(SECRET_ARNS, EXECUTION_ROLE_ARN);

    it("alert on a read by an IAM user, another role, the root user, by ARN or by name", () => {
        const readers = [
            `arn:aws:iam::${ACCOUNT}:user/alice`,
            `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com`,
            `arn:aws:iam::${ACCOUNT}:root`,
        ];
        for (const reader of readers) {
            for (const secretId of ["/adma/prod/jwt-secret", JWT_SECRET_ARN, RDS_SECRET_ARN, "rds!db-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"]) {
                assert.ok(matchesEventPattern(unexpected, getSecretValueEvent(secretId, reader)), `${reader} reading ${secretId}`);
            }
        }
    });

    it("alert on a console retrieval", () => {
        const consoleRead = getSecretValueEvent(JWT_SECRET_ARN, `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice`,
            { sessionCredentialFromConsole: "true", userAgent: "AWS Internal" });
        assert.ok(matchesEventPattern(unexpected, consoleRead));
    });

    it("stay quiet for the execution role, for other secrets and for other calls", () => {
        assert.ok(!matchesEventPattern(unexpected, getSecretValueEvent(JWT_SECRET_ARN, EXECUTION_ROLE_SESSION)));
        assert.ok(!matchesEventPattern(unexpected, getSecretValueEvent("/adma/staging/jwt-secret", `arn:aws:iam::${ACCOUNT}:user/alice`)));
        const describe = getSecretValueEvent(JWT_SECRET_ARN, `arn:aws:iam::${ACCOUNT}:user/alice`);
        (describe.detail as Record<string, unknown>).eventName = "DescribeSecret";
        assert.ok(!matchesEventPattern(unexpected, describe));
    });

    it("the all-reads pattern counts the execution role's reads too", () => {
        const reads = secretReadPattern(SECRET_ARNS);
        assert.ok(matchesEventPattern(reads, getSecretValueEvent(RDS_SECRET_ARN, EXECUTION_ROLE_SESSION)));
        assert.ok(matchesEventPattern(reads, getSecretValueEvent("/adma/prod/jwt-secret", `arn:aws:iam::${ACCOUNT}:user/alice`)));
        assert.ok(!matchesEventPattern(reads, getSecretValueEvent("/adma/staging/jwt-secret", EXECUTION_ROLE_SESSION)));
    });

    it("stay within EventBridge's 4096-character event pattern limit", () => {
        assert.ok(JSON.stringify(unexpected).length < 4096 && JSON.stringify(secretReadPattern(SECRET_ARNS)).length < 4096);
    });

    it("derive the execution role's session ARN prefix, without the role path", () => {
        assert.strictEqual(assumedRoleArnPrefix(EXECUTION_ROLE_ARN), `arn:aws:sts::${ACCOUNT}:assumed-role/adma-prod-ecs-execution-role/`);
        assert.strictEqual(assumedRoleArnPrefix(`arn:aws:iam::${ACCOUNT}:role/service/team/exec`), `arn:aws:sts::${ACCOUNT}:assumed-role/exec/`);
        assert.throws(() => assumedRoleArnPrefix(`arn:aws:iam::${ACCOUNT}:user/alice`), /not an IAM role ARN/);
        assert.throws(() => secretReadPattern([]), /at least one secret/);
    });
});

describe("log leak filter patterns (lib/log-leak-patterns)", () => {
    it("password: the seed's search, case-insensitive", () => {
        const regex = asRegExp(passwordFilterPattern());
        for (const line of ["password=hunter2", "Password: x", "FATAL: PASSWORD authentication failed for user appuser"]) {
            assert.ok(regex.test(line), line);
        }
        assert.ok(!regex.test("2026-03-04 10:30:00 - Started UrlShortenerApplication in 4.2 seconds"));
    });

    it("JWT shape: finds every generated secret, including those with % (which a CloudWatch regex cannot spell)", () => {
        const regex = asRegExp(jwtSecretShapeFilterPattern(64));
        const secrets = Array.from({ length: 500 }, (_, i) => randomJwtSecret(i + 1));
        assert.ok(secrets.some((secret) => secret.includes("%")), "the sample includes secrets with %");
        for (const secret of secrets) {
            for (const line of [`JWT_SECRET=${secret}`, `{"level":"DEBUG","jwt":"${secret}"}`, `signing key ${secret} loaded`]) {
                assert.ok(regex.test(line), line);
            }
        }
    });

    it("JWT shape: stays quiet on ordinary log lines", () => {
        const regex = asRegExp(jwtSecretShapeFilterPattern(64));
        const lines = [
            "2026-03-04 10:30:00 - o.s.b.w.embedded.tomcat.TomcatWebServer : Tomcat started on port(s): 8080 (http) with context path ''",
            "2026-03-04 10:30:01 - org.springframework.boot.autoconfigure.web.servlet.error.BasicErrorControllerConfiguration initialised",
            "GET https://adma.example.com/api/v1/links/abc123?utm_source=newsletter&utm_medium=email 200 12ms",
            "{\"level\":\"INFO\",\"logger\":\"com.adma.shortener.LinkService\",\"message\":\"created link\",\"id\":\"a1b2c3\"}",
        ];
        for (const line of lines) {
            assert.ok(!regex.test(line), line);
        }
    });

    it("JWT shape: the documented price of never missing a secret, any 64-character unbroken token matches", () => {
        const regex = asRegExp(jwtSecretShapeFilterPattern(64));
        assert.ok(regex.test(`pulled image digest sha256 ${"9f".repeat(32)}`));
    });

    it("JWT shape follows the configured length", () => {
        assert.match(jwtSecretShapeFilterPattern(128), /\{128\}%$/);
    });

    it("only use what CloudWatch Logs regex supports, within the per-log-group quota", () => {
        for (const pattern of [passwordFilterPattern(), jwtSecretShapeFilterPattern(64)]) {
            assert.doesNotThrow(() => cloudWatchRegex(pattern.slice(1, -1)));
            assert.ok(!/[()%'"!&<>\s]/.test(pattern.slice(1, -1)), pattern);
        }
        assert.ok(2 <= MAX_REGEX_FILTER_PATTERNS_PER_LOG_GROUP);
        assert.throws(() => cloudWatchRegex("(password)"), /not a CloudWatch Logs filter regex/);
        assert.throws(() => cloudWatchRegex("100%"), /not a CloudWatch Logs filter regex/);
    });
});

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

describe("SecretMonitoring component (mocked)", () => {
    let mocks: RecordingMocks;

    beforeEach(async () => {
        mocks = new RecordingMocks();
        await pulumi.runtime.setMocks(mocks, "adma", "test", false);
    });

    async function build(settings: Partial<AdmaConfig["monitoring"]> = {}, jwtSecretLength = 64): Promise<SecretMonitoring> {
        return withoutStackTraces(async () => {
            const component = new SecretMonitoring("monitoring", {
                names: PROD.names.monitoring,
                tags: { Project: "adma", Environment: "prod" },
                settings: { ...PROD.config.monitoring, ...settings },
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
        const period = PROD.config.monitoring.secretReadPeriodSeconds;
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
