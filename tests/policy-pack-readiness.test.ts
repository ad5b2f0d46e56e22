// Would `pulumi preview --policy-pack policy-pack` and `pulumi policy publish` accept the pack?
// Checks its project files, then loads the policy list the way the CLI receives it (the analyzer
// info @pulumi/policy builds for the CLI's GetAnalyzerInfo call) without `policy-pack/index.ts`,
// whose PolicyPack constructor starts the gRPC server. Each check is a function returning the
// problems it finds, and is also run on a broken copy to show it can fail.
//
// Config schemas are checked with ajv (draft-07, the JSON Schema version the CLI validates policy
// config with): a structural check would accept a misspelt keyword or a default of the wrong type.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import type { EnforcementLevel, Policy, PolicyConfigSchema } from "@pulumi/policy";
import { CORE_SCHEMA, load } from "js-yaml";
import { PACK_NAME } from "../policy-pack/lib/pack";
import { policies } from "../policy-pack/policies";

const PACK_DIR = path.resolve(__dirname, "..", "policy-pack");
const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const KEBAB_CASE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
// The server refuses other pack names (@pulumi/policy server.ts packNameRE).
const PACK_NAME_PATTERN = /^[a-zA-Z0-9-_.]{1,100}$/;

interface PackFiles {
    project: { runtime?: unknown; version?: unknown; main?: unknown };
    packageJson: { name?: string; version?: string; main?: string; dependencies?: Record<string, string> };
    /** The name index.ts gives its PolicyPack (policy-pack/lib/pack.ts). */
    packName: string;
}

function readPackFiles(): PackFiles {
    return {
        project: load(fs.readFileSync(path.join(PACK_DIR, "PulumiPolicy.yaml"), "utf8"), { schema: CORE_SCHEMA }) as PackFiles["project"],
        packageJson: JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")),
        packName: PACK_NAME,
    };
}

function packFileProblems(files: PackFiles): string[] {
    const problems: string[] = [];
    const runtime = files.project.runtime;
    const runtimeName = typeof runtime === "object" && runtime !== null ? (runtime as { name?: unknown }).name : runtime;
    if (runtimeName !== "nodejs") {
        problems.push(`PulumiPolicy.yaml: runtime must be nodejs, got ${JSON.stringify(runtime)}`);
    }
    const version = files.packageJson.version;
    if (!version || !SEMVER.test(version)) {
        problems.push(`package.json: version must be a semantic version (PolicyPack refuses to start without one), got ${version}`);
    }
    // PulumiPolicy.yaml's version overrides package.json's when set: they must agree, or the
    // published version differs from the one the policy-v<version> tag was checked against.
    if (files.project.version === undefined) {
        problems.push("PulumiPolicy.yaml: no version (it should carry the pack's version, as package.json does)");
    } else if (String(files.project.version) !== version) {
        problems.push(`PulumiPolicy.yaml: version ${files.project.version} differs from package.json's ${version}`);
    }
    const main = files.packageJson.main ?? "index.js";
    if (!fs.existsSync(path.join(PACK_DIR, main))) {
        problems.push(`package.json: main ${main} does not exist`);
    }
    for (const dependency of ["@pulumi/policy", "@pulumi/pulumi"]) {
        if (!files.packageJson.dependencies?.[dependency]) {
            problems.push(`package.json: ${dependency} must be a dependency (the published pack installs only its own)`);
        }
    }
    if (!PACK_NAME_PATTERN.test(files.packName)) {
        problems.push(`lib/pack.ts: policy pack name ${files.packName} is not ${PACK_NAME_PATTERN}`);
    }
    return problems;
}

function policyListProblems(list: readonly Policy[]): string[] {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const policy of list) {
        const name = policy.name;
        if (seen.has(name)) {
            problems.push(`${name}: the name is used twice`);
        }
        seen.add(name);
        if (!KEBAB_CASE.test(name)) {
            problems.push(`${name}: the name is not kebab-case`);
        }
        if (name === "all") {
            problems.push(`${name}: "all" is reserved by the CLI`);
        }
        if (typeof policy.description !== "string" || policy.description.trim().length < 10) {
            problems.push(`${name}: needs a description (it is what a violation report shows)`);
        }
        if (policy.enforcementLevel === undefined || !ENFORCEMENT_LEVELS.includes(policy.enforcementLevel)) {
            problems.push(`${name}: enforcement level ${policy.enforcementLevel} is not one of ${ENFORCEMENT_LEVELS.join(", ")}`);
        }
        if (!("validateResource" in policy) && !("validateStack" in policy)) {
            problems.push(`${name}: neither a resource nor a stack policy`);
        }
        if (policy.configSchema) {
            problems.push(...configSchemaProblems(name, policy.configSchema));
        }
    }
    return problems;
}

