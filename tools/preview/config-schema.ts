/**
 * A stack's configuration checked against what the project and its providers declare, before
 * anything runs: at least as strict as the Pulumi CLI, and clearer. Every problem is reported at
 * once, each naming the key, what is wrong and the fix. No message repeats a value set as a
 * secret (`secure:`) or the value of a provider's secret key.
 *
 * What the Pulumi CLI checks (pulumi/pulumi sdk/go/common/workspace/config.go, `mergeConfig` and
 * `validateStackConfigValue`; project.go, `ValidateConfigValue`), done here the same way:
 * - a project key declared without `default` must be set ("Stack 'x' is missing configuration
 *   value 'k'");
 * - a value of an explicitly typed project key must have that type: `integer` accepts a whole
 *   number or a string that parses as one (so `"1024"`, which `pulumi config set` writes, passes
 *   as it does for the CLI), `boolean` true/false or "true"/"false", `string` any scalar, `array`
 *   a list whose items have the `items` type, `object` a mapping;
 * - a key the project declares `secret: true` must be set encrypted.
 * What it checks beyond the CLI (whose current versions pass such keys to the program, which
 * never reads them, so the default is silently used):
 * - a key in the project's namespace that Pulumi.yaml does not declare (when it declares any);
 * - a key whose namespace is neither the project's, the engine's (`pulumi`) nor a provider's the
 *   project depends on (provider-config.ts), and a provider key that provider does not declare;
 * - a provider's secret key (aws:secretKey, aws:accessKey, aws:token) set in plaintext;
 * - the scalar type of a provider key, and `aws:region` against the AWS provider's regions
 *   (unless `aws:skipRegionValidation` is set to true, for a region the provider does not list yet).
 */
import { undeclaredKeyProblem } from "../../lib/config-problems";
import { closestName } from "../../policy-pack/lib/closest-name";
import { awsRegions, ProviderConfig, ProviderKeyType } from "./provider-config";

/** The engine's own namespace (e.g. `pulumi:disable-default-providers`). */
const ENGINE_NAMESPACE = "pulumi";

/** A project's declaration of one of its keys (Pulumi.yaml `config:`), as far as checks need it. */
export interface KeyDeclaration {
    readonly type?: string;
    readonly items?: ItemsType;
    readonly hasDefault: boolean;
    readonly secret: boolean;
    readonly description?: string;
}

export interface ItemsType {
    readonly type?: string;
    readonly items?: ItemsType;
}

/** A value set for a key: in the stack file, or as a project-level value for another namespace. */
export interface SetValue {
    /** The YAML value, with `secure:` values still in place. */
    readonly value: unknown;
    /** Set encrypted (`secure:`, possibly inside a structured value). */
    readonly secure: boolean;
}

export interface SchemaCheckInput {
    readonly project: string;
    readonly stack: string;
    /** The project's own keys, without the namespace. */
    readonly declarations: ReadonlyMap<string, KeyDeclaration>;
    /** Every key set, fully qualified (`namespace:key`). */
    readonly values: ReadonlyMap<string, SetValue>;
    readonly providers: readonly ProviderConfig[];
}

