/**
 * `npm run policy:audit -- [--json] [--config FILE] FILE|-`
 *
 * Audits a document in any format `reader.ts` reads (a `pulumi stack export`, `pulumi preview
 * --json` output) with the pack's policies. Exit status: 1 when any mandatory violation, 0
 * otherwise, 2 when the input, the config or the command line cannot be used.
 */
import { defineCommand, EXIT_FAILED, EXIT_OK, readUserJson, runMain, UsageError } from "../lib/cli";
import { PolicyConfig, Violation, runPolicies } from "./engine";
import { INPUT_FORMATS, readAuditDocument } from "./reader";

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
        help: `  FILE     ${INPUT_FORMATS.map((format) => format.description).join(" or ")}; - reads stdin\n` +
            "  --json   print the violations as one JSON array\n" +
            "  --config a policy config JSON file (the format `pulumi policy enable --config` takes)",
        options: { json: { type: "boolean" }, config: { type: "string" } },
        positionals: true,
    },
    async ({ values, positionals }, io) => {
        if (positionals.length !== 1) {
            throw new UsageError(positionals.length === 0 ? "no input file given" : `expected one input file, got ${positionals.length}`);
        }
        const config = values.config === undefined ? undefined : await readUserJson(io, values.config, "policy config") as PolicyConfig;
        const { resources } = readAuditDocument(await readUserJson(io, positionals[0], "input"));
        const violations = await runPolicies(resources, config);
        const resourceCount = resources.length;
        io.stdout.write(values.json ? `${JSON.stringify(violations)}\n` : `${formatTable(violations, resourceCount)}\n`);
        return violations.some((v) => v.enforcementLevel === "mandatory") ? EXIT_FAILED : EXIT_OK;
    },
);

if (require.main === module) {
    runMain(runAuditCli);
}
