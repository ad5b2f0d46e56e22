/**
 * The import ID forms (tools/adopt/import-ids.ts) against the documentation of the installed
 * provider: the example of each type's "Import" section in @pulumi/aws's declarations
 * (`$ pulumi import <type> <name> <id>`) has the documented shape the form says, and the IDs adoption
 * writes for the design's deployment have it too.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { IMPORT_ID_FORMS, importIdOf } from "../../tools/adopt/import-ids";
import { readLiveDeployment } from "../../tools/adopt/live-deployment";
import { GENERATED_DIR, STATE_JSON_FILE } from "../../testing/terraform/artefacts";

/** The import ID of the documented example, from the `## Import` section of the type's declaration file. */
function documentedExample(pulumiType: string): string {
    const [, module, resource] = /^aws:([a-z0-9]+)\/([A-Za-z0-9]+):/.exec(pulumiType)!;
    const declarations = fs.readFileSync(path.join(path.dirname(require.resolve("@pulumi/aws/package.json")), module, `${resource}.d.ts`), "utf8");
    const section = declarations.slice(declarations.indexOf("## Import"));
    const example = new RegExp(`\\$ pulumi import ${pulumiType.replace(/[/$]/g, "\\$&")} \\S+ (.+)`).exec(section);
    assert.ok(example, `${pulumiType}: no example in its Import section`);
    return example[1].trim().replace(/^'(.*)'$/, "$1");
}

describe("import ID forms, as @pulumi/aws documents them", () => {
    for (const [type, form] of Object.entries(IMPORT_ID_FORMS)) {
        it(`${type}: ${form.form}`, () => {
            assert.match(documentedExample(type), form.shape);
        });
    }

    it("gives every resource of the design's state with a documented form an ID of that shape", () => {
        const live = readLiveDeployment(JSON.parse(fs.readFileSync(path.join(GENERATED_DIR, STATE_JSON_FILE), "utf8")));
        const withForm = live.filter((resource) => resource.type !== undefined && IMPORT_ID_FORMS[resource.type] !== undefined);
        assert.ok(withForm.length >= 17);
        for (const resource of withForm) {
            assert.match(importIdOf(resource) ?? "(none)", IMPORT_ID_FORMS[resource.type!].shape, resource.address);
        }
    });
});
