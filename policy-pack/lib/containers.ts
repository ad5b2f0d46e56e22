/**
 * The containers a resource defines, read from each shape that can carry them: the
 * `containerDefinitions` JSON string of `aws.ecs.TaskDefinition`, the `containerDefinitions` list
 * of `aws-native:ecs:TaskDefinition` and the `container` / `containers` / `taskDefinitionArgs`
 * inputs of the awsx ECS components. Pure: no Pulumi calls.
 *
 * Keys are read the way the provider decodes them. terraform-provider-aws (and @pulumi/aws, which
 * bridges it) turns `containerDefinitions` into the AWS SDK's `ContainerDefinition` with Go's
 * `encoding/json` (internal/service/ecs/container_definitions.go, expandContainerDefinitions, through
 * internal/json/decode.go): an object key matches a field case-insensitively, by Unicode simple case
 * folding, and when several keys match one field the last one wins. `{"Environment": [...]}` thus
 * reaches ECS as the container's environment. awsx spreads a container's properties into that same
 * JSON (pulumi-awsx awsx/ecs/containers.ts, computeContainerDefinition), so every container object is
 * read this way, whatever resource holds it.
 *
 * Secrets are read from every place ECS reads one (ECS Developer Guide, "Pass sensitive data to an
 * Amazon ECS container" and "Private registry authentication for tasks"):
 * `secrets[].valueFrom`, `logConfiguration.secretOptions[].valueFrom` and
 * `repositoryCredentials.credentialsParameter`.
 */
import { OpaquePaths, isRecord } from "./unknowns";

export interface NamedEntry {
    readonly name: string;
    /** Where the entry sits in the resource's properties, as spelled there, for messages. */
    readonly path: string;
}

/** Where in a container a secret reference sits; each is read by ECS with the execution role. */
export type SecretUse = "environment" | "log" | "registry";

export interface SecretEntry {
    readonly use: SecretUse;
    /** The variable (`secrets`) or log option (`secretOptions`) name; absent for registry credentials. */
    readonly name?: string;
    /** The reference's own path (`...secrets[0]`, `...repositoryCredentials`), for messages. */
    readonly path: string;
    /** `valueFrom` or `credentialsParameter`; undefined when opaque. */
    readonly valueFrom?: string;
}

export interface ContainerView {
    readonly path: string;
    readonly environment: readonly NamedEntry[];
    /** Every secret reference of the container, in the order environment, log, registry. */
    readonly secrets: readonly SecretEntry[];
}

export interface ContainerSet {
    readonly containers: readonly ContainerView[];
    /** Parts that cannot be read during preview (or are encrypted). */
    readonly opaque: OpaquePaths;
    /** Parts ECS would reject, so nothing in them can be checked: where (a property path) and what is wrong. */
    readonly errors: readonly ContainerSetError[];
}

export interface ContainerSetError {
    readonly path: string;
    /** Follows the path in a message: `is not valid JSON (...)`. */
    readonly problem: string;
}

/**
 * The provider's key equivalence for the ASCII field names read here: Go folds `ſ` (U+017F) with
 * `s` and `K` (U+212A, which `toLowerCase` maps to `k`) with `k`; no other character folds to an
 * ASCII letter.
 */
export function foldKey(key: string): string {
    const lower = key.toLowerCase();
    return lower.includes("\u017f") ? lower.replace(/\u017f/g, "s") : lower;
}

/** A field of a decoded object: the key it was spelled with and its value. */
export interface Field {
    readonly key: string;
    readonly value: unknown;
}

/**
 * The fields of an object by folded key, as the provider's decoder assigns them (the last key that
 * folds to a field wins).
 */
export function foldedFields(record: Record<string, unknown>): ReadonlyMap<string, Field> {
    const fields = new Map<string, Field>();
    for (const key of Object.keys(record)) {
        fields.set(foldKey(key), { key, value: record[key] });
    }
    return fields;
}

/** `aws.ecs.TaskDefinition`: `containerDefinitions` is a JSON string (a parsed list is accepted too). */
export function taskDefinitionContainers(props: Record<string, unknown>): ContainerSet {
    const reader = new ContainerReader();
    const definitions = props.containerDefinitions;
    if (reader.opaque.check(definitions, "containerDefinitions") || definitions === undefined || definitions === null) {
        return reader.result();
    }
    const parsed = typeof definitions === "string" ? parseDefinitions(definitions) : definitions;
    if (parsed instanceof SyntaxError) {
        reader.errors.push({ path: "containerDefinitions", problem: `is not valid JSON (${parsed.message})` });
        return reader.result();
    }
    if (!Array.isArray(parsed)) {
        reader.errors.push({ path: "containerDefinitions", problem: "must be a JSON list of container definitions" });
        return reader.result();
    }
    parsed.forEach((container, index) => reader.readContainer(container, `containerDefinitions[${index}]`));
    return reader.result();
}

// Several policies read the same task definitions; the parsed JSON is only ever read, so it is shared.
const parsedDefinitions = new Map<string, unknown>();
const PARSED_LIMIT = 10_000;

