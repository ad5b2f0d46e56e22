import * as fs from "fs";
import * as path from "path";
import { CORE_SCHEMA, load, YAMLException } from "js-yaml";
import type { AdmaConfig } from "../../lib/config";
import { invalidStackConfiguration, problemKey, stackFileName } from "../../lib/config-problems";
import { InputError } from "../../policy-pack/lib/cli";
import { closestName } from "../../policy-pack/lib/closest-name";
import { checkStackConfig, ItemsType, KeyDeclaration, SetValue } from "./config-schema";
import { checkProgramConfig } from "./program-config";
import { providerConfigs } from "./provider-config";

/**
 * The configuration a Pulumi program would receive for one stack, read from `Pulumi.yaml`
 * (project name, config schema defaults) and `Pulumi.<stack>.yaml` (the stack's values), with
 * the CLI's conventions: keys are `namespace:key` (a bare key belongs to the project), values
 * are strings (structured values as JSON).
 */
export interface StackConfig {
    project: string;
    stack: string;
    /** The program's entry module, from `main:` in Pulumi.yaml, relative to the project. */
    main?: string;
    config: Record<string, string>;
    secretKeys: string[];
    /** Keys whose `secure:` value could not be decrypted and was replaced by a placeholder. */
    placeholderKeys: string[];
    /** The program's typed settings (program-config.ts), for this program's project. */
    program?: AdmaConfig;
}

/** Stands in for a `secure:` value, which only the stack's secrets provider can decrypt. */
export function securePlaceholder(key: string): string {
    return `offline-preview-placeholder-for-${key}`;
}

/**
 * The project a command run from `folder` belongs to, as the Pulumi CLI finds it: "the nearest
 * parent folder containing a Pulumi.yaml file determines the current project"
 * (https://www.pulumi.com/docs/iac/concepts/projects/). `folder` itself when none holds one or
 * it does not exist, so that the error names where the user was.
 */
export function findProjectDir(folder: string): string {
    if (!fs.existsSync(folder)) {
        return path.resolve(folder);
    }
    for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) {
            return dir;
        }
        if (path.dirname(dir) === dir) {
            return path.resolve(folder);
        }
    }
}

/** The stack names that have a `Pulumi.<stack>.yaml` in the project directory. */
export function listStacks(projectDir: string): string[] {
    let files: string[];
    try {
        files = fs.readdirSync(projectDir);
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const why = code === "ENOENT" ? "no such directory" : code === "ENOTDIR" ? "not a directory" : (error as Error).message;
        throw new Error(`cannot list the stacks of the project directory ${projectDir}: ${why}`);
    }
    return files
        .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort();
}

/**
 * The stack's configuration as the program would receive it, checked in one pass: throws an
 * `InputError` listing every problem at once, before anything runs: settings outside `config:`,
 * the stack file against the project and its providers (config-schema.ts: undeclared or mistyped
 * keys, missing required ones, unknown namespaces and provider keys, plaintext credentials), then
 * the program's own checks of the values (program-config.ts), each key's problem named once.
 * `region` overrides the one the program's ARN checks use.
 */
export function loadStackConfig(projectDir: string, stack: string, { region }: { region?: string } = {}): StackConfig {
    const { stackConfig, declarations, values, topLevelKeys } = readStackConfig(projectDir, stack);
    const outsideConfig = topLevelKeys.filter((key) => !STACK_FILE_ATTRIBUTES.includes(key));
    const settingsOutsideConfig = outsideConfig.filter((key) => key.includes(":") || declarations.has(key));
    const otherOutsideConfig = outsideConfig.filter((key) => !settingsOutsideConfig.includes(key));
    const fileProblems = [
        ...(settingsOutsideConfig.length === 0 ? [] : [
            `${settingsOutsideConfig.join(", ")}: at the top level of ${stackFileName(stack)}, where the Pulumi CLI reads no setting; ` +
            "stack settings belong under `config:` (a `config:` line, then each setting indented under it)",
        ]),
        ...otherOutsideConfig.map((key) => `${key}: not an attribute of a stack file (${STACK_FILE_ATTRIBUTES.join(", ")})`),
    ];
    const schemaProblems = checkStackConfig({ project: stackConfig.project, stack, declarations, values, providers: providerConfigs(projectDir) });
    const program = checkProgramConfig(stackConfig, region);
    const problems = [
        ...fileProblems,
        ...oncePerKey([schemaProblems, program.problems], settingsOutsideConfig.map((key) => qualifiedKey(stackConfig.project, key))),
    ];
    if (problems.length > 0) {
        throw new InputError(withPlaceholderNote(invalidStackConfiguration(stackFileName(stack), problems), stackConfig.placeholderKeys));
    }
    return { ...stackConfig, program: program.config };
}

