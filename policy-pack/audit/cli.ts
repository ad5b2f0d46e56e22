/**
 * `npm run policy:audit -- [--json] [--config FILE] FILE|-`
 *
 * Audits a `pulumi stack export` (version 3) or `pulumi preview --json` document with the pack's
 * policies. Exit status: 1 when any mandatory violation, 0 otherwise, 2 when the input, the
 * config or the command line cannot be used.
 */
import { policies } from "../policies";
import { defineCommand, EXIT_FAILED, EXIT_OK, readUserJson, resolveUserPath, runMain, UsageError } from "../lib/cli";
import { AuditRun, PolicyConfig, Violation } from "./engine";
import { InvalidJsonError, StreamedAudit, auditDocumentStream, fileChunks } from "./stream";

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

/** Runs the command line `argv` (without node and the script) with `io`, and resolves to its exit status. */
export const runAuditCli = defineCommand(
    {
        name: "policy:audit",
        usage: "npm run policy:audit -- [--json] [--config FILE] FILE|-",
        help: "  FILE     a `pulumi stack export` document (version 3) or `pulumi preview --json` output; - reads stdin\n" +
            "  --json   print the violations as one JSON array\n" +
            "  --config a policy config JSON file (the format `pulumi policy enable --config` takes)",
        options: { json: { type: "boolean" }, config: { type: "string" } },
        positionals: true,
    },
    async ({ values, positionals }, io) => {
        if (positionals.length !== 1) {
            throw new UsageError(positionals.length === 0 ? "no input file given" : `expected one input file, got ${positionals.length}`);
        }
        const input = positionals[0] === "-" ? "-" : resolveUserPath(io, positionals[0]);
        const config = values.config === undefined ? undefined : await readUserJson(io, values.config, "policy config") as PolicyConfig;
        const { violations, resourceCount } = await auditInput(input, io.stdin, config);
        io.stdout.write(values.json ? `${JSON.stringify(violations)}\n` : `${formatTable(violations, resourceCount)}\n`);
        return violations.some((v) => v.enforcementLevel === "mandatory") ? EXIT_FAILED : EXIT_OK;
    },
);

if (require.main === module) {
    runMain(runAuditCli);
}
