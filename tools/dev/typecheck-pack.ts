/**
 * `npm run typecheck:pack [-- --force]`: type-checks the policy pack with the TypeScript compiler
 * that @pulumi/pulumi vendors. A published pack has no TypeScript among its own dependencies, so
 * that is the compiler the Pulumi CLI loads it with: the pack's code must stay within what that
 * version reads. Exit status 1 on any diagnostic in the pack's own files.
 *
 * A clean check is remembered (node_modules/.cache/adma-infra/) with a fingerprint of every file
 * the check read (the pack's sources, the declarations they reach) and of the lockfile; while the
 * fingerprint holds, the check is not repeated: it costs about 4 s of CPU in every `npm test`,
 * and most changes never touch the pack. A fresh clone (CI) always checks; `--force` does too.
 */
import { createHash } from "crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { defineCommand, EXIT_FAILED, EXIT_OK, runMain } from "../../policy-pack/lib/cli";

const ROOT = path.resolve(__dirname, "..", "..");
const PACK_DIR = path.join(ROOT, "policy-pack");
export const CLEAN_CHECK_RECORD = path.join(ROOT, "node_modules", ".cache", "adma-infra", "typecheck-pack.json");
/** Not read by the compiler, but what decides which declaration files it finds. */
const LOCKFILE = path.join(ROOT, "package-lock.json");

/** The vendored compiler's file, found the way the SDK finds it. */
function vendoredTypeScript(): string {
    const file = path.resolve(require.resolve("@pulumi/pulumi/package.json"), "../vendor/typescript@3.8.3/typescript.js");
    if (!existsSync(file)) {
        throw new Error(`@pulumi/pulumi no longer vendors TypeScript at ${file}: update tools/dev/typecheck-pack.ts to the version it vendors`);
    }
    return file;
}

export interface PackCheck {
    /** One line per diagnostic in the pack's own files (not in node_modules). */
    diagnostics: string[];
    /** Every file the compiler read: the inputs a later check would repeat. */
    files: string[];
}

/** The diagnostics the vendored compiler reports in the pack's own files, and what it read. */
/** `extraOptions` lets a test check a small fixture without loading every @types package. */
export function checkPack(entryPoint = path.join(PACK_DIR, "index.ts"), compilerFile = vendoredTypeScript(), extraOptions: Record<string, unknown> = {}): PackCheck {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require(compilerFile);
    const program = ts.createProgram([entryPoint], {
        strict: true, target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS,
        moduleResolution: ts.ModuleResolutionKind.NodeJs, esModuleInterop: true, skipLibCheck: true, noEmit: true,
        ...extraOptions,
    });
    const diagnostics = ts.getPreEmitDiagnostics(program)
        .filter((d: { file?: { fileName: string } }) => d.file !== undefined && !d.file.fileName.includes("node_modules"))
        .map((d: { file: { fileName: string; getLineAndCharacterOfPosition(position: number): { line: number; character: number } }; start?: number; messageText: unknown }) => {
            const { line, character } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
            return `${d.file.fileName}:${line + 1}:${character + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
        });
    const files = program.getSourceFiles().map((file: { fileName: string }) => path.resolve(file.fileName));
    return { diagnostics, files };
}

/** Content hash of the files (missing ones included as missing) and of the compiler that read them. */
function fingerprint(files: readonly string[], compilerFile: string): string {
    const hash = createHash("sha256").update(compilerFile);
    for (const file of [...files].sort()) {
        hash.update(`\0${file}\0`).update(existsSync(file) ? readFileSync(file) : "\0missing");
    }
    return hash.digest("hex");
}

interface CleanCheck {
    fingerprint: string;
    files: string[];
}

/** True when a clean check of exactly these inputs is on record. */
export function unchangedSinceCleanCheck(cacheFile: string, compilerFile: string): boolean {
    if (!existsSync(cacheFile)) {
        return false;
    }
    try {
        const record = JSON.parse(readFileSync(cacheFile, "utf8")) as CleanCheck;
        return Array.isArray(record.files) && record.fingerprint === fingerprint(record.files, compilerFile);
    } catch {
        return false; // an unreadable record is no record
    }
}

export function recordCleanCheck(cacheFile: string, files: readonly string[], compilerFile: string): void {
    mkdirSync(path.dirname(cacheFile), { recursive: true });
    const record: CleanCheck = { fingerprint: fingerprint(files, compilerFile), files: [...files] };
    writeFileSync(cacheFile, JSON.stringify(record));
}

/** The command (exported for its tests). */
export const main = defineCommand(
    { name: "typecheck:pack", usage: "npm run typecheck:pack [-- --force]", options: { force: { type: "boolean" } } },
    ({ values }, io) => {
        const compilerFile = vendoredTypeScript();
        if (!values.force && unchangedSinceCleanCheck(CLEAN_CHECK_RECORD, compilerFile)) {
            io.stdout.write("policy pack: nothing its type-check reads has changed since the last clean check (--force checks anyway)\n");
            return EXIT_OK;
        }
        const { diagnostics, files } = checkPack(path.join(PACK_DIR, "index.ts"), compilerFile);
        for (const line of diagnostics) {
            io.stderr.write(`${line}\n`);
        }
        if (diagnostics.length > 0) {
            return EXIT_FAILED;
        }
        recordCleanCheck(CLEAN_CHECK_RECORD, [...files, LOCKFILE], compilerFile);
        return EXIT_OK;
    },
);

if (require.main === module) {
    runMain(main);
}
