import { strict as assert } from "assert";
import * as path from "path";
import { nodeCommand, packageScripts, parseNodeScript } from "../../tools/dev/npm-scripts";

const ROOT = path.resolve(__dirname, "..", "..");

describe("npm scripts that start a TypeScript file with node", () => {
    it("splits node's options and hook, the entry file and the script's own arguments", () => {
        assert.deepEqual(parseNodeScript("node --stack-trace-limit=0 -r ts-node/register/transpile-only tools/preview/preview-offline.ts"), {
            nodeOptions: ["--stack-trace-limit=0", "-r", "ts-node/register/transpile-only"],
            entry: "tools/preview/preview-offline.ts",
            args: [],
        });
        assert.deepEqual(parseNodeScript("node -r tsx/cjs tools/dev/run-parallel.ts typecheck:tsc test:unit"), {
            nodeOptions: ["-r", "tsx/cjs"],
            entry: "tools/dev/run-parallel.ts",
            args: ["typecheck:tsc", "test:unit"],
        });
    });

    it("refuses scripts of any other form, quoting them", () => {
        assert.throws(() => parseNodeScript("mocha"), /not of the form "node \[options\] <entry\.ts> \[args\]": mocha/);
        assert.throws(() => parseNodeScript("node node_modules/typescript-native/bin/tsc -p tsconfig.native.json"), /: node node_modules/);
        assert.throws(() => parseNodeScript("npx node tools/preview/stacks.ts"), /: npx node/);
    });

    it("starts the script's command in this Node, with what follows its options", () => {
        const script = parseNodeScript("node -r tsx/cjs policy-pack/audit/cli.ts");
        assert.deepEqual(nodeCommand(script, script.entry, "--json", "export.json"), [process.execPath, "-r", "tsx/cjs", "policy-pack/audit/cli.ts", "--json", "export.json"]);
        assert.deepEqual(nodeCommand(script, "-e", "0"), [process.execPath, "-r", "tsx/cjs", "-e", "0"]);
    });

    it("reads this package's tool scripts in that form", () => {
        const scripts = packageScripts(ROOT, ["policy:audit", "gate:offline", "preview:offline", "test"]);
        for (const [name, script] of scripts) {
            assert.match(parseNodeScript(script).entry, /\.ts$/, name);
        }
    });
});
