/**
 * `npm run typecheck:pack`: type-checks the policy pack with the TypeScript compiler that
 * @pulumi/pulumi vendors. The pack has no TypeScript among its own dependencies, so that is the
 * compiler the Pulumi CLI loads it with: the pack's code must stay within what that version
 * reads. Exit status 1 on any diagnostic in the pack's own files.
 */
import { existsSync } from "fs";
import * as path from "path";

const PACK_DIR = path.resolve(__dirname, "..", "policy-pack");

/** The vendored compiler's file, found the way the SDK finds it. */
function vendoredTypeScript(): string {
    const file = path.resolve(require.resolve("@pulumi/pulumi/package.json"), "../vendor/typescript@3.8.3/typescript.js");
    if (!existsSync(file)) {
        throw new Error(`@pulumi/pulumi no longer vendors TypeScript at ${file}: update tools/typecheck-pack.ts to the version it vendors`);
    }
    return file;
}

/** The diagnostics the vendored compiler reports in the pack's own files, one line each. */
export function packDiagnostics(entryPoint = path.join(PACK_DIR, "index.ts")): string[] {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require(vendoredTypeScript());
    const program = ts.createProgram([entryPoint], {
        strict: true, target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS,
        moduleResolution: ts.ModuleResolutionKind.NodeJs, esModuleInterop: true, skipLibCheck: true, noEmit: true,
    });
    return ts.getPreEmitDiagnostics(program)
        .filter((d: { file?: { fileName: string } }) => d.file !== undefined && !d.file.fileName.includes("node_modules"))
        .map((d: { file: { fileName: string; getLineAndCharacterOfPosition(position: number): { line: number; character: number } }; start?: number; messageText: unknown }) => {
            const { line, character } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
            return `${d.file.fileName}:${line + 1}:${character + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
        });
}

if (require.main === module) {
    const diagnostics = packDiagnostics();
    for (const line of diagnostics) {
        process.stderr.write(`${line}\n`);
    }
    process.exitCode = diagnostics.length === 0 ? 0 : 1;
}
