/**
 * `npm run policy:audit` on the real Terraform artefacts of the design's deployment
 * (tests/fixtures/terraform/generated/, made by `npm run fixtures:terraform` against moto): the
 * deployment's state and plans pass; each deliberate mistake is caught by the policy that exists
 * for it where the plan knows the value, and reported as not checked yet (advisory), never as a
 * pass or a violation, where the plan of a new deployment cannot know it; every message speaks
 * Terraform (attributes, settings, resources, the plan); no value a plan or state holds in
 * plaintext is ever printed. Terraform does not run here.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Readable } from "stream";
import { runAuditCli } from "../policy-pack/audit/cli";
import { Violation, runPolicies } from "../policy-pack/audit/engine";
import { readAuditDocument } from "../policy-pack/audit/reader";
import { TERRAFORM_TYPES } from "../policy-pack/audit/formats/terraform-types";
import {
    ARTEFACTS, CREATE_PLAN_FILE, FAKE_SECRET_VALUES, GENERATED_DIR, MISTAKES, STATE_FILE, STATE_JSON_FILE, UPDATE_PLAN_FILE,
} from "../testing/terraform/artefacts";

const file = (name: string) => path.join(GENERATED_DIR, name);
const read = (name: string): Record<string, unknown> => JSON.parse(fs.readFileSync(file(name), "utf8"));

/** As the command audits it: the document's resources, its messages in the document's terms. */
async function audit(name: string): Promise<Violation[]> {
    const { resources, terms } = readAuditDocument(read(name));
    return runPolicies(resources, undefined, terms);
}

/** The CLI in-process on an artefact, with its exit status and everything it printed. */
async function auditCli(args: string[]): Promise<{ status: number; output: string }> {
    let output = "";
    const status = await runAuditCli(args, {
        stdin: Readable.from([""]),
        stdout: { write: (text: string) => (output += text) },
        stderr: { write: (text: string) => (output += text) },
    });
    return { status, output };
}

