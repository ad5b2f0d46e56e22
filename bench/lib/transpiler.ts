// The project transpiles with ts-node's swc transpiler ("ts-node": {"swc": true} in tsconfig.json).
// For comparison the bench also runs commands with TypeScript's own transpileModule, the setup
// before swc: a tsconfig extending the project's with swc switched off.
import * as fs from "fs";
import * as path from "path";
import { repoRoot, workDir } from "./paths";

/** Writes bench/.work/<name> and returns its path relative to the repo root (for TS_NODE_PROJECT or the runner's tsconfig option). */
export function typescriptTranspilerTsconfig(name: string): string {
    const config = { extends: "../../tsconfig.json", "ts-node": { transpileOnly: true, swc: false } };
    fs.mkdirSync(workDir, { recursive: true });
    const file = path.join(workDir, name);
    fs.writeFileSync(file, `${JSON.stringify(config, null, 4)}\n`);
    return path.relative(repoRoot, file);
}
