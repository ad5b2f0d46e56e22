/**
 * `npm run policy:audit -- [--format table|json|sarif] [--config FILE] FILE|-`
 *
 * Audits a document in any format `reader.ts` reads (a `pulumi stack export`, `pulumi preview
 * --json` output, a Terraform plan or state) with the pack's policies, and prints the violations
 * as a table, one JSON array (`--json` is `--format json`) or a SARIF log. Exit status: 1 when any
 * mandatory violation, 0 otherwise, 2 when the input, the config or the command line cannot be used.
 */
import * as path from "path";
import { defineCommand, EXIT_FAILED, EXIT_OK, readUserJson, resolveUserPath, runMain, UsageError } from "../lib/cli";
import { PolicyConfig, runPolicies } from "./engine";
import { INPUT_FORMATS, readAuditDocument } from "./reader";
import { REPORTS, ReportSource } from "./reports";

const FORMATS = Object.keys(REPORTS);

/** Runs the command line `argv` (without node and the script) with `io`, and resolves to its exit status. */
export const runAuditCli = defineCommand(
    {
        name: "policy:audit",
        usage: `npm run policy:audit -- [--format ${FORMATS.join("|")}] [--config FILE] FILE|-`,
        help: `  FILE      ${INPUT_FORMATS.map((format) => format.description).join(" or ")}; - reads stdin\n` +
            "  --format  table (the default), json (one JSON array of the violations) or sarif (a SARIF 2.1.0 log, for GitHub code scanning)\n" +
            "  --json    the same as --format json\n" +
            "  --config  a policy config JSON file (the format `pulumi policy enable --config` takes)",
        options: { format: { type: "string" }, json: { type: "boolean" }, config: { type: "string" } },
        positionals: true,
    },
    async ({ values, positionals }, io) => {
        if (positionals.length !== 1) {
            throw new UsageError(positionals.length === 0
                ? "no input file given; to read the document from standard input (`... < export.json`, a pipe), give - as the file"
                : `expected one input file, got ${positionals.length}`);
        }
        if (values.format !== undefined && !FORMATS.includes(values.format)) {
            throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, got "${values.format}"`);
        }
        if (values.json && values.format !== undefined && values.format !== "json") {
            throw new UsageError(`--json asks for --format json, but --format ${values.format} was given too; give one of them`);
        }
        const report = REPORTS[values.format ?? (values.json ? "json" : "table")];
        const config = values.config === undefined ? undefined : await readUserJson(io, values.config, "policy config") as PolicyConfig;
        const input = positionals[0];
        const document = readAuditDocument(await readUserJson(io, input, "input"));
        const violations = await runPolicies(document.resources, config, document.terms);
        const source: ReportSource = input === "-" ? {} : { file: path.relative(io.cwd, resolveUserPath(io, input)).split(path.sep).join("/") };
        io.stdout.write(`${report(violations, document, source)}\n`);
        return violations.some((v) => v.enforcementLevel === "mandatory") ? EXIT_FAILED : EXIT_OK;
    },
);

if (require.main === module) {
    runMain(runAuditCli);
}
