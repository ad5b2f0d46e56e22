import * as assert from "assert";
import Module from "module";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { readAuditDocument } from "../../policy-pack/audit/reader";
import { AwsMocks } from "../../testing/aws-mocks";
import type { ExportResource, StackExportDocument } from "../../tools/preview/export-document";
import { checkPolicies, OfflinePreview, previewOffline } from "../../tools/preview/offline-run";
import { createThrowawaySealer, isSecretEnvelope, plaintextEnvelope, UNKNOWN_VALUE } from "../../tools/preview/secret-envelope";
import { securePlaceholder } from "../../tools/preview/stack-config";
import { formatPreview } from "../../tools/preview/tree";
import { withoutStackTraces } from "../stack-traces";

const FIXTURE = path.join(__dirname, "..", "fixtures", "offline-project");

/** The fixture program under the project's AWS mocks: the same path the CLI takes. */
function preview(stack: string): Promise<OfflinePreview> {
    return withoutStackTraces(() => previewOffline({ projectDir: FIXTURE, stack, mocks: new AwsMocks({ region: "eu-west-1" }) }));
}

describe("offline preview: a program run under the AWS mocks", function () {
    let good: OfflinePreview;
    let exported: StackExportDocument;
    let resources: ExportResource[];
    const find = (type: string) => resources.find((resource) => resource.type === type) as ExportResource;

    before(async () => {
        good = await preview("good");
        exported = good.exportDocument(createThrowawaySealer());
        resources = exported.deployment.resources;
    });

    it("exports every resource, components and the stack included, with URN, type and custom flag", () => {
        assert.strictEqual(exported.version, 3);
        assert.deepStrictEqual(
            resources.filter((r) => !r.type.startsWith("pulumi:providers:")).map((r) => `${r.custom ? "custom" : "component"} ${r.type}`).sort(),
            [
                "component fixture:index:Backend",
                "component fixture:index:Database",
                "component pulumi:pulumi:Stack",
                "custom aws:rds/instance:Instance",
                "custom aws:secretsmanager/secret:Secret",
                "custom aws:secretsmanager/secretVersion:SecretVersion",
                "custom aws:ssm/parameter:Parameter",
                "custom aws:ssm/parameter:Parameter",
                "custom random:index/randomPassword:RandomPassword",
            ],
        );
        for (const resource of resources) {
            assert.match(resource.urn, /^urn:pulumi:good::fixture::[^:]/, resource.urn);
            assert.ok(resource.type && typeof resource.custom === "boolean", resource.urn);
        }
        assert.deepStrictEqual(
            resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => r.urn).sort(),
            ["urn:pulumi:good::fixture::pulumi:providers:aws::default_7_48_0", "urn:pulumi:good::fixture::pulumi:providers:random::default_4_21_2"],
        );
    });

    it("gives nested resources the engine's URN and a parent that resolves", () => {
        const urns = new Set(resources.map((resource) => resource.urn));
        for (const resource of resources) {
            assert.ok(resource.parent === undefined || urns.has(resource.parent), `${resource.urn}: parent ${resource.parent}`);
            assert.ok(resource.provider === undefined || urns.has(resource.provider.replace(/::[^:]+$/, "")), `${resource.urn}: provider`);
        }
        const instance = find("aws:rds/instance:Instance");
        assert.strictEqual(
            instance.urn,
            "urn:pulumi:good::fixture::fixture:index:Backend$fixture:index:Database$aws:rds/instance:Instance::postgres",
        );
        assert.strictEqual(instance.parent, find("fixture:index:Database").urn);
        assert.strictEqual(instance.protect, true);
        assert.strictEqual(find("aws:ssm/parameter:Parameter").parent, find("pulumi:pulumi:Stack").urn);
        assert.deepStrictEqual(find("aws:secretsmanager/secretVersion:SecretVersion").propertyDependencies?.secretString, [
            find("random:index/randomPassword:RandomPassword").urn,
        ]);
    });

    it("keeps inputs under their Pulumi names, config values included", () => {
        const instance = find("aws:rds/instance:Instance");
        assert.strictEqual(instance.inputs.manageMasterUserPassword, true);
        assert.strictEqual(instance.inputs.dbName, "urlshortener");
        assert.deepStrictEqual(instance.inputs.tags, { team: "platform", "cost-center": "42" });
        assert.strictEqual(instance.inputs.password, undefined);
        assert.match(String(find("aws:secretsmanager/secret:Secret").outputs.arn), /^arn:aws:secretsmanager:eu-west-1:123456789012:secret:\/fixture\/jwt-secret-/);
    });

    it("never writes a secret in plaintext: the generated password, the secure config placeholder", () => {
        const password = new AwsMocks({ region: "eu-west-1" }).newResource({
            type: "random:index/randomPassword:RandomPassword",
            name: "jwt",
            inputs: { length: 64, special: true },
            custom: true,
        }).state.result as string;
        assert.ok(password.length === 64);
        assert.ok(good.secretValues.includes(password), "the run's secrets include the mocked password");
        const serialized = JSON.stringify(exported);
        for (const secret of [password, securePlaceholder("fixture:apiToken")]) {
            assert.ok(!serialized.includes(secret), `plaintext secret in the export: ${secret.slice(0, 4)}…`);
        }
        assert.ok(isSecretEnvelope(find("random:index/randomPassword:RandomPassword").outputs.result));
        assert.ok(isSecretEnvelope(find("aws:secretsmanager/secretVersion:SecretVersion").inputs.secretString));
        assert.ok(isSecretEnvelope(find("aws:ssm/parameter:Parameter").inputs.value));
        assert.ok(isSecretEnvelope(find("pulumi:pulumi:Stack").outputs.apiTokenValue));
    });

    it("is read by the pack's audit, which sees secret values only through the in-memory document", () => {
        const audited = readAuditDocument(JSON.parse(JSON.stringify(exported))).resources;
        assert.strictEqual(audited.length, resources.length);
        const version = audited.find((resource) => resource.type === "aws:secretsmanager/secretVersion:SecretVersion");
        assert.ok(isSecretEnvelope(version?.props.secretString));
        const forPolicies = readAuditDocument(good.exportDocument(plaintextEnvelope)).resources;
        const plaintextVersion = forPolicies.find((resource) => resource.type === "aws:secretsmanager/secretVersion:SecretVersion");
        assert.strictEqual(typeof (plaintextVersion?.props.secretString as { plaintext?: unknown }).plaintext, "string");
    });

    it("prints the tree the way pulumi preview does", () => {
        const tree = formatPreview(resources);
        assert.match(tree, /^ \+ {3}pulumi:pulumi:Stack +fixture-good +create$/m);
        assert.match(tree, /^ \+ {3}├─ fixture:index:Backend +backend +create$/m);
        assert.match(tree, /^ \+ {3}│  ├─ fixture:index:Database +database +create$/m);
        assert.match(tree, /^ \+ {3}│  │  ├─ aws:rds\/instance:Instance +postgres +create$/m);
        assert.match(tree, /^ \+ {3}│  │  └─ aws:ssm\/parameter:Parameter +db-ca +create$/m);
        assert.match(tree, /^ \+ {3}└─ aws:ssm\/parameter:Parameter +api-token +create$/m);
        assert.match(tree, /^ {4}apiTokenValue +: \[secret\]$/m);
        assert.match(tree, /^ {4}\+ 9 to create$/m);
        assert.ok(!tree.includes("pulumi:providers"));
    });

    it("passes the policy pack on the compliant stack", async () => {
        const violations = await checkPolicies(good);
        assert.deepStrictEqual(violations.filter((violation) => violation.enforcementLevel === "mandatory"), []);
    });

    it("reports the pack's mandatory violation on a stack that sets an RDS password", async () => {
        const violating = await preview("violating");
        const violations = await checkPolicies(violating);
        const instanceUrn = "urn:pulumi:violating::fixture::fixture:index:Backend$fixture:index:Database$aws:rds/instance:Instance::postgres";
        assert.ok(
            violations.some((v) => v.policyName === "no-plaintext-db-password" && v.urn === instanceUrn && v.enforcementLevel === "mandatory"),
            JSON.stringify(violations),
        );
        const serialized = JSON.stringify(violating.exportDocument(createThrowawaySealer()));
        assert.deepStrictEqual(violating.secretValues.filter((secret) => serialized.includes(secret)), []);
        // The policy config (as `pulumi policy enable --config` takes it) can lower the level.
        const lowered = await checkPolicies(violating, { "no-plaintext-db-password": "advisory" });
        assert.ok(lowered.some((v) => v.policyName === "no-plaintext-db-password" && v.enforcementLevel === "advisory"));
    });

    it("fails with the program's own message on invalid config, and runs afresh afterwards", async () => {
        await assert.rejects(preview("badconfig"), /^Error: fixture:jwtLength must be at least 32, got 16$/);
        const again = await preview("good");
        assert.strictEqual(again.recorded.length, good.recorded.length);
    });

    it("gives the process-global runtime config back after the run", async () => {
        pulumi.runtime.setAllConfig({ "other:setting": "kept" });
        await preview("good");
        assert.deepStrictEqual(pulumi.runtime.allConfig(), { "other:setting": "kept" });
        pulumi.runtime.setAllConfig({});
    });

    it("runs the program afresh when the process already holds its module (a test loaded it before)", async () => {
        const programFile = require.resolve(path.join(FIXTURE, "index.ts"));
        const stale = new Module(programFile);
        stale.loaded = true;
        require.cache[programFile] = stale;
        try {
            const run = await preview("good");
            assert.ok(run.recorded.length > 1, `only ${run.recorded.length} resource: the program did not run`);
        } finally {
            delete require.cache[programFile];
        }
    });

    it("names the existing stacks for an unknown stack", async () => {
        await assert.rejects(preview("prdo"), /unknown stack "prdo".*existing stacks: badconfig, good, lowered, violating/);
    });

    it("keeps a value unknown until deployment as the engine's unknown sentinel", () => {
        const caParameter = resources.find((resource) => resource.urn.endsWith("aws:ssm/parameter:Parameter::db-ca"));
        assert.strictEqual(caParameter?.inputs.value, UNKNOWN_VALUE);
    });
});
