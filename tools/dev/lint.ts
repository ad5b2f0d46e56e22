/**
 * `npm run lint [-- FILE...]`: ESLint over the project (or the files given, relative to the user's
 * folder) with the project's eslint.config.mjs, zero warnings allowed.
 *
 * Why not plain `eslint .`: the config's type-aware rules need a TypeScript program, and the
 * config asks for the project service, which suits editors (one file at a time, always fresh) but
 * costs a whole-project run twice the CPU of building the program once: through awsx's types the
 * program holds all 2,700 declaration files of @pulumi/aws. Here the program is built once from
 * tsconfig.json and every file is linted against it (typescript-eslint's `programs` option).
 * Exit status: 0 clean, 1 any error or warning, 2 when the tsconfig cannot be read.
 */
import { ESLint } from "eslint";
import * as path from "path";
import * as ts from "typescript";
import { defineCommand, EXIT_FAILED, EXIT_OK, resolveUserPath, runMain } from "../../policy-pack/lib/cli";

const ROOT = path.resolve(__dirname, "..", "..");

/** The program tsconfig.json describes: every file the linted config gives type information to. */
export function projectProgram(tsconfigFile: string): ts.Program {
    const problems: string[] = [];
    const host: ts.ParseConfigFileHost = {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => problems.push(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")),
    };
    const config = ts.getParsedCommandLineOfConfigFile(tsconfigFile, undefined, host);
    problems.push(...(config?.errors ?? []).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")));
    if (config === undefined || problems.length > 0) {
        throw new Error(`cannot read ${tsconfigFile}: ${problems.join("; ")}`);
    }
    return ts.createProgram({ rootNames: config.fileNames, options: config.options, projectReferences: config.projectReferences });
}

/** ESLint with the project's config, its type-aware rules reading `program` instead of the project service. */
export function eslintWithProgram(program: ts.Program, options: ESLint.Options = {}): ESLint {
    return new ESLint({
        cwd: ROOT,
        ...options,
        overrideConfig: { files: ["**/*.ts"], languageOptions: { parserOptions: { projectService: false, programs: [program] } } },
    });
}

export async function lint(patterns: readonly string[], write: (text: string) => void): Promise<number> {
    const program = projectProgram(path.join(ROOT, "tsconfig.json"));
    const eslint = eslintWithProgram(program);
    const results = await eslint.lintFiles([...patterns]);
    const formatter = await eslint.loadFormatter("stylish");
    write(await formatter.format(results));
    return results.some((result) => result.errorCount + result.warningCount > 0) ? EXIT_FAILED : EXIT_OK;
}

const main = defineCommand(
    { name: "lint", usage: "npm run lint [-- FILE...]", options: {}, positionals: true },
    ({ positionals }, io) => lint(positionals.length > 0 ? positionals.map((file) => resolveUserPath(io, file)) : [ROOT], (text) => io.stdout.write(text)),
);

if (require.main === module) {
    runMain(main);
}