/** The policy's config schema as the CLI validates `pulumi policy enable --config` against it. */
function configSchemaProblems(policyName: string, schema: PolicyConfigSchema): string[] {
    const problems: string[] = [];
    const properties = schema.properties ?? {};
    if ("enforcementLevel" in properties || schema.required?.includes("enforcementLevel")) {
        problems.push(`${policyName}: enforcementLevel is reserved and must not appear in the config schema`);
    }
    const ajv = new Ajv({ allErrors: true, strictKeywords: true, strictDefaults: true });
    const objectSchema = { type: "object", properties, ...(schema.required && { required: schema.required }) };
    if (!ajv.validateSchema(objectSchema)) {
        return [...problems, `${policyName}: config schema is not valid JSON Schema: ${ajv.errorsText(ajv.errors)}`];
    }
    try {
        ajv.compile(objectSchema);
    } catch (error) {
        return [...problems, `${policyName}: config schema does not compile: ${(error as Error).message}`];
    }
    for (const [property, propertySchema] of Object.entries(properties)) {
        if (!propertySchema.description) {
            problems.push(`${policyName}.${property}: needs a description (the Pulumi Cloud console shows it)`);
        }
        if ("default" in propertySchema && !ajv.validate(propertySchema, propertySchema.default)) {
            problems.push(`${policyName}.${property}: default does not match its schema: ${ajv.errorsText(ajv.errors)}`);
        }
    }
    return problems;
}

/**
 * A `pulumi policy enable --config` document: policy name to an enforcement level, or to an object
 * of its enforcement level and settings. Unknown names and settings are problems: the CLI would
 * ignore a misspelt one, and the setting it was meant to change would silently keep its default.
 */
function policyConfigProblems(config: Record<string, unknown>, list: readonly Policy[]): string[] {
    const problems: string[] = [];
    const ajv = new Ajv({ allErrors: true });
    for (const [name, value] of Object.entries(config)) {
        const policy = list.find((p) => p.name === name);
        if (!policy) {
            problems.push(`${name}: no such policy in the pack`);
            continue;
        }
        const { enforcementLevel, ...settings } = typeof value === "string" ? { enforcementLevel: value } : (value as Record<string, unknown>);
        if (enforcementLevel !== undefined && !ENFORCEMENT_LEVELS.includes(enforcementLevel as EnforcementLevel)) {
            problems.push(`${name}: enforcementLevel ${JSON.stringify(enforcementLevel)} is not one of ${ENFORCEMENT_LEVELS.join(", ")}`);
        }
        const properties = policy.configSchema?.properties ?? {};
        for (const setting of Object.keys(settings).filter((key) => !(key in properties))) {
            problems.push(`${name}: no setting ${setting} (settings: ${Object.keys(properties).join(", ") || "none"})`);
        }
        const schema = { type: "object", properties, ...(policy.configSchema?.required && { required: policy.configSchema.required }) };
        if (!ajv.validate(schema, settings)) {
            problems.push(`${name}: ${ajv.errorsText(ajv.errors)}`);
        }
    }
    return problems;
}

/** The example `policy-config.json` of docs/ci.md (the first JSON block after its mention). */
function documentedPolicyConfig(): Record<string, unknown> {
    const doc = fs.readFileSync(path.resolve(__dirname, "..", "docs", "ci.md"), "utf8");
    const after = doc.slice(doc.indexOf("An example `policy-config.json`"));
    const block = /```json\n([\s\S]*?)```/.exec(after);
    assert.ok(block, "docs/ci.md has no example policy-config.json block");
    return JSON.parse(block[1]);
}

interface AnalyzerPolicy {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    configProperties?: Record<string, unknown>;
}

// protoutil is @pulumi/policy's internal module that turns the pack into the analyzer info the
// CLI reads; it is plain protobuf building, no server.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const protoutil = require("@pulumi/policy/protoutil") as {
    makeAnalyzerInfo(name: string, version: string, level: EnforcementLevel, args: { policies: readonly Policy[] }): {
        getPoliciesList(): Array<{
            getName(): string;
            getDescription(): string;
            getEnforcementlevel(): number;
            getConfigschema(): { getProperties(): { toJavaScript(): Record<string, unknown> } | undefined } | undefined;
        }>;
    };
    convertEnforcementLevel(level: number): EnforcementLevel;
};