function parseDefinitions(text: string): unknown {
    if (parsedDefinitions.has(text)) {
        return parsedDefinitions.get(text);
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (error) {
        parsed = error;
    }
    if (parsedDefinitions.size >= PARSED_LIMIT) {
        parsedDefinitions.clear();
    }
    parsedDefinitions.set(text, parsed);
    return parsed;
}

/**
 * awsx `FargateTaskDefinition`/`EC2TaskDefinition` (`container`, `containers`) and
 * `FargateService`/`EC2Service` (the same under `taskDefinitionArgs`). These argument names are
 * read by awsx's own code, exactly as spelled; the containers under them by the provider.
 */
export function awsxContainers(props: Record<string, unknown>): ContainerSet {
    const reader = new ContainerReader();
    reader.readContainerArgs(props, "");
    const taskDefinitionArgs = props.taskDefinitionArgs;
    if (!reader.opaque.check(taskDefinitionArgs, "taskDefinitionArgs") && isRecord(taskDefinitionArgs)) {
        reader.readContainerArgs(taskDefinitionArgs, "taskDefinitionArgs.");
    }
    return reader.result();
}

class ContainerReader {
    readonly containers: ContainerView[] = [];
    readonly opaque = new OpaquePaths();
    readonly errors: ContainerSetError[] = [];

    result(): ContainerSet {
        return { containers: this.containers, opaque: this.opaque, errors: this.errors };
    }

    readContainerArgs(args: Record<string, unknown>, prefix: string): void {
        const single = args.container;
        if (!this.opaque.check(single, `${prefix}container`) && single !== undefined) {
            this.readContainer(single, `${prefix}container`);
        }
        const map = args.containers;
        if (this.opaque.check(map, `${prefix}containers`) || !isRecord(map)) {
            return;
        }
        for (const [name, container] of Object.entries(map)) {
            this.readContainer(container, `${prefix}containers.${name}`);
        }
    }

    readContainer(container: unknown, path: string): void {
        if (this.opaque.check(container, path) || !isRecord(container)) {
            return;
        }
        const fields = foldedFields(container);
        const secrets: SecretEntry[] = this.readEntries(fields.get("secrets"), path)
            .map(({ entry, fields: entryFields }) => this.secretEntry("environment", entry, entryFields.get("valuefrom")));
        const log = this.readRecord(fields.get("logconfiguration"), path);
        if (log !== undefined) {
            secrets.push(...this.readEntries(log.fields.get("secretoptions"), log.path)
                .map(({ entry, fields: entryFields }) => this.secretEntry("log", entry, entryFields.get("valuefrom"))));
        }
        const registry = this.readRecord(fields.get("repositorycredentials"), path);
        if (registry !== undefined) {
            const parameter = registry.fields.get("credentialsparameter");
            if (parameter !== undefined) {
                secrets.push(this.secretEntry("registry", { path: registry.path }, parameter));
            }
        }
        this.containers.push({
            path,
            environment: this.readEntries(fields.get("environment"), path).flatMap(({ entry }) =>
                entry.name === undefined ? [] : [{ name: entry.name, path: entry.path }]),
            secrets,
        });
    }

    private secretEntry(use: SecretUse, entry: { name?: string; path: string }, reference: Field | undefined): SecretEntry {
        const valueFrom = reference?.value;
        const known = reference !== undefined && !this.opaque.check(valueFrom, `${entry.path}.${reference.key}`) && typeof valueFrom === "string";
        return { use, ...entry, ...(known && { valueFrom: valueFrom as string }) };
    }

    /** An object field, with its fields and path; opaque ones are recorded. */
    private readRecord(field: Field | undefined, parentPath: string): { fields: ReadonlyMap<string, Field>; path: string } | undefined {
        if (field === undefined) {
            return undefined;
        }
        const path = `${parentPath}.${field.key}`;
        if (this.opaque.check(field.value, path) || !isRecord(field.value)) {
            return undefined;
        }
        return { fields: foldedFields(field.value), path };
    }

    /** `[{ name, ... }]` entries, each with its name when known; opaque lists and names are recorded. */
    private readEntries(field: Field | undefined, parentPath: string): ListEntry[] {
        if (field === undefined) {
            return [];
        }
        const path = `${parentPath}.${field.key}`;
        if (this.opaque.check(field.value, path) || !Array.isArray(field.value)) {
            return [];
        }
        const entries: ListEntry[] = [];
        field.value.forEach((raw: unknown, index) => {
            const entryPath = `${path}[${index}]`;
            if (this.opaque.check(raw, entryPath) || !isRecord(raw)) {
                return;
            }
            const fields = foldedFields(raw);
            const name = fields.get("name");
            const value = name === undefined || this.opaque.check(name.value, `${entryPath}.${name.key}`) ? undefined : name.value;
            entries.push({ entry: { path: entryPath, ...(typeof value === "string" && { name: value }) }, fields });
        });
        return entries;
    }
}

interface ListEntry {
    readonly entry: { readonly name?: string; readonly path: string };
    readonly fields: ReadonlyMap<string, Field>;
}

/** `aws.lambda.Function` and `aws-native:lambda:Function`: the names of `environment.variables`. */
export function lambdaEnvironmentNames(props: Record<string, unknown>, opaque: OpaquePaths): NamedEntry[] {
    const environment = props.environment;
    if (opaque.check(environment, "environment") || !isRecord(environment)) {
        return [];
    }
    const variables = environment.variables;
    if (opaque.check(variables, "environment.variables") || !isRecord(variables)) {
        return [];
    }
    return Object.keys(variables).map((name) => ({ name, path: `environment.variables.${name}` }));
}
