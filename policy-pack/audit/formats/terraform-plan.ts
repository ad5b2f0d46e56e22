/**
 * `terraform show -json <planfile>` (Terraform's "JSON Output Format": `{format_version,
 * resource_changes: [{address, mode, type, change: {actions, after, after_unknown,
 * after_sensitive}}], configuration, ...}`): every managed resource as the plan would leave it.
 *
 * - `change.after`, with the values in `after_unknown` as Pulumi's unknown sentinel: a plan of a
 *   new deployment does not know ARNs, ids, or the documents built from them, and the policies
 *   report those as not checked yet, never as passed or failed.
 * - `after_sensitive` values are read like Pulumi secrets (checked, never quoted). A plan holds
 *   them in plaintext (and every variable's value in `variables`, which the audit does not read).
 * - A change that only deletes (or forgets) leaves nothing to check; data sources are skipped.
 * - Where a value is unknown, the stack policies connect resources by the plan's `configuration`:
 *   the references of each attribute's expression, followed through module variables and outputs
 *   (`var.x` to the module call's argument, `module.m.o` to the module's output) to the resources
 *   they name. References through `local` values are not in that representation: such a
 *   connection stays unknown.
 */
import { isRecord } from "../../lib/unknowns";
import type { InputFormat } from "../reader";
import { TerraformResource, baseAddress, terraformAuditDocument } from "./terraform-resources";
import { pulumiPropertyName } from "./terraform-types";

/** Actions after which the resource no longer exists in the deployment. */
const ENDING_ACTIONS = new Set(["delete", "forget"]);

/**
 * Attributes the stack policies connect resources by (a role's ARN and name), kept while unknown
 * although the configuration does not set them, as the Pulumi adapters add them from outputs.
 */
const IDENTIFYING_ATTRIBUTES = new Set(["arn", "name"]);

/**
 * The managed resources a plan would leave, with `after` as their values. An attribute the plan
 * does not know and the configuration does not set is the provider's to compute (a role's
 * `inline_policy`, a secret's `policy`), not an argument of the deployment: it is left out, as a
 * Pulumi output is, unless the stack policies need it to connect resources. Throws naming the
 * first change it cannot read.
 */
export function planResources(document: Record<string, unknown>, configuration: PlanConfiguration): TerraformResource[] {
    const changes = document.resource_changes ?? [];
    if (!Array.isArray(changes)) {
        throw new Error("Terraform plan: resource_changes must be a list");
    }
    return changes.flatMap((entry, index): TerraformResource[] => {
        const where = `resource_changes[${index}]`;
        if (!isRecord(entry) || typeof entry.address !== "string" || typeof entry.type !== "string" || !isRecord(entry.change)) {
            throw new Error(`Terraform plan: ${where} has no address, type or change`);
        }
        const { actions, after, after_unknown: unknown, after_sensitive: sensitive } = entry.change;
        if (!Array.isArray(actions)) {
            throw new Error(`Terraform plan: ${where}.change.actions must be a list`);
        }
        if (entry.mode === "data" || "deposed" in entry || actions.every((action) => ENDING_ACTIONS.has(action as string))) {
            return [];
        }
        if (!isRecord(after) && after !== null) {
            throw new Error(`Terraform plan: ${where}.change.after must be an object`);
        }
        const configured = configuration.attributesOf(entry.address);
        let values: Record<string, unknown> = after ?? {};
        let unknownMarks = unknown;
        if (configured !== undefined && isRecord(unknown)) {
            const computed = Object.keys(unknown).filter((attribute) =>
                unknown[attribute] === true && !configured.has(attribute) && !IDENTIFYING_ATTRIBUTES.has(attribute));
            values = Object.fromEntries(Object.entries(values).filter(([attribute]) => !computed.includes(attribute)));
            unknownMarks = Object.fromEntries(Object.entries(unknown).filter(([attribute]) => !computed.includes(attribute)));
        }
        return [{ address: entry.address, type: entry.type, values, marks: { unknown: unknownMarks, sensitive } }];
    });
}

/** A module of the plan's `configuration` (`{resources, module_calls, outputs}`), with its path of module names. */
interface ConfigModule {
    readonly path: readonly string[];
    readonly body: Record<string, unknown>;
}

/**
 * What a plan's `configuration` says about each resource: which attributes it sets, and the
 * addresses each attribute's expression refers to, followed through module variables and outputs.
 */
export class PlanConfiguration {
    private readonly resourceConfigs = new Map<string, { module: ConfigModule; expressions: Record<string, unknown> }>();
    private readonly modules = new Map<string, ConfigModule>();