function analyzerPolicies(name: string, version: string, list: readonly Policy[]): AnalyzerPolicy[] {
    return protoutil
        .makeAnalyzerInfo(name, version, "mandatory", { policies: list })
        .getPoliciesList()
        .map((info) => ({
            name: info.getName(),
            description: info.getDescription(),
            enforcementLevel: protoutil.convertEnforcementLevel(info.getEnforcementlevel()),
            configProperties: info.getConfigschema()?.getProperties()?.toJavaScript(),
        }));
}

describe("policy pack readiness", () => {
    const files = readPackFiles();

    it("has a nodejs PulumiPolicy.yaml and a package.json with the pack's version and dependencies", () => {
        assert.deepEqual(packFileProblems(files), []);
        const broken: PackFiles = {
            project: { runtime: "python", version: "9.9.9" },
            packageJson: { version: "", main: "missing.ts", dependencies: {} },
            packName: "adma security",
        };
        const problems = packFileProblems(broken).join("\n");
        for (const expected of [/runtime must be nodejs/, /version must be a semantic version/, /differs from package.json/,
            /main missing.ts does not exist/, /@pulumi\/policy must be a dependency/, /pack name adma security/]) {
            assert.match(problems, expected);
        }
        assert.match(packFileProblems({ ...files, project: { runtime: "nodejs" } }).join(), /PulumiPolicy.yaml: no version/);
    });

    it("is named adma-security, the name docs/ci.md enables org-wide", () => {
        assert.equal(files.packName, "adma-security");
    });

    it("exports uniquely named, described policies with enforcement levels and valid config schemas", () => {
        assert.ok(policies.length >= 4, `expected the pack's policies, got ${policies.length}`);
        assert.deepEqual(policyListProblems(policies), []);
    });

    it("reports each kind of broken policy", () => {
        const [first, second] = policies;
        const schemaPolicy = policies.find((policy) => policy.configSchema) as Policy;
        const [property, propertySchema] = Object.entries(schemaPolicy.configSchema?.properties ?? {})[0];
        const broken: Policy[] = [
            first,
            { ...second, name: first.name },
            { ...second, name: "NoWildcards" },
            { ...second, name: "no-description", description: "" },
            { ...second, name: "no-level", enforcementLevel: undefined },
            { ...schemaPolicy, name: "bad-type", configSchema: { properties: { [property]: { ...propertySchema, type: "strnig" as "string" } } } },
            { ...schemaPolicy, name: "typo-keyword", configSchema: { properties: { [property]: Object.assign({ minimun: 3 }, propertySchema) } } },
            { ...schemaPolicy, name: "bad-default", configSchema: { properties: { [property]: { ...propertySchema, default: { not: "right" } } } } },
            { ...schemaPolicy, name: "reserved", configSchema: { properties: { enforcementLevel: { type: "string", description: "x" } } } },
        ];
        const problems = policyListProblems(broken).join("\n");
        for (const expected of [
            new RegExp(`${first.name}: the name is used twice`),
            /NoWildcards: the name is not kebab-case/,
            /no-description: needs a description/,
            /no-level: enforcement level undefined/,
            /bad-type: config schema is not valid JSON Schema/,
            /typo-keyword: config schema does not compile/,
            new RegExp(`bad-default.${property}: default does not match its schema`),
            /reserved: enforcementLevel is reserved/,
        ]) {
            assert.match(problems, expected);
        }
    });

    it("hands the CLI the same policies through the analyzer info, without starting a server", () => {
        const loaded = analyzerPolicies(PACK_NAME, String(files.packageJson.version), policies);
        assert.deepEqual(
            loaded.map(({ name, description, enforcementLevel }) => ({ name, description, enforcementLevel })),
            policies.map(({ name, description, enforcementLevel }) => ({ name, description, enforcementLevel })),
        );
        for (const policy of policies.filter((p) => p.configSchema)) {
            const info = loaded.find((p) => p.name === policy.name);
            assert.deepEqual(info?.configProperties, policy.configSchema?.properties, policy.name);
        }
    });

    it("accepts the example policy config of docs/ci.md, and would reject a broken one", () => {
        const config = documentedPolicyConfig();
        assert.ok(Object.keys(config).length > 0);
        assert.deepEqual(policyConfigProblems(config, policies), []);
        const broken = {
            "no-such-policy": "mandatory",
            "secret-recovery-window": { minimumDays: "14" },
            "no-wildcard-resource": { enforcementLevel: "warn", exemptAction: [] },
        };
        const problems = policyConfigProblems(broken, policies).join("\n");
        assert.match(problems, /no-such-policy: no such policy/);
        assert.match(problems, /secret-recovery-window: data.minimumDays should be integer/);
        assert.match(problems, /no-wildcard-resource: enforcementLevel "warn" is not one of/);
        assert.match(problems, /no-wildcard-resource: no setting exemptAction \(settings: exemptActions\)/);
    });
});
