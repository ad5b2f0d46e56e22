/**
 * The streamed audit (what `npm run policy:audit` runs) against the whole-document path
 * (`runPolicies(resourcesFromDocument(JSON.parse(text)))`): the same violations, in the same
 * order, and the same errors, whatever the size of the chunks the input arrives in.
 */
import * as assert from "assert";
import { existsSync, readFileSync } from "fs";
import * as path from "path";
import { AuditRun, PolicyConfig, Violation, resourcesFromDocument, runPolicies } from "../audit/engine";
import { InvalidJsonError, auditDocumentStream } from "../audit/stream";
import { policies } from "../policies";
import * as types from "../policies/resource-types";
import { createThrowawaySealer, plaintextEnvelope } from "../../tools/preview/secret-envelope";
import { previewOffline } from "../../tools/preview/offline-run";
import { withoutStackTraces } from "../../tests/stack-traces";
import { ECS_TRUST, container, encrypted, policyDocument, readSecretStatement, roleArn, secretArn, stackExport, stateUrn } from "./helpers";

type Outcome = { violations: Violation[]; resourceCount: number } | { error: string };

async function wholeDocument(text: string, config?: PolicyConfig): Promise<Outcome> {
    try {
        const resources = resourcesFromDocument(JSON.parse(text));
        return { violations: await runPolicies(resources, config), resourceCount: resources.length };
    } catch (error) {
        return { error: (error as Error).message };
    }
}

function* chunksOf(bytes: Buffer, size: number): Generator<Buffer> {
    for (let at = 0; at < bytes.length; at += size) {
        yield bytes.subarray(at, at + size);
    }
}

async function streamed(text: string, chunkSize: number, config?: PolicyConfig): Promise<Outcome> {
    try {
        return await auditDocumentStream(chunksOf(Buffer.from(text), chunkSize), () => new AuditRun(policies, config));
    } catch (error) {
        return { error: (error as Error).message };
    }
}

const CHUNK_SIZES = [64 * 1024, 4096, 7];

/** Asserts both paths agree on `text`; returns the outcome. */
async function assertSameOutcome(text: string, config?: PolicyConfig, chunkSizes = CHUNK_SIZES): Promise<Outcome> {
    const expected = await wholeDocument(text, config);
    for (const size of chunkSizes) {
        assert.deepStrictEqual(await streamed(text, size, config), expected, `chunks of ${size} bytes`);
    }
    return expected;
}

const violationsOf = (outcome: Outcome): Violation[] => {
    assert.ok("violations" in outcome, "error" in outcome ? outcome.error : "");
    return outcome.violations;
};

const urn = stateUrn;

/** A stack export whose resources break most of the pack's policies, resource and stack ones. */
function violatingExport(): Record<string, unknown> {
    const jwt = secretArn("adma/prod/jwt-secret");
    return stackExport([
        {
            type: types.IAM_ROLE, name: "shared",
            inputs: { assumeRolePolicy: ECS_TRUST, managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] },
            outputs: { arn: roleArn("shared"), name: "shared" },
        },
        {
            type: types.IAM_ROLE_POLICY, name: "wide",
            inputs: { role: "shared", policy: JSON.stringify(policyDocument(readSecretStatement({ Action: "secretsmanager:*", Resource: "*" }))) },
        },
        { type: types.IAM_POLICY, name: "unparsable", inputs: { policy: "{not json" }, outputs: { arn: "arn:aws:iam::123456789012:policy/unparsable" } },
        { type: types.SECRET, name: "jwt", inputs: { name: "/adma/prod/jwt-secret", recoveryWindowInDays: 0 }, outputs: { arn: jwt } },
        { type: types.RDS_INSTANCE, name: "db", inputs: { engine: "postgres", username: "app", password: encrypted() } },
        { type: types.KMS_KEY, name: "key", inputs: { enableKeyRotation: false, description: "a path ending in a backslash: C:\\" } },
        {
            type: types.ECS_TASK_DEFINITION, name: "backend",
            inputs: {
                executionRoleArn: roleArn("shared"), taskRoleArn: roleArn("shared"),
                containerDefinitions: JSON.stringify([container({
                    secrets: [{ name: "JWT_SECRET", valueFrom: jwt }, { name: "OTHER", valueFrom: secretArn("other") }],
                    environment: [{ name: "JWT_SECRET", value: "inline" }],
                })]),
            },
        },
    ]);
}

/** Resources as `pulumi preview --json` steps, with a replacement and a delete. */
function previewOf(exported: Record<string, unknown>): Record<string, unknown> {
    const resources = (exported.deployment as { resources: Record<string, unknown>[] }).resources;
    return {
        config: {},
        steps: [
            ...resources.map((state) => ({ op: "create", urn: state.urn, newState: state })),
            { op: "create-replacement", urn: resources[1].urn, newState: resources[1] },
            { op: "delete", urn: urn(types.IAM_POLICY, "gone"), oldState: { urn: urn(types.IAM_POLICY, "gone"), type: types.IAM_POLICY, inputs: {} } },
        ],
    };
}

