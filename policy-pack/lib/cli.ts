/**
 * The command-line kit every command of the project is built on (the offline preview and gate,
 * the audit, the stack list, the developer tools, and the commands to come): one way to read
 * arguments, one way to answer a mistake, one meaning for each exit code.
 *
 * - Exit codes: `EXIT_OK` (0); `EXIT_FAILED` (1), the command's own "failed" verdict (a
 *   mandatory policy violation, a failed check); `EXIT_ERROR` (2), no verdict: a usage, input or
 *   configuration error, or the command itself failing.
 * - Arguments: node's `util.parseArgs`, strict. Its errors become a `UsageError` naming the
 *   argument (for a misspelt option, with the closest known one); options that npm took for its
 *   own (`npm run x --stack prod`, without `--`) are caught and the corrected command is given.
 * - Mistakes: a `UsageError` is reported with the usage line, an `InputError` (a file, value or
 *   configuration that cannot be used) without; any other error by its message, with its stack
 *   trace when the command has a `debug` option and it is set.
 * - Streams and the user's folder: `CliIo`. Paths the user types resolve against `CliIo.cwd`,
 *   the folder the user ran the command from (npm runs scripts from the package's folder and says
 *   where the user was in `INIT_CWD`), and errors show the resolved path.
 *
 * It lives in the policy pack because the pack's own audit command uses it and the pack is
 * published on its own. Nothing that `policy-pack/index.ts` imports may import it: the Pulumi CLI
 * compiles that graph with TypeScript 3.8 (see tools/dev/typecheck-pack.ts).
 */
import { accessSync, constants, readFileSync, statSync } from "fs";
import * as path from "path";
import { parseArgs, ParseArgsConfig } from "util";
import { closestName } from "./closest-name";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_ERROR = 2;

export interface OutputStream {
    write(text: string): unknown;
}

/** Where a command reads and writes, and where its user is: the process's, or a test's. */
export interface CliIo {
    readonly stdin: NodeJS.ReadableStream;
    readonly stdout: OutputStream;
    readonly stderr: OutputStream;
    /** The folder the user ran the command from: paths the user gives resolve against it. */
    readonly cwd: string;
}

/** The folder the user ran the command from: npm's `INIT_CWD` under `npm run`, else the process's. */
export function userFolder(env: NodeJS.ProcessEnv = process.env): string {
    return env.INIT_CWD || process.cwd();
}

/** The process's streams and the user's folder, with any of them replaced (tests give their own). */
export function cliIo(given: Partial<CliIo> = {}): CliIo {
    return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, cwd: userFolder(), ...given };
}

/** The command line is wrong: reported with the usage line; exit 2. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

/** An input file, a value or the configuration cannot be used: reported without the usage line; exit 2. */
export class InputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "InputError";
    }
}

type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;

export interface CommandSpec<O extends OptionsConfig> {
    /** What the user types to start it (the npm script, e.g. `preview:offline`): every message starts with it. */
    readonly name: string;
    /** The usage line, e.g. `npm run preview:offline -- --stack <name> [--out FILE]`. */
    readonly usage: string;
    /** What `--help` prints after the usage line: the arguments, one a line. */
    readonly help?: string;
    readonly options: O;
    /** The command takes operands (files, script names) besides its options. */
    readonly positionals?: boolean;
}

type StrictConfig<O extends OptionsConfig> = { args: string[]; options: O; strict: true; allowPositionals: boolean };

/** The parsed command line: `values` typed from the spec's options, and the operands. */
export type CommandLine<O extends OptionsConfig> = Pick<ReturnType<typeof parseArgs<StrictConfig<O>>>, "values" | "positionals">;

/** A command: the command line (without node and the script) in, the exit code out; it never rejects. */
export type Command = (argv: readonly string[], io?: Partial<CliIo>) => Promise<number>;

/**
 * Parses `argv` by the spec; throws a `UsageError` naming the argument that is wrong, with the
 * closest known option for an unknown one and, when npm took some of the command's options
 * for its own, the command line that works.
 */
