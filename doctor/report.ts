/**
 * The doctor's two outputs: a table for people (one line per check: status, check, resource, what
 * was found, the fix) and the `--json` document `{"stack", "checks": [{id, status, resource,
 * message, fix}]}`. Pure: text out. Both carry only what the checks put in their results.
 */
import { CHECK_STATUSES, CheckResult } from "./check-result";

export function formatJson(stack: string, results: readonly CheckResult[]): string {
    const checks = results.map(({ id, status, resource, message, fix }) => ({ id, status, resource, message, fix }));
    return `${JSON.stringify({ stack, checks }, null, 2)}\n`;
}

/**
 * The heading names what was examined. Status, check and resource are aligned columns; what was
 * found follows, then the fix after an arrow, so each check stays one line however long its message.
 */
export function formatTable(heading: string, results: readonly CheckResult[]): string {
    const rows = [{ status: "STATUS", id: "CHECK", resource: "RESOURCE", message: "FOUND", fix: "" }, ...results];
    const width = (key: "status" | "id" | "resource") => Math.max(...rows.map((row) => row[key].length));
    const [status, id, resource] = [width("status"), width("id"), width("resource")];
    const line = (row: (typeof rows)[number]) =>
        `${row.status.padEnd(status)}  ${row.id.padEnd(id)}  ${row.resource.padEnd(resource)}  ${row.message}${row.fix ? `  -> fix: ${row.fix}` : ""}`;
    const counts = CHECK_STATUSES.map((s) => `${results.filter((result) => result.status === s).length} ${s}`).join(", ");
    return `${heading}\n\n${rows.map(line).join("\n")}\n\n${results.length} checks: ${counts}\n`;
}
