/**
 * The containers a resource defines, read from each shape that can carry them: the
 * `containerDefinitions` JSON string of `aws.ecs.TaskDefinition` and the `container` /
 * `containers` / `taskDefinitionArgs` inputs of the awsx ECS components. Pure: no Pulumi calls.
 */
import { OpaquePaths, isRecord } from "./unknowns";

export interface NamedEntry {
    readonly name: string;
    /** Where the entry sits in the resource's properties, for messages. */
    readonly path: string;
}

export interface SecretEntry extends NamedEntry {
    /** Undefined when opaque. */
    readonly valueFrom?: string;
}

export interface ContainerView {
    readonly path: string;
    readonly environment: readonly NamedEntry[];
    readonly secrets: readonly SecretEntry[];
}

export interface ContainerSet {
    readonly containers: readonly ContainerView[];
    /** Parts that cannot be read during preview (or are encrypted). */
    readonly opaque: OpaquePaths;
    /** Parts ECS would reject, so nothing in them can be checked. */
    readonly errors: readonly string[];
}

/** `aws.ecs.TaskDefinition`: `containerDefinitions` is a JSON string (a parsed list is accepted too). */
export function taskDefinitionContainers(props: Record<string, unknown>): ContainerSet {
    const reader = new ContainerReader();
    const definitions = props.containerDefinitions;
    if (reader.opaque.check(definitions, "containerDefinitions") || definitions === undefined) {
        return reader.result();
    }
    const parsed = typeof definitions === "string" ? parseDefinitions(definitions) : definitions;
    if (parsed instanceof SyntaxError) {
        reader.errors.push(`containerDefinitions is not valid JSON (${parsed.message})`);
        return reader.result();
    }
    if (!Array.isArray(parsed)) {
        reader.errors.push("containerDefinitions must be a JSON list of container definitions");
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
 * `FargateService`/`EC2Service` (the same under `taskDefinitionArgs`).
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
    readonly errors: string[] = [];

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
        this.containers.push({
            path,
            environment: this.readEntries(container.environment, `${path}.environment`).map(({ entry }) => entry),
            secrets: this.readEntries(container.secrets, `${path}.secrets`).map(({ entry, raw }) => {
                const valueFrom = raw.valueFrom;
                const known = !this.opaque.check(valueFrom, `${entry.path}.valueFrom`) && typeof valueFrom === "string";
                return known ? { ...entry, valueFrom: valueFrom as string } : entry;
            }),
        });
    }

    /** `[{ name, ... }]` entries with a known name; opaque lists and names are recorded. */
    private readEntries(list: unknown, path: string): { entry: NamedEntry; raw: Record<string, unknown> }[] {
        if (this.opaque.check(list, path) || !Array.isArray(list)) {
            return [];
        }
        const entries: { entry: NamedEntry; raw: Record<string, unknown> }[] = [];
        list.forEach((raw, index) => {
            const entryPath = `${path}[${index}]`;
            if (this.opaque.check(raw, entryPath) || !isRecord(raw)) {
                return;
            }
            if (!this.opaque.check(raw.name, `${entryPath}.name`) && typeof raw.name === "string") {
                entries.push({ entry: { name: raw.name, path: entryPath }, raw });
            }
        });
        return entries;
    }
}

/** `aws.lambda.Function`: the names of `environment.variables`. */
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
