// The swc variant of the TypeScript hook: ts-node with its swc transpiler instead of TypeScript's
// transpileModule. Measured only when @swc/core is installed in the project, or when
// BENCH_SWC_CORE names an @swc/core directory installed elsewhere (to measure before adopting it).
import * as fs from "fs";
import * as path from "path";
import { repoRoot, workDir } from "./paths";

export function swcCoreDir(): string | undefined {
    if (process.env.BENCH_SWC_CORE) {
        return process.env.BENCH_SWC_CORE;
    }
    try {
        return path.dirname(require.resolve("@swc/core/package.json", { paths: [repoRoot] }));
    } catch {
        return undefined;
    }
}

/**
 * Writes bench/.work/<name>: the project's tsconfig with ts-node switched to swc, plus extra
 * compiler options. Returns its path relative to the repo root (for TS_NODE_PROJECT or the
 * runner's PULUMI_NODEJS_TSCONFIG_PATH). In the project itself this is `"ts-node": {"swc": true}`.
 */
export function swcTsconfig(name: string, swcCore: string, compilerOptions: Record<string, unknown> = {}): string {
    const config = {
        extends: "../../tsconfig.json",
        compilerOptions,
        "ts-node": { transpileOnly: true, transpiler: ["ts-node/transpilers/swc", { swc: swcCore }] },
    };
    fs.mkdirSync(workDir, { recursive: true });
    const file = path.join(workDir, name);
    fs.writeFileSync(file, `${JSON.stringify(config, null, 4)}\n`);
    return path.relative(repoRoot, file);
}
