/**
 * The policies' messages in Terraform's terms, for an audit of a Terraform plan or state: each
 * Pulumi property path back to the Terraform attribute it was read from, through the one table
 * that read it (`terraform-types.ts`, used in reverse), settings as HCL writes them, resources by
 * their address, and what a plan cannot know yet. Pure.
 */
import type { InputTerms } from "../../lib/input-terms";
import { TERRAFORM_TYPES, TerraformTypeMapping } from "./terraform-types";

/** The Terraform type and its mapping, per Pulumi type token (the table read backwards). */
const BY_PULUMI_TYPE: ReadonlyMap<string, { readonly mapping: TerraformTypeMapping; readonly attributes: ReadonlyMap<string, string> }> = new Map(
    Object.values(TERRAFORM_TYPES).map((mapping) => [mapping.pulumiType, {
        mapping,
        attributes: new Map(Object.entries(mapping.renamed ?? {}).map(([attribute, property]) => [property, attribute])),
    }]),
);

/** `kmsKeyId` -> `kms_key_id`: the bridge's default name read backwards. */
function snakeCase(name: string): string {
    return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** `secrets[1]` -> ["secrets", "[1]"]. */
function splitIndex(segment: string): [string, string] {
    const at = segment.indexOf("[");
    return at === -1 ? [segment, ""] : [segment.slice(0, at), segment.slice(at)];
}

/**
 * A Pulumi property path of `pulumiType` as the Terraform attribute path: the top-level name
 * renamed per the table (else snake_case), a block of at most one element given its `[0]`, nested
 * block attributes in snake_case; the inside of a JSON document attribute (`container_definitions`,
 * `policy`), of a map (`tags`, `environment.variables`) and what follows a space stay as they are.
 * A type the table does not know keeps its names (the audit read them as they were).
 */
export function terraformPath(pulumiType: string, path: string): string {
    const known = BY_PULUMI_TYPE.get(pulumiType);
    if (known === undefined) {
        return path;
    }
    const space = path.indexOf(" ");
    const [attributePath, rest] = space === -1 ? [path, ""] : [path.slice(0, space), path.slice(space)];
    const [first, ...nested] = attributePath.split(".");
    const [property, index] = splitIndex(first);
    const attribute = known.attributes.get(property) ?? snakeCase(property);
    const { mapping } = known;
    const single = mapping.singleBlocks?.includes(attribute) === true && index === "" && nested.length > 0;
    const parts = [`${attribute}${single ? "[0]" : ""}${index}`];
    let verbatim = (mapping.jsonDocuments ?? []).includes(attribute) || isMap(mapping, attribute);
    let terraformSoFar = attribute;
    for (const segment of nested) {
        if (verbatim) {
            parts.push(segment);
            continue;
        }
        const [name, segmentIndex] = splitIndex(segment);
        const nestedAttribute = snakeCase(name);
        parts.push(`${nestedAttribute}${segmentIndex}`);
        terraformSoFar = `${terraformSoFar}.${nestedAttribute}`;
        verbatim = isMap(mapping, terraformSoFar);
    }
    return `${parts.join(".")}${rest}`;
}

function isMap(mapping: TerraformTypeMapping, attributePath: string): boolean {
    return attributePath === "tags" || attributePath === "tags_all" || (mapping.maps ?? []).includes(attributePath);
}

export const TERRAFORM_TERMS: InputTerms = {
    tool: "Terraform",
    identifier: "address",
    source: "configuration",
    state: "the Terraform state",
    policyConfig: "the audit's policy configuration for that deployment (`npm run policy:audit -- --config <file>`)",
    path: terraformPath,
    setting: (type, property, value) => `${terraformPath(type, property)} = ${value}`,
    resource: (address) => `Terraform resource ${address}`,
    unknownValues: "(unknown until apply: a plan of a new deployment cannot know them); to check them, " +
        "audit a plan of a change to the live deployment, or the state after `terraform apply`",
    incompleteCheck: (policyName, unknownInPlan) => (unknownInPlan
        ? `policy '${policyName}' could not check everything in this plan`
        : `policy '${policyName}' could not check everything`),
};
