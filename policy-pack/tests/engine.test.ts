/** The audit's engine: policies run over AuditResources with the config applied, as the Pulumi policy server runs them. */
import * as assert from "assert";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { AuditResource, PolicyConfig, Violation, runPolicies, runPolicySet } from "../audit/engine";
import { readAuditDocument } from "../audit/reader";
import { decodeSecrets } from "../lib/secret-envelopes";
import { EncryptedValue } from "../lib/unknowns";
import * as types from "../policies/resource-types";
import {
    StateSpec, compliantStates, container, encrypted, iamPolicy, plaintextSecret, policyDocument, previewJson, readSecretStatement,
    secretArn, stackExport, stateUrn, violatingStates, withState,
} from "./helpers";

const JWT = secretArn("adma/prod/jwt-secret");
const RDS = secretArn("rds!db-0123456789abcdef");
const urn = stateUrn;

/** The resources the audit reads out of a document, after a round trip through JSON text as the CLI reads it. */
function auditResources(document: unknown): AuditResource[] {
    return readAuditDocument(JSON.parse(JSON.stringify(document))).resources;
}

describe("audit engine", () => {
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
            const names = (await runPolicies(auditResources(stackExport(states)))).map((v) => v.policyName).sort();
            assert.deepStrictEqual(names, ["no-jwt-secret-in-environment", "no-plaintext-db-password"]);
        });
    });

    describe("runPolicies", () => {
        it("finds nothing in the compliant architecture, in both formats", async () => {
            assert.deepStrictEqual(await runPolicies(auditResources(stackExport(compliantStates()))), []);
            assert.deepStrictEqual(await runPolicies(auditResources(previewJson(compliantStates()))), []);
        });

        it("runs resource and stack policies with their levels from the config", async () => {
            const states = withState(withState(compliantStates(), "task", (s) => { s.inputs.managedPolicyArns = ["arn:aws:iam::aws:policy/AdministratorAccess"]; }),
                "jwt", (s) => { s.inputs.recoveryWindowInDays = 0; });
            const resources = auditResources(stackExport(states));
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
            const resources = auditResources(stackExport(compliantStates().slice(0, 2)));
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
            const resources = auditResources(JSON.parse(JSON.stringify(stackExport(states))));
            assert.strictEqual(resources.length, states.length + 1);
            const violations = await runPolicies(resources);
            assert.deepStrictEqual(violations.map((v) => [v.policyName, v.urn]).sort(),
                violating.map((u) => ["no-plaintext-db-password", u]).sort());
        });
    });

    describe("on documents of every shape", () => {
        const policyNames = (violations: Violation[]) => [...new Set(violations.map((v) => v.policyName))].sort();
        const NINE = [
            "execution-role-secret-access", "kms-key-rotation", "no-broad-managed-policy-on-ecs-role",
            "no-jwt-secret-in-environment", "no-plaintext-db-password", "no-secretsmanager-wildcard",
            "no-wildcard-resource", "secret-recovery-window", "separate-execution-and-task-role",
        ];

        it("finds the same violations in a stack export, pretty-printed or not, and in a preview", async () => {
            const exported = await runPolicies(auditResources(stackExport(violatingStates())));
            assert.deepStrictEqual(policyNames(exported), NINE);
            const pretty = readAuditDocument(JSON.parse(JSON.stringify(stackExport(violatingStates()), null, "\t"))).resources;
            assert.deepStrictEqual(await runPolicies(pretty), exported);
            const previewed = await runPolicies(auditResources(previewJson(violatingStates())));
            assert.deepStrictEqual(policyNames(previewed), NINE);
        });

        it("applies a config to them", async () => {
            const config: PolicyConfig = { all: "advisory", "kms-key-rotation": "disabled" };
            const violations = await runPolicies(auditResources(stackExport(violatingStates())), config);
            assert.deepStrictEqual(policyNames(violations), NINE.filter((name) => name !== "kms-key-rotation"));
            assert.ok(violations.every((v) => v.enforcementLevel === "advisory"));
        });

        it("names resources with non-ASCII names exactly", async () => {
            const states = violatingStates().map((s) => (s.name === "db" ? { ...s, name: "db-é€😀" } : s));
            const violations = await runPolicies(auditResources(stackExport(states)));
            assert.ok(violations.some((v) => v.urn === urn(types.RDS_INSTANCE, "db-é€😀")));
        });

        it("reads a resource of several hundred kilobytes", async () => {
            const description = `"quoted" \\ ${"x".repeat(100)} `.repeat(2000);
            const states = [...violatingStates(), { type: types.KMS_KEY, name: "large", inputs: { description, enableKeyRotation: false, tags: { note: description } } }];
            const violations = await runPolicies(auditResources(stackExport(states)));
            assert.ok(violations.some((v) => v.urn === urn(types.KMS_KEY, "large")));
        });

        it("reads the AWS managed policies' shape: documents as JSON strings, escapes included", async () => {
            const documents: Record<string, unknown> = {
                ReadWrite: policyDocument({ Effect: "Allow", Action: ["secretsmanager:*", "kms:Decrypt"], Resource: "*" }),
                NotAction: policyDocument({ Effect: "Allow", NotAction: ["iam:*"], Resource: "*" }),
                Scoped: policyDocument(readSecretStatement()),
                Escaped: '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s\\u0065cretsmanager:*","Resource":"arn:aws:s3:::b\\"q"}}',
            };
            const resources = Object.entries(documents).map(([name, document]) => iamPolicy(document, name));
            const violations = await runPolicies(resources);
            assert.deepStrictEqual(violations.filter((v) => v.urn.endsWith("::Scoped")), []);
            for (const name of ["ReadWrite", "NotAction", "Escaped"]) {
                assert.ok(violations.some((v) => v.urn.endsWith(`::${name}`) && v.enforcementLevel === "mandatory"), name);
            }
        });

        it("stops on a secret whose plaintext is not JSON, without quoting it", async () => {
            const states: StateSpec[] = [{ type: types.KMS_KEY, name: "k", inputs: { enableKeyRotation: { ...encrypted(), ciphertext: undefined, plaintext: "{s3cr3t" } } }];
            await assert.rejects(runPolicies(auditResources(stackExport(states))), (error: Error) =>
                /a secret envelope's plaintext is not valid JSON/.test(error.message) && !error.message.includes("s3cr3t"));
        });
    });
});
