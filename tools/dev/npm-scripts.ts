// The package's npm scripts: reading them, and taking apart the ones that start a TypeScript file
// with node, so that a tool (npm test's runner, the bench, a test) can start that file the way
// its script does without an npm process of its own.
import { readFileSync } from "fs";
import * as path from "path";

/** The named scripts of the package in `packageDir`; throws naming the missing ones. */
export function packageScripts(packageDir: string, names: readonly string[]): Map<string, string> {
    const scripts: Record<string, string> = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")).scripts ?? {};
    const missing = names.filter((name) => typeof scripts[name] !== "string");
    if (missing.length > 0) {
        throw new Error(`no script ${missing.join(", ")} in ${path.join(packageDir, "package.json")}; the scripts are: ${Object.keys(scripts).join(", ")}`);
    }
    return new Map(names.map((name) => [name, scripts[name]]));
}

/** An npm script of the form `node [options] <entry.ts> [args]`, in its parts. */
export interface NodeScript {
    /** Node's own options (flags and the TypeScript hook), without `node`. */
    readonly nodeOptions: readonly string[];
    /** The TypeScript file, relative to the package directory. */
    readonly entry: string;
    readonly args: readonly string[];
}

/** Splits an npm script that starts one TypeScript file with node; throws for any other form. */
export function parseNodeScript(script: string): NodeScript {
    const [command, ...words] = script.trim().split(/\s+/);
    const entryIndex = words.findIndex((word) => word.endsWith(".ts"));
    if (command !== "node" || entryIndex < 0) {
        throw new Error(`not of the form "node [options] <entry.ts> [args]": ${script}`);
    }
    return { nodeOptions: words.slice(0, entryIndex), entry: words[entryIndex], args: words.slice(entryIndex + 1) };
}

/** The script's node command without npm: this Node, the script's options and hook, then `entryAndArgs` (its entry and arguments, or others). */
export function nodeCommand(script: NodeScript, ...entryAndArgs: string[]): string[] {
    return [process.execPath, ...script.nodeOptions, ...entryAndArgs];
}
