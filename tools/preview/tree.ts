import { isProviderType } from "../../policy-pack/policies/resource-types";
import type { ExportResource } from "./export-document";
import { hasSignature, SECRET_SIGNATURE, UNKNOWN_VALUE } from "./secret-envelope";
import { parseUrn } from "./urn";

/**
 * The resource tree and summary in the layout of `pulumi preview`: a `+` create mark, the
 * type indented under its parent with box-drawing branches, the name, the plan; then the
 * stack outputs (secrets as `[secret]`, values unknown until deployment as `output<string>`,
 * structured values one entry a line) and the count of resources to create. Providers are left
 * out, as the CLI does by default.
 */
export function formatPreview(resources: ExportResource[]): string {
    const shown = resources.filter((resource) => !isProviderType(resource.type));
    const shownUrns = new Set(shown.map((resource) => resource.urn));
    const children = new Map<string | undefined, ExportResource[]>();
    for (const resource of shown) {
        const parent = resource.parent && shownUrns.has(resource.parent) ? resource.parent : undefined;
        children.set(parent, [...(children.get(parent) ?? []), resource]);
    }

    const rows: Array<{ type: string; name: string }> = [];
    const visit = (resource: ExportResource, indent: string, branch: string) => {
        rows.push({ type: `${indent}${branch}${resource.type}`, name: parseUrn(resource.urn).name });
        const kids = children.get(resource.urn) ?? [];
        // Top-level rows carry no branch, so their children start flush under the type.
        const childIndent = branch === "" ? indent : `${indent}${branch === "└─ " ? "   " : "│  "}`;
        kids.forEach((kid, index) => visit(kid, childIndent, index === kids.length - 1 ? "└─ " : "├─ "));
    };
    (children.get(undefined) ?? []).forEach((root) => visit(root, "", ""));

    const typeWidth = Math.max("Type".length, ...rows.map((row) => row.type.length));
    const nameWidth = Math.max("Name".length, ...rows.map((row) => row.name.length));
    const line = (mark: string, type: string, name: string, plan: string) =>
        `${mark}${type.padEnd(typeWidth)}  ${name.padEnd(nameWidth)}  ${plan}`.trimEnd();
    const lines = [line("     ", "Type", "Name", "Plan"), ...rows.map((row) => line(" +   ", row.type, row.name, "create"))];

    const stack = shown.find((resource) => resource.parent === undefined && resource.type === "pulumi:pulumi:Stack");
    const outputs = Object.entries(stack?.outputs ?? {});
    if (outputs.length > 0) {
        lines.push("", "Outputs:", ...entryLines(outputs, "    "));
    }
    lines.push("", "Resources:", `    + ${rows.length} to create`);
    return lines.join("\n");
}

/**
 * Keys and values the way `pulumi preview` prints outputs: keys padded to the longest, a scalar
 * on its key's line (strings quoted), a mapping or list opened there and each entry on a line of
 * its own, indented four more (list entries as `[i]`), closed at the key's indentation.
 */
function entryLines(entries: ReadonlyArray<readonly [string, unknown]>, indent: string): string[] {
    const keyWidth = Math.max(...entries.map(([key]) => key.length));
    return entries.flatMap(([key, value]) => {
        const [first, ...rest] = valueLines(mask(value), indent);
        return [`${indent}${key.padEnd(keyWidth)}: ${first}`, ...rest];
    });
}

function valueLines(value: unknown, indent: string): string[] {
    if (value === SECRET_TEXT || value === UNKNOWN_TEXT) {
        return [value];
    }
    const entries = Array.isArray(value)
        ? value.map((item, index) => [`[${index}]`, item] as const)
        : typeof value === "object" && value !== null ? Object.entries(value) : undefined;
    if (entries === undefined) {
        return [JSON.stringify(value)];
    }
    const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
    return entries.length === 0 ? [`${open}${close}`] : [open, ...entryLines(entries, `${indent}    `), `${indent}${close}`];
}

const SECRET_TEXT = "[secret]";
const UNKNOWN_TEXT = "output<string>";

/** Whatever the envelope (ciphertext or plaintext), a secret is only ever shown as `[secret]`. */
function mask(value: unknown): unknown {
    if (hasSignature(value, SECRET_SIGNATURE)) {
        return SECRET_TEXT;
    }
    if (value === UNKNOWN_VALUE) {
        return UNKNOWN_TEXT;
    }
    if (Array.isArray(value)) {
        return value.map(mask);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, mask(inner)]));
    }
    return value;
}
