import * as assert from "assert";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { Readable } from "stream";
import { startScriptEarly } from "../../tests/early-process";
import { runAuditCli } from "../audit/cli";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { AuditResource, decodeSecrets, resourcesFromDocument, runPolicies, runPolicySet } from "../audit/engine";
import { EncryptedValue } from "../lib/unknowns";
import * as types from "../policies/resource-types";
import {
    ECS_TRUST, STACK_RESOURCE_URN, StateSpec, container, encrypted, plaintextSecret, policyDocument, readSecretStatement, roleArn, secretArn,
    stackExport, stateUrn,
} from "./helpers";

const JWT = secretArn("adma/prod/jwt-secret");
const RDS = secretArn("rds!db-0123456789abcdef");
const urn = stateUrn;

/** The seed architecture as Pulumi state entries: compliant with every policy of the pack. */
function compliantStates(): StateSpec[] {
    return [
        { type: types.IAM_ROLE, name: "execution", inputs: { assumeRolePolicy: ECS_TRUST }, outputs: { arn: roleArn("execution"), name: "execution" } },
        { type: types.IAM_ROLE, name: "task", inputs: { assumeRolePolicy: ECS_TRUST }, outputs: { arn: roleArn("task"), name: "task" } },
        { type: types.IAM_ROLE_POLICY, name: "execution-secrets", inputs: { role: "execution", policy: JSON.stringify(policyDocument(readSecretStatement({ Resource: [JWT, RDS] }))) } },
        { type: types.SECRET, name: "jwt", inputs: { name: "/adma/prod/jwt-secret", recoveryWindowInDays: 7 }, outputs: { arn: JWT } },
        { type: types.RDS_INSTANCE, name: "db", inputs: { engine: "postgres", username: "appuser", manageMasterUserPassword: true } },
        { type: types.KMS_KEY, name: "secrets", inputs: { enableKeyRotation: true } },
        {
            type: types.ECS_TASK_DEFINITION, name: "backend",
            inputs: {
                executionRoleArn: roleArn("execution"), taskRoleArn: roleArn("task"),
                containerDefinitions: JSON.stringify([container({ secrets: [{ name: "JWT_SECRET", valueFrom: JWT }, { name: "DB_PASSWORD", valueFrom: `${RDS}:password::` }] })]),
            },
        },
    ];
}

function previewJson(states: StateSpec[]): unknown {
    return {
        config: {},
        steps: [
            ...states.map((s) => ({ op: "create", urn: urn(s.type, s.name), newState: { urn: urn(s.type, s.name), type: s.type, inputs: s.inputs, outputs: s.outputs ?? {} } })),
            { op: "delete", urn: urn(types.IAM_POLICY, "gone"), oldState: { urn: urn(types.IAM_POLICY, "gone"), type: types.IAM_POLICY, inputs: { policy: "x" } } },
        ],
        changeSummary: { create: states.length, delete: 1 },
    };
}

function withState(states: StateSpec[], name: string, change: (s: StateSpec) => void): StateSpec[] {
    const copy = states.map((s) => ({ ...s, inputs: { ...s.inputs } }));
    change(copy.find((s) => s.name === name)!);
    return copy;
}