/** Every problem of the stack's configuration, one sentence each starting with the key. */
export function checkStackConfig(input: SchemaCheckInput): string[] {
    const problems: string[] = [];
    const { project, stack, declarations, values, providers } = input;
    const providerByNamespace = new Map(providers.map((provider) => [provider.namespace, provider]));
    const knownKeys = [
        ...[...declarations.keys()].map((key) => `${project}:${key}`),
        ...providers.flatMap((provider) => [...provider.keys.keys()].map((key) => `${provider.namespace}:${key}`)),
    ];
    const setCommand = (key: string, secret = false) => `\`pulumi config set${secret ? " --secret" : ""} ${key} <value> --stack ${stack}\``;

    for (const [key, declaration] of [...declarations].sort(([a], [b]) => a.localeCompare(b))) {
        if (!declaration.hasDefault && !values.has(`${project}:${key}`)) {
            problems.push(`${project}:${key}: required (Pulumi.yaml declares it without a default) and not set; set it with ${setCommand(`${project}:${key}`, declaration.secret)}`);
        }
    }

    for (const [key, set] of [...values].sort(([a], [b]) => a.localeCompare(b))) {
        const separator = key.indexOf(":");
        const namespace = key.slice(0, separator);
        const name = key.slice(separator + 1);
        if (namespace === project) {
            const declaration = declarations.get(name);
            if (declaration === undefined) {
                if (declarations.size > 0) {
                    problems.push(undeclaredKeyProblem(key, knownKeys));
                }
                continue;
            }
            if (declaration.secret && !set.secure) {
                problems.push(`${key}: Pulumi.yaml declares it secret, but it is set in plaintext; set it encrypted with ${setCommand(key, true)}`);
            } else if (declaration.type !== undefined && !set.secure && !hasDeclaredType(declaration.type, declaration.items, set.value, true)) {
                const about = declaration.description === undefined ? "" : ` (Pulumi.yaml: ${declaration.description.replace(/\.$/, "")})`;
                problems.push(`${key}: must be ${typeName(declaration.type, declaration.items)}, got ${describe(set.value)}${about}`);
            }
            continue;
        }
        if (namespace === ENGINE_NAMESPACE) {
            continue;
        }
        const provider = providerByNamespace.get(namespace);
        if (provider === undefined) {
            const namespaces = [project, ...providerByNamespace.keys()].join(", ");
            problems.push(`${key}: unknown namespace "${namespace}", neither this project's nor a provider's it uses (${namespaces})${suggestion(key, knownKeys)}`);
            continue;
        }
        const type = provider.keys.get(name);
        if (type === undefined) {
            const declared = provider.keys.size === 0 ? `; the ${namespace} provider declares no configuration` : "";
            problems.push(`${key}: not a configuration key of the ${namespace} provider (${provider.packageLabel})${suggestion(key, knownKeys) || declared}`);
            continue;
        }
        if (provider.secretKeys.has(name) && !set.secure) {
            problems.push(`${key}: a credential set in plaintext, which would be stored and exported as written; remove it and set it encrypted with ` +
                `${setCommand(key, true)}, or better, give the provider its credentials from the environment (a profile, or CI's role)`);
            continue;
        }
        if (set.secure || provider.secretKeys.has(name)) {
            continue;
        }
        if (!hasProviderType(type, set.value)) {
            problems.push(`${key}: must be ${PROVIDER_TYPE_NAMES[type]} (the ${namespace} provider declares it so), got ${describe(set.value)}`);
        } else if (key === "aws:region" && values.get("aws:skipRegionValidation")?.value !== true && values.get("aws:skipRegionValidation")?.value !== "true") {
            const regions = awsRegions(provider.packageDir);
            if (regions.length > 0 && !regions.includes(String(set.value))) {
                const near = closestName(String(set.value), regions);
                problems.push(`${key}: ${describe(set.value)} is not an AWS region (${provider.packageLabel} knows ${regions.length})${near ? `; did you mean ${near}?` : ""} ` +
                    "(for a region the provider does not list yet, set aws:skipRegionValidation: true)");
            }
        }
    }
    return problems;
}

function suggestion(key: string, knownKeys: readonly string[]): string {
    const near = closestName(key, knownKeys);
    return near === undefined ? "" : `; did you mean ${near}?`;
}

/** How a value reads in a message: strings quoted, numbers and booleans as they are, structures by their kind. */
function describe(value: unknown): string {
    if (Array.isArray(value)) {
        return "a list";
    }
    if (typeof value === "object" && value !== null) {
        return "a mapping";
    }
    return typeof value === "string" ? JSON.stringify(value) : String(value);
}

function typeName(type: string, items?: ItemsType): string {
    const names: Record<string, string> = { string: "a string", integer: "an integer", boolean: "true or false", object: "a mapping" };
    if (type === "array") {
        const plural: Record<string, string> = { string: "strings", integer: "integers", boolean: "booleans", object: "mappings" };
        return `a list of ${items?.type === undefined ? "values" : items.type === "array" ? "lists" : (plural[items.type] ?? items.type)}`;
    }
    return names[type] ?? `of type ${type}`;
}

/**
 * The CLI's `ValidateConfigValue`: a top-level scalar reaches it as text (so any scalar is a
 * string, and an integer or boolean may be written as one); items of a list keep their JSON types.
 */
function hasDeclaredType(type: string, items: ItemsType | undefined, value: unknown, topLevel: boolean): boolean {
    const scalar = typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value === null;
    switch (type) {
        case "string":
            return topLevel ? scalar : typeof value === "string";
        case "integer":
            return Number.isInteger(value) || (typeof value === "string" && /^[+-]?\d+$/.test(value));
        case "boolean":
            return typeof value === "boolean" || value === "true" || value === "false";
        case "object":
            return typeof value === "object" && value !== null && !Array.isArray(value);
        case "array":
            return Array.isArray(value) && items?.type !== undefined && value.every((item) => hasDeclaredType(items.type as string, items.items, item, false));
        default:
            return true;
    }
}

const PROVIDER_TYPE_NAMES: Record<ProviderKeyType, string> = {
    string: "a string",
    number: "a number",
    boolean: "true or false",
    "string[]": "a list of strings",
    other: "a structured value",
};

function hasProviderType(type: ProviderKeyType, value: unknown): boolean {
    switch (type) {
        case "string":
            return typeof value !== "object" || value === null;
        case "number":
            return typeof value === "number" || (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)));
        case "boolean":
            return typeof value === "boolean" || value === "true" || value === "false";
        case "string[]":
            return Array.isArray(value) && value.every((item) => typeof item === "string");
        default:
            return true;
    }
}
