import * as assert from "assert";
import { buildExportDocument, collectSecretValues, ExportOptions, ExportResource } from "../../tools/preview/export-document";
import type { MonitorRegistration } from "../../tools/preview/resource-recorder";
import { createThrowawaySealer, isSecretEnvelope, UNKNOWN_VALUE, wireSecret } from "../../tools/preview/secret-envelope";

const IDENTITY = { project: "adma", stack: "prod" };

function record(overrides: Partial<MonitorRegistration> & Pick<MonitorRegistration, "type" | "name">): MonitorRegistration {
    return {
        custom: true,
        inputs: {},
        dependencies: [],
        propertyDependencies: {},
        additionalSecretOutputs: [],
        protect: false,
        retainOnDelete: false,
        ignoreChanges: [],
        ...overrides,
    };
}

describe("offline preview: export document", () => {
    // URNs as the SDK's mock monitor forms them: only the immediate parent's type.
    const stack = "urn:pulumi:prod::adma::pulumi:pulumi:Stack::adma-prod";
    const backend = "urn:pulumi:prod::adma::pulumi:pulumi:Stack$adma:index:AdmaBackend::backend";
    const jwt = "urn:pulumi:prod::adma::adma:index:AdmaBackend$random:index/randomPassword:RandomPassword::jwt";
    const version = "urn:pulumi:prod::adma::adma:index:AdmaBackend$aws:secretsmanager/secretVersion:SecretVersion::jwt";
    const jwtValue = "generated-jwt-secret-value-0123456789";
    const recorded = [
        record({ monitorUrn: stack, type: "pulumi:pulumi:Stack", name: "adma-prod", custom: false, outputs: { arn: "arn:x" } }),
        record({ monitorUrn: backend, type: "adma:index:AdmaBackend", name: "backend", custom: false, parentMonitorUrn: stack }),
        record({
            monitorUrn: jwt,
            type: "random:index/randomPassword:RandomPassword",
            name: "jwt",
            parentMonitorUrn: backend,
            packageVersion: "4.21.2",
            inputs: { length: 64 },
            outputs: { length: 64, result: jwtValue },
            additionalSecretOutputs: ["result"],
            id: "none",
        }),
        record({
            monitorUrn: version,
            type: "aws:secretsmanager/secretVersion:SecretVersion",
            name: "jwt",
            parentMonitorUrn: backend,
            packageVersion: "7.48.0",
            inputs: { secretString: wireSecret(jwtValue), note: `copied ${jwtValue}`, later: UNKNOWN_VALUE },
            outputs: { arn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x", echoed: jwtValue },
            dependencies: [jwt],
            propertyDependencies: { secretString: [jwt], note: [] },
            id: "v1",
        }),
        record({ type: "aws:s3/bucket:Bucket", name: "never-registered", parentMonitorUrn: backend }),
    ];
    const options: ExportOptions = {
        ...IDENTITY,
        seal: createThrowawaySealer(),
        cliVersion: "v3.248.0+offline-preview",
        time: new Date("2026-01-02T03:04:05Z"),
        config: { "aws:region": "eu-west-1", "aws:accessKey": "AKIAFAKE", "adma:dbName": "x" },
        secretConfigKeys: ["aws:accessKey"],
        secretValues: collectSecretValues(recorded, []),
    };
    const document = buildExportDocument(recorded, options);
    const resources = document.deployment.resources;
    const byType = (type: string) => resources.find((resource) => resource.type === type) as ExportResource;

    it("has the stack export's version, manifest and the engine's URNs", () => {
        assert.strictEqual(document.version, 3);
        assert.strictEqual(document.deployment.manifest.time, "2026-01-02T03:04:05.000Z");
        assert.match(document.deployment.manifest.magic, /^[0-9a-f]{64}$/);
        assert.deepStrictEqual(
            resources.map((resource) => resource.urn),
            [
                "urn:pulumi:prod::adma::pulumi:pulumi:Stack::adma-prod",
                "urn:pulumi:prod::adma::adma:index:AdmaBackend::backend",
                "urn:pulumi:prod::adma::pulumi:providers:random::default_4_21_2",
                "urn:pulumi:prod::adma::adma:index:AdmaBackend$random:index/randomPassword:RandomPassword::jwt",
                "urn:pulumi:prod::adma::pulumi:providers:aws::default_7_48_0",
                "urn:pulumi:prod::adma::adma:index:AdmaBackend$aws:secretsmanager/secretVersion:SecretVersion::jwt",
            ],
        );
    });

    it("maps parents, dependencies and providers to real URNs", () => {
        const secretVersion = byType("aws:secretsmanager/secretVersion:SecretVersion");
        const urns = new Set(resources.map((resource) => resource.urn));
        for (const resource of resources) {
            assert.ok(resource.parent === undefined || urns.has(resource.parent), `${resource.urn} has a dangling parent`);
        }
        assert.deepStrictEqual(secretVersion.dependencies, [byType("random:index/randomPassword:RandomPassword").urn]);
        assert.deepStrictEqual(Object.keys(secretVersion.propertyDependencies ?? {}), ["secretString"]);
        assert.strictEqual(
            secretVersion.provider,
            `urn:pulumi:prod::adma::pulumi:providers:aws::default_7_48_0::${UNKNOWN_VALUE}`,
        );
        assert.strictEqual(byType("adma:index:AdmaBackend").provider, undefined);
    });

    it("gives a default provider its package's config, secret config sealed", () => {
        const provider = byType("pulumi:providers:aws");
        assert.strictEqual(provider.inputs.region, "eu-west-1");
        assert.strictEqual(provider.inputs.version, "7.48.0");
        assert.ok(isSecretEnvelope(provider.inputs.accessKey));
        assert.strictEqual(provider.inputs.dbName, undefined);
    });

    it("seals secret inputs, their outputs, additional secret outputs and any string carrying a secret", () => {
        const secretVersion = byType("aws:secretsmanager/secretVersion:SecretVersion");
        assert.ok(isSecretEnvelope(secretVersion.inputs.secretString));
        assert.ok(isSecretEnvelope(secretVersion.outputs.secretString));
        assert.ok(isSecretEnvelope(secretVersion.inputs.note));
        assert.ok(isSecretEnvelope(secretVersion.outputs.echoed));
        assert.strictEqual(secretVersion.inputs.later, UNKNOWN_VALUE);
        assert.ok(isSecretEnvelope(byType("random:index/randomPassword:RandomPassword").outputs.result));
        assert.ok(!JSON.stringify(document).includes(jwtValue));
        assert.ok(!JSON.stringify(document).includes("AKIAFAKE"));
    });

    it("keeps components' outputs and gives them no id or provider", () => {
        const stackResource = byType("pulumi:pulumi:Stack");
        assert.deepStrictEqual(stackResource.outputs, { arn: "arn:x" });
        assert.strictEqual(stackResource.id, undefined);
        assert.strictEqual(stackResource.custom, false);
    });
});

describe("offline preview: export URNs the mock monitor confuses", () => {
    it("gives same-named grandchildren under different ancestors their own URNs", () => {
        const mock = (qualifiedType: string, name: string) => `urn:pulumi:prod::adma::${qualifiedType}::${name}`;
        const bucket = mock("adma:index:Part$aws:s3/bucket:Bucket", "logs");
        const recorded = [
            record({ monitorUrn: mock("adma:index:Blue", "blue"), type: "adma:index:Blue", name: "blue", custom: false }),
            record({ monitorUrn: mock("adma:index:Green", "green"), type: "adma:index:Green", name: "green", custom: false }),
            record({ monitorUrn: mock("adma:index:Blue$adma:index:Part", "part"), type: "adma:index:Part", name: "part", custom: false, parentMonitorUrn: mock("adma:index:Blue", "blue") }),
            record({ monitorUrn: bucket, type: "aws:s3/bucket:Bucket", name: "logs", parentMonitorUrn: mock("adma:index:Blue$adma:index:Part", "part") }),
            record({ monitorUrn: mock("adma:index:Green$adma:index:Part", "part"), type: "adma:index:Part", name: "part", custom: false, parentMonitorUrn: mock("adma:index:Green", "green") }),
            record({ monitorUrn: bucket, type: "aws:s3/bucket:Bucket", name: "logs", parentMonitorUrn: mock("adma:index:Green$adma:index:Part", "part") }),
        ];
        const document = buildExportDocument(recorded, {
            ...IDENTITY,
            seal: createThrowawaySealer(),
            cliVersion: "v0",
            time: new Date(0),
            config: {},
            secretConfigKeys: [],
            secretValues: [],
        });
        const buckets = document.deployment.resources.filter((resource) => resource.type === "aws:s3/bucket:Bucket").map((resource) => resource.urn);
        assert.deepStrictEqual(buckets, [
            "urn:pulumi:prod::adma::adma:index:Blue$adma:index:Part$aws:s3/bucket:Bucket::logs",
            "urn:pulumi:prod::adma::adma:index:Green$adma:index:Part$aws:s3/bucket:Bucket::logs",
        ]);
    });
});