describe("audit engine", () => {
    describe("resourcesFromDocument", () => {
        it("reads a version 3 stack export: inputs, identifying outputs, parent, dependencies", () => {
            const resources = resourcesFromDocument(stackExport(compliantStates()));
            assert.strictEqual(resources.length, compliantStates().length + 1);
            const execution = resources.find((r) => r.name === "execution")!;
            assert.strictEqual(execution.type, types.IAM_ROLE);
            assert.strictEqual(execution.props.arn, roleArn("execution"));
            assert.strictEqual(execution.parent, STACK_RESOURCE_URN);
        });

        it("reads `pulumi preview --json` steps, skipping deletes", () => {
            const resources = resourcesFromDocument(previewJson(compliantStates()));
            assert.deepStrictEqual(resources.map((r) => r.name), compliantStates().map((s) => s.name));
        });

        it("keeps one resource per URN when a replacement repeats it", () => {
            const preview = previewJson(compliantStates()) as { steps: Record<string, unknown>[] };
            preview.steps.push({ ...preview.steps[0], op: "create-replacement" });
            assert.strictEqual(resourcesFromDocument(preview).length, compliantStates().length);
        });

        const unusable: [string, unknown, RegExp][] = [
            ["null", null, /stack export.*preview --json/],
            ["a list", [], /stack export.*preview --json/],
            ["an older export version", { version: 2, deployment: { resources: [] } }, /unsupported stack export version 2/],
            ["an export without a resource list", { version: 3, deployment: { resources: {} } }, /deployment.resources must be a list/],
            ["something else", { hello: "world" }, /found neither `deployment` nor `steps`/],
            ["a resource without a type", { version: 3, deployment: { resources: [{ urn: "u" }] } }, /has no urn or type/],
        ];
        for (const [what, document, message] of unusable) {
            it(`rejects ${what} with a clear error`, () => {
                assert.throws(() => resourcesFromDocument(document), message);
            });
        }
    });

    describe("secret envelopes", () => {
        it("decodes plaintext, keeps ciphertext as an opaque value, and leaves the input untouched", () => {
            const props = { a: plaintextSecret({ k: "v" }), b: [encrypted()], c: { d: 1 } };
            const decoded = decodeSecrets(props) as Record<string, unknown>;
            assert.deepStrictEqual(decoded.a, { k: "v" });
            assert.strictEqual((decoded.b as unknown[])[0], EncryptedValue.instance);
            assert.strictEqual(decoded.c, props.c, "unchanged subtrees are shared, not copied");
            assert.strictEqual((props.b[0] as Record<string, string>).ciphertext, "AAABAGVuY3J5cHRlZA==");
        });

        it("treats an encrypted password as a password, and checks decrypted container definitions", async () => {
            let states = withState(compliantStates(), "db", (s) => { s.inputs.password = encrypted(); });
            states = withState(states, "backend", (s) => {
                const secrets = [{ name: "JWT_SECRET", valueFrom: JWT }, { name: "DB_PASSWORD", valueFrom: `${RDS}:password::` }];
                s.inputs.containerDefinitions = plaintextSecret(JSON.stringify([container({ secrets, environment: [{ name: "JWT_SECRET", value: "x" }] })]));
            });
            const names = (await runPolicies(resourcesFromDocument(stackExport(states)))).map((v) => v.policyName).sort();
            assert.deepStrictEqual(names, ["no-jwt-secret-in-environment", "no-plaintext-db-password"]);
        });
    });

    describe("runPolicies", () => {
        it("finds nothing in the compliant architecture, in both formats", async () => {
            assert.deepStrictEqual(await runPolicies(resourcesFromDocument(stackExport(compliantStates()))), []);
            assert.deepStrictEqual(await runPolicies(resourcesFromDocument(previewJson(compliantStates()))), []);
        });

        it("runs resource and stack policies with their levels from the config", async () => {
            const states = withState(withState(compliantStates(), "task", (s) => { s.inputs.managedPolicyArns = ["arn:aws:iam::aws:policy/AdministratorAccess"]; }),
                "jwt", (s) => { s.inputs.recoveryWindowInDays = 0; });
            const resources = resourcesFromDocument(stackExport(states));
            const violations = await runPolicies(resources, { "secret-recovery-window": "advisory" });
            assert.deepStrictEqual(violations.map((v) => [v.policyName, v.enforcementLevel]).sort(), [
                ["no-broad-managed-policy-on-ecs-role", "mandatory"], ["secret-recovery-window", "advisory"],
            ]);
            assert.strictEqual(violations.find((v) => v.policyName === "secret-recovery-window")!.urn, urn(types.SECRET, "jwt"));
        });

        it("rejects a config naming an unknown policy or level", async () => {
            const resources: AuditResource[] = [];
            await assert.rejects(runPolicies(resources, { "no-such-policy": "advisory" }), /unknown policy "no-such-policy"/);
            await assert.rejects(runPolicies(resources, { "no-wildcard-resource": "strict" }), /must be one of advisory, mandatory, remediate, disabled/);
            await assert.rejects(runPolicies(resources, { "no-wildcard-resource": { exemptActions: "ssmmessages:*" } }), /must be a list of strings/);
        });

        it("runs foreign policies' synchronous and asynchronous validations alike, failures included", async () => {
            const resources = resourcesFromDocument(stackExport(compliantStates().slice(0, 2)));
            const validations: ResourceValidationPolicy["validateResource"] = [
                (args, report) => report(`sync ${args.name}`),
                async (args, report) => {
                    await Promise.resolve();
                    report(`async ${args.name}`);
                },
            ];
            const reporting: ResourceValidationPolicy = { name: "reporting", description: "reports", enforcementLevel: "advisory", validateResource: validations };
            const violations = await runPolicySet([reporting], resources);
            assert.deepStrictEqual(violations.map((v) => v.message),
                ["sync adma-prod", "async adma-prod", "sync execution", "async execution", "sync task", "async task"]);
            const failing = (validateResource: ResourceValidationPolicy["validateResource"]): ResourceValidationPolicy =>
                ({ name: "failing", description: "fails", enforcementLevel: "mandatory", validateResource });
            await assert.rejects(runPolicySet([failing(() => { throw new Error("boom"); })], resources), /policy 'failing' failed on .*adma-prod: boom/);
            await assert.rejects(runPolicySet([failing(async () => { throw new Error("late"); })], resources), /policy 'failing' failed on .*adma-prod: late/);
        });

        // Speed is the benchmark's business (bench/); here: a large export is audited completely and exactly.
        it("audits every copy in a large export, reporting exactly the violating ones", async () => {
            const copies = 250;
            const states: StateSpec[] = [];
            const violating: string[] = [];
            for (let i = 0; i < copies; i++) {
                const copy = compliantStates().map((s) => ({ ...s, name: `${s.name}-${i}` }));
                if (i % 7 === 3) {
                    const db = copy.find((s) => s.type === types.RDS_INSTANCE)!;
                    db.inputs = { ...db.inputs, password: encrypted() };
                    violating.push(urn(types.RDS_INSTANCE, db.name));
                }
                states.push(...copy);
            }
            const resources = resourcesFromDocument(JSON.parse(JSON.stringify(stackExport(states))));
            assert.strictEqual(resources.length, states.length + 1);
            const violations = await runPolicies(resources);
            assert.deepStrictEqual(violations.map((v) => [v.policyName, v.urn]).sort(),
                violating.map((u) => ["no-plaintext-db-password", u]).sort());
        });
    });
});

