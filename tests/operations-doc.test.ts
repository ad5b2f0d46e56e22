/**
 * docs/operations.md's "Changing a live stack" table (issue 16): every configuration key of Pulumi.yaml,
 * each with what AWS does and what this program does (works, works with downtime, or refused).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { CORE_SCHEMA, load } from "js-yaml";
import { ROOT } from "./harness";

interface Row {
    readonly keys: string[];
    readonly aws: string;
    readonly program: string;
}

/** The rows of the first table after `heading` in `markdown`. */
function tableAfter(markdown: string, heading: string): Row[] {
    const start = markdown.indexOf(heading);
    assert.ok(start >= 0, `no "${heading}"`);
    const lines = markdown.slice(start).split("\n");
    const first = lines.findIndex((line) => line.startsWith("|"));
    const table = lines.slice(first);
    const rows = table.slice(2, table.findIndex((line) => !line.startsWith("|")));
    return rows.map((line) => {
        const cells = line.split(" | ").map((cell) => cell.replace(/^\|\s*|\s*\|$/g, ""));
        assert.strictEqual(cells.length, 3, line);
        return { keys: [...cells[0].matchAll(/`adma:([A-Za-z]+)`/g)].map((match) => match[1]), aws: cells[1], program: cells[2] };
    });
}

describe("docs/operations.md: Changing a live stack", () => {
    const doc = fs.readFileSync(path.join(ROOT, "docs", "operations.md"), "utf8");
    const rows = tableAfter(doc, "### What each setting does to a live stack");
    const declared = Object.keys((load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"), { schema: CORE_SCHEMA }) as { config: Record<string, unknown> }).config);

    it("has a row for every configuration key of Pulumi.yaml, and no key twice or unknown", () => {
        const documented = rows.flatMap((row) => row.keys);
        assert.deepStrictEqual(declared.filter((key) => !documented.includes(key)), [], "keys without a row");
        assert.deepStrictEqual(documented.filter((key) => !declared.includes(key)), [], "rows for keys Pulumi.yaml does not declare");
        assert.deepStrictEqual(documented.filter((key, i) => documented.indexOf(key) !== i), [], "keys in two rows");
    });

    it("says, for each, what AWS does and whether the change works, works with downtime, or is refused", () => {
        for (const row of rows) {
            assert.ok(row.keys.length > 0 && row.aws.length > 0, JSON.stringify(row));
            assert.match(row.program, /\*\*(Works|Works with downtime|Works at the next rotation|Refused|refused|work with downtime)\*\*/, row.keys.join(", "));
        }
    });

    it("links only to sections that exist", () => {
        const anchors = new Set([...doc.matchAll(/^#+ (.+)$/gm)].map((match) => match[1].toLowerCase().replace(/[^a-z0-9 -]/g, "").replace(/ /g, "-")));
        for (const [, anchor] of doc.matchAll(/\]\(#([a-z0-9-]+)\)/g)) {
            assert.ok(anchors.has(anchor), `#${anchor}`);
        }
    });
});
