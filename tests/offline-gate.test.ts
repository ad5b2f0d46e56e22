// The offline gate end to end (real child processes of `npm run preview:offline`, real policy
// pack): it fails on a deliberately violating stack and passes on prod. Plus its small parts.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    EXIT_ERROR, EXIT_MANDATORY_VIOLATION, EXIT_PASS, gateExitCode, mapWithLimit, parseGateArgs, runGate, selectStacks,
    StackResult,
} from "../tools/offline-gate";
import { PRODUCTION_STACK, stackOutputs } from "../tools/stacks";

const ROOT = path.resolve(__dirname, "..");
const FIXTURE_PROJECT = path.join(__dirname, "fixtures", "violating-project");

function result(stack: string, exitCode: number): StackResult {
    return { stack, exitCode, seconds: 0, output: "" };
}

describe("offline gate", () => {
    describe("arguments and verdict", () => {
        it("defaults to every stack of this project, two at a time", () => {
            const options = parseGateArgs([]);
            assert.deepEqual(options, { projectDir: ROOT, stacks: [], jobs: 2 });
            const stackFiles = fs.readdirSync(ROOT).filter((file) => /^Pulumi\.[^.]+\.yaml$/.test(file));
            assert.deepEqual(selectStacks(options), stackFiles.map((file) => file.split(".")[1]).sort());
            assert.ok(selectStacks(options).includes(PRODUCTION_STACK));
        });

        it("rejects bad arguments and unknown stacks with the allowed values", () => {
            assert.throws(() => parseGateArgs(["--stacks", "prod"]), /unknown argument --stacks; allowed: --stack NAME, --jobs N/);
            assert.throws(() => parseGateArgs(["--stack"]), /--stack needs a value/);
            assert.throws(() => parseGateArgs(["--jobs", "0"]), /--jobs must be a positive integer, got 0/);
            const options = parseGateArgs(["--stack", "qa", "--project-dir", FIXTURE_PROJECT]);
            assert.throws(() => selectStacks(options), /unknown stack qa; the stacks are: compliant, violating/);
            assert.throws(() => selectStacks({ ...options, projectDir: __dirname }), /no stack config/);
        });

        it("fails with 1 on any mandatory violation, 2 on any other failure, 0 only when every stack passes", () => {
            assert.equal(gateExitCode([result("a", 0), result("b", 0)]), EXIT_PASS);
            assert.equal(gateExitCode([result("a", 0), result("b", 1)]), EXIT_MANDATORY_VIOLATION);
            assert.equal(gateExitCode([result("a", 2), result("b", 1)]), EXIT_MANDATORY_VIOLATION);
            assert.equal(gateExitCode([result("a", 0), result("b", 2)]), EXIT_ERROR);
            assert.equal(gateExitCode([result("a", 0), result("b", 137)]), EXIT_ERROR);
        });

        it("runs at most `jobs` previews at once and keeps the stack order", async () => {
            let running = 0;
            let peak = 0;
            const out = await mapWithLimit([30, 10, 20, 5, 1], 2, async (delay) => {
                peak = Math.max(peak, ++running);
                await new Promise((resolve) => setTimeout(resolve, delay));
                running--;
                return delay * 2;
            });
            assert.equal(peak, 2);
            assert.deepEqual(out, [60, 20, 40, 10, 2]);
        });
    });

    describe("the one stack list", () => {
        it("gives the workflows every stack, the stacks before production, and production", () => {
            assert.deepEqual(stackOutputs(["dev", "prod", "staging"]), {
                "stacks": '["dev","prod","staging"]',
                "non-production-stacks": '["dev","staging"]',
                "production-stack": PRODUCTION_STACK,
            });
            assert.deepEqual(stackOutputs(["dev"]), { "stacks": '["dev"]', "non-production-stacks": '["dev"]', "production-stack": "" });
        });
    });

    describe("on real stacks", function () {
        // Each stack is a separate Node.js process that loads the Pulumi SDK and the AWS provider;
        // the two gate runs start together so that they share the wait.
        this.timeout(240_000);
        const gateRun = (projectDir: string, stacks: string[]) => {
            let log = "";
            return runGate({ projectDir, stacks, jobs: 2 }, (text) => (log += text)).then((code) => ({ code, log }));
        };
        let fixtureRun: ReturnType<typeof gateRun>;
        let prodRun: ReturnType<typeof gateRun>;
        before(() => {
            fixtureRun = gateRun(FIXTURE_PROJECT, []);
            prodRun = gateRun(ROOT, [PRODUCTION_STACK]);
        });

        it("fails on the deliberately violating stack and names the policy, while the compliant stack passes", async () => {
            const { code, log } = await fixtureRun;
            assert.equal(code, EXIT_MANDATORY_VIOLATION, log);
            assert.match(log, /\[mandatory\]\s+no-plaintext-db-password/);
            assert.match(log, /compliant\s+passed/);
            assert.match(log, /violating\s+FAILED: mandatory policy violation/);
            assert.doesNotMatch(log, /offline-preview-placeholder-for-gate-fixture:dbPassword/, "a secret value reached the log");
        });

        it("passes on prod", async () => {
            const { code, log } = await prodRun;
            assert.equal(code, EXIT_PASS, log);
            assert.match(log, /prod\s+passed/);
        });
    });
});
