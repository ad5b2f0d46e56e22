// Target 3: the whole test suite (type-check + mocha) well under 15 s wall. The target's suite is
// `npm test` without its lint job, run by the same runner; `npm test` itself, each job alone and
// the tools the jobs replaced (TypeScript 5.9's tsc, `eslint .` with the project service) run in
// the same rounds. CPU time of the whole process tree says how much of the wall time is two cores
// being full rather than waiting.
import * as path from "path";
import { BenchContext, Measurement, requireScript } from "./lib/measurement";
import { repoRoot } from "./lib/paths";
import { describeMs, formatRatio, Row, verdict, wall } from "./lib/report";
import { Command, interleave, npmRun, Sample, tsNode } from "./lib/runner";
import { formatMs, median, pairedRatio } from "./lib/stats";

export const TEST_SUITE_GOAL_MS = 15_000;

// A failing test still costs its time; the table says when a run did not pass.
const anyExit = Array.from({ length: 256 }, (_, code) => code);
const TEST_JOBS = ["typecheck:tsc", "typecheck:pack", "test:unit"];
const LINT_JOB = "lint";

function exitNote(samples: readonly Sample[]): string {
    const failed = samples.filter((s) => s.exitCode !== 0).length;
    return failed === 0 ? "" : ` (${failed}/${samples.length} runs exited non-zero)`;
}

function cpu(samples: readonly Sample[]): string {
    const cpuMs = median(samples.map((s) => s.cpuMs));
    return Number.isNaN(cpuMs) ? "" : `CPU ${formatMs(cpuMs)} (${(cpuMs / median(wall(samples))).toFixed(1)} cores)`;
}

export const testSuite: Measurement = {
    name: "tests",
    run(context: BenchContext): Row[] {
        const testScript = requireScript("test");
        const missing = [...TEST_JOBS, LINT_JOB].filter((job) => !testScript.split(" ").includes(job));
        if (missing.length > 0) {
            throw new Error(`bench/test-suite.ts: npm test no longer runs ${missing.join(", ")}; update the bench to what it runs: ${testScript}`);
        }
        const bin = (tool: string) => path.join(repoRoot, "node_modules", ".bin", tool);
        const job = (script: string, label = `npm run ${script} alone`): Command => ({ label, argv: npmRun(script), okExitCodes: anyExit });
        const commands: Command[] = [
            { label: `type-check + mocha: run-parallel ${TEST_JOBS.join(" ")}`, argv: tsNode(path.join(repoRoot, "tools", "run-parallel.ts"), ...TEST_JOBS), okExitCodes: anyExit },
            { label: "npm test (the same and lint)", argv: ["npm", "test", "--silent"], okExitCodes: anyExit },
            job("typecheck:tsc", "npm run typecheck:tsc alone (TypeScript 7)"),
            { label: "replaced: tsc --noEmit, TypeScript 5.9", argv: [process.execPath, path.join(repoRoot, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", "tsconfig.json"], okExitCodes: anyExit },
            job("typecheck:pack"),
            job("test:unit"),
            job(LINT_JOB, "npm run lint alone (one program)"),
            { label: "replaced: eslint . (project service)", argv: [bin("eslint"), ".", "--max-warnings", "0"], okExitCodes: anyExit },
        ];
        // The suite itself is the slow part; its runs are long enough that one warm-up round buys nothing.
        const repeat = { warmups: 0, runs: context.quick ? 1 : 2 };
        const samples = interleave(commands, repeat, (round) => context.log(`tests: round ${round + 1} done`));
        const [suite] = samples;
        const suiteMs = median(wall(suite));
        const [first, ...others] = commands.map((command, i): Row => ({
            target: "3 tests",
            subject: `${command.label}${exitNote(samples[i])}`,
            value: describeMs(wall(samples[i])),
            measured: [i === 0 ? "" : `${formatRatio(pairedRatio(wall(samples[i]), wall(suite)))} of type-check + mocha`, cpu(samples[i])].filter(Boolean).join("; "),
            verdict: "info",
        }));
        return [
            {
                ...first,
                measured: `${(suiteMs / 1000).toFixed(1)} s; ${cpu(suite)}`,
                goal: `< ${TEST_SUITE_GOAL_MS / 1000} s`,
                verdict: verdict(suiteMs < TEST_SUITE_GOAL_MS && suite.every((s) => s.exitCode === 0)),
            },
            ...others,
        ];
    },
};
