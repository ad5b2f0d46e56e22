import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { findProjectDir, listStacks, loadStackConfig, securePlaceholder } from "../../tools/preview/stack-config";

const FIXTURE = path.join(__dirname, "..", "fixtures", "offline-project");

/** A throwaway project directory with the given Pulumi.yaml and Pulumi.<stack>.yaml texts, depending on this project's providers. */
function projectWith(projectYaml: string, stackYamls: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-config-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), projectYaml);
    fs.copyFileSync(path.join(__dirname, "..", "..", "package.json"), path.join(dir, "package.json"));
    fs.symlinkSync(path.join(__dirname, "..", "..", "node_modules"), path.join(dir, "node_modules"), "dir");
    for (const [stack, text] of Object.entries(stackYamls)) {
        fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
    }
    return dir;
}

describe("offline preview: stack config", () => {
    it("finds the project as the Pulumi CLI does: the nearest folder at or above the given one holding Pulumi.yaml", () => {
        const dir = projectWith("name: p\nruntime: nodejs\n", {});
        fs.mkdirSync(path.join(dir, "a", "b"), { recursive: true });
        assert.strictEqual(findProjectDir(path.join(dir, "a", "b")), dir);
        assert.strictEqual(findProjectDir(dir), dir);
        const outside = fs.mkdtempSync(path.join(os.tmpdir(), "no-project-"));
        assert.strictEqual(findProjectDir(outside), outside);
    });

    it("lists the stacks that have a Pulumi.<stack>.yaml", () => {
        assert.deepStrictEqual(listStacks(FIXTURE), ["badconfig", "good", "lowered", "violating"]);
    });

    it("merges project defaults with stack values under namespaced keys, structured values as JSON", () => {
        const config = loadStackConfig(FIXTURE, "good");
        assert.strictEqual(config.project, "fixture");
        assert.strictEqual(config.config["fixture:jwtLength"], "64");
        assert.strictEqual(config.config["fixture:plaintextDbPassword"], "false");
        assert.strictEqual(config.config["aws:region"], "eu-west-1");
        assert.strictEqual(config.config["fixture:dbName"], "urlshortener");
        assert.deepStrictEqual(JSON.parse(config.config["fixture:tags"]), { team: "platform", "cost-center": "42" });
        assert.strictEqual(loadStackConfig(FIXTURE, "badconfig").config["fixture:jwtLength"], "16");
    });

    it("replaces a secure value by a marked placeholder and treats the key as secret", () => {
        const config = loadStackConfig(FIXTURE, "good");
        assert.strictEqual(config.config["fixture:apiToken"], securePlaceholder("fixture:apiToken"));
        assert.deepStrictEqual(config.secretKeys, ["fixture:apiToken"]);
        assert.deepStrictEqual(config.placeholderKeys, ["fixture:apiToken"]);
        assert.ok(!JSON.stringify(config).includes("ZmFrZS1jaXBoZXJ0ZXh0"));
    });

    it("reads every form of project declaration and bare stack keys", () => {
        const project = [
            "name: p",
            "runtime: nodejs",
            "config:",
            "  shorthand: 5",
            "  declared: { type: string, default: d }",
            "  required: { type: string, description: set by each stack }",
            "  aws:region: { value: eu-central-1 }",
            "  structured: { a: 1 }",
            "  bare: { type: array, items: { type: integer } }",
        ].join("\n");
        const dir = projectWith(project, { dev: "config:\n  p:required: r\n  bare: [1, 2]\n" });
        assert.deepStrictEqual(loadStackConfig(dir, "dev").config, {
            "p:shorthand": "5",
            "p:declared": "d",
            "aws:region": "eu-central-1",
            "p:structured": '{"a":1}',
            "p:required": "r",
            "p:bare": "[1,2]",
        });
    });

    it("reads YAML 1.2 core scalars: a date stays its text, yes/on stay strings, true is a boolean", () => {
        const dir = projectWith("name: p\nruntime: nodejs\n", { dev: "config:\n  since: 2024-01-02\n  answer: yes\n  on: on\n  flag: true\n" });
        assert.deepStrictEqual(loadStackConfig(dir, "dev").config, {
            "p:since": "2024-01-02",
            "p:answer": "yes",
            "p:on": "on",
            "p:flag": "true",
        });
    });

    it("names the file in a duplicate key or a syntax error, with the line and column", () => {
        const dir = projectWith("name: p\nruntime: nodejs\n", { dup: "config:\n  p:a: 1\n  p:a: 2\n", bad: "config:\n  p:a: [1, 2\n" });
        assert.throws(() => loadStackConfig(dir, "dup"), /^Error: cannot read .*Pulumi\.dup\.yaml: duplicated mapping key \(3:3\)/);
        assert.throws(() => loadStackConfig(dir, "bad"), /^Error: cannot read .*Pulumi\.bad\.yaml: .+ \(\d+:\d+\)/);
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: p\nname: q\n");
        assert.throws(() => loadStackConfig(dir, "dup"), /^Error: cannot read .*[\\/]Pulumi\.yaml: duplicated mapping key/);
    });

    it("names the existing stacks when the stack is unknown, and refuses path-like names", () => {
        assert.throws(() => loadStackConfig(FIXTURE, "prodd"), /unknown stack "prodd".*existing stacks: badconfig, good, lowered, violating/);
        assert.throws(() => loadStackConfig(FIXTURE, "../offline-project/good"), /unknown stack/);
    });
});