/**
 * The attributes of a stack file (https://www.pulumi.com/docs/iac/concepts/projects/stack-settings-file/);
 * `environment` names Pulumi ESC environments, not the program's `adma:environment`.
 */
const STACK_FILE_ATTRIBUTES = ["config", "environment", "secretsprovider", "encryptedkey", "encryptionsalt"];

/**
 * The problems of every source in order, each key's problems from its first source only: a
 * mistake one check reports (a mistyped value, a setting outside `config:`) is not reported again
 * by the next in other words. `reported` are keys already reported.
 */
function oncePerKey(sources: ReadonlyArray<readonly string[]>, reported: readonly string[]): string[] {
    const seen = new Set(reported);
    const problems: string[] = [];
    for (const source of sources) {
        const keys = source.map(problemKey);
        problems.push(...source.filter((_, index) => keys[index] === undefined || !seen.has(keys[index] as string)));
        keys.forEach((key) => key !== undefined && seen.add(key));
    }
    return problems;
}

/**
 * A message naming a key whose `secure:` value was replaced by a placeholder says so: the program
 * checked the placeholder, not the stack's value, which only the Pulumi CLI can decrypt.
 */
export function withPlaceholderNote(message: string, placeholderKeys: readonly string[]): string {
    const named = placeholderKeys.filter((key) => message.includes(key));
    if (named.length === 0) {
        return message;
    }
    return `${message}\nnote: offline, the secure value${named.length > 1 ? "s" : ""} of ${named.join(", ")} ${named.length > 1 ? "are placeholders" : "is a placeholder"} ` +
        "(only the stack's secrets provider can decrypt it), so the program checked the placeholder; preview this stack with the Pulumi CLI to check the value";
}

/** What a stack file says, unchecked: the configuration as the program would receive it, and what the schema check reads. */
export interface StackFileContents {
    readonly stackConfig: StackConfig;
    /** The stack file's top-level keys. */
    readonly topLevelKeys: readonly string[];
    readonly declarations: ReadonlyMap<string, KeyDeclaration>;
    readonly values: ReadonlyMap<string, SetValue>;
}

export function readStackConfig(projectDir: string, stack: string): StackFileContents {
    const stacks = listStacks(projectDir);
    if (!fs.existsSync(path.join(projectDir, "Pulumi.yaml"))) {
        throw new InputError(`${projectDir} is not in a Pulumi project: no Pulumi.yaml in it or in any folder above it`);
    }
    if (!stacks.includes(stack)) {
        const near = closestName(stack, stacks);
        const known = stacks.length > 0 ? `existing stacks: ${stacks.join(", ")}` : "no Pulumi.<stack>.yaml exists";
        throw new InputError(`unknown stack "${stack}" (no ${stackFileName(stack)} in ${projectDir})${near === undefined ? "" : `; did you mean ${near}?`}; ${known}`);
    }
    const projectFile = readYamlObject(path.join(projectDir, "Pulumi.yaml"), false);
    const project = projectFile.name;
    if (typeof project !== "string" || project === "") {
        throw new Error(`Pulumi.yaml in ${projectDir} has no project name`);
    }
    const fileName = stackFileName(stack);
    const stackFile = readYamlObject(path.join(projectDir, fileName), true);

    const config: Record<string, string> = {};
    const secretKeys = new Set<string>();
    const placeholderKeys: string[] = [];
    const declarations = new Map<string, KeyDeclaration>();
    const values = new Map<string, SetValue>();
    for (const [rawKey, entry] of Object.entries(objectAt(projectFile, "config", "Pulumi.yaml"))) {
        const key = qualifiedKey(project, rawKey);
        const projectDefault = schemaDefault(entry);
        if (key.startsWith(`${project}:`)) {
            declarations.set(key.slice(project.length + 1), declarationOf(entry));
        } else if (projectDefault !== undefined) {
            values.set(key, { value: projectDefault, secure: false });
        }
        if (projectDefault !== undefined) {
            config[key] = configString(projectDefault);
        }
    }
    for (const [rawKey, value] of Object.entries(objectAt(stackFile, "config", fileName))) {
        const key = qualifiedKey(project, rawKey);
        const decrypted = replaceSecureValues(value, securePlaceholder(key));
        values.set(key, { value, secure: decrypted.hadSecure });
        config[key] = configString(decrypted.value);
        if (decrypted.hadSecure) {
            secretKeys.add(key);
            placeholderKeys.push(key);
        }
    }
    const main = typeof projectFile.main === "string" ? projectFile.main : undefined;
    return {
        stackConfig: { project, stack, main, config, secretKeys: [...secretKeys], placeholderKeys },
        topLevelKeys: Object.keys(stackFile),
        declarations,
        values,
    };
}