/** The AWS managed policies' shape: aws.iam.Policy resources whose document is a JSON string, in inputs and outputs. */
function managedPoliciesExport(documents: Record<string, unknown>): Record<string, unknown> {
    return {
        version: 3,
        deployment: {
            manifest: { time: "1970-01-01T00:00:00.000Z", magic: "test", version: "test" },
            resources: Object.entries(documents).map(([name, document]) => {
                const inputs = { name, path: "/", policy: JSON.stringify(document) };
                return {
                    urn: `urn:pulumi:bench::managed-policies::aws:iam/policy:Policy::${name}`, custom: true, id: name,
                    type: types.IAM_POLICY, inputs, outputs: { ...inputs, arn: `arn:aws:iam::aws:policy/${name}` },
                };
            }),
        },
    };
}

describe("streamed audit", () => {
    describe("finds what the whole-document audit finds", function () {
        this.timeout(60_000);

        it("on the prod stack's export, with secrets encrypted and in plaintext", async () => {
            const prod = await withoutStackTraces(() => previewOffline({ projectDir: path.resolve(__dirname, "../.."), stack: "prod" }));
            for (const sealer of [createThrowawaySealer(), plaintextEnvelope]) {
                const text = JSON.stringify(prod.exportDocument(sealer));
                const outcome = await assertSameOutcome(text);
                assert.ok(violationsOf(outcome).length === 0 || sealer !== plaintextEnvelope, "the prod stack complies once secrets are readable");
                assert.ok("resourceCount" in outcome && outcome.resourceCount > 50);
            }
        });

        it("on a violating export, pretty-printed or not, with a config, and as a preview document", async () => {
            const exported = violatingExport();
            const compact = JSON.stringify(exported);
            const outcome = await assertSameOutcome(compact, undefined, [...CHUNK_SIZES, 1]);
            assert.deepStrictEqual([...new Set(violationsOf(outcome).map((v) => v.policyName))].sort(), [
                "execution-role-secret-access", "kms-key-rotation", "no-broad-managed-policy-on-ecs-role",
                "no-jwt-secret-in-environment", "no-plaintext-db-password", "no-secretsmanager-wildcard",
                "no-wildcard-resource", "secret-recovery-window", "separate-execution-and-task-role",
            ]);
            await assertSameOutcome(JSON.stringify(exported, null, "\t"));
            await assertSameOutcome(compact, { all: "advisory", "kms-key-rotation": "disabled" });
            const preview = await assertSameOutcome(JSON.stringify(previewOf(exported)));
            assert.strictEqual("resourceCount" in preview && preview.resourceCount, 8, "one resource per URN, none for a delete");
        });

        it("on non-ASCII text split inside its characters", async () => {
            const exported = violatingExport() as { deployment: { resources: Record<string, unknown>[] } };
            exported.deployment.resources[5].urn = urn(types.RDS_INSTANCE, "db-é€😀");
            const outcome = await assertSameOutcome(JSON.stringify(exported), undefined, [1, 2, 3, 5]);
            assert.ok(violationsOf(outcome).some((v) => v.urn.endsWith("db-é€😀")));
        });

        it("on a resource far larger than a chunk", async () => {
            const exported = violatingExport() as { deployment: { resources: Record<string, unknown>[] } };
            const description = `"quoted" \\ ${"x".repeat(100)} `.repeat(2000);
            exported.deployment.resources.push({
                urn: urn(types.KMS_KEY, "large"), custom: true, type: types.KMS_KEY,
                inputs: { description, enableKeyRotation: false, tags: { note: description } },
            });
            const outcome = await assertSameOutcome(JSON.stringify(exported), undefined, [64 * 1024, 1000]);
            assert.ok(violationsOf(outcome).some((v) => v.urn === urn(types.KMS_KEY, "large")));
        });

        it("on the AWS managed policies' shape (the real corpus when it is present)", async function () {
            const corpusFile = path.resolve(__dirname, "../../../shared/corpus/aws-managed-policies.json");
            const shaped = managedPoliciesExport({
                ReadWrite: policyDocument({ Effect: "Allow", Action: ["secretsmanager:*", "kms:Decrypt"], Resource: "*" }),
                NotAction: policyDocument({ Effect: "Allow", NotAction: ["iam:*"], Resource: "*" }),
                Scoped: policyDocument(readSecretStatement()),
                Escaped: '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s\\u0065cretsmanager:*","Resource":"arn:aws:s3:::b\\"q"}}',
            });
            assert.ok(violationsOf(await assertSameOutcome(JSON.stringify(shaped), undefined, [...CHUNK_SIZES, 1])).length >= 4);
            if (!existsSync(corpusFile)) {
                console.log(`    (the AWS managed policy corpus is not at ${corpusFile}: compared on the small corpus-shaped export only)`);
                return;
            }
            const corpus = JSON.parse(readFileSync(corpusFile, "utf8")) as Record<string, unknown>;
            assert.ok(violationsOf(await assertSameOutcome(JSON.stringify(managedPoliciesExport(corpus)), undefined, [64 * 1024])).length > 1000);
        });
    });

    describe("reports the same errors, or a clear one for invalid JSON", () => {
        const valid = JSON.stringify(violatingExport());
        const shapeErrors: [string, string][] = [
            ["an older export version", JSON.stringify({ version: 2, deployment: { resources: [] } })],
            ["an export without a version", JSON.stringify({ deployment: { resources: [] } })],
            ["a resource list that is not a list", JSON.stringify({ version: 3, deployment: { resources: { a: 1 } } })],
            ["a deployment that is not an object", JSON.stringify({ version: 3, deployment: [] })],
            ["a resource without a type", JSON.stringify({ version: 3, deployment: { resources: [{ urn: "u", type: "t" }, { urn: "u" }] } })],
            ["a resource that is not an object", JSON.stringify({ version: 3, deployment: { resources: [1] } })],
            ["a version after a bad resource", '{"deployment":{"resources":[{"urn":"u"}]},"version":2}'],
            ["a step that is not an object", JSON.stringify({ steps: [{ op: "same" }, "x"] })],
            ["steps that are not a list", JSON.stringify({ steps: {} })],
            ["a document that is a list", "[]"],
            ["a document that is a string", '"x"'],
            ["neither format", JSON.stringify({ hello: "world" })],
            ["a secret whose plaintext is not JSON", JSON.stringify({ version: 3, deployment: { resources: [
                { urn: urn(types.KMS_KEY, "k"), type: types.KMS_KEY, inputs: { enableKeyRotation: { ...encrypted(), ciphertext: undefined, plaintext: "{" } } },
            ] } })],
        ];
        for (const [what, text] of shapeErrors) {
            it(`on ${what}`, async () => {
                const outcome = await assertSameOutcome(text, undefined, [4096, 3]);
                assert.ok("error" in outcome, "the whole-document path rejects it");
            });
        }

        it("on a config error, after the document's own errors", async () => {
            const outcome = await assertSameOutcome(valid, { "no-such-policy": "advisory" });
            assert.match("error" in outcome ? outcome.error : "", /unknown policy "no-such-policy"/);
            const badResource = JSON.stringify({ version: 3, deployment: { resources: [{ urn: "u" }] } });
            const first = await assertSameOutcome(badResource, { "no-such-policy": "advisory" });
            assert.match("error" in first ? first.error : "", /has no urn/);
        });

        it("reads a repeated key as JSON.parse does: the last one counts", async () => {
            const second = JSON.stringify((violatingExport() as { deployment: unknown }).deployment).replace(/^\{/, "{\"resources\":[{\"urn\":\"u\"}],");
            assert.deepStrictEqual(JSON.parse(second).resources.length, 8);
            await assertSameOutcome(`{"version":3,"deployment":{"resources":[{"urn":"u"}]},"deployment":${second}}`);
            await assertSameOutcome(`{"version":1,"version":3,"deployment":{"resources":[]}}`);
        });

        const invalid: [string, string, RegExp][] = [
            ["a truncated export", valid.slice(0, Math.floor(valid.length / 2)), /^the input is truncated: it ends after \d+ characters, inside deployment\.resources\[\d+\]$/],
            ["an export cut between resources", valid.slice(0, valid.indexOf(',{"urn"', 200) + 1), /^the input is truncated: it ends after \d+ characters, inside deployment\.resources$/],
            ["an export cut in its header", valid.slice(0, valid.indexOf('"time"') + 3), /^the input is truncated: it ends after \d+ characters, inside deployment\.manifest$/],
            ["an empty input", "  ", /^the input is empty/],
            ["a resource that is not valid JSON", valid.replace('"custom":true', '"custom":tru'), /^deployment\.resources\[\d+\] \(characters \d+ to \d+\): Unexpected token/],
            ["a manifest that is not valid JSON", valid.replace('"version":"v3.200.0"', '"version":v3'), /^deployment\.manifest \(characters/],
            ["a trailing comma", valid.replace(/\]\}\}$/, ",]}}"), /^expected a value at deployment\.resources\[8\], found "\]"/],
            ["text after the document", `${valid} {}`, /^unexpected "\{" after the end of the document/],
            ["a missing colon", '{"version" 3}', /^expected ":" after "version", found "3"/],
            ["a key that is not a string", "{version:3}", /^expected a property name in the document, found "v"/],
            ["a property name with an invalid escape", '{"version":3,"deployment":{"res\\xources":[]}}', /^a property name in deployment \(characters 27 to 40\): Bad escaped character/],
        ];
        for (const [what, text, message] of invalid) {
            it(`on ${what}`, async () => {
                assert.ok("error" in (await wholeDocument(text)), "JSON.parse rejects it too");
                for (const size of [64 * 1024, 5]) {
                    const error = await auditDocumentStream(chunksOf(Buffer.from(text), size), () => new AuditRun(policies))
                        .then(() => undefined, (e: Error) => e);
                    assert.ok(error instanceof InvalidJsonError, String(error));
                    assert.match(error.message, message);
                }
            });
        }
    });
});
