/**
 * `npm run doctor`'s command line and outputs without AWS: usage and configuration errors exit 2
 * before any AWS call, with the argument or setting named; the table and the JSON document carry
 * exactly the results. (The command against moto: doctor-moto.test.ts.)
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EXIT_ERROR } from "../../policy-pack/lib/cli";
import { main } from "../../doctor/cli";
import { callerIdentity } from "../../doctor/aws/identity";
import { READ_ONLY_ACTIONS, destroyClients, doctorClients } from "../../doctor/aws/clients";
import { CheckResult, exitCodeFor } from "../../doctor/check-result";
import { runChecks } from "../../doctor/checks";
import { formatJson, formatTable } from "../../doctor/report";
import { loadDoctorTarget } from "../../doctor/stack-target";
import { ROOT } from "../harness";
import { healthySnapshot, prodTarget } from "./healthy-snapshot";

async function doctor(argv: string[], cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
    const io = { stdout: "", stderr: "" };
    const code = await main(argv, {
        cwd,
        stdout: { write: (text: string) => (io.stdout += text) },
        stderr: { write: (text: string) => (io.stderr += text) },
    });
    return { code, ...io };
}

describe("doctor command line", () => {
    it("refuses bad arguments with exit 2, naming the argument, before any AWS call", async () => {
        const cases: Array<[string[], RegExp]> = [
            [[], /^doctor: --stack is required\nusage: npm run doctor -- --stack <name> \[--json\]/],
            [["--stack", "prod", "--log-hours", "0"], /^doctor: --log-hours must be a whole number of hours from 1 to 2160, got "0"\n/],
            [["--stack", "prod", "--log-hours", "1.5"], /--log-hours must be a whole number/],
            [["--stack", "prod", "--region", "Ireland"], /^doctor: --region must be an AWS region name such as eu-west-1, got "Ireland"\n/],
            [["--stack", "prod", "--servce", "x"], /^doctor: unknown option --servce; did you mean --service\?/],
            [["--stack", "prod", "--cluster="], /^doctor: --cluster needs a name\n/],
        ];
        for (const [argv, message] of cases) {
            const { code, stdout, stderr } = await doctor(argv);
            assert.strictEqual(code, EXIT_ERROR, argv.join(" "));
            assert.strictEqual(stdout, "");
            assert.match(stderr, message);
        }
    });

    it("an unknown stack and invalid stack configuration are configuration errors (exit 2)", async () => {
        const unknown = await doctor(["--stack", "qa"]);
        assert.strictEqual(unknown.code, EXIT_ERROR);
        assert.match(unknown.stderr, /^doctor: unknown stack "qa" \(no Pulumi\.qa\.yaml in .*\); existing stacks: dev, prod, staging\n$/);

        const project = fs.mkdtempSync(path.join(os.tmpdir(), "doctor-project-"));
        try {
            fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(project, "Pulumi.yaml"));
            fs.writeFileSync(path.join(project, "Pulumi.qa.yaml"), ["config:", "  adma:environment: qa",
                "  adma:appBaseUrl: https://qa.example.com", "  adma:backendRepositoryUrl: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/adma-backend",
                "  adma:backendImageTag: 1.0.0", ""].join("\n"));
            const invalid = await doctor(["--stack", "qa", "--region", "eu-west-1"], project);
            assert.strictEqual(invalid.code, EXIT_ERROR);
            assert.match(invalid.stderr, /^doctor: Pulumi\.qa\.yaml: invalid stack configuration \(nothing was created\):\n {2}- adma:environment: .*dev, staging, prod.*"qa"\n$/);
        } finally {
            fs.rmSync(project, { recursive: true, force: true });
        }
    });

    it("names from the stack's configuration, overridable; region from aws:region or --region", async () => {
        const target = await loadDoctorTarget(ROOT, "staging", { region: "eu-central-1", service: "legacy-backend", logWindowHours: 6 });
        assert.deepStrictEqual([target.region, target.names.backendService.cluster, target.names.backendService.service, target.names.database.instance, target.logWindowHours],
            ["eu-central-1", "adma-staging-ecs", "legacy-backend", "adma-staging-postgres", 6]);
        assert.strictEqual((await loadDoctorTarget(ROOT, "prod")).region, "eu-west-1");
    });

    it("no reachable AWS is a credential or connection error (exit 2 by InputError) saying which", async () => {
        const clients = doctorClients({ region: "eu-west-1", endpoint: "http://127.0.0.1:9", credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x" } });
        try {
            await assert.rejects(callerIdentity(clients, "eu-west-1"), (error: Error) =>
                error.name === "InputError" && /^cannot reach AWS STS in eu-west-1.*ECONNREFUSED/.test(error.message));
        } finally {
            destroyClients(clients);
        }
    });
});

describe("doctor outputs", () => {
    const results: CheckResult[] = runChecks(healthySnapshot(), prodTarget());
    const failing: CheckResult[] = results.map((result) => (result.id === "audit-trail"
        ? { ...result, status: "fail", message: "no CloudTrail trail covers eu-west-1", fix: "aws cloudtrail create-trail ..." } : result));

    it("JSON: exactly {stack, checks: [{id, status, resource, message, fix}]}", () => {
        const document = JSON.parse(formatJson("prod", failing));
        assert.deepStrictEqual(Object.keys(document), ["stack", "checks"]);
        assert.deepStrictEqual(document.checks, failing);
    });

    it("table: a heading, one line per check with aligned status, check and resource, the fix after an arrow, and the counts", () => {
        const lines = formatTable("doctor: stack prod", failing).split("\n");
        assert.strictEqual(lines[0], "doctor: stack prod");
        assert.match(lines[2], /^STATUS {2}CHECK {18}RESOURCE +FOUND$/);
        const rows = lines.slice(3, 3 + failing.length);
        assert.deepStrictEqual(rows.map((row) => row.split(/\s+/)[1]), failing.map((result) => result.id));
        const resourceColumn = lines[2].indexOf("RESOURCE");
        assert.ok(rows.every((row, i) => row.slice(resourceColumn).startsWith(failing[i].resource)));
        assert.match(rows[8], /^fail {4}audit-trail +\S+ +no CloudTrail trail covers eu-west-1 {2}-> fix: aws cloudtrail create-trail \.\.\.$/);
        assert.strictEqual(lines[lines.length - 2], "9 checks: 8 pass, 1 fail, 0 warn, 0 skip");
        assert.strictEqual(exitCodeFor(failing), 1);
        assert.strictEqual(exitCodeFor(results), 0);
    });
});

describe("doctor documentation", () => {
    it("docs/operations.md lists exactly the IAM actions the doctor's clients let through, and every check id", () => {
        const operations = fs.readFileSync(path.join(ROOT, "docs", "operations.md"), "utf8");
        const policy = /### The permissions it needs[\s\S]*?```json\n([\s\S]*?)```/.exec(operations)?.[1];
        assert.ok(policy, "the permissions section has a JSON policy");
        const documented = (JSON.parse(policy) as { Statement: Array<{ Action: string[] }> }).Statement[0].Action;
        assert.deepStrictEqual(documented, Object.entries(READ_ONLY_ACTIONS).flatMap(([prefix, actions]) => actions.map((action) => `${prefix}:${action}`)));
        for (const id of runChecks(healthySnapshot(), prodTarget()).map((result) => result.id)) {
            assert.ok(operations.includes(`| \`${id}\` |`), `docs/operations.md has no row for ${id}`);
        }
    });
});
