/**
 * The pack as the Pulumi CLI loads it (`pulumi preview --policy-pack policy-pack`): its files,
 * its policy list, and the real @pulumi/policy server answering over gRPC, including the
 * preview-unknowns behaviour on the path the CLI uses.
 */
import * as assert from "assert";
import { readFileSync } from "fs";
import * as path from "path";
import { CORE_SCHEMA, load } from "js-yaml";
import { policies } from "../policies";
import { AuditResource } from "../audit/engine";
import { startEarly } from "./early-process";
import * as types from "../policies/resource-types";
import { UNKNOWN, container, policyDocument, readSecretStatement, resource, role, roleArn, rolePolicy, secretArn, taskDefinition } from "./helpers";

const PACK_DIR = path.resolve(__dirname, "..");

/* eslint-disable @typescript-eslint/no-require-imports */
const grpc = require("@grpc/grpc-js");
const analyzerRpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const analyzerProto = require("@pulumi/pulumi/proto/analyzer_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

/** The parts of the generated protobuf messages the tests read. */
interface Named { getName(): string }
interface AnalyzerInfo extends Named { getPoliciesList(): Named[] }
interface Diagnostic { getPolicyname(): string; getEnforcementlevel(): number; getMessage(): string }
interface AnalyzeResponse { getDiagnosticsList(): Diagnostic[] }
type Callback = (error: Error | null, response: unknown) => void;

describe("policy pack", () => {
    it("has a PulumiPolicy.yaml for the nodejs runtime", () => {
        const manifest = load(readFileSync(path.join(PACK_DIR, "PulumiPolicy.yaml"), "utf8"), { schema: CORE_SCHEMA }) as { runtime?: unknown; description?: unknown };
        assert.strictEqual(manifest.runtime, "nodejs");
        assert.ok(typeof manifest.description === "string" && manifest.description.length > 0);
    });

    it("has a package.json that `pulumi policy publish` accepts", () => {
        const pkg = JSON.parse(readFileSync(path.join(PACK_DIR, "package.json"), "utf8"));
        assert.strictEqual(pkg.name, "adma-security-policy-pack");
        assert.match(pkg.version, /^\d+\.\d+\.\d+/);
        assert.ok(pkg.dependencies["@pulumi/policy"] && pkg.dependencies["@pulumi/pulumi"]);
    });

    it("lists uniquely named policies with descriptions, levels and consistent config defaults", () => {
        const names = policies.map((p) => p.name);
        assert.strictEqual(new Set(names).size, names.length);
        for (const policy of policies) {
            assert.match(policy.name, /^[a-z0-9-]+$/);
            assert.notStrictEqual(policy.name, "all");
            assert.ok(policy.description && policy.description.length > 20, policy.name);
            assert.ok(["advisory", "mandatory"].includes(policy.enforcementLevel!), policy.name);
            assert.ok(!policy.configSchema?.properties?.enforcementLevel, "enforcementLevel is reserved");
        }
        for (const fixed of ["no-secretsmanager-wildcard", "no-wildcard-resource", "no-plaintext-db-password", "no-jwt-secret-in-environment"]) {
            assert.ok(names.includes(fixed), fixed);
        }
    });

    describe("served by @pulumi/policy", function () {
        this.timeout(120_000);
        let client: { close(): void } & Record<string, (request: unknown, callback: Callback) => void>;
        const call = <T>(method: string, request: unknown) =>
            new Promise<T>((resolve, reject) => client[method](request, (error, response) => (error ? reject(error) : resolve(response as T))));

        // The pack's server starts with the file (tests/early-process.ts), beside the other tests.
        const pack = startEarly([process.execPath, "-r", "ts-node/register/transpile-only", "index.ts"], { cwd: PACK_DIR });

        before(async () => {
            const port = (await pack.firstStdoutLine).trim();
            assert.match(port, /^\d+$/);
            client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        });

        after(() => {
            client?.close();
            pack.child.kill();
        });

        it("describes every policy of the list to the CLI", async () => {
            const info = await call<AnalyzerInfo>("getAnalyzerInfo", new Empty());
            assert.strictEqual(info.getName(), "adma-security");
            assert.deepStrictEqual(info.getPoliciesList().map((p) => p.getName()), policies.map((p) => p.name));
        });

        async function analyze(type: string, properties: Record<string, unknown>) {
            const request = new analyzerProto.AnalyzeRequest();
            request.setType(type);
            request.setUrn(`urn:pulumi:test::adma::${type}::r`);
            request.setName("r");
            request.setProperties(Struct.fromJavaScript(properties));
            request.setOptions(new analyzerProto.AnalyzerResourceOptions());
            const response = await call<AnalyzeResponse>("analyze", request);
            return response.getDiagnosticsList().map((d) => ({ policy: d.getPolicyname(), level: d.getEnforcementlevel(), message: d.getMessage() }));
        }

        it("reports a violation through the real server", async () => {
            const diagnostics = await analyze("aws:iam/policy:Policy", { policy: JSON.stringify(policyDocument(readSecretStatement({ Action: "secretsmanager:*" }))) });
            assert.deepStrictEqual(diagnostics.map((d) => d.policy), ["no-secretsmanager-wildcard"]);
            assert.strictEqual(diagnostics[0].level, analyzerProto.EnforcementLevel.MANDATORY);
        });

        it("runs the stack policies, connecting resources by property dependency", async () => {
            const execution = role("execution", { arn: UNKNOWN, name: UNKNOWN });
            const grant = rolePolicy(UNKNOWN, policyDocument(readSecretStatement({ Resource: [secretArn("other")] })),
                { propertyDependencies: { role: [execution.urn] } });
            const task = taskDefinition([container()], { executionRoleArn: UNKNOWN, taskRoleArn: roleArn("task") }, "backend",
                { propertyDependencies: { executionRoleArn: [execution.urn] } });
            const request = new analyzerProto.AnalyzeStackRequest();
            const jwt = resource(types.SECRET, { name: "adma/prod/jwt-secret", arn: secretArn("adma/prod/jwt-secret") });
            request.setResourcesList([execution, grant, task, jwt].map((r: AuditResource) => {
                const resource = new analyzerProto.AnalyzerResource();
                resource.setType(r.type);
                resource.setUrn(r.urn);
                resource.setName(r.name);
                resource.setProperties(Struct.fromJavaScript(r.props));
                resource.setOptions(new analyzerProto.AnalyzerResourceOptions());
                for (const [property, urns] of Object.entries(r.propertyDependencies ?? {})) {
                    const dependencies = new analyzerProto.AnalyzerPropertyDependencies();
                    dependencies.setUrnsList(urns);
                    resource.getPropertydependenciesMap().set(property, dependencies);
                }
                return resource;
            }));
            const response = await call<AnalyzeResponse>("analyzeStack", request);
            const access = response.getDiagnosticsList().filter((d) => d.getPolicyname() === "execution-role-secret-access");
            assert.deepStrictEqual(access.map((d) => d.getEnforcementlevel()), [analyzerProto.EnforcementLevel.MANDATORY, analyzerProto.EnforcementLevel.MANDATORY]);
            assert.ok(access.some((d) => /JWT_SECRET/.test(d.getMessage())), "the referenced secret is not granted");
            assert.ok(access.some((d) => /no container of its task definitions references/.test(d.getMessage())), "another secret is granted");
        });

        it("checks the known values during preview and reports the unknown ones as advisory", async () => {
            const leaky = container({ name: "a", environment: [{ name: "JWT_SECRET", value: "x" }] });
            const diagnostics = await analyze("awsx:ecs:FargateTaskDefinition", { containers: { a: leaky, b: UNKNOWN } });
            const jwt = diagnostics.filter((d) => d.policy === "no-jwt-secret-in-environment");
            assert.deepStrictEqual(jwt.map((d) => d.level).sort(), [analyzerProto.EnforcementLevel.ADVISORY, analyzerProto.EnforcementLevel.MANDATORY].sort());
            assert.match(jwt.find((d) => d.level === analyzerProto.EnforcementLevel.ADVISORY)!.message, /containers\.b cannot be read yet/);
        });
    });
});
