/**
 * The file `pulumi import --file <file>` reads: `{nameTable, resources: [{type, name, id, parent,
 * logicalName, component}]}` (Pulumi CLI, `pulumi import` reference; the JSON is the CLI's
 * `importFile`/`importSpec`, pkg/cmd/pulumi/operations/import.go, and the Automation API's
 * `ImportResource`). Each adopted resource names its program parent; the component parents
 * (AdmaBackend and the component that holds the resource) are entries with `component: true` and
 * no id, which `pulumi import` creates empty (Pulumi 3.94, "import can now create empty component
 * resource to use as the parent of other imported resources"), so each resource gets exactly the URN
 * the program registers it under. Pure.
 *
 * `checkImportFile` applies the CLI's own rules to a file (`parseImportFile` in import.go) and
 * returns the URN each entry becomes, so a test can hold them against the program's URNs.
 */
import type { ImportResource } from "@pulumi/pulumi/automation";
import { childUrn, parseUrn, ROOT_STACK_TYPE, StackIdentity } from "../preview/urn";
import type { ProgramResource } from "./program-resources";

/** A program resource to import, with the import ID of the live resource that plays its part. */
export interface ImportTarget {
    readonly program: ProgramResource;
    readonly importId: string;
}

/** An entry of the file: the fields of the Automation API's ImportResource that adoption writes. */
export type ImportSpec = Pick<ImportResource, "type" | "name" | "id" | "parent" | "logicalName" | "component">;

export interface ImportFile {
    readonly nameTable: Record<string, string>;
    readonly resources: ImportSpec[];
}

/**
 * The import file for `adopted`, with every component parent they need from `program`, parents
 * before children. Entry names are unique (the CLI requires it of names used as parents): the
 * logical name, suffixed with the type's name where two resources share a logical name.
 */
export function buildImportFile(adopted: readonly ImportTarget[], program: readonly ProgramResource[]): ImportFile {
    const byUrn = new Map(program.map((resource) => [resource.urn, resource]));
    const entries: { resource: ProgramResource; id?: string }[] = [];
    const included = new Set<string>();
    const include = (resource: ProgramResource, id?: string) => {
        if (included.has(resource.urn)) {
            return;
        }
        const parent = resource.parent === undefined ? undefined : byUrn.get(resource.parent);
        if (parent !== undefined && parent.type !== ROOT_STACK_TYPE) {
            include(parent);
        }
        included.add(resource.urn);
        entries.push({ resource, id });
    };
    adopted.forEach(({ program: resource, importId }) => include(resource, importId));

    const logicalNames = entries.map(({ resource }) => resource.name);
    const entryName = (resource: ProgramResource) => (logicalNames.filter((name) => name === resource.name).length > 1
        ? `${resource.name}-${parseUrn(resource.urn).type.split(":").pop()!.toLowerCase()}` : resource.name);
    const names = new Map(entries.map(({ resource }) => [resource.urn, entryName(resource)]));
    return {
        nameTable: {},
        resources: entries.map(({ resource, id }): ImportSpec => {
            const parent = resource.parent === undefined ? undefined : names.get(resource.parent);
            return {
                type: resource.type,
                name: names.get(resource.urn)!,
                ...(resource.name !== names.get(resource.urn) && { logicalName: resource.name }),
                ...(parent !== undefined && { parent }),
                ...(id === undefined ? { component: true } : { id }),
            };
        }),
    };
}

/**
 * The problems the Pulumi CLI would report reading `file` for the stack and project of `identity`
 * (every entry has a type and a name; an id unless it is a component, and then none; a parent that
 * is an entry or in the name table, unambiguous; unique URNs), and the URN of each entry by name.
 */
export function checkImportFile(file: unknown, identity: StackIdentity): { problems: string[]; urns: Map<string, string> } {
    const problems: string[] = [];
    const urns = new Map<string, string>();
    const record = typeof file === "object" && file !== null && !Array.isArray(file) ? file as Record<string, unknown> : undefined;
    const nameTable = record?.nameTable ?? {};
    if (record === undefined || !Array.isArray(record.resources) || typeof nameTable !== "object" || nameTable === null || Array.isArray(nameTable)) {
        return { problems: ["an import file is an object with a `resources` list and an optional `nameTable` object"], urns };
    }
    const specs = (record.resources as unknown[]).map((entry) => (typeof entry === "object" && entry !== null ? entry : {}) as Record<string, unknown>);
    const describe = (spec: Record<string, unknown>, index: number) => `resource ${typeof spec.name === "string" && spec.name !== "" ? `'${spec.name}'` : index}`;
    const nameCount = new Map<unknown, number>();
    specs.forEach((spec) => nameCount.set(spec.name ?? spec.logicalName, (nameCount.get(spec.name ?? spec.logicalName) ?? 0) + 1));
    specs.forEach((spec, index) => {
        if (typeof spec.type !== "string" || spec.type === "") {
            problems.push(`${describe(spec, index)} has no type`);
        }
        if ((typeof spec.name !== "string" || spec.name === "") && (typeof spec.logicalName !== "string" || spec.logicalName === "")) {
            problems.push(`${describe(spec, index)} has no name`);
        }
        const hasId = typeof spec.id === "string" && spec.id !== "";
        if (spec.component !== true && !hasId) {
            problems.push(`${describe(spec, index)} has no ID`);
        } else if (spec.component === true && hasId) {
            problems.push(`${describe(spec, index)} has an ID, but is marked as a component`);
        }
    });
    if (problems.length > 0) {
        return { problems, urns };
    }
    const table = nameTable as Record<string, string>;
    const taken = new Set<string>(Object.values(table));
    const pending = specs.map((spec, index) => ({ spec, index }));
    for (let progress = true; pending.length > 0 && progress;) {
        progress = false;
        for (let i = 0; i < pending.length; i++) {
            const { spec, index } = pending[i];
            const name = String(spec.name ?? spec.logicalName);
            let parentUrn: string | undefined;
            if (typeof spec.parent === "string" && spec.parent !== "") {
                if ((nameCount.get(spec.parent) ?? 0) > 1) {
                    problems.push(`${describe(spec, index)} has an ambiguous parent`);
                }
                parentUrn = table[spec.parent] ?? urns.get(spec.parent);
                if (parentUrn === undefined) {
                    if (!nameCount.has(spec.parent)) {
                        problems.push(`the parent '${spec.parent}' for ${describe(spec, index)} has no entry in 'nameTable'`);
                        pending.splice(i--, 1);
                    }
                    continue;   // its parent's URN is not known yet
                }
            }
            const urn = childUrn(identity, parentUrn, String(spec.type), String(spec.logicalName ?? name));
            if (taken.has(urn)) {
                problems.push(`${describe(spec, index)} has an ambiguous URN, set name (or logical name) to be unique`);
            }
            taken.add(urn);
            urns.set(name, urn);
            pending.splice(i--, 1);
            progress = true;
        }
    }
    pending.forEach(({ spec, index }) => problems.push(`${describe(spec, index)}: its parent chain never resolves`));
    return { problems, urns };
}
