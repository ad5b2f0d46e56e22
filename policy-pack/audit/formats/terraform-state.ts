/**
 * A Terraform state, in either of its two forms: `terraform show -json` of it (`{format_version,
 * values: {root_module: {resources, child_modules}}}`, Terraform's "JSON Output Format"), or the
 * state file itself (`terraform.tfstate`, `{version: 4, terraform_version, resources: [{module,
 * mode, type, name, instances: [{index_key, attributes, sensitive_attributes}]}]}`). Every managed
 * resource instance, named by its address; data sources are not resources of the deployment.
 */
import { describeJson, isRecord } from "../../lib/unknowns";
import type { InputFormat } from "../reader";
import { TerraformResource, terraformAuditDocument } from "./terraform-resources";

/** The state file format version this reads (Terraform 0.12 and later write 4). */
const STATE_FILE_VERSION = 4;

/** True when `document` is a state in one of the two forms (and not a plan). */
function isState(document: Record<string, unknown>): boolean {
    const shownState = typeof document.format_version === "string" && !("resource_changes" in document) && !("planned_values" in document);
    return shownState || ("terraform_version" in document && "version" in document);
}

/**
 * Every managed resource instance of a state in either form. Throws an Error naming the first
 * part that cannot be read (never a value).
 */
export function stateResources(document: Record<string, unknown>): TerraformResource[] {
    if (typeof document.format_version === "string") {
        const values = document.values;
        if (values === undefined) {
            return [];  // `terraform show -json` of an empty state
        }
        if (!isRecord(values) || !isRecord(values.root_module)) {
            throw new Error("Terraform state: values.root_module must be an object");
        }
        return moduleResources(values.root_module, "values.root_module");
    }
    if (document.version !== STATE_FILE_VERSION) {
        throw new Error(`unsupported Terraform state file version ${JSON.stringify(document.version)}: expected ${STATE_FILE_VERSION} ` +
            "(or give `terraform show -json` of the state)");
    }
    if (!Array.isArray(document.resources)) {
        throw new Error(`Terraform state file: resources must be a list, got ${describeJson(document.resources)}`);
    }
    return document.resources.flatMap((resource, index) => stateFileResources(resource, `resources[${index}]`));
}

/** A module of `terraform show -json` (`{resources, child_modules}`), its child modules included. */
function moduleResources(module: Record<string, unknown>, where: string): TerraformResource[] {
    const resources = module.resources ?? [];
    const children = module.child_modules ?? [];
    if (!Array.isArray(resources) || !Array.isArray(children)) {
        throw new Error(`Terraform state: ${where}.resources and ${where}.child_modules must be lists`);
    }
    const own = resources.flatMap((resource, index): TerraformResource[] => {
        const at = `${where}.resources[${index}]`;
        if (!isRecord(resource) || typeof resource.address !== "string" || typeof resource.type !== "string" || !isRecord(resource.values)) {
            throw new Error(`Terraform state: ${at} has no address, type or values`);
        }
        if (resource.mode === "data") {
            return [];
        }
        return [{ address: resource.address, type: resource.type, values: resource.values, marks: { sensitive: resource.sensitive_values } }];
    });
    return [...own, ...children.flatMap((child, index) => {
        if (!isRecord(child)) {
            throw new Error(`Terraform state: ${where}.child_modules[${index}] is not an object`);
        }
        return moduleResources(child, `${where}.child_modules[${index}]`);
    })];
}

/** The instances of one entry of a state file's `resources`. */
function stateFileResources(resource: unknown, where: string): TerraformResource[] {
    if (!isRecord(resource) || typeof resource.type !== "string" || typeof resource.name !== "string" || !Array.isArray(resource.instances)) {
        throw new Error(`Terraform state file: ${where} has no type, name or instances`);
    }
    if (resource.mode === "data") {
        return [];
    }
    const module = typeof resource.module === "string" ? `${resource.module}.` : "";
    return resource.instances.map((instance, index) => {
        if (!isRecord(instance) || !isRecord(instance.attributes)) {
            throw new Error(`Terraform state file: ${where}.instances[${index}] has no attributes`);
        }
        const key = instance.index_key === undefined ? "" : `[${JSON.stringify(instance.index_key)}]`;
        return {
            address: `${module}${resource.type}.${resource.name}${key}`,
            type: resource.type as string,
            values: instance.attributes,
            marks: { sensitive: sensitiveTree(instance.sensitive_attributes) },
        };
    });
}

/**
 * A state file's `sensitive_attributes` (a list of paths, each a list of steps `{type: "get_attr",
 * value: "password"}` or `{type: "index", value: {value: 0, type: "number"}}`) as the tree of
 * `true` marks `terraform show -json` writes as `sensitive_values`.
 */
function sensitiveTree(paths: unknown): unknown {
    if (!Array.isArray(paths)) {
        return undefined;
    }
    const root: Record<string, unknown> = {};
    for (const path of paths) {
        if (!Array.isArray(path) || path.length === 0) {
            continue;
        }
        let node: Record<string | number, unknown> = root;
        path.forEach((step: unknown, index) => {
            const key = stepKey(step);
            if (key === undefined) {
                return;
            }
            if (index === path.length - 1) {
                node[key] = true;
            } else {
                const next = node[key];
                node = (isRecord(next) ? next : (node[key] = {})) as Record<string | number, unknown>;
            }
        });
    }
    return arraysFromIndexes(root);
}

function stepKey(step: unknown): string | number | undefined {
    if (!isRecord(step)) {
        return undefined;
    }
    if (step.type === "get_attr" && typeof step.value === "string") {
        return step.value;
    }
    const index = isRecord(step.value) ? step.value.value : undefined;
    return typeof index === "number" || typeof index === "string" ? index : undefined;
}

/** Objects whose keys are all list indexes (numbers) become lists, as in `sensitive_values`. */
function arraysFromIndexes(node: unknown): unknown {
    if (!isRecord(node)) {
        return node;
    }
    const keys = Object.keys(node);
    if (keys.length > 0 && keys.every((key) => /^\d+$/.test(key))) {
        const list: unknown[] = [];
        keys.forEach((key) => { list[Number(key)] = arraysFromIndexes(node[key]); });
        return list;
    }
    return Object.fromEntries(keys.map((key) => [key, arraysFromIndexes(node[key])]));
}

export const terraformState: InputFormat = {
    name: "terraform-state",
    description: "a Terraform state (`terraform show -json` of it, or the state file, version 4)",
    marker: "values",
    matches: isState,
    read: (document) => terraformAuditDocument(stateResources(document)),
};
