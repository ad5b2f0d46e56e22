import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { CORE_SCHEMA, load } from "js-yaml";
import { AdmaConfigError, CONFIG_DEFAULTS, CONFIG_KEYS, ConfigContext, ENVIRONMENTS, REQUIRED_KEYS, loadAdmaConfig } from "../lib/config";
import { CONFIG_ARNS } from "../lib/config-arns";
import { listStacks } from "../tools/preview/stack-config";
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

    // Every stack file, however many there are (a new stack is only its Pulumi.<stack>.yaml).
    for (const stack of listStacks(ROOT)) {
        it(`loads the ${stack} stack file, whose environment is its name when its name is an environment`, () => {
            const { environment } = configFrom(stackConfigValues(stack));
            assert.ok((ENVIRONMENTS as readonly string[]).includes(stack) ? environment === stack : ENVIRONMENTS.includes(environment), environment);
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
        for (const stack of listStacks(ROOT)) {
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
        assert.throws(() => configFrom({ ...MINIMAL_CONFIG, jwtSecretLength: "16" }), /^AdmaConfigError: Pulumi\.<stack>\.yaml: invalid stack configuration \(nothing was created\):\n/);
    });

    const cases: Array<[string, Record<string, string>, string[]]> = [
        ["unknown environment", { environment: "production" }, ["adma:environment", "dev, staging, prod", "production"]],
        ["Fargate cpu not offered", { backendTaskCpu: "300" }, ["adma:backendTaskCpu", "256, 512, 1024"]],
        ["cpu/memory pair Fargate refuses", { backendTaskCpu: "256", backendTaskMemory: "4096" }, ["adma:backendTaskMemory", "512, 1024, 2048"]],
        ["cpu/memory pair outside a stepped range", { backendTaskCpu: "1024", backendTaskMemory: "1024" }, ["adma:backendTaskMemory", "2048..8192 in steps of 1024"]],
        ["JWT secret shorter than 32", { jwtSecretLength: "31" }, ["adma:jwtSecretLength", "from 32 to 4096"]],
        ["JWT generation below 1", { jwtSecretGeneration: "0" }, ["adma:jwtSecretGeneration", "of at least 1"]],
        ["non-integer number", { backendDesiredCount: "two" }, ["adma:backendDesiredCount", "an integer"]],
        ["non-boolean flag", { enableEcsExec: "yes" }, ["adma:enableEcsExec", "true or false"]],
        ["ECS Exec in prod without override", { environment: "prod", enableEcsExec: "true" }, ["adma:enableEcsExec", "adma:allowEcsExecInProd=true"]],
        ["malformed KMS key ARN", { secretsKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:alias/adma" }, ["adma:secretsKmsKeyArn", "not a KMS key's own ARN", "aws kms describe-key"]],
        ["KMS key from a non-KMS ARN", { secretsKmsKeyArn: "arn:aws:iam::123456789012:role/x" }, ["adma:secretsKmsKeyArn", "an ARN of the iam service, not of a KMS key"]],
        ["both KMS options", { createSecretsKmsKey: "true", secretsKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" }, ["mutually exclusive"]],
        ["vpcId without subnets", { vpcId: "vpc-0123456789abcdef0" }, ["adma:vpcId", "adma:privateSubnetIds", "set both"]],
        ["subnets without vpcId", { privateSubnetIds: '["subnet-0123456789abcdef0","subnet-0123456789abcdef1"]' }, ["set both"]],
        ["malformed VPC id", { vpcId: "vpc-xyz", privateSubnetIds: '["subnet-0123456789abcdef0","subnet-0123456789abcdef1"]' }, ["adma:vpcId", "vpc-xxxxxxxx"]],
        ["malformed subnet list", { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: "subnet-1" }, ["adma:privateSubnetIds", "a list of subnet ids"]],
        ["a single private subnet", { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: '["subnet-0123456789abcdef0"]' }, ["at least 2"]],
        ["CIDR out of range", { vpcCidrBlock: "10.0.0.0/8" }, ["adma:vpcCidrBlock", "/16 to /24"]],
        ["unknown NAT strategy", { natGateways: "Triple" }, ["adma:natGateways", "Single, OnePerAz, None"]],
        ["non-https app URL", { appBaseUrl: "http://adma.example.com" }, ["adma:appBaseUrl", "https://"]],
        ["image repository with a tag", { backendRepositoryUrl: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/adma:1.0" }, ["adma:backendRepositoryUrl", "without tag"]],
        ["invalid image tag", { backendImageTag: "v1 final" }, ["adma:backendImageTag"]],
        ["reserved DB username", { dbUsername: "rdsadmin" }, ["adma:dbUsername", "rdsadmin"]],
        ["invalid DB name", { dbName: "url-shortener" }, ["adma:dbName"]],
        ["old or malformed engine version", { dbEngineVersion: "9.6" }, ["adma:dbEngineVersion", "major 13 or later"]],
        ["invalid instance class", { dbInstanceClass: "t4g.micro" }, ["adma:dbInstanceClass", "db.t4g.micro"]],
        ["backup retention above 35", { dbBackupRetentionDays: "36" }, ["adma:dbBackupRetentionDays", "from 0 to 35"]],
        ["storage below 20 GiB", { dbAllocatedStorage: "10" }, ["adma:dbAllocatedStorage", "from 20 to 65536"]],
        ["log retention CloudWatch refuses", { logRetentionDays: "10" }, ["adma:logRetentionDays", "7, 14, 30"]],
        ["invalid container port", { backendContainerPort: "70000" }, ["adma:backendContainerPort", "from 1 to 65535"]],
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

describe("config: one message per mistake, in the user's terms, never repeating a secret", () => {
    it("says what a value is, not what it is not: a non-ARN KMS key is not called an alias", () => {
        assert.deepStrictEqual(problems({ secretsKmsKeyArn: "not-an-arn" }),
            ['adma:secretsKmsKeyArn: not the ARN of a KMS key (arn:<partition>:kms:<region>:<account>:key/<key-id>); got "not-an-arn"']);
    });

    it("repeats an integer as a number and text quoted", () => {
        assert.deepStrictEqual(problems({ backendDesiredCount: "300" }), ["adma:backendDesiredCount: expected an integer from 0 to 100, got 300"]);
        assert.deepStrictEqual(problems({ environment: "production" }), ['adma:environment: expected one of dev, staging, prod, got "production"']);
    });

    it("checks nothing against a value it refused: memory given in GB is one problem, not a second about a default", () => {
        assert.deepStrictEqual(problems({ backendTaskCpu: "1024", backendTaskMemory: "2GB" }),
            ['adma:backendTaskMemory: expected an integer number of MiB, at least 512 (2 GB is 2048), got "2GB"']);
        assert.deepStrictEqual(problems({ backendTaskCpu: "1000", backendTaskMemory: "2048" }), ["adma:backendTaskCpu: expected one of 256, 512, 1024, 2048, 4096, 8192, 16384, got 1000"]);
        assert.strictEqual(problems({ backendTaskCpu: "1024", backendTaskMemory: "1024" }).length, 1, "a valid pair check still runs");
    });

    it("never repeats the value of a key set as a secret, whatever is wrong with it", () => {
        const secret = "arn:aws:sns:us-east-1:123456789012:hidden-topic-name";
        const values = { appBaseUrl: "http://hidden.example.com", alarmTopicArn: secret, backendDesiredCount: "31337", environment: "hidden-env" };
        const found = problems(values, { region: "eu-west-1", isSecret: () => true });
        assert.deepStrictEqual(found.map((problem) => problem.split(":")[1]), ["environment", "appBaseUrl", "backendDesiredCount", "alarmTopicArn"]);
        for (const problem of found) {
            assert.match(problem, /the value set \(as a secret, so not shown\) is not$/);
            assert.ok(!/hidden|31337|us-east-1/.test(problem), problem);
        }
        assert.ok(problems(values, { region: "eu-west-1", isSecret: () => false }).some((problem) => problem.includes("hidden-topic-name")));
    });
});

describe("config: ARNs from configuration must work from the stack's region and partition (lib/config-arns.ts)", () => {
    const stack: ConfigContext = { region: "eu-west-1" };

    it("has a rule for every key that takes an ARN, with the reason and the source", () => {
        assert.deepStrictEqual(Object.keys(CONFIG_ARNS).sort(), CONFIG_KEYS.filter((key) => /Arn$/.test(key)).sort());
        for (const rule of Object.values(CONFIG_ARNS)) {
            assert.ok(rule.sameRegion.why && rule.sameRegion.source && rule.anyAccount.why && rule.anyAccount.source);
        }
    });

    it("refuses an alarm topic in another region: a CloudWatch alarm only notifies a topic in its own", () => {
        assert.deepStrictEqual(problems({ alarmTopicArn: "arn:aws:sns:us-east-1:123456789012:alarms" }, stack), [
            "adma:alarmTopicArn: in us-east-1, but the stack deploys to eu-west-1: a CloudWatch alarm can only notify a topic in its own Region, " +
            'and an EventBridge rule can target another Region\'s event bus only; got "arn:aws:sns:us-east-1:123456789012:alarms"',
        ]);
    });

    it("refuses a KMS key in another region or partition, and accepts one of another account", () => {
        assert.match(problems({ secretsKmsKeyArn: "arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" }, stack)[0],
            /^adma:secretsKmsKeyArn: in eu-central-1, but the stack deploys to eu-west-1: Secrets Manager and RDS encrypt with a key of their own Region/);
        assert.match(problems({ secretsKmsKeyArn: "arn:aws-us-gov:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" }, stack)[0],
            /^adma:secretsKmsKeyArn: in the aws-us-gov partition, but the stack's region eu-west-1 is in aws: nothing is shared across partitions/);
        assert.match(problems({ secretsKmsKeyArn: "arn:aws:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" }, { region: "cn-north-1" })[0],
            /in the aws partition, but the stack's region cn-north-1 is in aws-cn/);
        assert.deepStrictEqual(problems({ secretsKmsKeyArn: "arn:aws:kms:eu-west-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab" }, stack), []);
        assert.deepStrictEqual(problems({ alarmTopicArn: "arn:aws-cn:sns:cn-north-1:123456789012:alarms" }, { region: "cn-north-1" }), []);
    });

    it("checks only the ARN's form when the stack's region is unknown", () => {
        assert.deepStrictEqual(problems({ alarmTopicArn: "arn:aws:sns:us-east-1:123456789012:alarms" }), []);
    });
});