export function parseCommandLine<O extends OptionsConfig>(spec: CommandSpec<O>, argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CommandLine<O> {
    const tookByNpm = optionsNpmTook(spec, env);
    if (tookByNpm.length > 0) {
        const flags = tookByNpm.map(({ name }) => `--${name}`).join(", ");
        throw new UsageError(`npm took ${flags} for its own settings, so the command never got ${tookByNpm.length > 1 ? "them" : "it"}; ` +
            `put the command's arguments after \`--\`: ${correctedNpmCommand(spec, tookByNpm, argv)}`);
    }
    const config: StrictConfig<O> = { args: [...argv], options: spec.options, strict: true, allowPositionals: spec.positionals === true };
    try {
        const { values, positionals } = parseArgs(config);
        return { values: { ...values }, positionals };
    } catch (error) {
        if (typeof (error as { code?: unknown }).code === "string" && (error as { code: string }).code.startsWith("ERR_PARSE_ARGS_")) {
            throw new UsageError(describeParseError(spec, argv));
        }
        throw error;
    }
}

/** What is wrong with the first argument strict parsing refuses, found in the lenient parse's tokens. */
function describeParseError(spec: CommandSpec<OptionsConfig>, argv: readonly string[]): string {
    const { tokens } = parseArgs({ args: [...argv], options: spec.options, strict: false, allowPositionals: true, tokens: true });
    const known = Object.keys(spec.options);
    for (const token of tokens) {
        if (token.kind === "option-terminator") {
            break;
        }
        if (token.kind === "positional") {
            if (!spec.positionals) {
                return `unexpected argument ${token.value}: the command takes only options`;
            }
            continue;
        }
        const option = spec.options[token.name];
        if (option === undefined) {
            const suggestion = token.rawName.startsWith("--") ? closestName(token.name, known) : undefined;
            return `unknown option ${token.rawName}${suggestion ? `; did you mean --${suggestion}?` : ""}`;
        }
        const flag = `--${token.name}`;
        if (option.type === "boolean" && token.value !== undefined) {
            return `${flag} takes no value`;
        }
        if (option.type === "string" && (token.value === undefined || (!token.inlineValue && token.value.startsWith("-")))) {
            return `${flag} needs a value${token.value === undefined ? "" : ` (got the option ${token.value}; write ${flag}=${token.value} if that is the value)`}`;
        }
    }
    return "the arguments cannot be read";
}

/** The command's options that npm read as its own settings (`npm_config_<name>`) when it started this script. */
function optionsNpmTook(spec: CommandSpec<OptionsConfig>, env: NodeJS.ProcessEnv): Array<{ name: string; value: string }> {
    if (env.npm_lifecycle_event !== spec.name) {
        return [];
    }
    return Object.keys(spec.options)
        .map((name) => ({ name, value: env[`npm_config_${name.replace(/-/g, "_")}`] }))
        .filter((option): option is { name: string; value: string } => option.value !== undefined && option.value !== "");
}

/** `npm run <name> -- <the options npm took> <the rest>`: a string option npm read as `true` had its value left as an operand. */
function correctedNpmCommand(spec: CommandSpec<OptionsConfig>, taken: Array<{ name: string; value: string }>, argv: readonly string[]): string {
    const rest = [...argv];
    const words: string[] = [];
    for (const { name, value } of taken) {
        words.push(`--${name}`);
        if (spec.options[name].type === "string") {
            words.push(value === "true" && rest.length > 0 ? (rest.shift() as string) : value);
        }
    }
    return ["npm", "run", spec.name, "--", ...words, ...rest].map(shellWord).join(" ");
}

function shellWord(word: string): string {
    return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/** `--help` or `-h` before any `--`, unless the command has an option of its own by that name. */
function asksForHelp(spec: CommandSpec<OptionsConfig>, argv: readonly string[]): boolean {
    const end = argv.indexOf("--");
    const options = end < 0 ? argv : argv.slice(0, end);
    return spec.options.help === undefined && (options.includes("--help") || options.includes("-h"));
}

/**
 * Builds a command from its spec and what it does. The command answers `--help` with the usage,
 * parses the command line (a `UsageError` on any mistake), runs `run`, and reports any error on
 * stderr as `<name>: <message>` (a `UsageError` followed by the usage line), exiting 2.
 */
export function defineCommand<O extends OptionsConfig>(spec: CommandSpec<O>, run: (line: CommandLine<O>, io: CliIo) => Promise<number> | number): Command {
    return async (argv, given) => {
        const io = cliIo(given);
        let debug = false;
        try {
            if (asksForHelp(spec, argv)) {
                io.stdout.write(`usage: ${spec.usage}\n${spec.help ? `${spec.help}\n` : ""}`);
                return EXIT_OK;
            }
            const line = parseCommandLine(spec, argv);
            debug = (line.values as Record<string, unknown>).debug === true;
            return await run(line, io);
        } catch (error) {
            io.stderr.write(errorReport(spec, error, debug));
            return EXIT_ERROR;
        }
    };
}

function errorReport(spec: CommandSpec<OptionsConfig>, error: unknown, debug: boolean): string {
    if (error instanceof UsageError) {
        return `${spec.name}: ${error.message}\nusage: ${spec.usage}\n`;
    }
    if (debug && error instanceof Error && error.stack) {
        return `${spec.name}: ${error.stack}\n`;
    }
    return `${spec.name}: ${error instanceof Error ? error.message : String(error)}\n`;
}

/**
 * Runs `command` as this process's command, with the process's arguments and streams; its exit
 * code becomes the process's (`process.exitCode`, never `process.exit`, so output is flushed).
 * Use as `if (require.main === module) runMain(command);`.
 */
export function runMain(command: Command): void {
    // A reader that stops early (`... --json | head`) closes the pipe: the rest of the output has
    // nowhere to go, which is no error of the command's (node would crash with a stack trace).
    process.stdout.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code !== "EPIPE") {
            throw error;
        }
    });
    command(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (error: unknown) => {
            process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
            process.exitCode = EXIT_ERROR;
        },
    );
}

