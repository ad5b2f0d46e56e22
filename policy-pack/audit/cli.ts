/**
 * `npm run policy:audit -- [--json] [--config FILE] FILE|-`
 *
 * Audits a `pulumi stack export` (version 3) or `pulumi preview --json` document with the pack's
 * policies. Exit status: 1 when any mandatory violation, 0 otherwise, 2 when the input, the
 * config or the command line cannot be used.
 */
import { readFileSync } from "fs";
import { policies } from "../policies";
import { AuditRun, PolicyConfig, Violation } from "./engine";
import { InvalidJsonError, StreamedAudit, auditDocumentStream, fileChunks } from "./stream";

const USAGE = "usage: npm run policy:audit -- [--json] [--config FILE] FILE|-\n" +
    "  FILE     a `pulumi stack export` document (version 3) or `pulumi preview --json` output; - reads stdin\n" +
    "  --json   print the violations as one JSON array\n" +
    "  --config a policy config JSON file (the format `pulumi policy enable --config` takes)";

class UsageError extends Error { }

interface Options {
    json: boolean;
    configFile?: string;
    input: string;
}

function parseArguments(argv: readonly string[]): Options {
    let json = false;
    let configFile: string | undefined;
    const positional: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--json") {
            json = true;
        } else if (arg === "--config") {
            configFile = argv[++i];
            if (configFile === undefined) {
                throw new UsageError("--config needs a file name");
            }
        } else if (arg.startsWith("--config=")) {
            configFile = arg.slice("--config=".length);
        } else if (arg.startsWith("-") && arg !== "-") {
            throw new UsageError(`unknown option ${arg}`);
        } else {
            positional.push(arg);
        }
    }
    if (positional.length !== 1) {
        throw new UsageError(positional.length === 0 ? "no input file given" : `expected one input file, got ${positional.length}`);
    }
    return { json, ...(configFile !== undefined && { configFile }), input: positional[0] };
}

/** Where the CLI reads stdin and writes its output: the process's streams, or a test's. */
export interface AuditCliIo {
    stdin: NodeJS.ReadableStream;
    stdout: { write(text: string): unknown };
    stderr: { write(text: string): unknown };
}

async function readText(stream: NodeJS.ReadableStream): Promise<string> {
    let text = "";
    stream.setEncoding("utf8");
    for await (const chunk of stream) {
        text += chunk as string;
    }
    return text;
}

/** The file's text, decoded from one Buffer: about twice as fast as readFileSync's "utf8" path on Node 20. */
function readTextFile(file: string): string {
    return readFileSync(file).toString("utf8");
}

async function readJson(file: string, what: string, stdin: NodeJS.ReadableStream): Promise<unknown> {
    let text: string;
    try {
        text = file === "-" ? await readText(stdin) : readTextFile(file);
    } catch (error) {
        throw new Error(`cannot read ${what} ${describeSource(file)}: ${(error as Error).message}`);
    }
    try {
        return JSON.parse(text);
    } catch (error) {
        throw new Error(`${what} ${file === "-" ? "on stdin" : `"${file}"`} is not valid JSON: ${(error as Error).message}`);
    }
}

function describeSource(file: string): string {
    return file === "-" ? "from stdin" : `"${file}"`;
}

/** Reading errors (not the audit's) become "cannot read input ..."; the source is closed however the audit ends. */
async function* readable(chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, file: string): AsyncGenerator<Buffer | string> {
    const iterator = Symbol.asyncIterator in chunks
        ? (chunks as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]()
        : (chunks as Iterable<Buffer | string>)[Symbol.iterator]();
    try {
        for (;;) {
            let next: IteratorResult<Buffer | string>;
            try {
                next = await iterator.next();
            } catch (error) {
                throw new Error(`cannot read input ${describeSource(file)}: ${(error as Error).message}`);
            }
            if (next.done) {
                return;
            }
            yield next.value;
        }
    } finally {
        await iterator.return?.();
    }
}

/** Audits the input document as it is read, without holding all of it (see stream.ts). */
async function auditInput(file: string, stdin: NodeJS.ReadableStream, config: PolicyConfig | undefined): Promise<StreamedAudit> {
    const chunks = file === "-" ? stdin as AsyncIterable<Buffer | string> : fileChunks(file);
    try {
        return await auditDocumentStream(readable(chunks, file), () => new AuditRun(policies, config));
    } catch (error) {
        if (error instanceof InvalidJsonError) {
            throw new Error(`input ${file === "-" ? "on stdin" : `"${file}"`} is not valid JSON: ${error.message}`);
        }
        throw error;
    }
}

function formatTable(violations: readonly Violation[], resourceCount: number): string {
    if (violations.length === 0) {
        return `No policy violations in ${resourceCount} resource(s).`;
    }
    const rows = violations.map((v) => [v.enforcementLevel, v.policyName, shortUrn(v.urn), v.message]);
    const header = ["LEVEL", "POLICY", "RESOURCE", "MESSAGE"];
    const widths = header.slice(0, 3).map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
    const line = (cells: string[]) => cells.map((cell, column) => (column < 3 ? cell.padEnd(widths[column]) : cell)).join("  ");
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    return [line(header), ...rows.map(line), "",
        `${violations.length} violation(s) in ${resourceCount} resource(s): ${mandatory} mandatory, ${violations.length - mandatory} advisory.`,
    ].join("\n");
}

/** `urn:pulumi:stack::project::a$b::name` reads better as `b::name`. */
function shortUrn(urn: string): string {
    if (urn === "") {
        return "(stack)";
    }
    const parts = urn.split("::");
    return parts.length >= 4 ? `${parts[parts.length - 2].split("$").pop()}::${parts[parts.length - 1]}` : urn;
}

/** Runs the command line `argv` (without node and the script) and returns its exit status. */
export async function runAuditCli(argv: readonly string[], io: AuditCliIo): Promise<number> {
    let options: Options;
    try {
        options = parseArguments(argv);
    } catch (error) {
        if (argv.includes("--help") || argv.includes("-h")) {
            io.stdout.write(`${USAGE}\n`);
            return 0;
        }
        io.stderr.write(`policy:audit: ${(error as Error).message}\n${USAGE}\n`);
        return 2;
    }
    let violations: Violation[];
    let resourceCount: number;
    try {
        const config = options.configFile === undefined ? undefined : await readJson(options.configFile, "policy config", io.stdin) as PolicyConfig;
        ({ violations, resourceCount } = await auditInput(options.input, io.stdin, config));
    } catch (error) {
        io.stderr.write(`policy:audit: ${(error as Error).message}\n`);
        return 2;
    }
    io.stdout.write(options.json ? `${JSON.stringify(violations)}\n` : `${formatTable(violations, resourceCount)}\n`);
    return violations.some((v) => v.enforcementLevel === "mandatory") ? 1 : 0;
}

if (require.main === module) {
    runAuditCli(process.argv.slice(2), process).then(
        (code) => {
            process.exitCode = code;
        },
        (error: Error) => {
            process.stderr.write(`policy:audit: ${error.message}\n`);
            process.exitCode = 2;
        },
    );
}
