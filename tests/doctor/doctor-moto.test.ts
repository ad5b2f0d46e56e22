/**
 * The doctor against moto (the AWS API emulator): a healthy deployment built with the AWS SDK
 * passes every check, and each fault of issue 15 is diagnosed by exactly the right check with the
 * right fix. One moto server for the file, one moto account per deployment: the healthy one in
 * moto's default account, which `npm run doctor` reads in its own process before the others are built;
 * a second healthy one to which the faults that can be undone are applied one at a time and undone
 * after their case (each case asserting that exactly one check fails also proves the previous case
 * was undone); and one each for the two faults that cannot be undone (a master secret never put on
 * rotation, a JWT secret with one version). All are built while the file loads, beside the other tests.
 *
 * Where moto 5.2 falls short, the test says so and asserts what the doctor then reports:
 * - ECS reports no `startedAt` for tasks, so `stale-tasks` says `skip` with that reason, also after
 *   a rotation (the rotation fault is asserted on the pure check, tests/doctor/checks.test.ts);
 * - FilterLogEvents treats a `%regex%` pattern as matching every event (moto/logs/utils.py), so the
 *   leaked line counts under both leak patterns and the healthy log group holds no event.
 *
 * Needs moto_server on the PATH; fails, never skips, without it.
 */
import * as assert from "assert";
import { GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { SDK_NODE_NOTICE_SETTING } from "../../lib/aws-sdk-notice";
import { READ_ONLY_COMMANDS, ForbiddenCommandError, destroyClients, doctorClients } from "../../doctor/aws/clients";
import { readDeployment } from "../../doctor/aws/read-deployment";
import { CHECK_IDS, CheckId, CheckResult } from "../../doctor/check-result";
import { runChecks } from "../../doctor/checks";
import { formatJson, formatTable } from "../../doctor/report";
import { loadDoctorTarget } from "../../doctor/stack-target";
import { DoctorTarget } from "../../doctor/target";
import { MotoServer, startMotoServer } from "../../testing/moto-server";
import { ProcessResult } from "../../policy-pack/tests/early-process";
import { startScriptEarly } from "../early-process";
import { ROOT } from "../harness";
import { MotoDeployment, Undo, doctorClientsIn } from "./moto-deployment";

// Started when the file loads, so moto's start-up and the builds overlap the other tests.
const serverStarting = startMotoServer();
serverStarting.catch(() => undefined);
const targetLoading = loadDoctorTarget(ROOT, "prod");

const deployments = Promise.all([serverStarting, targetLoading]).then(async ([server, target]) => {
    const healthy = await new MotoDeployment(server.clientConfig, server.accountId, target).build();
    // The command's own process, as an operator runs it, on the untouched healthy deployment, before
    // the other accounts exist: moto finds the account of a request without its account header by
    // looking for the access key in every account's IAM, in each of its 6 partitions, and loads AWS's
    // managed policies into each it opens (moto/iam/models.py, get_account_id_from), about 0.6 s of
    // CPU per account; with the default account alone, the search ends there.
    const commandRun = await runDoctor(["--stack", "prod", "--json"], server.environment);
    const [[faulted, otherDatabaseSecret], withoutRotation, singleJwtVersion] = await Promise.all([
        new MotoDeployment(server.clientConfig, "100000000001", target).build()
            .then(async (deployment) => [deployment, await deployment.addDatabase("adma-staging-postgres")] as const),
        new MotoDeployment(server.clientConfig, "100000000002", target).build({ rdsRotation: false }),
        new MotoDeployment(server.clientConfig, "100000000003", target).build({ singleJwtVersion: true }),
    ]);
    return { healthy, commandRun, faulted, otherDatabaseSecret, withoutRotation, singleJwtVersion };
});
deployments.catch(() => undefined);

interface Diagnosis {
    readonly results: Record<CheckId, CheckResult>;
    readonly failing: CheckId[];
    /** The table and the JSON, as the command prints them. */
    readonly output: string;
    readonly sent: string[];
}

describe("doctor against moto", function () {
    // Each case is a handful of AWS calls against moto, which a loaded machine can slow tenfold: the
    // run's generous time limit (.mocharc.json) lets it finish, since a case cut short would leave
    // its fault in place for the next one.
    let server: MotoServer;
    let target: DoctorTarget;
    let built: Awaited<typeof deployments>;

    before(async function () {
        // The builds started when the file loaded; on a loaded machine they may still be running.
        server = await serverStarting;
        target = await targetLoading;
        try {
            built = await deployments;
        } catch (error) {
            throw new Error(`building the deployments in moto failed: ${(error as Error).message}\nmoto said:\n${server.output().slice(-3000)}`);
        }
    });
    after(async () => (await serverStarting.catch(() => undefined))?.stop());

    async function diagnose(deployment: MotoDeployment): Promise<Diagnosis> {
        const sent: string[] = [];
        const clients = doctorClientsIn(server.clientConfig, deployment.accountId, sent);
        try {
            const list = runChecks(await readDeployment(clients, target), target);
            const output = formatTable("doctor", list) + formatJson(target.stack, list);
            for (const value of deployment.secretValues) {
                assert.ok(!output.includes(value), "the output holds a secret value");
            }
            assert.deepStrictEqual(sent.filter((command) => !READ_ONLY_COMMANDS.has(command)), []);
            return {
                results: Object.fromEntries(list.map((result) => [result.id, result])) as Record<CheckId, CheckResult>,
                failing: list.filter((result) => result.status === "fail").map((result) => result.id),
                output,
                sent,
            };
        } finally {
            destroyClients(clients);
        }
    }

    /** Diagnoses the deployment and asserts that exactly `failing` fail; returns the results. */
    async function expectFailing(deployment: MotoDeployment, failing: CheckId[]): Promise<Record<CheckId, CheckResult>> {
        const diagnosis = await diagnose(deployment);
        assert.deepStrictEqual(diagnosis.failing, failing, diagnosis.output);
        return diagnosis.results;
    }

    /** Applies a fault to the second healthy deployment, asserts that exactly `failing` fail, and undoes the fault. */
    async function withFault(fault: (deployment: MotoDeployment) => Promise<Undo>, failing: CheckId[]): Promise<Record<CheckId, CheckResult>> {
        const undo = await fault(built.faulted);
        try {
            return await expectFailing(built.faulted, failing);
        } finally {
            await undo();
        }
    }

    function assertStaleTasksSkipped(results: Record<CheckId, CheckResult>): void {
        assert.strictEqual(results["stale-tasks"].status, "skip");
        assert.match(results["stale-tasks"].message, /^ECS reported no start time \(startedAt\) for the 1 running task\(s\)/);
    }

    it("the healthy deployment passes every check (stale-tasks skips: moto reports no startedAt)", async () => {
        const { results, sent, output } = await diagnose(built.healthy);
        for (const id of CHECK_IDS.filter((check) => check !== "stale-tasks")) {
            assert.strictEqual(results[id].status, "pass", `${id}: ${results[id].message}\n${output}`);
        }
        assertStaleTasksSkipped(results);
        assert.match(results["network-path"].message, /^secretsmanager, ssm, ecr\.api, ecr\.dkr, logs: endpoints (vpce-\w+, ){4}vpce-\w+ \(private DNS\), admitting HTTPS from the service; s3: gateway endpoint vpce-\w+ on the subnets' route tables$/);
        // Every read the doctor needs was made, none that returns a secret value.
        for (const command of ["DescribeSecretCommand", "ListSecretVersionIdsCommand", "DescribeParametersCommand", "GetRolePolicyCommand",
            "GetPolicyVersionCommand", "DescribeSecurityGroupRulesCommand", "DescribeDBInstancesCommand", "FilterLogEventsCommand", "GetTrailStatusCommand"]) {
            assert.ok(sent.includes(command), `${command} was not sent`);
        }
    });

    it("the execution role's read removed: execution-role-access", async () => {
        const results = await withFault((d) => d.removeExecutionRoleRead(), ["execution-role-access"]);
        assert.match(results["execution-role-access"].message, /DB_PASSWORD: execution role adma-prod-ecs-execution-role is not allowed secretsmanager:GetSecretValue on arn:aws:secretsmanager:eu-west-1:\d+:secret:rds!db-/);
        assert.match(results["execution-role-access"].message, /JWT_SECRET, JWT_SECRET_PREVIOUS: .*kms:Decrypt on arn:aws:kms:/);
        assert.match(results["execution-role-access"].fix, /^pulumi up --stack prod \(restores the inline policy adma-prod-ecs-execution-secrets/);
    });

    it("a wrong JSON key: secret-references", async () => {
        const results = await withFault((d) => d.selectWrongJsonKey(), ["secret-references"]);
        assert.match(results["secret-references"].message, /^DB_PASSWORD: selects JSON key "passwd" of the RDS-managed secret rds!db-[\w-]+, which holds only "username" and "password"$/);
        assert.match(results["secret-references"].resource, /^adma-prod-backend:\d+$/);
    });

    it("a reference to a deleted secret: secret-references, with restore-secret", async () => {
        const results = await withFault((d) => d.deleteJwtSecret(), ["secret-references"]);
        assert.match(results["secret-references"].message, /^JWT_SECRET: secret \/adma\/prod\/jwt-secret is scheduled for deletion on \S+ and cannot be read; JWT_SECRET_PREVIOUS: /);
        assert.match(results["secret-references"].fix, /^aws secretsmanager restore-secret --region eu-west-1 --secret-id arn:aws:secretsmanager:eu-west-1:\d+:secret:\/adma\/prod\/jwt-secret-\w+, then aws ecs update-service/);
    });

    it("the endpoint deleted: network-path", async () => {
        const results = await withFault((d) => d.deleteSecretsManagerEndpoint(), ["network-path"]);
        assert.strictEqual(results["network-path"].message, "secretsmanager (for the secrets): no interface endpoint with private DNS, and no default route to an available NAT gateway from the subnets");
        assert.strictEqual(results["network-path"].fix, "pulumi up --stack prod (recreates the com.amazonaws.eu-west-1.secretsmanager endpoint with private DNS)");
    });

    it("every endpoint deleted: one readable network-path row, each subnet named once", async () => {
        const undo = await built.faulted.deleteEndpoints();
        try {
            const diagnosis = await diagnose(built.faulted);
            assert.deepStrictEqual(diagnosis.failing, ["network-path"], diagnosis.output);
            const row = diagnosis.output.split("\n").find((line) => /^fail +network-path /.test(line))!;
            for (const subnet of diagnosis.results["network-path"].resource.match(/subnet-\w+/g)!) {
                assert.strictEqual(row.split(subnet).length - 1, 1, `${subnet} more than once in: ${row}`);
            }
            assert.strictEqual(diagnosis.results["network-path"].message, "secretsmanager (for the secrets), ssm (for the parameters), ecr.api, ecr.dkr (for the ECR image), " +
                "s3 (for the ECR image's layers), logs (for the awslogs driver): no interface endpoint with private DNS, and no default route to an available NAT gateway from the subnets");
        } finally {
            await undo();
        }
    });

    it("the endpoint's security group closed: network-path", async () => {
        const deployment = built.faulted;
        const results = await withFault((d) => d.closeEndpointSecurityGroup(), ["network-path"]);
        assert.match(results["network-path"].message,
            new RegExp(`^secretsmanager, ssm, ecr\\.api, ecr\\.dkr, logs: endpoints (vpce-\\w+, ){4}vpce-\\w+ \\(private DNS\\): security groups ${deployment.endpointGroupId} admit no HTTPS \\(443\\) from the service's security groups ${deployment.serviceGroupId}$`));
        assert.match(results["network-path"].fix, new RegExp(`aws ec2 authorize-security-group-ingress --region eu-west-1 --group-id ${deployment.endpointGroupId} --protocol tcp --port 443 --source-group ${deployment.serviceGroupId}$`));
    });

    it("the task definition pointing at another database's secret: db-secret-match", async () => {
        const results = await withFault((d) => d.pointAtAnotherDatabase(built.otherDatabaseSecret), ["db-secret-match"]);
        assert.match(results["db-secret-match"].message, /^DB_PASSWORD reads arn:\S+rds!db-\S+ \(the master secret of database adma-staging-postgres\), but the master secret of adma-prod-postgres is arn:\S+rds!db-/);
        assert.match(results["db-secret-match"].fix, /^pulumi up --stack prod/);
    });

    it("a secret rotated after the task started: stale-tasks cannot judge in moto (no startedAt) and says so", async () => {
        const results = await withFault((d) => d.rotateJwtSecret(), []);
        assertStaleTasksSkipped(results);
    });

    it("a JWT secret with a single version: jwt-previous, and secret-references for JWT_SECRET_PREVIOUS", async () => {
        const results = await expectFailing(built.singleJwtVersion, ["secret-references", "jwt-previous"]);
        assert.match(results["jwt-previous"].message, /^\/adma\/prod\/jwt-secret has no AWSPREVIOUS version \(1 version\(s\), AWSCURRENT [\w-]+\)/);
        assert.match(results["jwt-previous"].fix, /^pulumi config set --type int adma:jwtSecretGeneration 2 --stack prod && pulumi up --stack prod/);
        assert.strictEqual(results["secret-references"].message, "JWT_SECRET_PREVIOUS: no version of secret /adma/prod/jwt-secret has the stage AWSPREVIOUS");
    });

    it("rotation disabled: rds-rotation", async () => {
        const results = await expectFailing(built.withoutRotation, ["rds-rotation"]);
        assert.strictEqual(results["rds-rotation"].message, "rotation is off for the master secret of adma-prod-postgres; the stack configures every 30 days");
    });

    it("a log line containing password=...: log-leaks, with counts and stream names only", async () => {
        const results = await withFault((d) => d.logPassword(), ["log-leaks"]);
        assert.match(results["log-leaks"].message, /^1 event in the last 24 h matches "password" \(any case\) \(streams: backend\/backend\/0123456789abcdef\)/);
        assert.match(results["log-leaks"].fix, /aws logs filter-log-events --region eu-west-1 --log-group-name \/ecs\/adma-prod-backend/);
    });

    it("no trail: audit-trail", async () => {
        const results = await withFault((d) => d.deleteTrail(), ["audit-trail"]);
        assert.match(results["audit-trail"].fix, /^aws cloudtrail create-trail --region eu-west-1 --name adma-prod-audit/);
    });

    it("a service that does not exist is a configuration error naming the overrides", async () => {
        const clients = doctorClientsIn(server.clientConfig, built.healthy.accountId);
        try {
            const elsewhere = { ...target, names: { ...target.names, backendService: { ...target.names.backendService, service: "legacy-backend" } } };
            await assert.rejects(readDeployment(clients, elsewhere), (error: Error) => error.name === "InputError"
                && error.message === "service legacy-backend in cluster adma-prod-ecs (eu-west-1) does not exist: is the stack deployed in this account and region? " +
                    "deployed under other names? give them with --cluster and --service");
        } finally {
            destroyClients(clients);
        }
    });

    it("the clients refuse a value-returning call before it leaves the process", async () => {
        const clients = doctorClients({ ...server.clientConfig, endpoint: "http://127.0.0.1:9" });
        try {
            await assert.rejects(clients.secretsManager.send(new GetSecretValueCommand({ SecretId: "/adma/prod/jwt-secret" })), ForbiddenCommandError);
        } finally {
            destroyClients(clients);
        }
        for (const valueReturning of ["GetSecretValueCommand", "BatchGetSecretValueCommand", "GetParameterCommand", "GetParametersCommand", "GetParametersByPathCommand", "GetRandomPasswordCommand"]) {
            assert.ok(!READ_ONLY_COMMANDS.has(valueReturning), valueReturning);
        }
        for (const command of READ_ONLY_COMMANDS) {
            assert.match(command, /^(Describe|Get|List|Filter)\w+Command$/);
        }
    });

    it("npm run doctor: AWS_ENDPOINT_URL and the standard credential chain, JSON, exit 0 on the healthy deployment", async function () {
        const { status, stdout, stderr } = built.commandRun;
        assert.strictEqual(status, 0, stderr);
        assert.strictEqual(stderr, "", "a clean run prints nothing on stderr (no AWS SDK notice either)");
        const report = JSON.parse(stdout) as { stack: string; checks: CheckResult[] };
        assert.deepStrictEqual(Object.keys(report), ["stack", "checks"]);
        assert.strictEqual(report.stack, "prod");
        assert.deepStrictEqual(report.checks.map((check) => check.id), [...CHECK_IDS]);
        assert.deepStrictEqual(report.checks.map((check) => check.status), CHECK_IDS.map((id) => (id === "stale-tasks" ? "skip" : "pass")));
    });
});

/** `npm run doctor -- <args>`, as a process (its script's node command line, without npm), in the server's environment. */
function runDoctor(args: string[], environment: Readonly<Record<string, string | undefined>>): Promise<ProcessResult> {
    // Without the test run's own setting: the command must keep the SDK's Node 22 notice off itself.
    return startScriptEarly(ROOT, "doctor", args, { ...process.env, ...environment, [SDK_NODE_NOTICE_SETTING]: undefined }).result;
}
