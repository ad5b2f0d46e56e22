import * as assert from "assert";
import { AdmaConfigError } from "../lib/config";
import { runProgram, stackConfigValues } from "./harness";

describe("index.ts (the Pulumi program)", () => {
    it("reads the prod stack config through pulumi.Config and exports names and ARNs only", async () => {
        const run = await runProgram(stackConfigValues("prod"));
        assert.strictEqual(run.error, undefined);
        const exports = run.exports!;
        assert.strictEqual(exports.namePrefix, "adma-prod");
        assert.strictEqual(exports.clusterName, "adma-prod-ecs");
        assert.strictEqual(exports.serviceName, "adma-prod-backend");
        assert.strictEqual(exports.jwtSecretName, "/adma/prod/jwt-secret");
        assert.match(String(exports.jwtSecretArn), /^arn:aws:secretsmanager:eu-west-1:123456789012:secret:\/adma\/prod\/jwt-secret-[A-Za-z0-9]{6}$/);
        assert.match(String(exports.dbMasterSecretArn), /^arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-[0-9a-f-]{36}-[A-Za-z0-9]{6}$/);
        const jwtValue = run.resources.find((r) => r.type === "random:index/randomPassword:RandomPassword")!.state.result as string;
        assert.ok(!JSON.stringify(exports).includes(jwtValue), "an export carries the JWT value");
    });

    it("rejects invalid config before registering any resource, naming the key and allowed values", async () => {
        const values = { ...stackConfigValues("prod"), backendTaskMemory: "3000", enableEcsExec: "true" };
        const run = await runProgram(values);
        assert.ok(run.error instanceof AdmaConfigError, `expected AdmaConfigError, got ${String(run.error)}`);
        assert.match(run.error.message, /adma:backendTaskMemory: Fargate does not accept 3000 MiB with 1024 cpu units; allowed with 1024: 2048\.\.8192/);
        assert.match(run.error.message, /adma:enableEcsExec: .*adma:allowEcsExecInProd=true/);
        assert.deepStrictEqual(run.resources, [], "resources were registered before the config error");
        const afterError = await runProgram(stackConfigValues("dev"), "dev");
        assert.ok(afterError.resources.length > 0, "a later run in the same process still works");
    });

    it("refuses an adma key it does not read, which the Pulumi CLI passes through, so `pulumi preview` names the typo too", async () => {
        const run = await runProgram({ ...stackConfigValues("prod"), backendTaskCPU: "2048" });
        assert.ok(run.error instanceof AdmaConfigError, `expected AdmaConfigError, got ${String(run.error)}`);
        assert.deepStrictEqual(run.error.problems, ["adma:backendTaskCPU: not a setting of this project (Pulumi.yaml declares no such key); did you mean adma:backendTaskCpu?"]);
        assert.match(run.error.message, /^Pulumi\.\w+\.yaml: invalid stack configuration \(nothing was created\):\n {2}- adma:backendTaskCPU: /);
        assert.deepStrictEqual(run.resources, []);
    });
});
