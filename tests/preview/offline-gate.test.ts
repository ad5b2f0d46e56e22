// The offline gate: its parts and its run in-process with injected previews, and once end to end
// (real child processes of the gate and of the `preview:offline` script, real policy pack).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { EXIT_ERROR, EXIT_FAILED, EXIT_OK } from "../../policy-pack/lib/cli";
import { gateCommand, gateExitCode, parseGateArgs, selectStacks, StackPreview, StackResult } from "../../tools/preview/offline-gate";
import { listStacks } from "../../tools/preview/stack-config";
import { startScriptEarly } from "../early-process";
import { projectWithStack, stagingWith } from "./stack-project";

const ROOT = path.resolve(__dirname, "..", "..");
const FIXTURE_PROJECT = path.join(__dirname, "..", "fixtures", "violating-project");

function result(stack: string, exitCode: number): StackResult {
    return { stack, exitCode, signal: null, seconds: 0, output: "" };
}

describe("offline gate", () => {
    describe("arguments and verdict", () => {
        it("defaults to every stack of this project, two at a time", () => {
            const options = parseGateArgs([]);
            assert.deepEqual(options, { projectDir: ROOT, stacks: [], jobs: 2 });
            const stackFiles = fs.readdirSync(ROOT).filter((file) => /^Pulumi\.[^.]+\.yaml$/.test(file));
            assert.deepEqual(selectStacks(options), stackFiles.map((file) => file.split(".")[1]).sort());
            assert.ok(selectStacks(options).includes("prod"));
        });

        it("rejects bad arguments and unknown stacks with the allowed values", () => {
            assert.throws(() => parseGateArgs(["--stacks", "prod"]), /^UsageError: unknown option --stacks; did you mean --stack\?$/);
            assert.throws(() => parseGateArgs(["--stack"]), /--stack needs a value/);
            assert.throws(() => parseGateArgs(["--jobs", "0"]), /--jobs must be a positive integer, got 0/);
            const options = parseGateArgs(["--stack", "qa", "--project-dir", FIXTURE_PROJECT]);
            assert.throws(() => selectStacks(options), /unknown stack qa; the stacks are: compliant, violating/);
            assert.throws(() => selectStacks({ ...options, stacks: ["Compliant"] }), /^InputError: unknown stack Compliant \(did you mean compliant\?\); the stacks are: compliant, violating$/);
            assert.throws(() => selectStacks({ ...options, projectDir: __dirname }), /no stack config/);
            assert.throws(() => selectStacks({ ...options, projectDir: path.join(__dirname, "no-such-project") }),
                /^Error: cannot list the stacks of the project directory .*no-such-project: no such directory$/);
        });

        it("fails with 1 on any mandatory violation, 2 on any other failure, 0 only when every stack passes", () => {
            assert.equal(gateExitCode([result("a", 0), result("b", 0)]), EXIT_OK);
            assert.equal(gateExitCode([result("a", 0), result("b", 1)]), EXIT_FAILED);
            assert.equal(gateExitCode([result("a", 2), result("b", 1)]), EXIT_FAILED);
            assert.equal(gateExitCode([result("a", 0), result("b", 2)]), EXIT_ERROR);
            assert.equal(gateExitCode([result("a", 0), result("b", 137)]), EXIT_ERROR);
            assert.equal(gateExitCode([result("a", 0), { ...result("b", 0), exitCode: null, signal: "SIGKILL" }]), EXIT_ERROR);
        });
    });

    describe("its run, with injected previews", () => {
        /**
         * A preview per stack that ends after `delay` ms with `ends[stack]`, an exit code or the
         * signal that killed it (exit 0 for a stack not named), recording what ran.
         */
        const fakePreviews = (ends: Record<string, number | NodeJS.Signals>, delay = 1) => {
            const calls: string[] = [];
            let running = 0;
            const state = { calls, peak: 0 };
            const preview: StackPreview = async (projectDir, stack) => {
                calls.push(`${path.relative(ROOT, projectDir) || "."}:${stack}`);
                state.peak = Math.max(state.peak, ++running);
                await new Promise((resolve) => setTimeout(resolve, delay));
                running--;
                const end = ends[stack] ?? EXIT_OK;
                return typeof end === "number"
                    ? { stack, exitCode: end, signal: null, seconds: 0.5, output: `output of ${stack}\n` }
                    : { stack, exitCode: null, signal: end, seconds: 0.5, output: `output of ${stack}\n` };
            };
            return { preview, state };
        };
        const cli = async (argv: string[], preview: StackPreview) => {
            const io = { stdout: "", stderr: "" };
            const code = await gateCommand(preview)(argv, {
                stdout: { write: (text: string) => (io.stdout += text) },
                stderr: { write: (text: string) => (io.stderr += text) },
            });
            return { code, ...io };
        };

        it("previews a stack added to the project as its config file alone (a copy of staging), as the others", async () => {
            const project = projectWithStack(stagingWith("adma:projectName: qa"), { keepStacks: true });
            const stacks = listStacks(project);
            assert.deepEqual(stacks, [...listStacks(ROOT), "qa"].sort());
            const { preview, state } = fakePreviews({});
            const { code, stdout } = await cli(["--project-dir", project], preview);
            assert.equal(code, EXIT_OK, stdout);
            assert.deepEqual(state.calls.map((call) => call.split(":").pop()), stacks);
            assert.match(stdout, /\n {2}qa +passed\n/);
        });

        it("refuses stack files that resolve to the same physical names before previewing any stack, even when another is named", async () => {
            const copied = projectWithStack(fs.readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8"), { keepStacks: true });
            const { preview, state } = fakePreviews({});
            const { code, stdout, stderr } = await cli(["--project-dir", copied, "--stack", "dev"], preview);
            assert.equal(code, EXIT_ERROR);
            assert.equal(stdout, "");
            assert.match(stderr, /^gate:offline: Pulumi\.qa\.yaml and Pulumi\.staging\.yaml resolve to the same physical names \(adma:projectName "adma" with adma:environment "staging": adma-staging-\*/);
            assert.deepEqual(state.calls, []);
        });

        it("previews every stack of the project at most `jobs` at a time, and reports each with its output and a summary", async () => {
            const { preview, state } = fakePreviews({ compliant: 0, violating: 1 });
            const { code, stdout, stderr } = await cli(["--project-dir", FIXTURE_PROJECT, "--jobs", "1"], preview);
            assert.equal(code, EXIT_FAILED);
            assert.equal(stderr, "");
            assert.deepEqual(state.calls, ["tests/fixtures/violating-project:compliant", "tests/fixtures/violating-project:violating"]);
            assert.equal(state.peak, 1);
            assert.match(stdout, /^offline gate: previewing compliant, violating with the policy pack \(1 at a time\)\n/);
            assert.match(stdout, /--- violating: FAILED: mandatory policy violation \(0\.5 s\) ---\noutput of violating\n/);
            assert.match(stdout, /offline gate summary:\n {2}compliant +passed\n {2}violating +FAILED: mandatory policy violation\n$/);
        });

        it("runs only the named stacks, in parallel, and exits 0 when all pass", async () => {
            const { preview, state } = fakePreviews({}, 5);
            const stacks = selectStacks(parseGateArgs([]));
            const { code, stdout } = await cli(stacks.flatMap((stack) => ["--stack", stack]), preview);
            assert.equal(code, EXIT_OK, stdout);
            assert.deepEqual(state.calls, stacks.map((stack) => `.:${stack}`));
            assert.equal(state.peak, Math.min(2, stacks.length));
        });

        it("exits 2 when a preview fails without a violation, naming its exit code or signal, with its output", async () => {
            const exited = await cli(["--project-dir", FIXTURE_PROJECT], fakePreviews({ compliant: 0, violating: 2 }).preview);
            assert.equal(exited.code, EXIT_ERROR);
            assert.match(exited.stdout, /--- violating: FAILED: the offline preview failed \(exit code 2\) \(0\.5 s\) ---\noutput of violating\n/);
            assert.match(exited.stdout, /violating +FAILED: the offline preview failed \(exit code 2\)\n/);
            const killed = await cli(["--project-dir", FIXTURE_PROJECT], fakePreviews({ compliant: "SIGKILL" }).preview);
            assert.equal(killed.code, EXIT_ERROR);
            assert.match(killed.stdout, /--- compliant: FAILED: the offline preview failed \(killed by SIGKILL\) \(0\.5 s\) ---\noutput of compliant\n/);
        });

        it("exits 2 on bad arguments before previewing anything", async () => {
            const { preview, state } = fakePreviews({});
            const { code, stdout, stderr } = await cli(["--project-dir", FIXTURE_PROJECT, "--stack", "qa"], preview);
            assert.equal(code, EXIT_ERROR);
            assert.equal(stdout, "");
            assert.equal(stderr, "gate:offline: unknown stack qa; the stacks are: compliant, violating\n");
            assert.deepEqual(state.calls, []);
        });

        it("exits 2 naming a project directory that does not exist, without a stack trace", async () => {
            const { preview } = fakePreviews({});
            const { code, stderr } = await cli(["--project-dir", "no-such-project"], preview);
            assert.equal(code, EXIT_ERROR);
            assert.match(stderr, /^gate:offline: cannot list the stacks of the project directory .*no-such-project: no such directory\n$/);
        });
    });

    // The one real run: the gate's process, the offline preview's process (as its package.json
    // script starts it: node options, argv, streams, exit status) and the policy pack. Started
    // with the file (tests/early-process.ts), so it runs beside the other tests. The prod stack
    // passing the pack is tests/preview/prod-stack.test.ts's, in-process.
    const gateRun = startScriptEarly(ROOT, "gate:offline", ["--project-dir", FIXTURE_PROJECT, "--stack", "violating"]);
    it("as a command, fails on the deliberately violating stack and names the policy", async function () {
        const run = await gateRun.result;
        assert.equal(run.status, EXIT_FAILED, run.stdout + run.stderr);
        assert.match(run.stdout, /^ \+ {3}pulumi:pulumi:Stack +\S+-violating +create$/m);
        assert.match(run.stdout, /❌ adma-security@v[\d.]+ \(local: policy-pack\)\n {8}- \[mandatory\] {2}no-plaintext-db-password/);
        assert.match(run.stdout, /violating\s+FAILED: mandatory policy violation/);
        assert.doesNotMatch(run.stdout, /offline-preview-placeholder-for-gate-fixture:dbPassword/, "a secret value reached the log");
    });
});
