import * as assert from "assert";
import { CHECK_IDS, CheckId, CheckResult, exitCodeFor } from "../../doctor/check-result";
import { runChecks } from "../../doctor/checks";
import { managementEventsOf } from "../../doctor/checks/audit-trail";
import { leakPatterns } from "../../doctor/checks/log-leaks";
import { cidrContains, requiredServices } from "../../doctor/checks/network-path";
import { matchesSchedule } from "../../doctor/checks/rds-rotation";
import { DeploymentSnapshot, NetworkView, RolePolicies, found, notFound, readError } from "../../doctor/snapshot";
import { taskReferences } from "../../doctor/task-references";
import {
    ENDPOINT_GROUP, JWT, JWT_VERSIONS, KEY, OTHER_RDS, PARAM, RDS, ROLE, SERVICE_GROUP, TASK_STARTED,
    backendSecrets, executionPolicy, healthySnapshot, prodTarget, rdsState, secretState,
} from "./healthy-snapshot";

const target = prodTarget();

function byId(results: readonly CheckResult[]): Record<CheckId, CheckResult> {
    return Object.fromEntries(results.map((result) => [result.id, result])) as Record<CheckId, CheckResult>;
}

/** Runs every check; asserts that exactly `failing` fail and returns the results by id. */
function diagnose(snapshot: DeploymentSnapshot, failing: readonly CheckId[]): Record<CheckId, CheckResult> {
    const results = runChecks(snapshot, target);
    const failed = results.filter((result) => result.status === "fail").map((result) => result.id);
    assert.deepStrictEqual(failed, [...failing], `failing checks: ${JSON.stringify(results.filter((r) => r.status === "fail"), null, 2)}`);
    return byId(results);
}

function withTaskSecrets(snapshot: DeploymentSnapshot, secrets: Array<{ name: string; valueFrom: string }>): DeploymentSnapshot {
    const [container] = snapshot.taskDefinition.containerDefinitions!;
    return { ...snapshot, taskDefinition: { ...snapshot.taskDefinition, containerDefinitions: [{ ...container, secrets }] } };
}

function withRole(snapshot: DeploymentSnapshot, change: (role: RolePolicies) => RolePolicies): DeploymentSnapshot {
    const role = snapshot.executionRole;
    assert.ok(role?.status === "ok");
    return { ...snapshot, executionRole: found(change(role.value)) };
}

function withNetwork(snapshot: DeploymentSnapshot, change: (network: NetworkView) => NetworkView): DeploymentSnapshot {
    assert.ok(snapshot.network.status === "ok");
    return { ...snapshot, network: found(change(snapshot.network.value)) };
}

const withoutNat = (network: NetworkView): NetworkView => ({
    ...network,
    routeTables: network.routeTables.map((table) => ({ ...table, Routes: table.Routes?.filter((route) => route.NatGatewayId === undefined) })),
});