/** A path the user gave, absolute: resolved against the user's folder. */
export function resolveUserPath(io: Pick<CliIo, "cwd">, given: string): string {
    return path.resolve(io.cwd, given);
}

/** Why a file cannot be used, in words (node's own message repeats the path and the syscall). */
export function fileErrorReason(error: unknown): string {
    switch ((error as NodeJS.ErrnoException).code) {
        case "ENOENT":
            return "no such file or directory";
        case "EACCES":
        case "EPERM":
            return "permission denied";
        case "EISDIR":
            return "is a directory";
        case "ENOTDIR":
            return "a part of the path is not a directory";
        default:
            return error instanceof Error ? error.message : String(error);
    }
}

/**
 * A file the command will write (`what` says what it is, e.g. "stack export"), resolved against
 * the user's folder. Throws an `InputError` at once, before the command does any work, when
 * its folder does not exist or cannot be written, or when the path is a directory.
 */
export function writableUserPath(io: Pick<CliIo, "cwd">, given: string, what: string): string {
    const file = resolveUserPath(io, given);
    try {
        const existing = statSync(file, { throwIfNoEntry: false });
        if (existing?.isDirectory()) {
            throw Object.assign(new Error(), { code: "EISDIR" });
        }
        // An existing file (or device, such as /dev/null) must be writable; a new one needs a writable folder.
        if (existing === undefined && !statSync(path.dirname(file)).isDirectory()) {
            throw Object.assign(new Error(), { code: "ENOTDIR" });
        }
        accessSync(existing ? file : path.dirname(file), constants.W_OK);
    } catch (error) {
        throw new InputError(`cannot write ${what} ${file}: ${fileErrorReason(error)}`);
    }
    return file;
}

/**
 * The JSON document in the file the user named (`what` says what it is, e.g. "policy config"),
 * or on stdin for `-`. Throws an `InputError` naming it by its resolved path and saying why.
 */
export async function readUserJson(io: CliIo, given: string, what: string): Promise<unknown> {
    const source = given === "-" ? `${what} on stdin` : `${what} ${resolveUserPath(io, given)}`;
    let text: string;
    try {
        // Decoded from one Buffer: about twice as fast as readFileSync's "utf8" path on Node 20 (a stack export can be tens of MiB).
        text = given === "-" ? await readAll(io.stdin) : readFileSync(resolveUserPath(io, given)).toString("utf8");
    } catch (error) {
        throw new InputError(`cannot read ${source}: ${fileErrorReason(error)}`);
    }
    try {
        return JSON.parse(text);
    } catch (error) {
        throw new InputError(`cannot read ${source}: not valid JSON: ${jsonErrorLocation((error as Error).message, text)}`);
    }
}

/**
 * JSON.parse's message with the line and column of the position it names, and without the
 * excerpt of the input V8 quotes in some messages (`..."abc"... is not valid JSON`): the input
 * may hold secret values.
 */
function jsonErrorLocation(message: string, text: string): string {
    const withoutExcerpt = message.replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, "");
    const position = /at position (\d+)/.exec(withoutExcerpt);
    if (position === null) {
        return withoutExcerpt;
    }
    const before = text.slice(0, Number(position[1]));
    const line = before.split("\n").length;
    return `${withoutExcerpt} (line ${line}, column ${before.length - before.lastIndexOf("\n")})`;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
    let text = "";
    stream.setEncoding("utf8");
    for await (const chunk of stream) {
        text += chunk as string;
    }
    return text;
}