/**
 * A YAML file's top-level mapping. An empty stack file is an empty mapping, as it is for the
 * Pulumi CLI (its missing keys are then named). A syntax error gives the file, the line and
 * column, and js-yaml's reason, but not its excerpt of the file, which can hold secret values.
 */
function readYamlObject(file: string, emptyIsMapping: boolean): Record<string, unknown> {
    let document: unknown;
    try {
        // YAML 1.2's core schema, as the Pulumi CLI reads these files: no timestamps turned into
        // Dates. A duplicate key is an error (js-yaml's default), as it is for the CLI.
        document = load(fs.readFileSync(file, "utf8"), { schema: CORE_SCHEMA });
    } catch (error) {
        const why = error instanceof YAMLException ? `${error.reason} (${error.mark.line + 1}:${error.mark.column + 1})` : (error as Error).message;
        throw new Error(`cannot read ${file}: ${why}`);
    }
    if (emptyIsMapping && (document === undefined || document === null)) {
        return {};
    }
    if (!isPlainObject(document)) {
        throw new Error(`${file} is not a YAML mapping`);
    }
    return document;
}

function objectAt(document: Record<string, unknown>, key: string, fileName: string): Record<string, unknown> {
    const value = document[key];
    if (value === undefined || value === null) {
        return {};
    }
    if (!isPlainObject(value)) {
        throw new Error(`${fileName}: "${key}" must be a mapping`);
    }
    return value;
}

function qualifiedKey(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

const DECLARATION_KEYS = ["type", "description", "default", "value", "secret", "items"];

/**
 * A project-level entry is either a bare value (shorthand for the default) or a declaration
 * with `default` (project keys) or `value` (other namespaces, e.g. `aws:region`); a declaration
 * with neither names a key the stack must set.
 */
function schemaDefault(entry: unknown): unknown {
    if (!isDeclaration(entry)) {
        return entry ?? undefined;
    }
    return "value" in entry ? entry.value : entry.default;
}

/** A project key's declaration: a bare value is shorthand for its default. */
function declarationOf(entry: unknown): KeyDeclaration {
    if (!isDeclaration(entry)) {
        return { hasDefault: entry !== undefined && entry !== null, secret: false };
    }
    return {
        type: typeof entry.type === "string" ? entry.type : undefined,
        items: isPlainObject(entry.items) ? (entry.items as ItemsType) : undefined,
        hasDefault: entry.default !== undefined && entry.default !== null,
        secret: entry.secret === true,
        description: typeof entry.description === "string" ? entry.description : undefined,
    };
}

function isDeclaration(entry: unknown): entry is Record<string, unknown> {
    return isPlainObject(entry) && Object.keys(entry).some((key) => DECLARATION_KEYS.includes(key));
}

/** Replaces every `{secure: ...}` in a (possibly structured) value by the placeholder. */
function replaceSecureValues(value: unknown, placeholder: string): { value: unknown; hadSecure: boolean } {
    if (isPlainObject(value) && Object.keys(value).length === 1 && typeof value.secure === "string") {
        return { value: placeholder, hadSecure: true };
    }
    if (Array.isArray(value) || isPlainObject(value)) {
        let hadSecure = false;
        const entries = Object.entries(value).map(([k, v]) => {
            const replaced = replaceSecureValues(v, placeholder);
            hadSecure ||= replaced.hadSecure;
            return [k, replaced.value] as const;
        });
        const rebuilt = Array.isArray(value) ? entries.map(([, v]) => v) : Object.fromEntries(entries);
        return { value: rebuilt, hadSecure };
    }
    return { value, hadSecure: false };
}

/** The CLI passes scalars as their text and structured values as JSON. */
function configString(value: unknown): string {
    return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
