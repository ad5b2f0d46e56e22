// What the repository's files say about the repository, checked against it: a statement that
// can be checked is kept true by a test here (or, for what only a run shows, beside that run:
// the prod tree docs/offline-preview.md shows is checked in tests/preview/prod-stack.test.ts).
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const DOCS = ["README.md", "Pulumi.yaml", ...fs.readdirSync(path.join(ROOT, "docs")).filter((file) => file.endsWith(".md")).map((file) => `docs/${file}`)];

describe("the repository's statements about itself", () => {
    it("every test file the README, the docs and Pulumi.yaml cite exists", () => {
        for (const file of DOCS) {
            for (const [cited] of read(file).matchAll(/(?:policy-pack\/)?tests\/[\w/.-]+\.test\.ts/g)) {
                assert.ok(fs.existsSync(path.join(ROOT, cited)), `${file} cites ${cited}, which does not exist`);
            }
        }
    });

    it("creates stacks as <ORG>/<stack> wherever it says how, as the workflows name them", () => {
        const action = read(".github/actions/pulumi-stack/action.yml");
        assert.match(action, /stack-name: \$\{\{ inputs\.pulumi-org \}\}\/\$\{\{ inputs\.stack \}\}/);
        const inits = DOCS.flatMap((file) => [...read(file).matchAll(/pulumi stack init (\S+)/g)].map(([, stack]) => `${file}: ${stack}`));
        assert.ok(inits.length >= 2, inits.join("\n"));
        for (const init of inits) {
            assert.match(init, /: <ORG>\/\S+$/, init);
        }
    });

    it("ignores the files the documented commands write (--out), so a user's export is never committed", () => {
        const outputs = [...new Set(DOCS.flatMap((file) => [...read(file).matchAll(/--out ([\w.-]+\.json)/g)].map(([, out]) => out)))];
        assert.ok(outputs.includes("prod-export.json"), outputs.join(", "));
        for (const output of outputs) {
            // `git check-ignore` exits 0 when the path is ignored, 1 when it is not.
            execFileSync("git", ["check-ignore", "--quiet", "--no-index", output], { cwd: ROOT });
        }
    });

    it("records a decision on every dependency's install script, so `npm ci` has nothing to ask about", () => {
        const lock = JSON.parse(read("package-lock.json")) as { packages: Record<string, { hasInstallScript?: boolean; name?: string }> };
        const decided = (JSON.parse(read("package.json")) as { allowScripts?: Record<string, boolean> }).allowScripts ?? {};
        const withScripts = Object.entries(lock.packages)
            .filter(([, entry]) => entry.hasInstallScript)
            // An aliased package (docker-classic: npm:@pulumi/docker@3.6.1) is decided under its real name.
            .map(([location, entry]) => entry.name ?? location.slice(location.lastIndexOf("node_modules/") + "node_modules/".length));
        assert.ok(withScripts.length > 0);
        for (const name of withScripts) {
            assert.ok(name in decided, `${name} has an install script and no allowScripts entry in package.json (npm install-scripts approve|deny ${name})`);
        }
    });

    it("says where the AWS managed policies corpus is read from, as the corpus test reads it, and that the suite runs without it", () => {
        const corpusTest = fs.readFileSync(path.join(ROOT, "policy-pack", "tests", "corpus.test.ts"), "utf8");
        const relative = /path\.resolve\(__dirname, "\.\.\/\.\.\/(\.\.\/[^"]+)\/aws-managed-policies\.json"\)/.exec(corpusTest)?.[1];
        assert.strictEqual(relative, "../shared/corpus");
        const statement = /[^.]*1,523 AWS managed policies[^.]*\([^)]*\)[^.]*\./.exec(read("README.md"))?.[0] ?? "";
        assert.ok(statement.includes(`\`${relative}/\``) && statement.includes("outside the repository") && statement.includes("skipped"), statement);
    });
});
