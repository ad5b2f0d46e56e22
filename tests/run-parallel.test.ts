import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runParallel } from "../tools/dev/run-parallel";

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
    this.timeout(20_000);

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
        assert.match(output, /=== three: FAILED \(exit 3\)/);
        assert.match(output, /\nfailed: three, four\n$/);
    });

    it("rejects an unknown script before running any", async () => {
        const dir = fixturePackage({ marker: "touch ran" });
        await assert.rejects(run(dir, ["marker", "tset"]), /^Error: no script tset in .*package\.json; the scripts are: marker$/);
        assert.equal(fs.existsSync(path.join(dir, "ran")), false);
    });
});
