/**
 * Day two and after (issue 16): what a team does to a live stack either works on AWS or is refused
 * before anything changes. A change is proven by running the program twice under the mocks, with
 * the old and then the new configuration, and comparing what it registers.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { runPolicies } from "../policy-pack/audit/engine";
import { MUTABLE_IMAGE_TAGS } from "../lib/config";
import { checkPolicies, previewOffline } from "../tools/preview/offline-run";
import { stackPolicyConfigFile } from "../tools/preview/preview-offline";
import { DeployedResource, Deployment, ROOT, configFrom, configProblems, deploy, stackConfigValues } from "./harness";
import { withoutStackTraces } from "./stack-traces";

const T = {
    secret: "aws:secretsmanager/secret:Secret",
    db: "aws:rds/instance:Instance",
    service: "aws:ecs/service:Service",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
};

const deployStack = (stack: string, values: Record<string, string> = {}) =>
    deploy({ ...stackConfigValues(stack), ...values }, { base: {}, stack });

function auditInput(d: Deployment): { urn: string; type: string; name: string; props: Record<string, unknown> }[] {
    return d.resources.map((r: DeployedResource) => ({ urn: r.options.urn, type: r.type, name: r.name, props: r.inputs }));
}

function readJson(file: string): Record<string, unknown> {
    return JSON.parse(fs.readFileSync(file, "utf8"));
}

describe("live stack, case 2: destroy, then deploy again", function () {
    this.timeout(60000);

    for (const stack of ["dev", "staging"]) {
        it(`${stack}: the second deployment after a destroy creates the JWT secret under the same name at once (deleted without recovery, not retained)`, async () => {
            const first = (await deployStack(stack)).one(T.secret);
            const again = (await deployStack(stack)).one(T.secret);
            assert.strictEqual(again.inputs.name, first.inputs.name);
            // 0: the provider deletes with ForceDeleteWithoutRecovery, so the name is free for the next `up`.
            assert.strictEqual(first.inputs.recoveryWindowInDays, 0);
            assert.strictEqual(first.options.retainOnDelete, false, "a retained secret would make the next up fail with 'already exists'");
            assert.strictEqual(first.options.protect, false);
        });
    }

    it("prod keeps its 7 days and its guards, and refuses a shorter window", async () => {
        const secret = (await deployStack("prod")).one(T.secret);
        assert.strictEqual(secret.inputs.recoveryWindowInDays, 7);
        assert.strictEqual(secret.options.protect, true);
        assert.strictEqual(secret.options.retainOnDelete, true);
        assert.match(configProblems({ environment: "prod", jwtSecretRecoveryWindowDays: "0" }).join("\n"),
            /adma:jwtSecretRecoveryWindowDays: prod keeps a deleted JWT secret restorable for 7 to 30 days/);
        assert.match(configProblems({ jwtSecretRecoveryWindowDays: "3" }).join("\n"),
            /adma:jwtSecretRecoveryWindowDays: Secrets Manager accepts 0 \(delete without recovery\) or 7 to 30 days, got 3/);
    });

    it("the pack passes the dev stack with its own policy config, and still catches that window in a stack without it (prod's)", async () => {
        const dev = await deployStack("dev");
        const devPolicyConfig = readJson(stackPolicyConfigFile(ROOT, "dev")!);
        assert.deepStrictEqual((await runPolicies(auditInput(dev), devPolicyConfig)).filter((v) => v.enforcementLevel === "mandatory"), []);
        assert.strictEqual(stackPolicyConfigFile(ROOT, "prod"), undefined, "prod must be held to the pack's defaults");
        const caught = (await runPolicies(auditInput(dev))).filter((v) => v.policyName === "secret-recovery-window");
        assert.deepStrictEqual(caught.map((v) => v.enforcementLevel), ["mandatory"]);
    });

    it("docs/ci.md's example organisation policy config passes this project's prod stack", async () => {
        const doc = fs.readFileSync(path.join(ROOT, "docs", "ci.md"), "utf8");
        const block = /```json\n([\s\S]*?)```/.exec(doc.slice(doc.indexOf("An example `policy-config.json`")));
        assert.ok(block, "docs/ci.md has no example policy config");
        const prod = await withoutStackTraces(() => previewOffline({ projectDir: ROOT, stack: "prod" }));
        const violations = await checkPolicies(prod, JSON.parse(block[1]));
        assert.deepStrictEqual(violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policyName}: ${v.message}`), []);
    });
});

describe("live stack, case 6: changes that would wait for the maintenance window", function () {
    this.timeout(60000);

    it("apply immediately in dev and staging (what pulumi up reports is what RDS did); prod defers to its maintenance window on purpose", async () => {
        for (const [stack, expected] of [["dev", true], ["staging", true], ["prod", false]] as const) {
            const before = (await deployStack(stack)).one(T.db);
            const after = (await deployStack(stack, { dbInstanceClass: "db.t4g.large", dbAllocatedStorage: "100" })).one(T.db);
            assert.deepStrictEqual([after.inputs.instanceClass, after.inputs.allocatedStorage], ["db.t4g.large", 100]);
            assert.strictEqual(before.inputs.applyImmediately, expected, stack);
            assert.strictEqual(after.inputs.applyImmediately, expected, stack);
        }
        const overridden = (await deployStack("prod", { dbApplyImmediately: "true" })).one(T.db);
        assert.strictEqual(overridden.inputs.applyImmediately, true);
    });
});

describe("live stack, case 9: a mutable image tag", function () {
    this.timeout(60000);

    it("refuses tags that move with each build, naming the setting and the way forward", () => {
        for (const tag of ["latest", "LATEST", ...MUTABLE_IMAGE_TAGS]) {
            assert.match(configProblems({ backendImageTag: tag }).join("\n"),
                new RegExp(`adma:backendImageTag: "${tag}" moves to every new build.*deploy a fixed tag .* or the image digest`));
        }
        assert.deepStrictEqual(configProblems({ backendImageTag: "1.4.2" }), []);
        assert.deepStrictEqual(configProblems({ backendImageTag: "git-3f2a91c" }), []);
    });

    it("a digest pins the image; a new digest is a new task definition, which rolls the service out", async () => {
        const digest = (hex: string) => `sha256:${hex.repeat(64)}`;
        const first = await deployStack("staging", { backendImageTag: digest("a") });
        const second = await deployStack("staging", { backendImageTag: digest("b") });
        const repository = stackConfigValues("staging").backendRepositoryUrl;
        assert.strictEqual(first.container().image, `${repository}@${digest("a")}`);
        assert.strictEqual(second.container().image, `${repository}@${digest("b")}`);
        assert.notStrictEqual(first.one(T.taskDefinition).inputs.containerDefinitions, second.one(T.taskDefinition).inputs.containerDefinitions);
    });

    it("no stack file deploys a mutable tag", () => {
        for (const stack of ["dev", "staging", "prod"]) {
            assert.doesNotThrow(() => configFrom(stackConfigValues(stack)), stack);
        }
    });
});

describe("live stack, case 10: a failed deployment is reported as a failure", function () {
    this.timeout(60000);

    it("pulumi up waits for a steady state with the circuit breaker and rollback on, in every stack", async () => {
        for (const stack of ["dev", "staging", "prod"]) {
            const service = (await deployStack(stack)).one(T.service);
            assert.strictEqual(service.inputs.waitForSteadyState, true, stack);
            assert.deepStrictEqual(service.inputs.deploymentCircuitBreaker, { enable: true, rollback: true }, stack);
        }
    });

    it("prod cannot turn the wait off; other stacks can, explicitly", async () => {
        assert.match(configProblems({ environment: "prod", backendWaitForSteadyState: "false" }).join("\n"),
            /adma:backendWaitForSteadyState: prod waits for every deployment to complete/);
        const service = (await deploy({ backendWaitForSteadyState: "false" })).one(T.service);
        assert.strictEqual(service.inputs.waitForSteadyState, false);
    });
});
