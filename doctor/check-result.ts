/**
 * What every doctor check returns, and the verdict over all of them. Pure: no AWS calls.
 *
 * The ids and statuses are the command's public interface (`--json`, docs/operations.md):
 * `pass` the check found nothing wrong; `fail` it found what stops tasks starting, logging in or
 * being watched; `warn` something to look at that does not stop the service (or the doctor could
 * not read what the check needs); `skip` the check could not judge, and the message says why.
 */
import { EXIT_FAILED, EXIT_OK } from "../policy-pack/lib/cli";

export const CHECK_IDS = [
    "secret-references",
    "execution-role-access",
    "network-path",
    "db-secret-match",
    "stale-tasks",
    "jwt-previous",
    "rds-rotation",
    "log-leaks",
    "audit-trail",
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

export const CHECK_STATUSES = ["pass", "fail", "warn", "skip"] as const;

export type CheckStatus = (typeof CHECK_STATUSES)[number];

export interface CheckResult {
    readonly id: CheckId;
    readonly status: CheckStatus;
    /** The AWS resource the check judged (a name or ARN), never a value. */
    readonly resource: string;
    /** What was found: names, ARNs, counts, dates and version ids, never a secret value. */
    readonly message: string;
    /** What to do, in this project's terms (`pulumi up`, an `aws` command); empty when nothing is to be done. */
    readonly fix: string;
}

/** The command's verdict (the CLI kit's codes): 1 when a check fails, else 0; warnings and skips do not fail. */
export function exitCodeFor(results: readonly CheckResult[]): number {
    return results.some((result) => result.status === "fail") ? EXIT_FAILED : EXIT_OK;
}

/** The worst status of several findings of one check: fail over warn over skip over pass. */
function worstStatus(statuses: readonly CheckStatus[]): CheckStatus {
    const order: readonly CheckStatus[] = ["fail", "warn", "skip", "pass"];
    return order.find((status) => statuses.includes(status)) ?? "pass";
}

/** One problem or observation within a check: its status, what was found and what to do. */
export interface Finding {
    readonly status: CheckStatus;
    readonly message: string;
    readonly fix?: string;
}

/**
 * Folds a check's findings into its result: the worst status; the messages of the findings with
 * that status (all of them when everything passed), joined by "; "; their distinct fixes.
 */
export function resultOf(id: CheckId, resource: string, findings: readonly Finding[]): CheckResult {
    if (findings.length === 0) {
        throw new Error(`check ${id}: a result needs at least one finding`);
    }
    const status = worstStatus(findings.map((finding) => finding.status));
    const shown = findings.filter((finding) => finding.status === status);
    const fixes = [...new Set(shown.flatMap((finding) => (finding.fix ? [finding.fix] : [])))];
    return { id, status, resource, message: shown.map((finding) => finding.message).join("; "), fix: fixes.join("; ") };
}
