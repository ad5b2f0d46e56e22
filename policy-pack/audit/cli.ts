/**
 * `npm run policy:audit -- [--json] [--config FILE] FILE|-`
 *
 * Audits a document in any format `reader.ts` reads (a `pulumi stack export`, `pulumi preview
 * --json` output) with the pack's policies. Exit status: 1 when any mandatory violation, 0
 * otherwise, 2 when the input, the config or the command line cannot be used.
 */
import { defineCommand, EXIT_FAILED, EXIT_OK, readUserJson, runMain, UsageError } from "../lib/cli";
import { PolicyConfig, runPolicies } from "./engine";
import { INPUT_FORMATS, readAuditDocument } from "./reader";
import { jsonReport, tableReport } from "./reports";

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
        const document = readAuditDocument(await readUserJson(io, positionals[0], "input"));
        const violations = await runPolicies(document.resources, config);
        io.stdout.write(`${(values.json ? jsonReport : tableReport)(violations, document)}\n`);
        return violations.some((v) => v.enforcementLevel === "mandatory") ? EXIT_FAILED : EXIT_OK;
    },
);

if (require.main === module) {
    runMain(runAuditCli);
}
