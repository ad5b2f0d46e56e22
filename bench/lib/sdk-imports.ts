// Finds the Pulumi SDK modules a program loads, for the floor of the preview targets: a bare
// `node -e` that requires exactly those modules costs what no program using them can avoid.
// Static: follows the program's relative imports from its entry file and collects `@pulumi/*`
// specifiers of value imports (type-only imports vanish when TypeScript is transpiled).
import * as fs from "fs";
import * as path from "path";

const importPattern = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?["']([^"']+)["']|require\(\s*["']([^"']+)["']\s*\)/gm;

/** Module specifiers of value imports in one TypeScript source, in order of appearance. */
export function valueImports(source: string): string[] {
    const specifiers: string[] = [];
    for (const match of source.matchAll(importPattern)) {
        const typeOnly = match[2] !== undefined;
        const specifier = match[3] ?? match[4];
        if (!typeOnly && specifier !== undefined) {
            specifiers.push(specifier);
        }
    }
    return specifiers;
}

function resolveRelative(fromFile: string, specifier: string): string | undefined {
    const base = path.resolve(path.dirname(fromFile), specifier);
    return [`${base}.ts`, path.join(base, "index.ts"), base].find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
}

/** Every `@pulumi/*` module reachable from the entry file through relative imports, sorted. */
export function pulumiModulesOf(entryFile: string): string[] {
    const modules = new Set<string>();
    const seen = new Set<string>();
    const pending = [path.resolve(entryFile)];
    while (pending.length > 0) {
        const file = pending.pop() as string;
        if (seen.has(file)) {
            continue;
        }
        seen.add(file);
        for (const specifier of valueImports(fs.readFileSync(file, "utf8"))) {
            if (specifier.startsWith("@pulumi/")) {
                modules.add(specifier);
            } else if (specifier.startsWith(".")) {
                const resolved = resolveRelative(file, specifier);
                if (resolved?.endsWith(".ts")) {
                    pending.push(resolved);
                }
            }
        }
    }
    return [...modules].sort();
}

function requireOnlySource(modules: readonly string[]): string {
    return modules.map((m) => `require(${JSON.stringify(m)});`).join("");
}

/** A `node -e` argument vector that only loads the given modules. */
export function requireOnlyArgv(modules: readonly string[]): string[] {
    return [process.execPath, "-e", requireOnlySource(modules)];
}

/**
 * Writes a program that only loads the given modules, for a floor started the way a subject is
 * (through npm, ts-node or the SDK's runner) rather than by `node -e`. The file must lie inside
 * the repository, so that its `require`s resolve to the project's packages.
 */
export function writeRequireOnlyProgram(modules: readonly string[], file: string): string {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${requireOnlySource(modules)}\n`);
    return file;
}