describe("policy:audit CLI", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "policy-audit-"));
    const file = (name: string, content: unknown) => {
        const target = path.join(dir, name);
        writeFileSync(target, typeof content === "string" ? content : JSON.stringify(content));
        return target;
    };
    /** The CLI in-process, with `input` on its stdin and its output collected. */
    const audit = async (args: string[], input = "") => {
        const output = { stdout: "", stderr: "" };
        const status = await runAuditCli(args, {
            stdin: Readable.from([input]),
            stdout: { write: (text: string) => (output.stdout += text) },
            stderr: { write: (text: string) => (output.stderr += text) },
        });
        return { status, ...output };
    };

    const failing = withState(compliantStates(), "db", (s) => { s.inputs.password = encrypted(); });

    // One real process proves the wiring: process arguments, streams and exit status. Started
    // with the file (tests/early-process.ts), so it runs beside the other tests.
    const repoRoot = path.resolve(__dirname, "../..");
    const auditRun = startScriptEarly(repoRoot, "policy:audit", [file("bad-spawned.json", stackExport(failing))]);
    it("runs as a command: exits 1 on a mandatory violation and prints the table", async function () {
        this.timeout(60_000);
        const result = await auditRun.result;
        assert.strictEqual(result.status, 1, result.stderr);
        assert.match(result.stdout, /mandatory\s+no-plaintext-db-password\s+aws:rds\/instance:Instance::db/);
    });

    it("exits 0 on a compliant export and prints a table", async () => {
        const result = await audit([file("ok.json", stackExport(compliantStates()))]);
        assert.strictEqual(result.status, 0, result.stderr);
        assert.match(result.stdout, /No policy violations in 8 resource\(s\)/);
    });

    it("exits 1 on a mandatory violation; --json prints exactly one array", async () => {
        const result = await audit(["--json", file("bad.json", stackExport(failing))]);
        assert.strictEqual(result.status, 1, result.stderr);
        const violations = JSON.parse(result.stdout);
        assert.deepStrictEqual(violations, [{
            policyName: "no-plaintext-db-password", urn: urn(types.RDS_INSTANCE, "db"),
            message: violations[0].message, enforcementLevel: "mandatory",
        }]);
    });

    it("reads a UTF-8 export with non-ASCII names exactly", async () => {
        const renamed = failing.map((s) => (s.name === "db" ? { ...s, name: "db-é€😀" } : s));
        const result = await audit(["--json", file("bad-utf8.json", stackExport(renamed))]);
        assert.strictEqual(result.status, 1, result.stderr);
        assert.deepStrictEqual(JSON.parse(result.stdout).map((v: { urn: string }) => v.urn), [urn(types.RDS_INSTANCE, "db-é€😀")]);
    });

    it("reads a preview document from stdin and a policy config file", async () => {
        const config = file("config.json", { "no-plaintext-db-password": { enforcementLevel: "advisory" } });
        const result = await audit(["--config", config, "--json", "-"], JSON.stringify(previewJson(failing)));
        assert.strictEqual(result.status, 0, result.stderr);
        assert.deepStrictEqual(JSON.parse(result.stdout).map((v: { enforcementLevel: string }) => v.enforcementLevel), ["advisory"]);
    });

    it("prints the violation table", async () => {
        const result = await audit([file("bad2.json", stackExport(failing))]);
        assert.strictEqual(result.status, 1);
        assert.match(result.stdout, /LEVEL\s+POLICY\s+RESOURCE\s+MESSAGE/);
        assert.match(result.stdout, /mandatory\s+no-plaintext-db-password\s+aws:rds\/instance:Instance::db/);
    });

    const unreadable: [string, string[], RegExp][] = [
        ["a missing file", [path.join(dir, "missing.json")], /cannot read input/],
        ["invalid JSON", [file("broken.json", "{")], /is not valid JSON/],
        ["invalid JSON on stdin", ["-"], /input on stdin is not valid JSON: the input is truncated: it ends after 1 characters, inside the document/],
        ["a truncated export", [file("truncated.json", '{"version":3,"deployment":{"resources":[{"urn":"u","type":"t"},{"urn"')],
            /input ".*truncated\.json" is not valid JSON: the input is truncated: it ends after 69 characters, inside deployment\.resources\[1\]$/m],
        ["an older export version", [file("v2.json", { version: 2, deployment: { resources: [] } })], /unsupported stack export version 2/],
        ["an unknown format", [file("other.json", { hello: 1 })], /found neither/],
        ["an invalid config", ["--config", file("badconfig.json", { nope: "advisory" }), file("ok2.json", stackExport([]))], /unknown policy "nope"/],
        ["no input", [], /no input file given/],
        ["an unknown option", ["--yaml", "x"], /unknown option --yaml/],
    ];
    for (const [what, args, message] of unreadable) {
        it(`exits 2 with a clear error on ${what}`, async () => {
            const result = await audit(args, "{");
            assert.strictEqual(result.status, 2, result.stdout);
            assert.match(result.stderr, message);
            assert.strictEqual(result.stdout, "");
        });
    }
});
