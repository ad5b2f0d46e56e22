import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildExportDocument, collectSecretValues, ExportOptions, ExportResource } from "../tools/preview/export-document";
import { formatPolicyReport, hasMandatoryViolation } from "../tools/preview/policy-report";
import type { MonitorRegistration } from "../tools/preview/resource-recorder";
import {
    createThrowawaySealer,
    isSecretEnvelope,
    plaintextEnvelope,
    SECRET_SIGNATURE,
    SIGNATURE_KEY,
    UNKNOWN_VALUE,
    wireSecret,
} from "../tools/preview/secret-envelope";
import { findProjectDir, listStacks, loadStackConfig, securePlaceholder } from "../tools/preview/stack-config";
import { formatPreview } from "../tools/preview/tree";
import { childUrn, parseUrn } from "../tools/preview/urn";

const FIXTURE = path.join(__dirname, "fixtures", "offline-project");

/** A throwaway project directory with the given Pulumi.yaml and Pulumi.<stack>.yaml texts. */
function projectWith(projectYaml: string, stackYamls: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-config-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), projectYaml);
    for (const [stack, text] of Object.entries(stackYamls)) {
        fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
    }
    return dir;
}
const IDENTITY = { project: "adma", stack: "prod" };

describe("offline preview: URNs", () => {
    const stackUrn = "urn:pulumi:prod::adma::pulumi:pulumi:Stack::adma-prod";

    it("leaves the root stack's type out of its children's URNs, as the engine does", () => {
        assert.strictEqual(
            childUrn(IDENTITY, stackUrn, "adma:index:AdmaBackend", "backend"),
            "urn:pulumi:prod::adma::adma:index:AdmaBackend::backend",
        );
    });

    it("chains every ancestor's type below the stack", () => {
        const backend = childUrn(IDENTITY, stackUrn, "adma:index:AdmaBackend", "backend");
        const database = childUrn(IDENTITY, backend, "adma:index:Database", "db");
        assert.strictEqual(
            childUrn(IDENTITY, database, "aws:rds/instance:Instance", "postgres"),
            "urn:pulumi:prod::adma::adma:index:AdmaBackend$adma:index:Database$aws:rds/instance:Instance::postgres",
        );
    });

    it("parses a URN whose name contains '::' and rejects a non-URN", () => {
        const parsed = parseUrn("urn:pulumi:prod::adma::a:b:C$aws:ssm/parameter:Parameter::/adma::odd");
        assert.deepStrictEqual(parsed, {
            stack: "prod",
            project: "adma",
            qualifiedType: "a:b:C$aws:ssm/parameter:Parameter",
            type: "aws:ssm/parameter:Parameter",
            name: "/adma::odd",
        });
        assert.throws(() => parseUrn("arn:aws:iam::123456789012:role/x"), /not a Pulumi URN/);
    });
});