describe("policy:audit on the design's Terraform deployment", () => {
    it("reads the state in both forms alike: every managed resource, each as a Pulumi type, by address", () => {
        const shown = readAuditDocument(read(STATE_JSON_FILE));
        const stateFile = readAuditDocument(read(STATE_FILE));
        assert.strictEqual(shown.format, "terraform-state");
        assert.deepStrictEqual(stateFile.resources.map((r) => [r.urn, r.type]), shown.resources.map((r) => [r.urn, r.type]));
        assert.strictEqual(shown.resources.length, 20);
        const pulumiTypes = new Set(Object.values(TERRAFORM_TYPES).map((mapping) => mapping.pulumiType));
        assert.deepStrictEqual(shown.resources.filter((r) => !pulumiTypes.has(r.type)).map((r) => r.urn), [], "resources left with a Terraform type");
        assert.ok(shown.resources.some((r) => r.urn === "module.iam.aws_iam_role_policy.execution_secrets"));
    });

    for (const name of [STATE_JSON_FILE, STATE_FILE, UPDATE_PLAN_FILE]) {
        it(`finds no violation at all in ${name}`, async () => {
            assert.deepStrictEqual(await audit(name), []);
        });
    }

    it("finds no mandatory violation in the plan of a new deployment, and says what it cannot check yet", async () => {
        const violations = await audit(CREATE_PLAN_FILE);
        assert.deepStrictEqual(violations.filter((v) => v.enforcementLevel === "mandatory"), []);
        assert.ok(violations.length > 0 && violations.every((v) => /cannot be read yet/.test(v.message)), JSON.stringify(violations, null, 1));
    });

    for (const mistake of MISTAKES) {
        it(`catches ${mistake.variable} with ${mistake.policy} on ${mistake.address}`, async () => {
            const violations = await audit(mistake.file);
            const caught = violations.filter((v) => v.policyName === mistake.policy && v.urn === mistake.address && v.enforcementLevel === "mandatory");
            assert.strictEqual(caught.length, 1, JSON.stringify(violations, null, 1));
        });

        it(`in the plan of a new deployment, reports ${mistake.policy} on ${mistake.address} as not checked yet if ${mistake.attribute} is unknown there, never as passed`, async () => {
            const plan = read(CREATE_PLAN_FILE) as { resource_changes: { address: string; change: { after_unknown: Record<string, unknown> } }[] };
            const unknown = plan.resource_changes.find((change) => change.address === mistake.address)!.change.after_unknown[mistake.attribute] === true;
            const reported = (await audit(CREATE_PLAN_FILE)).filter((v) => v.policyName === mistake.policy && v.urn === mistake.address);
            if (unknown) {
                assert.deepStrictEqual(reported.map((v) => v.enforcementLevel), ["advisory"]);
                assert.match(reported[0].message, new RegExp(`^policy '${mistake.policy}' could not check everything in this plan: .*cannot be read yet \\(unknown until apply`));
            } else {
                // Known in that plan (and correct there): checked, and nothing to report.
                assert.deepStrictEqual(reported, []);
            }
        });
    }

    it("connects the task definition to its roles through the modules while their ARNs are unknown", async () => {
        const document = readAuditDocument(read(CREATE_PLAN_FILE));
        const task = document.resources.find((r) => r.urn === "module.ecs.aws_ecs_task_definition.backend")!;
        assert.deepStrictEqual(task.propertyDependencies?.executionRoleArn, ["module.iam.aws_iam_role.execution"]);
        assert.deepStrictEqual(task.propertyDependencies?.taskRoleArn, ["module.iam.aws_iam_role.task"]);
        const stack = (await runPolicies(document.resources, undefined, document.terms)).filter((v) => v.policyName === "execution-role-secret-access");
        assert.match(stack[0].message, /module\.iam\.aws_iam_role_policy\.execution_secrets policy/, "the execution role's grant is read as the task's");
    });

    it("speaks Terraform in every message: attribute names, HCL settings, Terraform resources and state, what a plan cannot know", async () => {
        for (const name of [CREATE_PLAN_FILE, ...MISTAKES.map((mistake) => mistake.file)]) {
            for (const violation of await audit(name)) {
                assert.doesNotMatch(violation.message, /Pulumi|pulumi up|during preview|containerDefinitions|manageMasterUserPassword|executionRoleArn/, `${name}: ${violation.message}`);
            }
        }
        const password = MISTAKES.find((mistake) => mistake.policy === "no-plaintext-db-password")!;
        const { output } = await auditCli([file(password.file)]);
        assert.match(output, /password is set: a configuration-supplied master password is kept in the Terraform state; remove it and set manage_master_user_password = true/);
        const { output: json } = await auditCli(["--json", file(CREATE_PLAN_FILE)]);
        for (const finding of JSON.parse(json) as Record<string, unknown>[]) {
            assert.ok(!("urn" in finding) && finding.address === finding.resource, JSON.stringify(finding));
        }
        assert.match(json, /container_definitions cannot be read yet \(unknown until apply: a plan of a new deployment cannot know them\); to check them, audit a plan of a change to the live deployment, or the state after `terraform apply`/);
    });

    it("exits 1 on a mistake, 0 on the deployment, as for a Pulumi document", async () => {
        assert.strictEqual((await auditCli([file(MISTAKES[0].file)])).status, 1);
        assert.strictEqual((await auditCli([file(STATE_FILE)])).status, 0);
        assert.strictEqual((await auditCli([file(CREATE_PLAN_FILE)])).status, 0);
    });

    it("never prints a value the artefacts hold in plaintext (fake secrets, sensitive values), in the table, JSON or SARIF", async () => {
        const secrets = Object.values(FAKE_SECRET_VALUES);
        for (const artefact of ARTEFACTS.filter((a) => a.format !== "moto-recording")) {
            for (const args of [[file(artefact.file)], ["--json", file(artefact.file)], ["--format", "sarif", file(artefact.file)]]) {
                const { output } = await auditCli(args);
                for (const secret of secrets) {
                    assert.ok(!output.includes(secret), `${artefact.file} ${args[0]}: a secret value was printed`);
                }
            }
        }
    });
});
