// Turns a bench helper written in TypeScript into plain JavaScript under bench/.work, for the
// processes that must start without a TypeScript hook: the memory probe preloaded into every
// measured process, and the emulation of Pulumi's runner, which registers ts-node itself.
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { workDir } from "./paths";

/** Transpiles `source` (a .ts file) to bench/.work/<name>.js and returns that path. */
export function transpileToWork(source: string): string {
    const output = ts.transpileModule(fs.readFileSync(source, "utf8"), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        fileName: source,
    });
    fs.mkdirSync(workDir, { recursive: true });
    const target = path.join(workDir, `${path.basename(source, ".ts")}.js`);
    fs.writeFileSync(target, output.outputText);
    return target;
}
