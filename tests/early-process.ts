/**
 * startEarly (policy-pack/tests/early-process.ts) for the root's tools: a real process a test
 * checks, started when the test file is loaded.
 */
import { EarlyProcess, startEarly } from "../policy-pack/tests/early-process";
import { nodeCommand, packageScripts, parseNodeScript } from "../tools/dev/npm-scripts";

/**
 * startEarly for a TypeScript tool of the package in `packageDir`, started as its npm script
 * starts it (node's options and TypeScript hook, the script's arguments, then `args`), from the
 * package directory, without an npm process; in `env` when given (default: this process's).
 */
export function startScriptEarly(packageDir: string, name: string, args: readonly string[], env?: NodeJS.ProcessEnv): EarlyProcess {
    const script = parseNodeScript(packageScripts(packageDir, [name]).get(name) as string);
    return startEarly(nodeCommand(script, script.entry, ...script.args, ...args), { cwd: packageDir, env });
}