describe("offline preview: secret envelopes", () => {
    it("seals with real, non-repeating ciphertext in Pulumi's envelope", () => {
        const seal = createThrowawaySealer();
        const first = seal("hunter2-hunter2");
        const second = seal("hunter2-hunter2");
        assert.ok(isSecretEnvelope(first));
        assert.strictEqual(first[SIGNATURE_KEY], SECRET_SIGNATURE);
        assert.match(first.ciphertext, /^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
        assert.notStrictEqual(first.ciphertext, second.ciphertext);
        assert.ok(!JSON.stringify(first).includes("hunter2"));
        assert.ok(!Buffer.from(first.ciphertext.split(":")[2], "base64").toString("latin1").includes("hunter2"));
    });

    it("keeps the JSON of the value in a plaintext envelope (for the in-memory policy document)", () => {
        const envelope = plaintextEnvelope({ password: "p" });
        assert.deepStrictEqual(JSON.parse(envelope.plaintext), { password: "p" });
        assert.ok(!isSecretEnvelope(envelope));
    });
});

describe("offline preview: stack config", () => {
    it("finds the project as the Pulumi CLI does: the nearest folder at or above the given one holding Pulumi.yaml", () => {
        const dir = projectWith("name: p\nruntime: nodejs\n", {});
        fs.mkdirSync(path.join(dir, "a", "b"), { recursive: true });
        assert.strictEqual(findProjectDir(path.join(dir, "a", "b")), dir);
        assert.strictEqual(findProjectDir(dir), dir);
        const outside = fs.mkdtempSync(path.join(os.tmpdir(), "no-project-"));
        assert.strictEqual(findProjectDir(outside), outside);
    });

    it("lists the stacks that have a Pulumi.<stack>.yaml", () => {
        assert.deepStrictEqual(listStacks(FIXTURE), ["badconfig", "good", "violating"]);
    });

    it("merges project defaults with stack values under namespaced keys, structured values as JSON", () => {
        const config = loadStackConfig(FIXTURE, "good");
        assert.strictEqual(config.project, "fixture");
        assert.strictEqual(config.config["fixture:jwtLength"], "64");
        assert.strictEqual(config.config["fixture:plaintextDbPassword"], "false");
        assert.strictEqual(config.config["aws:region"], "eu-west-1");
        assert.strictEqual(config.config["fixture:dbName"], "urlshortener");
        assert.deepStrictEqual(JSON.parse(config.config["fixture:tags"]), { team: "platform", "cost-center": "42" });
        assert.strictEqual(loadStackConfig(FIXTURE, "badconfig").config["fixture:jwtLength"], "16");
    });

    it("replaces a secure value by a marked placeholder and treats the key as secret", () => {
        const config = loadStackConfig(FIXTURE, "good");
        assert.strictEqual(config.config["fixture:apiToken"], securePlaceholder("fixture:apiToken"));
        assert.deepStrictEqual(config.secretKeys, ["fixture:apiToken"]);
        assert.deepStrictEqual(config.placeholderKeys, ["fixture:apiToken"]);
        assert.ok(!JSON.stringify(config).includes("ZmFrZS1jaXBoZXJ0ZXh0"));
    });

    it("reads every form of project declaration and bare stack keys", () => {
        const project = [
            "name: p",
            "runtime: nodejs",
            "config:",
            "  shorthand: 5",
            "  declared: { type: string, default: d }",
            "  required: { type: string, description: set by each stack }",
            "  aws:region: { value: eu-central-1 }",
            "  structured: { a: 1 }",
        ].join("\n");
        const dir = projectWith(project, { dev: "config:\n  p:required: r\n  bare: [1, 2]\n" });
        assert.deepStrictEqual(loadStackConfig(dir, "dev").config, {
            "p:shorthand": "5",
            "p:declared": "d",
            "aws:region": "eu-central-1",
            "p:structured": '{"a":1}',
            "p:required": "r",
            "p:bare": "[1,2]",
        });
    });

    it("reads YAML 1.2 core scalars: a date stays its text, yes/on stay strings, true is a boolean", () => {
        const dir = projectWith("name: p\nruntime: nodejs\n", { dev: "config:\n  since: 2024-01-02\n  answer: yes\n  on: on\n  flag: true\n" });
        assert.deepStrictEqual(loadStackConfig(dir, "dev").config, {
            "p:since": "2024-01-02",
            "p:answer": "yes",
            "p:on": "on",
            "p:flag": "true",
        });
    });

    it("names the file in a duplicate key or a syntax error, with the line and column", () => {
        const dir = projectWith("name: p\nruntime: nodejs\n", { dup: "config:\n  p:a: 1\n  p:a: 2\n", bad: "config:\n  p:a: [1, 2\n" });
        assert.throws(() => loadStackConfig(dir, "dup"), /^Error: cannot read .*Pulumi\.dup\.yaml: duplicated mapping key \(3:3\)/);
        assert.throws(() => loadStackConfig(dir, "bad"), /^Error: cannot read .*Pulumi\.bad\.yaml: .+ \(\d+:\d+\)/);
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: p\nname: q\n");
        assert.throws(() => loadStackConfig(dir, "dup"), /^Error: cannot read .*[\\/]Pulumi\.yaml: duplicated mapping key/);
    });

    it("names the existing stacks when the stack is unknown, and refuses path-like names", () => {
        assert.throws(() => loadStackConfig(FIXTURE, "prodd"), /unknown stack "prodd".*existing stacks: badconfig, good, violating/);
        assert.throws(() => loadStackConfig(FIXTURE, "../offline-project/good"), /unknown stack/);
    });
});

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

describe("offline preview: tree", () => {
    const urn = (qualifiedType: string, name: string) => `urn:pulumi:prod::adma::${qualifiedType}::${name}`;
    const resource = (qualifiedType: string, name: string, parent?: string, outputs: Record<string, unknown> = {}): ExportResource => ({
        urn: urn(qualifiedType, name),
        custom: !qualifiedType.startsWith("adma") && !qualifiedType.startsWith("pulumi:pulumi"),
        type: qualifiedType.split("$").pop() as string,
        inputs: {},
        outputs,
        parent,
    });
    const stack = resource("pulumi:pulumi:Stack", "adma-prod", undefined, {
        clusterName: "adma-prod-ecs",
        jwtSecret: createThrowawaySealer()("s3cr3t-value"),
        dbEndpoint: UNKNOWN_VALUE,
        names: { db: "adma-prod-postgres", password: plaintextEnvelope("plain-s3cr3t") },
    });
    const backend = resource("adma:index:AdmaBackend", "backend", stack.urn);
    const resources = [
        stack,
        resource("pulumi:providers:aws", "default_7_48_0"),
        backend,
        resource("adma:index:AdmaBackend$aws:kms/key:Key", "key", backend.urn),
        resource("adma:index:AdmaBackend$aws:rds/instance:Instance", "postgres", backend.urn),
        resource("aws:ssm/parameter:Parameter", "base-url", stack.urn),
    ];

    it("prints types indented under their parents, names, plans, outputs and the summary", () => {
        assert.strictEqual(
            formatPreview(resources),
            [
                "     Type                             Name       Plan",
                " +   pulumi:pulumi:Stack              adma-prod  create",
                " +   ├─ adma:index:AdmaBackend        backend    create",
                " +   │  ├─ aws:kms/key:Key            key        create",
                " +   │  └─ aws:rds/instance:Instance  postgres   create",
                " +   └─ aws:ssm/parameter:Parameter   base-url   create",
                "",
                "Outputs:",
                '    clusterName: "adma-prod-ecs"',
                "    jwtSecret  : [secret]",
                "    dbEndpoint : output<string>",
                '    names      : {"db":"adma-prod-postgres","password":"[secret]"}',
                "",
                "Resources:",
                "    + 5 to create",
            ].join("\n"),
        );
    });
});

describe("offline preview: policy report", () => {
    const urn = "urn:pulumi:prod::adma::adma:index:AdmaBackend$aws:rds/instance:Instance::postgres";
    const pack = { name: "adma-security", version: "0.1.0" };

    it("groups violations under the pack, mandatory first, and masks secret values", () => {
        const report = formatPolicyReport(
            [
                { policyName: "secret-recovery-window", urn, message: "advice", enforcementLevel: "advisory" },
                { policyName: "no-plaintext-db-password", urn, message: "password p4ssw0rd-x is set\nuse manageMasterUserPassword", enforcementLevel: "mandatory" },
                { policyName: "ignored", urn, message: "off", enforcementLevel: "disabled" },
            ],
            pack,
            ["p4ssw0rd-x"],
        );
        assert.strictEqual(
            report,
            [
                "Policies:",
                "    ❌ adma-security@v0.1.0 (local: policy-pack)",
                "        - [mandatory]  no-plaintext-db-password  (aws:rds/instance:Instance: postgres)",
                "          password [secret] is set",
                "          use manageMasterUserPassword",
                "        - [advisory]  secret-recovery-window  (aws:rds/instance:Instance: postgres)",
                "          advice",
            ].join("\n"),
        );
    });

    it("marks a clean run and an advisory-only run, and only mandatory violations fail", () => {
        assert.match(formatPolicyReport([], pack, []), /✅ adma-security@v0\.1\.0/);
        const advisory = [{ policyName: "p", urn: "", message: "m", enforcementLevel: "advisory" as const }];
        assert.match(formatPolicyReport(advisory, pack, []), /⚠️ adma-security[^\n]*\n {8}- \[advisory\] {2}p\n/);
        assert.strictEqual(hasMandatoryViolation(advisory), false);
        assert.strictEqual(hasMandatoryViolation([{ ...advisory[0], enforcementLevel: "mandatory" }]), true);
    });
});
