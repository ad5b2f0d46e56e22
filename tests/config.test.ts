import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { CORE_SCHEMA, load } from "js-yaml";
import { AdmaConfigError, CONFIG_DEFAULTS, CONFIG_KEYS, REQUIRED_KEYS, loadAdmaConfig } from "../lib/config";
import { MINIMAL_CONFIG, ROOT, configFrom, configProblems as problems, stackConfigValues } from "./harness";

function assertRejected(values: Record<string, string | undefined>, ...fragments: string[]): void {
    const found = problems(values);
    assert.strictEqual(found.length, 1, `expected one problem, got: ${JSON.stringify(found)}`);
    for (const fragment of fragments) {
        assert.ok(found[0].includes(fragment), `"${found[0]}" should mention "${fragment}"`);
    }
}

describe("config: loading", () => {
    it("applies the documented defaults to a minimal config", () => {
        const config = configFrom(MINIMAL_CONFIG);
        assert.strictEqual(config.projectName, "adma");
        assert.deepStrictEqual(config.jwt, { length: 64, generation: 1, recoveryWindowDays: 7 });
        assert.deepStrictEqual(config.kms, { mode: "aws-managed" });
        assert.deepStrictEqual(config.network.vpc, { mode: "create", cidrBlock: "10.0.0.0/16", natGateways: "Single" });
        assert.strictEqual(config.database.name, "urlshortener");
        assert.strictEqual(config.database.username, "appuser");
        assert.strictEqual(config.backend.enableEcsExec, false);
        assert.strictEqual(config.protectData, true);
    });

    it("loads the prod stack file: eu-west-1, prod guards on, exec off, customer key", () => {
        const file = load(fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8"), { schema: CORE_SCHEMA }) as { config: Record<string, unknown> };
        assert.strictEqual(file.config["aws:region"], "eu-west-1");
        const config = configFrom(stackConfigValues("prod"));
        assert.strictEqual(config.environment, "prod");
        assert.strictEqual(config.backend.enableEcsExec, false);
        assert.strictEqual(config.protectData, true);
        assert.strictEqual(config.database.deletionProtection, true);
        assert.strictEqual(config.database.finalSnapshot, true);
        assert.ok(config.database.backupRetentionDays > 0);
        assert.deepStrictEqual(config.kms, { mode: "create" });
        assert.strictEqual(config.database.name, "urlshortener");
    });

    for (const stack of ["staging", "dev"]) {
        it(`loads the ${stack} stack file`, () => {
            assert.strictEqual(configFrom(stackConfigValues(stack)).environment, stack);
        });
    }

    it("reads arrays as pulumi.Config.get returns them (JSON) and treats empty defaults as unset", () => {
        const existing = configFrom({ ...MINIMAL_CONFIG, vpcId: "vpc-0123456789abcdef0", privateSubnetIds: '["subnet-0123456789abcdef0","subnet-0123456789abcdef1"]' });
        assert.deepStrictEqual(existing.network.vpc, {
            mode: "existing", vpcId: "vpc-0123456789abcdef0", privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
        });
        const unset = configFrom({ ...MINIMAL_CONFIG, vpcId: "", privateSubnetIds: "[]", secretsKmsKeyArn: "" });
        assert.strictEqual(unset.network.vpc.mode, "create");
        assert.strictEqual(unset.kms.mode, "aws-managed");
    });
});

describe("config: Pulumi.yaml schema", () => {
    const schema = (load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"), { schema: CORE_SCHEMA }) as { config: Record<string, { type: string; default?: unknown; description?: string }> }).config;

    it("declares exactly the keys the loader reads, each with a description", () => {
        assert.deepStrictEqual(Object.keys(schema).sort(), [...CONFIG_KEYS].sort());
        for (const [key, declaration] of Object.entries(schema)) {
            assert.ok(declaration.description, `${key} has no description`);
        }
    });

    it("has the loader's defaults, with matching types; required keys have none", () => {
        for (const [key, value] of Object.entries(CONFIG_DEFAULTS)) {
            assert.deepStrictEqual(schema[key].default, value, `default of ${key}`);
            const type = Array.isArray(value) ? "array" : typeof value === "number" ? "integer" : typeof value;
            assert.strictEqual(schema[key].type, type, `type of ${key}`);
        }
        for (const key of REQUIRED_KEYS) {
            assert.strictEqual(schema[key].default, undefined, `${key} must be required`);
        }
    });

    it("stack files set only declared keys", () => {
        for (const stack of ["prod", "staging", "dev"]) {
            for (const key of Object.keys(stackConfigValues(stack))) {
                assert.ok(CONFIG_KEYS.includes(key), `Pulumi.${stack}.yaml sets unknown key adma:${key}`);
            }
        }
    });
});

describe("config: every invalid setting is rejected with the key and the allowed values", () => {
    it("missing required keys", () => {
        const found = (() => {
            try {
                loadAdmaConfig(() => undefined);
            } catch (error) {
                return (error as AdmaConfigError).problems;
            }
            return [];
        })();
        for (const key of REQUIRED_KEYS) {
            assert.ok(found.some((p) => p.startsWith(`adma:${key}: required`)), `${key} not reported: ${JSON.stringify(found)}`);
        }
        assert.ok(found.some((p) => p.includes("one of dev, staging, prod")));
    });

    it("reports every problem at once, in one error naming the stack config", () => {
        const found = problems({ environment: "production", jwtSecretLength: "16" });
        assert.strictEqual(found.length, 2);
        assert.throws(() => configFrom({ ...MINIMAL_CONFIG, jwtSecretLength: "16" }), /Invalid stack configuration \(nothing was created\)/);
    });

    const cases: Array<[string, Record<string, string>, string[]]> = [
        ["unknown environment", { environment: "production" }, ["adma:environment", "dev, staging, prod", "production"]],
        ["Fargate cpu not offered", { backendTaskCpu: "300" }, ["adma:backendTaskCpu", "256, 512, 1024"]],
        ["cpu/memory pair Fargate refuses", { backendTaskCpu: "256", backendTaskMemory: "4096" }, ["adma:backendTaskMemory", "512, 1024, 2048"]],
        ["cpu/memory pair outside a stepped range", { backendTaskCpu: "1024", backendTaskMemory: "1024" }, ["adma:backendTaskMemory", "2048..8192 in steps of 1024"]],
        ["JWT secret shorter than 32", { jwtSecretLength: "31" }, ["adma:jwtSecretLength", ">= 32"]],
        ["JWT generation below 1", { jwtSecretGeneration: "0" }, ["adma:jwtSecretGeneration", ">= 1"]],
        ["non-integer number", { backendDesiredCount: "two" }, ["adma:backendDesiredCount", "an integer"]],
        ["non-boolean flag", { enableEcsExec: "yes" }, ["adma:enableEcsExec", "true or false"]],
        ["ECS Exec in prod without override", { environment: "prod", enableEcsExec: "true" }, ["adma:enableEcsExec", "adma:allowEcsExecInProd=true"]],
        ["malformed KMS key ARN", { secretsKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:alias/adma" }, ["adma:secretsKmsKeyArn", "key/<key-id>"]],
        ["KMS key from a non-KMS ARN", { secretsKmsKeyArn: "arn:aws:iam::123456789012:role/x" }, ["adma:secretsKmsKeyArn"]],
        ["both KMS options", { createSecretsKmsKey: "true", secretsKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" }, ["mutually exclusive"]],
        ["vpcId without subnets", { vpcId: "vpc-0123456789abcdef0" }, ["adma:vpcId", "adma:privateSubnetIds", "set both"]],
        ["subnets without vpcId", { privateSubnetIds: '["subnet-0123456789abcdef0","subnet-0123456789abcdef1"]' }, ["set both"]],
        ["malformed VPC id", { vpcId: "vpc-xyz", privateSubnetIds: '["subnet-0123456789abcdef0","subnet-0123456789abcdef1"]' }, ["adma:vpcId", "vpc-xxxxxxxx"]],
        ["malformed subnet list", { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: "subnet-1" }, ["adma:privateSubnetIds", "a list of subnet ids"]],
        ["a single private subnet", { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: '["subnet-0123456789abcdef0"]' }, ["at least 2"]],
        ["CIDR out of range", { vpcCidrBlock: "10.0.0.0/8" }, ["adma:vpcCidrBlock", "/16 to /24"]],
        ["unknown NAT strategy", { natGateways: "None" }, ["adma:natGateways", "Single, OnePerAz"]],
        ["non-https app URL", { appBaseUrl: "http://adma.example.com" }, ["adma:appBaseUrl", "https://"]],
        ["image repository with a tag", { backendRepositoryUrl: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/adma:1.0" }, ["adma:backendRepositoryUrl", "without tag"]],
        ["invalid image tag", { backendImageTag: "v1 final" }, ["adma:backendImageTag"]],
        ["reserved DB username", { dbUsername: "rdsadmin" }, ["adma:dbUsername", "rdsadmin"]],
        ["invalid DB name", { dbName: "url-shortener" }, ["adma:dbName"]],
        ["old or malformed engine version", { dbEngineVersion: "9.6" }, ["adma:dbEngineVersion", "major 13 or later"]],
        ["invalid instance class", { dbInstanceClass: "t4g.micro" }, ["adma:dbInstanceClass", "db.t4g.micro"]],
        ["backup retention above 35", { dbBackupRetentionDays: "36" }, ["adma:dbBackupRetentionDays", "<= 35"]],
        ["storage below 20 GiB", { dbAllocatedStorage: "10" }, ["adma:dbAllocatedStorage", ">= 20"]],
        ["log retention CloudWatch refuses", { logRetentionDays: "10" }, ["adma:logRetentionDays", "7, 14, 30"]],
        ["invalid container port", { backendContainerPort: "70000" }, ["adma:backendContainerPort", "<= 65535"]],
        ["relative health check path", { backendHealthCheckPath: "health" }, ["adma:backendHealthCheckPath"]],
        ["invalid project name", { projectName: "ADMA" }, ["adma:projectName"]],
    ];
    for (const [title, values, fragments] of cases) {
        it(title, () => assertRejected(values, ...fragments));
    }

    it("accepts ECS Exec in prod with the explicit override, and outside prod without it", () => {
        assert.deepStrictEqual(problems({ environment: "prod", enableEcsExec: "true", allowEcsExecInProd: "true" }), []);
        assert.deepStrictEqual(problems({ environment: "dev", enableEcsExec: "true" }), []);
    });
});
