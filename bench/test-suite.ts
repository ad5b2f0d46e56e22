// Target 3: the whole test suite (type-check + mocha) well under 15 s wall. The target's suite is
// `npm test` without its lint job, run by the same runner, as a fresh clone runs it (no record of
// an earlier clean check of the policy pack) and as a developer reruns it (the pack unchanged);
// `npm test` itself, each job alone and the tools the jobs replaced (TypeScript 5.9's tsc,
// `eslint .` with the project service) run in the same rounds. CPU time of the whole process
// tree says how much of the wall time is two cores being full rather than waiting.
import * as path from "path";
import { BenchContext, Measurement, requireScript } from "./lib/measurement";
import { repoRoot } from "./lib/paths";
import { describeMs, formatRatio, Row, verdict, wall } from "./lib/report";
import { nodeCommand, parseNodeScript } from "../tools/dev/npm-scripts";
import { Command, interleave, measure, npmRun, Sample } from "./lib/runner";
import { formatMs, median, pairedRatio } from "./lib/stats";
import { CLEAN_CHECK_RECORD } from "../tools/dev/typecheck-pack";

export const TEST_SUITE_GOAL_MS = 15_000;

const TEST_JOBS = ["typecheck:tsc", "typecheck:pack", "test:unit"];
const LINT_JOB = "lint";

const shellQuote = (word: string) => `'${word.replace(/'/g, "'\\''")}'`;

function cpu(samples: readonly Sample[]): string {
    const cpuMs = median(samples.map((s) => s.cpuMs));
    return Number.isNaN(cpuMs) ? "" : `CPU ${formatMs(cpuMs)} (${(cpuMs / median(wall(samples))).toFixed(1)} cores)`;
}

/**
 * What the target runs, the fresh-clone suite first. Each must pass (exit 0): a time is only worth
 * its run, so a failing test, type error or lint finding fails the measurement with the run's
 * output tail (bench/lib/runner.ts, `measure`) instead of becoming a row.
 */
export function testSuiteCommands(): Command[] {
    const testScript = requireScript("test");
    const missing = [...TEST_JOBS, LINT_JOB].filter((job) => !testScript.split(" ").includes(job));
    if (missing.length > 0) {
        throw new Error(`bench/test-suite.ts: npm test no longer runs ${missing.join(", ")}; update the bench to what it runs: ${testScript}`);
    }
    const bin = (tool: string) => path.join(repoRoot, "node_modules", ".bin", tool);
    const job = (script: string, label = `npm run ${script} alone`): Command => ({ label, argv: npmRun(script) });
    const runner = parseNodeScript(testScript);
    const suite = nodeCommand(runner, path.join(repoRoot, runner.entry), ...TEST_JOBS);
    return [
        {
            label: `type-check + mocha, as a fresh clone runs it: run-parallel ${TEST_JOBS.join(" ")}`,
            argv: ["sh", "-c", `rm -f ${shellQuote(CLEAN_CHECK_RECORD)} && exec ${suite.map(shellQuote).join(" ")}`],
        },
        { label: "type-check + mocha, rerun with the pack unchanged", argv: suite },
        { label: "npm test (the same and lint), pack unchanged", argv: ["npm", "test", "--silent"] },
        job("typecheck:tsc", "npm run typecheck:tsc alone (TypeScript 7)"),
        { label: "replaced: tsc --noEmit, TypeScript 5.9", argv: [process.execPath, path.join(repoRoot, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", "tsconfig.json"] },
        { label: "npm run typecheck:pack -- --force alone (TypeScript 3.8)", argv: npmRun("typecheck:pack", "--force") },
        job("test:unit"),
        job(LINT_JOB, "npm run lint alone (one program)"),
        { label: "replaced: eslint . (project service)", argv: [bin("eslint"), ".", "--max-warnings", "0"] },
    ];
}

export const testSuite: Measurement = {
    name: "tests",
    run(context: BenchContext): Row[] {
        const commands = testSuiteCommands();
        // The reruns find the record of a clean pack check that a fresh-clone run leaves (and this makes).
        measure({ label: "record a clean pack check", argv: npmRun("typecheck:pack") });
        // The suite itself is the slow part; its runs are long enough that one warm-up round buys nothing.
        const repeat = { warmups: 0, runs: context.quick ? 1 : 2 };
        const samples = interleave(commands, repeat, (round) => context.log(`tests: round ${round + 1} done`));
        const [freshSuite] = samples;
        const suiteMs = median(wall(freshSuite));
        const [first, ...others] = commands.map((command, i): Row => ({
            target: "3 tests",
            subject: command.label,
            value: describeMs(wall(samples[i])),
            measured: [i === 0 ? "" : `${formatRatio(pairedRatio(wall(samples[i]), wall(freshSuite)))} of the fresh-clone suite`, cpu(samples[i])].filter(Boolean).join("; "),
            verdict: "info",
        }));
        return [
            {
                ...first,
                measured: `${(suiteMs / 1000).toFixed(1)} s; ${cpu(freshSuite)}`,
                goal: `< ${TEST_SUITE_GOAL_MS / 1000} s`,
                verdict: verdict(suiteMs < TEST_SUITE_GOAL_MS),
            },
            ...others,
        ];
    },
};
