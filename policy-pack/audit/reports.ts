/**
 * The ways the audit prints its result. Each is an AuditReport of the violations and the document
 * they were found in (its format, resources, stack, whether secrets were encrypted); another
 * output is one more AuditReport here, chosen by the CLI.
 */
import type { Violation } from "./engine";
import type { AuditDocument } from "./reader";

export type AuditReport = (violations: readonly Violation[], document: AuditDocument) => string;

/** Exactly one JSON array of `{policyName, urn, message, enforcementLevel}` (`--json`). */
export const jsonReport: AuditReport = (violations) => JSON.stringify(violations);

/** The violations as a table, with a summary line (what `policy:audit` prints by default). */
export const tableReport: AuditReport = (violations, document) => {
    const resourceCount = document.resources.length;
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
};

/** `urn:pulumi:stack::project::a$b::name` reads better as `b::name`. */
function shortUrn(urn: string): string {
    if (urn === "") {
        return "(stack)";
    }
    const parts = urn.split("::");
    return parts.length >= 4 ? `${parts[parts.length - 2].split("$").pop()}::${parts[parts.length - 1]}` : urn;
}
