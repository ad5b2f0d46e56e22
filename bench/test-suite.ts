// Target 3: the whole test command (type-check + mocha) well under 15 s wall. The type-check is
// timed on its own in the same rounds, and so is the variant a change to package.json would bring:
// type-check and mocha in parallel (two cores), whose time minus nothing else is mocha's floor.
import * as path from "path";
import { BenchContext, Measurement, requireScript } from "./lib/measurement";
import { repoRoot } from "./lib/paths";
import { describeKiB, describeMs, formatRatio, rss, Row, verdict, wall } from "./lib/report";
import { Command, interleave, Sample } from "./lib/runner";
import { median, pairedRatio } from "./lib/stats";

export const TEST_SUITE_GOAL_MS = 15_000;

const bin = (tool: string) => path.join(repoRoot, "node_modules", ".bin", tool);
// A failing test still costs its time; the table says when a run did not pass.
const anyExit = Array.from({ length: 256 }, (_, code) => code);

export const typeCheckCommand = `${bin("tsc")} --noEmit -p tsconfig.json`;
export const parallelTestCommand = `${typeCheckCommand} & tsc=$!; ${bin("mocha")}; mocha=$?; wait $tsc; tsc=$?; [ $mocha -eq 0 ] && [ $tsc -eq 0 ]`;

function exitNote(samples: readonly Sample[]): string {
    const failed = samples.filter((s) => s.exitCode !== 0).length;
    return failed === 0 ? "" : ` (${failed}/${samples.length} runs exited non-zero)`;
}

export const testSuite: Measurement = {
    name: "tests",
    run(context: BenchContext): Row[] {
        const testScript = requireScript("test");
        const commands: Command[] = [
            { label: `npm test (${testScript})`, argv: ["npm", "test", "--silent"], okExitCodes: anyExit },
            { label: "tsc --noEmit alone", argv: ["sh", "-c", typeCheckCommand], okExitCodes: anyExit },
            { label: "tsc & mocha in parallel", argv: ["sh", "-c", parallelTestCommand], okExitCodes: anyExit },
        ];
        // The suite itself is the slow part; its runs are long enough that one warm-up round buys nothing.
        const repeat = { warmups: 0, runs: context.quick ? 1 : 2 };
        const [npmTest, tsc, parallel] = interleave(commands, repeat, (round) => context.log(`tests: round ${round + 1} done`));
        const testMs = median(wall(npmTest));
        const info = (command: Command, samples: Sample[]): Row => ({
            target: "3 tests",
            subject: `${command.label}${exitNote(samples)}`,
            value: describeMs(wall(samples)),
            measured: `${formatRatio(pairedRatio(wall(samples), wall(npmTest)))} of npm test`,
            verdict: "info",
        });
        return [
            {
                target: "3 tests",
                subject: `${commands[0].label}${exitNote(npmTest)}`,
                value: describeMs(wall(npmTest)),
                floor: `tsc alone ${describeMs(wall(tsc))}`,
                measured: `${(testMs / 1000).toFixed(1)} s; peak ${describeKiB(rss(npmTest))}`,
                goal: `< ${TEST_SUITE_GOAL_MS / 1000} s`,
                verdict: verdict(testMs < TEST_SUITE_GOAL_MS && npmTest.every((s) => s.exitCode === 0)),
            },
            info(commands[1], tsc),
            info(commands[2], parallel),
        ];
    },
};
