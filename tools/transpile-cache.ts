import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/** What this cache needs of the service `ts-node/register` leaves on the process. */
interface TsNodeService {
    ts: { version: string };
    config: { options: object };
    ignored(fileName: string): boolean;
}

type ModuleLoader = (module: NodeJS.Module, filename: string) => void;
type CompilableModule = NodeJS.Module & { _compile(code: string, filename: string): unknown };

/**
 * Keeps ts-node's transpiled JavaScript on disk, keyed by the file's path and content, the
 * TypeScript version and the compiler options, and reuses it on the next run.
 *
 * Transpiling is most of the offline preview's own start-up: the program, the policy pack and
 * this tool are some fifty TypeScript files, each transpiled afresh on every run under
 * `ts-node/register/transpile-only`. A changed file, compiler option or TypeScript version
 * yields a new key, so a stale entry is never used. The cache only ever holds what ts-node
 * produced; when it cannot be read or written, files are transpiled as usual. Stack traces
 * (`--debug`) of cached files point into the transpiled JavaScript, not the TypeScript.
 */
export function installTranspileCache(cacheDir: string): void {
    const service = (process as unknown as Record<symbol, TsNodeService | undefined>)[Symbol.for("ts-node.register.instance")];
    const transpile = require.extensions[".ts"] as ModuleLoader | undefined;
    if (service === undefined || transpile === undefined) {
        return;
    }
    try {
        fs.mkdirSync(cacheDir, { recursive: true });
    } catch {
        return;
    }
    const salt = JSON.stringify([service.ts.version, service.config.options]);

    require.extensions[".ts"] = (module: NodeJS.Module, filename: string) => {
        if (service.ignored(filename)) {
            return transpile(module, filename);
        }
        const compilable = module as CompilableModule;
        const source = fs.readFileSync(filename, "utf8");
        const key = createHash("sha256").update(salt).update("\0").update(filename).update("\0").update(source).digest("hex");
        const entry = path.join(cacheDir, `${key}.js`);
        const cached = readIfPresent(entry);
        if (cached !== undefined) {
            compilable._compile(cached, filename);
            return;
        }
        // ts-node wraps `_compile` to transpile, then calls the wrapped one with its output.
        const compile = compilable._compile;
        compilable._compile = function (this: CompilableModule, output: string, file: string) {
            compilable._compile = compile;
            writeAtomically(entry, output);
            return compile.call(this, output, file);
        };
        transpile(module, filename);
    };
}

function readIfPresent(file: string): string | undefined {
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        return undefined;
    }
}

/** Concurrent runs (the offline gate previews stacks in parallel) never see a partial entry. */
function writeAtomically(file: string, content: string): void {
    const temporary = `${file}.${process.pid}.tmp`;
    try {
        fs.writeFileSync(temporary, content);
        fs.renameSync(temporary, file);
    } catch {
        fs.rmSync(temporary, { force: true });
    }
}
