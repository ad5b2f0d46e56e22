import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..");

describe("offline preview: transpile cache", function () {
    this.timeout(60000);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "transpile-cache-"));
    const cacheDir = path.join(work, "cache");
    const source = path.join(work, "answer.ts");

    /** A fresh process under ts-node, with the cache installed, requiring the TypeScript file. */
    function requireWithCache(): string {
        const script = `require(${JSON.stringify(path.join(ROOT, "tools", "transpile-cache"))}).installTranspileCache(${JSON.stringify(cacheDir)});` +
            `process.stdout.write(String(require(${JSON.stringify(source)}).answer));`;
        return execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: ROOT, encoding: "utf8" });
    }
    const entries = () => fs.readdirSync(cacheDir).filter((file) => file.endsWith(".js"));

    it("stores ts-node's output, uses it on the next run, and never a stale entry", () => {
        fs.writeFileSync(source, "export const answer: number = 6 * 7;\n");
        assert.strictEqual(requireWithCache(), "42");
        assert.strictEqual(entries().length, 1);
        const entry = path.join(cacheDir, entries()[0]);
        assert.match(fs.readFileSync(entry, "utf8"), /exports\.answer = 6 \* 7;/);

        // A hit is served from the cache: an edited entry shows through.
        fs.writeFileSync(entry, fs.readFileSync(entry, "utf8").replace("6 * 7", "43"));
        assert.strictEqual(requireWithCache(), "43");

        // A changed source is a new key: transpiled afresh, not the old entry.
        fs.writeFileSync(source, "export const answer: number = 6 * 8;\n");
        assert.strictEqual(requireWithCache(), "48");
        assert.strictEqual(entries().length, 2);
    });
});
