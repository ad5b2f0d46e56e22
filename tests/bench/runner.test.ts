import { strict as assert } from "assert";
import { OUTPUT_TAIL_LINES, measure } from "../../bench/lib/runner";
import { testSuiteCommands } from "../../bench/test-suite";

describe("bench runs (bench/lib/runner, bench/test-suite)", () => {
    it("a failing run fails its measurement, saying how it ended and what it printed last, stderr and stdout", () => {
        // Like mocha's report: the failing test's title, then a long stack, on stdout.
        const script = [
            "console.log('  1) terraform audit', '     names the setting');",
            `for (let i = 0; i < ${OUTPUT_TAIL_LINES - 10}; i++) console.log('      at frame ' + i);`,
            "console.error('1 failing');",
            "process.exit(3);",
        ].join("\n");
        assert.throws(() => measure({ label: "npm run test:unit alone", argv: [process.execPath, "-e", script] }), (error: Error) => {
            assert.match(error.message, /^npm run test:unit alone \([\s\S]*\) failed: exit 3\n/);
            assert.match(error.message, /its stderr:\n1 failing\n/);
            assert.match(error.message, /its stdout:\n {2}1\) terraform audit {6}names the setting\n/);
            return true;
        });
    });

    it("the test suite target counts only a passing run (exit 0) as a measurement", () => {
        const commands = testSuiteCommands();
        assert.ok(commands.some((command) => command.label === "npm run test:unit alone"));
        assert.deepStrictEqual(commands.filter((command) => command.okExitCodes !== undefined).map((command) => command.label), []);
    });
});
