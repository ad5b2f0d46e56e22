import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { howItEnded, inOrder, runParallel, runScript } from "../../tools/dev/run-parallel";

/** A package whose scripts are shell one-liners (no process costlier than sh), one of them a bin in node_modules/.bin. */
function fixturePackage(scripts: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "run-parallel-"));
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "fixture", scripts }));
    const bin = path.join(dir, "node_modules", ".bin");
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, "greet"), "#!/bin/sh\necho \"hello from .bin in $(pwd)\"\n", { mode: 0o755 });
    return dir;
}

async function run(dir: string, names: string[]): Promise<{ code: number; output: string }> {
    let output = "";
    const code = await runParallel(dir, names, (text) => (output += text.toString()));
    return { code, output };
}

describe("run-parallel (npm test's runner)", function () {
    it("runs each script in the package directory with node_modules/.bin on PATH, printing outputs whole and in order", async () => {
        const dir = fixturePackage({
            slow: "sleep 0.2; echo slow done",
            bin: "greet",
        });
        const { code, output } = await run(dir, ["slow", "bin"]);
        assert.equal(code, 0, output);
        const shape = /^\n=== slow: ok \([\d.]+ s\) ===\nslow done\n\n=== bin: ok \([\d.]+ s\) ===\nhello from \.bin in (.+)\n$/;
        assert.match(output, shape);
        assert.equal(fs.realpathSync(shape.exec(output)![1]), fs.realpathSync(dir));
    });

    it("fails with the first failing script's exit status and names every failure", async () => {
        const dir = fixturePackage({ ok: "true", three: "exit 3", four: "exit 4" });
        const { code, output } = await run(dir, ["ok", "three", "four"]);
        assert.equal(code, 3);
        assert.match(output, /=== three: FAILED \(exit code 3\)/);
        assert.match(output, /\nfailed: three, four\n$/);
    });

    it("reports a script killed by a signal as such, with what it wrote before", async () => {
        const dir = fixturePackage({ killed: "echo started; kill -TERM $$" });
        const { code, output } = await run(dir, ["killed"]);
        assert.equal(code, 1);
        assert.match(output, /^\n=== killed: FAILED \(killed by SIGTERM\) \([\d.]+ s\) ===\nstarted\n\nfailed: killed\n$/);
    });

    it("rejects an unknown script before running any", async () => {
        const dir = fixturePackage({ marker: "touch ran" });
        await assert.rejects(run(dir, ["marker", "tset"]), /^Error: no script tset in .*package\.json; the scripts are: marker$/);
        assert.equal(fs.existsSync(path.join(dir, "ran")), false);
    });
});

describe("runScript and inOrder (the runner's parts, which the offline gate uses too)", function () {
    it("passes arguments to the script's command as they are, never through the shell", async () => {
        const dir = fixturePackage({});
        const args = ["a b", "$HOME", "'quoted'", "--stack=x;y", ""];
        const run = await runScript(dir, `printf '[%s]'`, args);
        assert.deepEqual({ exitCode: run.exitCode, signal: run.signal, output: run.output }, { exitCode: 0, signal: null, output: "[a b][$HOME]['quoted'][--stack=x;y][]" });
    });

    it("says how a run ended: its exit code, the signal that killed it, or that it never started", () => {
        const run = { seconds: 0, output: "" };
        assert.equal(howItEnded({ ...run, exitCode: 3, signal: null }), "exit code 3");
        assert.equal(howItEnded({ ...run, exitCode: null, signal: "SIGKILL" }), "killed by SIGKILL");
        assert.equal(howItEnded({ ...run, exitCode: null, signal: null }), "not started");
    });

    it("runs at most `limit` tasks at once and reports each in the items' order as soon as it and those before it have ended", async () => {
        let running = 0;
        let peak = 0;
        const events: string[] = [];
        const out = await inOrder([30, 10, 20, 5, 1], 2, async (delay) => {
            peak = Math.max(peak, ++running);
            await new Promise((resolve) => setTimeout(resolve, delay));
            events.push(`done ${delay}`);
            running--;
            return delay * 2;
        }, (result) => events.push(`report ${result}`));
        assert.equal(peak, 2);
        assert.deepEqual(out, [60, 20, 40, 10, 2]);
        assert.deepEqual(events.filter((event) => event.startsWith("report")), ["report 60", "report 20", "report 40", "report 10", "report 2"]);
        assert.ok(events.indexOf("report 60") > events.indexOf("done 30") && events.indexOf("report 20") === events.indexOf("report 60") + 1,
            "the second item, done first, waits for the first");
    });

    it("rejects with a task's error once the tasks before it are reported", async () => {
        const reported: number[] = [];
        await assert.rejects(inOrder([1, 2, 3], 3, async (item) => {
            if (item === 2) {
                throw new Error("task 2 failed");
            }
            return item;
        }, (item) => reported.push(item)), /^Error: task 2 failed$/);
        assert.deepEqual(reported, [1]);
    });
});