    constructor(configuration: unknown) {
        if (isRecord(configuration) && isRecord(configuration.root_module)) {
            this.index({ path: [], body: configuration.root_module });
        }
    }

    private index(module: ConfigModule): void {
        this.modules.set(module.path.join("."), module);
        const prefix = module.path.map((name) => `module.${name}.`).join("");
        for (const resource of asList(module.body.resources)) {
            if (isRecord(resource) && typeof resource.address === "string" && isRecord(resource.expressions) && resource.mode !== "data") {
                this.resourceConfigs.set(prefix + resource.address, { module, expressions: resource.expressions });
            }
        }
        const calls = module.body.module_calls;
        for (const [name, call] of Object.entries(isRecord(calls) ? calls : {})) {
            if (isRecord(call) && isRecord(call.module)) {
                this.index({ path: [...module.path, name], body: call.module });
            }
        }
    }

    /** The attributes the configuration of the resource at `address` sets; undefined when the plan has no configuration of it. */
    attributesOf(address: string): ReadonlySet<string> | undefined {
        const config = this.resourceConfigs.get(baseAddress(address));
        return config === undefined ? undefined : new Set(Object.keys(config.expressions));
    }

    /** Per Pulumi property of `resource`, the addresses of the resources among `instances` its value refers to. */
    dependencies(resource: TerraformResource, instances: readonly TerraformResource[]): Record<string, string[]> {
        const config = this.resourceConfigs.get(baseAddress(resource.address));
        const result: Record<string, string[]> = {};
        for (const [attribute, expression] of Object.entries(config?.expressions ?? {})) {
            const property = pulumiPropertyName(resource.type, attribute);
            const references = isRecord(expression) ? expression.references : undefined;
            if (property === undefined || !Array.isArray(references)) {
                continue;
            }
            const bases = new Set(this.resolve(config!.module, references, 0));
            const addresses = instances.filter((instance) => bases.has(baseAddress(instance.address))).map((instance) => instance.address);
            if (addresses.length > 0) {
                result[property] = addresses;
            }
        }
        return result;
    }

    /** The resource addresses (without instance keys) that references made in `module` lead to. */
    private resolve(module: ConfigModule, references: readonly unknown[], depth: number): string[] {
        if (depth > 32) {
            return [];  // a module cycle; Terraform itself refuses those
        }
        const prefix = module.path.map((name) => `module.${name}.`).join("");
        return references.flatMap((reference): string[] => {
            if (typeof reference !== "string") {
                return [];
            }
            const [first, second, third] = reference.split(".");
            if (first === "var" && module.path.length > 0) {
                const parent = this.modules.get(module.path.slice(0, -1).join("."));
                const call = parent && calls(parent)[module.path[module.path.length - 1]];
                const argument = isRecord(call) && isRecord(call.expressions) ? call.expressions[second] : undefined;
                return parent && isRecord(argument) ? this.resolve(parent, asList(argument.references), depth + 1) : [];
            }
            if (first === "module" && third !== undefined) {
                const child = this.modules.get([...module.path, second.replace(/\[.*$/, "")].join("."));
                const outputs = child?.body.outputs;
                const output = isRecord(outputs) ? outputs[third.replace(/\[.*$/, "")] : undefined;
                const expression = isRecord(output) ? output.expression : undefined;
                return child && isRecord(expression) ? this.resolve(child, asList(expression.references), depth + 1) : [];
            }
            if (second === undefined || NOT_RESOURCES.has(first)) {
                return [];
            }
            return [`${prefix}${first}.${second.replace(/\[.*$/, "")}`];
        });
    }
}

/** Reference roots that name no managed resource. */
const NOT_RESOURCES = new Set(["var", "module", "local", "data", "count", "each", "path", "terraform", "self"]);

function calls(module: ConfigModule): Record<string, unknown> {
    return isRecord(module.body.module_calls) ? module.body.module_calls : {};
}

function asList(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}

export const terraformPlan: InputFormat = {
    name: "terraform-plan",
    description: "`terraform show -json` of a plan ({format_version, resource_changes: [...]})",
    marker: "resource_changes",
    matches: (document) => typeof document.format_version === "string" && ("resource_changes" in document || "planned_values" in document),
    read(document) {
        const configuration = new PlanConfiguration(document.configuration);
        const resources = planResources(document, configuration);
        return terraformAuditDocument(resources, (resource) => configuration.dependencies(resource, resources));
    },
};
