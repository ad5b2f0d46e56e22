/**
 * The table of Terraform types and names (policy-pack/audit/formats/terraform-types.ts) against
 * @pulumi/aws itself: every attribute of every resource of the design's real Terraform state has,
 * under the table's name, a property of the same Pulumi type's declared state
 * (`<Type>State` in node_modules/@pulumi/aws/<module>/<resource>.d.ts), a list where Pulumi
 * declares a list and an object where it declares one (a block of one element); and the audit's
 * messages, which read the table backwards (terraform-terms.ts), give each of them its Terraform name again.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { stateResources } from "../policy-pack/audit/formats/terraform-state";
import { terraformPath } from "../policy-pack/audit/formats/terraform-terms";
import { TERRAFORM_TYPES, pulumiPropertyName } from "../policy-pack/audit/formats/terraform-types";
import { GENERATED_DIR, STATE_JSON_FILE } from "../testing/terraform/artefacts";

/** The declared properties of a Pulumi type's state, with whether each is a list. */
function declaredState(pulumiType: string): Map<string, { list: boolean }> {
    const [, module, resource] = /^aws:([a-z0-9]+)\/([A-Za-z0-9]+):/.exec(pulumiType)!;
    const declarations = fs.readFileSync(path.join(path.dirname(require.resolve("@pulumi/aws/package.json")), module, `${resource}.d.ts`), "utf8");
    const body = new RegExp(`export interface \\w+State \\{([\\s\\S]*?)\\n\\}`).exec(declarations)![1];
    // A member starts at four spaces of indentation: `name?: <type>` (a map's type spans lines).
    return new Map([...body.matchAll(/^ {4}(?:readonly )?(\w+)\??: (.*)$/gm)].map(([, name, type]) => [name, { list: /\[\]( \| undefined)?>;$/.test(type) }]));
}

describe("Terraform types as Pulumi names them (terraform-types.ts)", () => {
    const resources = stateResources(JSON.parse(fs.readFileSync(path.join(GENERATED_DIR, STATE_JSON_FILE), "utf8")));

    it("knows every type of the design's deployment", () => {
        assert.deepStrictEqual([...new Set(resources.map((r) => r.type))].filter((type) => TERRAFORM_TYPES[type] === undefined), []);
    });

    for (const type of [...new Set(resources.map((r) => r.type))].sort()) {
        it(`names every attribute of ${type} as ${TERRAFORM_TYPES[type]?.pulumiType} declares it`, () => {
            const mapping = TERRAFORM_TYPES[type];
            const declared = declaredState(mapping.pulumiType);
            const single = new Set(mapping.singleBlocks ?? []);
            const problems: string[] = [];
            for (const resource of resources.filter((r) => r.type === type)) {
                for (const [attribute, value] of Object.entries(resource.values)) {
                    const name = pulumiPropertyName(type, attribute);
                    if (name === undefined) {
                        continue;
                    }
                    const property = declared.get(name);
                    if (terraformPath(mapping.pulumiType, name) !== attribute) {
                        problems.push(`${attribute} -> ${name}: messages would call it ${terraformPath(mapping.pulumiType, name)}`);
                    }
                    if (property === undefined) {
                        problems.push(`${attribute} -> ${name}: not a property of ${mapping.pulumiType}`);
                    } else if (Array.isArray(value) && property.list === single.has(attribute)) {
                        problems.push(`${attribute} -> ${name}: Pulumi declares ${property.list ? "a list" : "an object"}, the table says ${single.has(attribute) ? "a single block" : "a list"}`);
                    }
                }
            }
            assert.deepStrictEqual(problems, []);
        });
    }
});
