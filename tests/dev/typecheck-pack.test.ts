// `npm run typecheck:pack`: the compiler the Pulumi CLI runs a published pack with rejects what it
// cannot read, and a clean check is repeated only when something it read has changed.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EXIT_ERROR } from "../../policy-pack/lib/cli";
import { checkPack as checkWithPackOptions, main, recordCleanCheck, unchangedSinceCleanCheck } from "../../tools/dev/typecheck-pack";

const FIXTURES = path.join(__dirname, "..", "fixtures", "pack-compiler");
/** The pack's check on a fixture that needs no @types (loading them all would triple the time). */
const checkPack = (entryPoint: string) => checkWithPackOptions(entryPoint, undefined, { types: [] });

describe("typecheck:pack", function () {
    it("refuses a misspelt flag with the closest one and the usage line, checking nothing (it used to exit 0)", async () => {
        const written = { stdout: "", stderr: "" };
        const code = await main(["--forse"], { stdout: { write: (text: string) => (written.stdout += text) }, stderr: { write: (text: string) => (written.stderr += text) } });
        assert.equal(code, EXIT_ERROR);
        assert.deepEqual(written, { stdout: "", stderr: "typecheck:pack: unknown option --forse; did you mean --force?\nusage: npm run typecheck:pack [-- --force]\n" });
    });

    it("reports syntax the CLI's TypeScript 3.8 cannot read, at its line, nothing in code it reads, and lists what it read", () => {
        const { diagnostics, files } = checkPack(path.join(FIXTURES, "newer-syntax.ts"));
        assert.match(diagnostics[0] ?? "", /pack-compiler[\\/]newer-syntax\.ts:7:\d+: /);
        assert.ok(diagnostics.every((line) => line.includes("newer-syntax.ts:")), diagnostics.join("\n"));
        assert.ok(files.includes(path.join(FIXTURES, "compatible.ts")), "an imported file is an input of the fingerprint");
        assert.ok(files.some((file) => /lib\.es2020\.d\.ts$/.test(file)), "the compiler's own lib files are inputs too");
    });

    describe("the record of a clean check", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "typecheck-pack-"));
        const cacheFile = path.join(dir, "cache", "typecheck-pack.json");
        const source = path.join(dir, "index.ts");
        const declarations = path.join(dir, "types.d.ts");
        const compiler = "/vendor/typescript@3.8.3/typescript.js";
        beforeEach(() => {
            fs.writeFileSync(source, "export const a = 1;\n");
            fs.writeFileSync(declarations, "export declare const b: number;\n");
            recordCleanCheck(cacheFile, [source, declarations], compiler);
        });

        it("holds while nothing read has changed", () => {
            assert.equal(unchangedSinceCleanCheck(cacheFile, compiler), true);
        });

        it("breaks when any file read changes or disappears, or the compiler is another", () => {
            fs.writeFileSync(declarations, "export declare const b: string;\n");
            assert.equal(unchangedSinceCleanCheck(cacheFile, compiler), false);
            recordCleanCheck(cacheFile, [source, declarations], compiler);
            fs.rmSync(source);
            assert.equal(unchangedSinceCleanCheck(cacheFile, compiler), false);
            fs.writeFileSync(source, "export const a = 1;\n");
            assert.equal(unchangedSinceCleanCheck(cacheFile, compiler), true);
            assert.equal(unchangedSinceCleanCheck(cacheFile, "/vendor/typescript@4.0.0/typescript.js"), false);
        });

        it("is no record when missing or unreadable", () => {
            assert.equal(unchangedSinceCleanCheck(path.join(dir, "none.json"), compiler), false);
            fs.writeFileSync(cacheFile, "{oops");
            assert.equal(unchangedSinceCleanCheck(cacheFile, compiler), false);
        });
    });
});