describe("doctor checks (pure, over AWS API responses)", () => {
    it("pass on a healthy deployment, each id once, in the documented order", () => {
        const results = runChecks(healthySnapshot(), target);
        assert.deepStrictEqual(results.map((r) => r.id), [...CHECK_IDS]);
        for (const result of results) {
            assert.strictEqual(result.status, "pass", `${result.id}: ${result.message}`);
            assert.strictEqual(result.fix, "");
        }
        assert.strictEqual(exitCodeFor(results), 0);
        assert.deepStrictEqual(results.map((result) => result.resource), [
            "adma-prod-backend:7",
            "adma-prod-ecs-execution-role",
            "vpc-0ccccccccccccccc3 (subnets subnet-0aaaaaaaaaaaaaaa1, subnet-0bbbbbbbbbbbbbbb2)",
            "adma-prod-postgres",
            "adma-prod-ecs/adma-prod-backend",
            "/adma/prod/jwt-secret",
            "rds!db-0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9",
            "/ecs/adma-prod-backend",
            "org-trail",
        ]);
    });

    describe("secret-references", () => {
        it("a wrong JSON key on the RDS-managed secret fails, naming the keys it has", () => {
            const results = diagnose(withTaskSecrets(healthySnapshot(), backendSecrets(RDS, "passwd")), ["secret-references"]);
            assert.match(results["secret-references"].message, /DB_PASSWORD: selects JSON key "passwd" of the RDS-managed secret .* holds only "username" and "password"/);
            assert.match(results["secret-references"].fix, /":password::".*pulumi up --stack prod/);
            assert.strictEqual(exitCodeFor(Object.values(results)), 1);
        });

        it("a reference to a deleted secret fails; one scheduled for deletion says how to restore it", () => {
            const smtp = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:/adma/prod/smtp-password-QrStUv";
            const gone = withTaskSecrets(healthySnapshot(), [...backendSecrets(), { name: "SMTP_PASSWORD", valueFrom: smtp }]);
            const granted = withRole({ ...gone, secrets: new Map([...gone.secrets, [smtp, notFound]]) },
                (role) => ({ ...role, inline: [{ source: "secrets", document: executionPolicy([JWT, RDS, smtp]) }] }));
            const deleted = diagnose(granted, ["secret-references"]);
            assert.match(deleted["secret-references"].message, /^SMTP_PASSWORD: secret .*smtp-password-QrStUv does not exist \(deleted, or the reference is wrong\)$/);

            // The database's own secret gone: the rotation on it is gone too.
            const rdsGone = healthySnapshot();
            diagnose({ ...rdsGone, secrets: new Map([...rdsGone.secrets, [RDS, notFound]]) }, ["secret-references", "rds-rotation"]);

            const scheduled = healthySnapshot();
            const pending = found(secretState(JWT, "/adma/prod/jwt-secret", JWT_VERSIONS, { DeletedDate: new Date("2026-11-10T00:00:00Z") }));
            const results = diagnose({ ...scheduled, secrets: new Map([...scheduled.secrets, [JWT, pending]]) }, ["secret-references"]);
            assert.match(results["secret-references"].message, /JWT_SECRET: secret \/adma\/prod\/jwt-secret is scheduled for deletion on 2026-11-10/);
            assert.match(results["secret-references"].fix, /^aws secretsmanager restore-secret --region eu-west-1 --secret-id arn:.*jwt-secret-AbCdEf, then aws ecs update-service .*--force-new-deployment$/);
        });

        it("a missing parameter, version id or stage fails; a bare parameter name is read as its ARN", () => {
            const snapshot = healthySnapshot();
            const missingParameter = diagnose({ ...snapshot, parameters: new Map([[PARAM, notFound]]) }, ["secret-references"]);
            assert.match(missingParameter["secret-references"].message, /APP_BASE_URL: parameter .*app-base-url does not exist/);

            const pinned = [...backendSecrets(), { name: "PINNED", valueFrom: `${JWT}:::99999999-9999-9999-9999-999999999999` }];
            assert.match(diagnose(withTaskSecrets(snapshot, pinned), ["secret-references"])["secret-references"].message, /PINNED: secret .* has no version 9999/);

            const staged = [...backendSecrets(), { name: "PENDING", valueFrom: `${JWT}::AWSPENDING:` }];
            assert.match(diagnose(withTaskSecrets(snapshot, staged), ["secret-references"])["secret-references"].message, /PENDING: no version .* has the stage AWSPENDING/);

            const byName = withTaskSecrets(snapshot, [...backendSecrets().slice(0, 3), { name: "APP_BASE_URL", valueFrom: "/adma/prod/app-base-url" }]);
            assert.deepStrictEqual(taskReferences(byName.taskDefinition)[3].reference, { kind: "ssm", parameterArn: PARAM });
            diagnose(byName, []);
        });

        it("registry credentials and log driver secret options are references too", () => {
            const snapshot = healthySnapshot();
            const [container] = snapshot.taskDefinition.containerDefinitions!;
            const missing = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:registry-XyZ123`;
            const withExtras = {
                ...snapshot,
                taskDefinition: {
                    ...snapshot.taskDefinition,
                    containerDefinitions: [{
                        ...container,
                        repositoryCredentials: { credentialsParameter: missing },
                        logConfiguration: { logDriver: "splunk" as const, secretOptions: [{ name: "splunk-token", valueFrom: missing }] },
                    }],
                },
                secrets: new Map([...snapshot.secrets, [missing, notFound]]),
            };
            const granted = withRole(withExtras, (role) => ({ ...role, inline: [{ source: "secrets", document: executionPolicy([JWT, RDS, missing]) }] }));
            const results = diagnose(granted, ["secret-references"]);
            assert.match(results["secret-references"].message, /^log option splunk-token of backend: secret .*registry-XyZ123 does not exist .*; registry credentials of backend: secret .*registry-XyZ123 does not exist/);
        });

        it("registry credentials by name are the secret in the task's region and account, granted by its full ARN", () => {
            const snapshot = healthySnapshot();
            const [container] = snapshot.taskDefinition.containerDefinitions!;
            const partial = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:registry-creds";
            const full = `${partial}-Ab12Cd`;
            const named = {
                ...snapshot,
                taskDefinition: { ...snapshot.taskDefinition, containerDefinitions: [{ ...container, repositoryCredentials: { credentialsParameter: "registry-creds" } }] },
                secrets: new Map([...snapshot.secrets, [partial, found(secretState(full, "registry-creds", JWT_VERSIONS))]]),
            };
            const byName = taskReferences(named.taskDefinition).find((reference) => reference.use === "registry");
            assert.deepStrictEqual(byName?.reference, { kind: "secretsmanager", secretArn: partial });
            const ungranted = diagnose(named, ["execution-role-access"])["execution-role-access"];
            assert.match(ungranted.message, new RegExp(`^registry credentials of backend: .* not allowed secretsmanager:GetSecretValue on ${full}$`));
            diagnose(withRole(named, (role) => ({ ...role, inline: [{ source: "secrets", document: executionPolicy([JWT, RDS, full]) }] })), []);
        });

        it("a reference ECS cannot parse fails; an unreadable secret is a warning", () => {
            const snapshot = healthySnapshot();
            const results = diagnose(withTaskSecrets(snapshot, [...backendSecrets(), { name: "BROKEN", valueFrom: `${JWT}:password` }]), ["secret-references"]);
            assert.match(results["secret-references"].message, /BROKEN: valueFrom .* must end in the secret ARN or in ":<json-key>:<version-stage>:<version-id>"/);

            const denied = runChecks({ ...snapshot, secrets: new Map([...snapshot.secrets, [JWT, readError("DescribeSecret: AccessDeniedException: not authorised")]]) }, target);
            assert.strictEqual(byId(denied)["secret-references"].status, "warn");
            assert.match(byId(denied)["secret-references"].message, /JWT_SECRET: could not read secret .*AccessDeniedException/);
        });
    });

    describe("execution-role-access", () => {
        it("the role's read removed fails, naming the references, the actions and the inline policy", () => {
            const snapshot = withRole(healthySnapshot(), (role) => ({ ...role, inline: [] }));
            const results = diagnose(snapshot, ["execution-role-access"]);
            const { message, fix } = results["execution-role-access"];
            assert.match(message, /DB_PASSWORD: execution role adma-prod-ecs-execution-role is not allowed secretsmanager:GetSecretValue on arn:.*rds!db-/);
            assert.match(message, /JWT_SECRET, JWT_SECRET_PREVIOUS: .* not allowed secretsmanager:GetSecretValue on arn:.*jwt-secret-AbCdEf/);
            assert.match(message, /APP_BASE_URL: .* not allowed ssm:GetParameters on arn:aws:ssm:/);
            assert.match(message, /not allowed kms:Decrypt on arn:aws:kms:/);
            assert.match(fix, /^pulumi up --stack prod \(restores the inline policy adma-prod-ecs-execution-secrets.*aws iam get-role-policy --role-name adma-prod-ecs-execution-role --policy-name adma-prod-ecs-execution-secrets$/);
        });

        it("one secret missing from the grant fails for that secret only", () => {
            const snapshot = withRole(healthySnapshot(), (role) => ({ ...role, inline: [{ source: "secrets", document: executionPolicy([JWT]) }] }));
            const { message } = diagnose(snapshot, ["execution-role-access"])["execution-role-access"];
            assert.match(message, /^DB_PASSWORD: .* on arn:.*rds!db-[^;]*$/);
        });

        it("an explicit Deny, and a permissions boundary that does not allow the action, take the access away", () => {
            const deny = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "secretsmanager:*", Resource: JWT }] });
            const denied = withRole(healthySnapshot(), (role) => ({ ...role, inline: [...role.inline, { source: "deny", document: deny }] }));
            assert.match(diagnose(denied, ["execution-role-access"])["execution-role-access"].message, /^JWT_SECRET, JWT_SECRET_PREVIOUS: /);

            const boundary = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["secretsmanager:*", "kms:Decrypt"], Resource: "*" }] });
            const bounded = withRole(healthySnapshot(), (role) => ({ ...role, boundary: { source: "arn:aws:iam::123456789012:policy/boundary", document: boundary } }));
            assert.match(diagnose(bounded, ["execution-role-access"])["execution-role-access"].message, /^APP_BASE_URL: .*ssm:GetParameters/);
        });

        it("a key managed by AWS needs no kms:Decrypt; no execution role at all fails", () => {
            const snapshot = healthySnapshot();
            const awsKey = { ...snapshot, kmsKeys: new Map([[KEY, found({ KeyId: "k", Arn: KEY, KeyManager: "AWS" as const })]]) };
            const withoutDecrypt = withRole(awsKey, (role) => ({
                ...role,
                inline: [{ source: "secrets", document: JSON.stringify({ ...JSON.parse(executionPolicy()), Statement: JSON.parse(executionPolicy()).Statement.slice(0, 2) }) }],
            }));
            diagnose(withoutDecrypt, []);

            const noRole = { ...snapshot, taskDefinition: { ...snapshot.taskDefinition, executionRoleArn: undefined }, executionRole: undefined };
            assert.match(diagnose(noRole, ["execution-role-access"])["execution-role-access"].message, /no execution role/);
            assert.match(diagnose({ ...snapshot, executionRole: notFound }, ["execution-role-access"])["execution-role-access"].message,
                new RegExp(`execution role ${ROLE} does not exist`));
        });
    });

    describe("network-path", () => {
        it("needs Secrets Manager, SSM, ECR (API, registry, S3) and CloudWatch Logs for the backend", () => {
            assert.deepStrictEqual(requiredServices(healthySnapshot().taskDefinition).map((r) => r.service),
                ["secretsmanager", "ssm", "ecr.api", "ecr.dkr", "s3", "logs"]);
        });

        it("the endpoint's security group closed fails even with a NAT gateway: private DNS sends the traffic to the endpoint", () => {
            const closed = withNetwork(healthySnapshot(), (network) => ({ ...network, securityGroupRules: network.securityGroupRules.filter((rule) => rule.GroupId !== ENDPOINT_GROUP) }));
            const { message, fix } = diagnose(closed, ["network-path"])["network-path"];
            assert.match(message, new RegExp(`^secretsmanager: endpoint vpce-\\w+ \\(private DNS\\): security groups ${ENDPOINT_GROUP} admit no HTTPS \\(443\\) from the service's security groups ${SERVICE_GROUP}$`));
            assert.match(fix, new RegExp(`aws ec2 authorize-security-group-ingress --region eu-west-1 --group-id ${ENDPOINT_GROUP} --protocol tcp --port 443 --source-group ${SERVICE_GROUP}`));
        });

        it("the endpoint deleted passes through the NAT gateway and fails without one", () => {
            const noEndpoint = (network: NetworkView): NetworkView => ({ ...network, endpoints: [] });
            diagnose(withNetwork(healthySnapshot(), noEndpoint), []);
            const isolated = diagnose(withNetwork(healthySnapshot(), (network) => withoutNat(noEndpoint(network))), ["network-path"])["network-path"];
            assert.strictEqual(isolated.message, "secretsmanager (for the secrets), ssm (for the parameters), ecr.api, ecr.dkr (for the ECR image), " +
                "s3 (for the ECR image's layers), logs (for the awslogs driver): no interface endpoint with private DNS, and no default route to an available NAT gateway from the subnets");
            assert.strictEqual(isolated.fix, "pulumi up --stack prod (recreates the com.amazonaws.eu-west-1.secretsmanager endpoint with private DNS); " +
                "pulumi config set adma:createTaskEndpoints true --stack prod && pulumi up --stack prod (creates the endpoints the task needs), or give the subnets a default route to a NAT gateway");
            const firstSubnetWithoutNat = (network: NetworkView): NetworkView => {
                const first = withoutNat(network).routeTables.filter((table) => table.Associations?.some((a) => a.SubnetId === "subnet-0aaaaaaaaaaaaaaa1"));
                return { ...network, routeTables: [...first, ...network.routeTables.filter((table) => !first.some((t) => t.RouteTableId === table.RouteTableId))] };
            };
            const oneUnrouted = withNetwork(healthySnapshot(), (network) => firstSubnetWithoutNat(noEndpoint(network)));
            assert.match(diagnose(oneUnrouted, ["network-path"])["network-path"].message, /no default route to an available NAT gateway from subnet subnet-0aaaaaaaaaaaaaaa1$/);
        });

        it("every service through endpoints (S3 by gateway) passes without a NAT gateway; the service group's egress closed fails", () => {
            const services = ["ssm", "ecr.api", "ecr.dkr", "logs"];
            const privateOnly = withNetwork(healthySnapshot(), (network): NetworkView => ({
                ...withoutNat(network),
                endpoints: [
                    ...network.endpoints,
                    ...services.map((service) => ({ ...network.endpoints[0], VpcEndpointId: `vpce-${service}`, ServiceName: `com.amazonaws.eu-west-1.${service}` })),
                    { VpcEndpointId: "vpce-s3", VpcEndpointType: "Gateway" as const, VpcId: network.subnets[0].VpcId, ServiceName: "com.amazonaws.eu-west-1.s3", State: "Available" as const, RouteTableIds: ["rtb-private-0", "rtb-private-1"] },
                ],
            }));
            diagnose(privateOnly, []);
            const noEgress = withNetwork(privateOnly, (network) => ({ ...network, securityGroupRules: network.securityGroupRules.filter((rule) => !rule.IsEgress) }));
            assert.match(diagnose(noEgress, ["network-path"])["network-path"].message, /allow no HTTPS \(443\) egress to it/);
        });

        it("compares CIDR blocks by containment", () => {
            assert.ok(cidrContains("10.0.0.0/16", "10.0.128.0/20"));
            assert.ok(cidrContains("0.0.0.0/0", "10.0.128.0/20"));
            assert.ok(!cidrContains("10.0.128.0/20", "10.0.0.0/16"));
            assert.ok(!cidrContains("10.1.0.0/16", "10.0.128.0/20"));
            assert.ok(!cidrContains("not a cidr", "10.0.0.0/16"));
        });
    });

    it("db-secret-match: the task definition pointing at another database's secret fails, naming that database", () => {
        const snapshot = healthySnapshot();
        const other = rdsState(OTHER_RDS);
        const otherDescription = { ...other.description, Tags: [{ Key: "aws:rds:primaryDBInstanceArn", Value: "arn:aws:rds:eu-west-1:123456789012:db:adma-staging-postgres" }] };
        // The program derives the grant from the same references, so the role follows the task definition.
        const pointed = withRole({
            ...withTaskSecrets(snapshot, backendSecrets(OTHER_RDS)),
            secrets: new Map([...snapshot.secrets, [OTHER_RDS, found({ ...other, description: otherDescription })]]),
        }, (role) => ({ ...role, inline: [{ source: "secrets", document: executionPolicy([JWT, OTHER_RDS]) }] }));
        const { message, fix, resource } = diagnose(pointed, ["db-secret-match"])["db-secret-match"];
        assert.strictEqual(resource, "adma-prod-postgres");
        assert.match(message, /^DB_PASSWORD reads .*rds!db-99999999.* \(the master secret of database adma-staging-postgres\), but the master secret of adma-prod-postgres is .*rds!db-0f1e/);
        assert.match(fix, /^pulumi up --stack prod/);
    });

    describe("stale-tasks", () => {
        it("a secret rotated after the task started fails with the redeploy", () => {
            const snapshot = healthySnapshot();
            const rotated = rdsState();
            const later = new Date(TASK_STARTED.getTime() + 3_600_000);
            const versions = rotated.versions.map((v) => (v.VersionStages?.includes("AWSCURRENT") ? { ...v, CreatedDate: later } : v));
            const results = diagnose({ ...snapshot, secrets: new Map([...snapshot.secrets, [RDS, found({ ...rotated, versions })]]) }, ["stale-tasks"]);
            assert.match(results["stale-tasks"].message, /^task 0123456789abcdef0123456789abcdef started 2026-11-03T00:00:00.000Z and still holds the previous DB_PASSWORD \(a new version was created 2026-11-03T01:00:00.000Z\)$/);
            assert.strictEqual(results["stale-tasks"].fix, "aws ecs update-service --region eu-west-1 --cluster adma-prod-ecs --service adma-prod-backend --force-new-deployment");
        });

        it("skips, saying why, when ECS reports no start time or no task runs", () => {
            const snapshot = healthySnapshot();
            const undated = byId(runChecks({ ...snapshot, tasks: found([{ taskArn: "arn:aws:ecs:eu-west-1:123456789012:task/c/t", lastStatus: "RUNNING" }]) }, target));
            assert.strictEqual(undated["stale-tasks"].status, "skip");
            assert.match(undated["stale-tasks"].message, /ECS reported no start time \(startedAt\) for the 1 running task/);
            const idle = byId(runChecks({ ...snapshot, tasks: found([]) }, target));
            assert.deepStrictEqual([idle["stale-tasks"].status, idle["stale-tasks"].message], ["skip", "the service has no running task"]);
        });
    });

    it("jwt-previous: a JWT secret with a single version fails with a rotation; the AWSPREVIOUS reference cannot resolve either", () => {
        const snapshot = healthySnapshot();
        const single = secretState(JWT, "/adma/prod/jwt-secret", [{ ...JWT_VERSIONS[1] }]);
        const results = diagnose({ ...snapshot, jwtSecret: found(single), secrets: new Map([...snapshot.secrets, [JWT, found(single)]]) },
            ["secret-references", "jwt-previous"]);
        assert.match(results["jwt-previous"].message, /^\/adma\/prod\/jwt-secret has no AWSPREVIOUS version \(1 version\(s\), AWSCURRENT 2222/);
        assert.match(results["jwt-previous"].fix, /^pulumi config set --type int adma:jwtSecretGeneration 2 --stack prod && pulumi up --stack prod/);
        assert.match(results["secret-references"].message, /^JWT_SECRET_PREVIOUS: no version of secret \/adma\/prod\/jwt-secret has the stage AWSPREVIOUS$/);
        assert.match(diagnose({ ...snapshot, jwtSecret: notFound }, ["jwt-previous"])["jwt-previous"].message, /does not exist/);
    });

    describe("rds-rotation", () => {
        it("rotation disabled fails; another schedule than the stack's warns", () => {
            const snapshot = healthySnapshot();
            const off = rdsState();
            const disabled = { ...off, description: { ...off.description, RotationEnabled: false, RotationRules: undefined } };
            const results = diagnose({ ...snapshot, secrets: new Map([...snapshot.secrets, [RDS, found(disabled)]]) }, ["rds-rotation"]);
            assert.match(results["rds-rotation"].message, /^rotation is off for the master secret of adma-prod-postgres; the stack configures every 30 days$/);
            assert.match(results["rds-rotation"].fix, /^pulumi up --stack prod \(the stack's RdsSecretRotation sets every 30 days without rotating at once\)$/);

            const weekly = { ...off, description: { ...off.description, RotationRules: { AutomaticallyAfterDays: 7 } } };
            const drift = byId(runChecks({ ...snapshot, secrets: new Map([...snapshot.secrets, [RDS, found(weekly)]]) }, target))["rds-rotation"];
            assert.deepStrictEqual([drift.status, drift.message], ["warn", "rotation is on every 7 days, but the stack configures every 30 days"]);
        });

        it("matches days or rate() and cron() expressions", () => {
            assert.ok(matchesSchedule({ AutomaticallyAfterDays: 30 }, { afterDays: 30 }));
            assert.ok(matchesSchedule({ ScheduleExpression: "rate(30 days)" }, { afterDays: 30 }));
            assert.ok(matchesSchedule({ ScheduleExpression: "cron(0 3 ? * SUN *)" }, { expression: "cron(0  3 ? * sun *)" }));
            assert.ok(!matchesSchedule({ AutomaticallyAfterDays: 7 }, { afterDays: 30 }));
            assert.ok(!matchesSchedule(undefined, { expression: "rate(4 hours)" }));
        });
    });

    it("log-leaks: a log line with password=... fails with counts and stream names only", () => {
        const snapshot = healthySnapshot();
        assert.ok(snapshot.logs.status === "ok");
        const [password, shape] = leakPatterns(target);
        const matches = [
            { pattern: password.pattern, events: 2, streams: ["backend/backend/0123456789abcdef"], truncated: false },
            { pattern: shape.pattern, events: 0, streams: [], truncated: false },
        ];
        const results = diagnose({ ...snapshot, logs: found({ ...snapshot.logs.value, matches }) }, ["log-leaks"]);
        assert.strictEqual(results["log-leaks"].message, "2 events in the last 24 h match \"password\" (any case) (streams: backend/backend/0123456789abcdef)");
        assert.match(results["log-leaks"].fix, /aws logs filter-log-events --region eu-west-1 --log-group-name \/ecs\/adma-prod-backend --start-time \d+ --filter-pattern '%\[Pp\]/);
        assert.strictEqual(byId(runChecks({ ...snapshot, logs: notFound }, target))["log-leaks"].status, "skip");
    });

    describe("audit-trail", () => {
        it("no trail fails with how to create one; a trail that is not logging fails with start-logging", () => {
            const snapshot = healthySnapshot();
            const none = diagnose({ ...snapshot, trails: found([]) }, ["audit-trail"])["audit-trail"];
            assert.match(none.message, /^no CloudTrail trail covers eu-west-1: the unexpected-read and frequent-read alarms never fire$/);
            assert.match(none.fix, /^aws cloudtrail create-trail --region eu-west-1 --name adma-prod-audit/);

            assert.ok(snapshot.trails.status === "ok");
            const stopped = [{ ...snapshot.trails.value[0], status: found({ IsLogging: false }) }];
            const idle = diagnose({ ...snapshot, trails: found(stopped) }, ["audit-trail"])["audit-trail"];
            assert.strictEqual(idle.fix, "aws cloudtrail start-logging --region us-east-1 --name arn:aws:cloudtrail:us-east-1:123456789012:trail/org-trail");
        });

        it("reads basic and advanced event selectors for read and write management events", () => {
            const trail = { Name: "t", HasCustomEventSelectors: true };
            assert.deepStrictEqual(managementEventsOf({ Name: "t" }, undefined), { read: true, write: true });
            assert.deepStrictEqual(managementEventsOf(trail, { EventSelectors: [{ ReadWriteType: "WriteOnly", IncludeManagementEvents: true }] }), { read: false, write: true });
            assert.deepStrictEqual(managementEventsOf(trail, { EventSelectors: [{ ReadWriteType: "All", IncludeManagementEvents: false }] }), { read: false, write: false });
            assert.deepStrictEqual(managementEventsOf(trail, {
                AdvancedEventSelectors: [{ FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }, { Field: "readOnly", Equals: ["true"] }] }],
            }), { read: true, write: false });
            assert.deepStrictEqual(managementEventsOf(trail, { AdvancedEventSelectors: [{ FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }] }] }), { read: true, write: true });

            const snapshot = healthySnapshot();
            assert.ok(snapshot.trails.status === "ok");
            const writeOnly = [{ trail: { ...snapshot.trails.value[0].trail, HasCustomEventSelectors: true }, status: found({ IsLogging: true }),
                selectors: found({ EventSelectors: [{ ReadWriteType: "WriteOnly" as const, IncludeManagementEvents: true }] }) }];
            assert.match(diagnose({ ...snapshot, trails: found(writeOnly) }, ["audit-trail"])["audit-trail"].message, /records no read-only management events \(GetSecretValue is one\)/);
        });
    });

    it("results carry exactly the documented fields", () => {
        for (const result of runChecks(healthySnapshot(), target)) {
            assert.deepStrictEqual(Object.keys(result), ["id", "status", "resource", "message", "fix"]);
        }
    });
});
