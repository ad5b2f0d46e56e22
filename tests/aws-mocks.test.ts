import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { AwsMocks } from "../testing/aws-mocks";

function create(mocks: AwsMocks, type: string, name: string, inputs: Record<string, unknown> = {}) {
    return mocks.newResource({ type, name, inputs, custom: true });
}

const secret = (value: string) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });

describe("AwsMocks", () => {
    const mocks = new AwsMocks();

    it("defaults to eu-west-1 and account 123456789012, and takes others", () => {
        assert.strictEqual(create(mocks, "aws:iam/role:Role", "r", { name: "x" }).state.arn, "arn:aws:iam::123456789012:role/x");
        const other = new AwsMocks({ region: "us-east-2", accountId: "210987654321" });
        assert.strictEqual(create(other, "aws:ecs/cluster:Cluster", "c", { name: "x" }).state.arn, "arn:aws:ecs:us-east-2:210987654321:cluster/x");
        assert.strictEqual(other.call({ token: "aws:index/getCallerIdentity:getCallerIdentity", inputs: {} }).accountId, "210987654321");
    });

    it("is deterministic: the same name gives the same ids, another name other ids", () => {
        const a = create(mocks, "aws:secretsmanager/secret:Secret", "s", { name: "/adma/prod/jwt-secret" });
        const b = create(new AwsMocks(), "aws:secretsmanager/secret:Secret", "s", { name: "/adma/prod/jwt-secret" });
        const c = create(mocks, "aws:secretsmanager/secret:Secret", "s", { name: "/adma/dev/jwt-secret" });
        assert.deepStrictEqual(a, b);
        assert.notStrictEqual(a.id, c.id);
    });

    it("Secrets Manager ARNs end in the name plus a 6-character suffix", () => {
        const { id, state } = create(mocks, "aws:secretsmanager/secret:Secret", "s", { name: "/adma/prod/jwt-secret" });
        assert.match(String(state.arn), /^arn:aws:secretsmanager:eu-west-1:123456789012:secret:\/adma\/prod\/jwt-secret-[A-Za-z0-9]{6}$/);
        assert.strictEqual(id, state.arn);
    });

    it("a new secret value is a new version id, also when the value arrives as a Pulumi secret", () => {
        const version = (value: unknown) => create(mocks, "aws:secretsmanager/secretVersion:SecretVersion", "v", { secretId: "arn:x", secretString: value }).state;
        assert.notStrictEqual(version(secret("one")).versionId, version(secret("two")).versionId);
        assert.strictEqual(version(secret("one")).versionId, version("one").versionId);
        assert.match(String(version("one").versionId), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.deepStrictEqual(version("one").versionStages, ["AWSCURRENT"]);
    });

    it("RDS: endpoint, address, port and the RDS-managed master secret (with the configured key)", () => {
        const { state } = create(mocks, "aws:rds/instance:Instance", "db", {
            identifier: "adma-prod-postgres", manageMasterUserPassword: true, masterUserSecretKmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/k",
        });
        assert.strictEqual(state.arn, "arn:aws:rds:eu-west-1:123456789012:db:adma-prod-postgres");
        assert.match(String(state.address), /^adma-prod-postgres\.c[0-9a-f]{12}\.eu-west-1\.rds\.amazonaws\.com$/);
        assert.strictEqual(state.endpoint, `${state.address}:5432`);
        const [master] = state.masterUserSecrets as Array<Record<string, string>>;
        assert.match(master.secretArn, /^arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-[0-9a-f-]{36}-[A-Za-z0-9]{6}$/);
        assert.strictEqual(master.secretStatus, "active");
        assert.strictEqual(master.kmsKeyId, "arn:aws:kms:eu-west-1:123456789012:key/k");
        const unmanaged = create(mocks, "aws:rds/instance:Instance", "db2", { identifier: "x" }).state;
        assert.deepStrictEqual(unmanaged.masterUserSecrets, []);
    });

    it("awsx VPC: vpc id and three private and public subnets", () => {
        const { id, state } = create(mocks, "awsx:ec2:Vpc", "vpc");
        assert.match(String(id), /^vpc-[0-9a-f]{17}$/);
        assert.strictEqual(state.vpcId, id);
        for (const key of ["privateSubnetIds", "publicSubnetIds"]) {
            const subnets = state[key] as string[];
            assert.strictEqual(new Set(subnets).size, 3);
            assert.ok(subnets.every((s) => /^subnet-[0-9a-f]{17}$/.test(s)));
        }
    });

    it("SSM parameter ARNs drop the name's leading slash; ECS services are named by cluster", () => {
        assert.strictEqual(create(mocks, "aws:ssm/parameter:Parameter", "p", { name: "/adma/prod/app-base-url" }).state.arn,
            "arn:aws:ssm:eu-west-1:123456789012:parameter/adma/prod/app-base-url");
        assert.strictEqual(create(mocks, "aws:ecs/service:Service", "s", { name: "adma-prod-backend", cluster: "arn:aws:ecs:eu-west-1:123456789012:cluster/adma-prod-ecs" }).id,
            "arn:aws:ecs:eu-west-1:123456789012:service/adma-prod-ecs/adma-prod-backend");
    });

    it("keeps the inputs in the state and gives unknown AWS types an ARN in their service", () => {
        const { state } = create(mocks, "aws:glue/job:Job", "etl", { roleArn: "r" });
        assert.strictEqual(state.roleArn, "r");
        assert.strictEqual(state.arn, "arn:aws:glue:eu-west-1:123456789012:job/etl");
    });

    it("answers the invokes the program makes", () => {
        assert.strictEqual(mocks.call({ token: "aws:index/getRegion:getRegion", inputs: {} }).region, "eu-west-1");
        assert.strictEqual(mocks.call({ token: "aws:index/getPartition:getPartition", inputs: {} }).partition, "aws");
        assert.deepStrictEqual(mocks.call({ token: "aws:index/getAvailabilityZones:getAvailabilityZones", inputs: {} }).names,
            ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
    });
});
