/**
 * `log-leaks`: no event of the backend's log group in the last N hours matches the leak patterns
 * the stack's metric filters use (lib/log-leak-patterns.ts: "password" in any case, and a token
 * as long as the JWT secret). The design document's "Test for secret leaks", which "should return
 * zero matches". Pure: judges the snapshot, which holds counts and log stream names only; the
 * matched text is never kept, so it can never be printed.
 */
import { jwtSecretShapeFilterPattern, passwordFilterPattern } from "../../lib/log-leak-patterns";
import { CheckResult, resultOf } from "../check-result";
import { forceNewDeployment } from "../fixes";
import { DeploymentSnapshot, LogPatternMatches } from "../snapshot";
import { DoctorTarget } from "../target";

export interface LeakPattern {
    /** How messages name it. */
    readonly label: string;
    /** A CloudWatch Logs filter pattern. */
    readonly pattern: string;
}

/** The stack's leak patterns, as its metric filters (components/monitoring.ts) use them. */
export function leakPatterns(target: DoctorTarget): LeakPattern[] {
    return [
        { label: "\"password\" (any case)", pattern: passwordFilterPattern() },
        { label: `a ${target.jwtSecretLength}-character token shaped like the JWT secret`, pattern: jwtSecretShapeFilterPattern(target.jwtSecretLength) },
    ];
}

export function checkLogLeaks(snapshot: DeploymentSnapshot, target: DoctorTarget): CheckResult {
    const group = target.names.backendService.logGroup;
    const result = (status: "pass" | "fail" | "warn" | "skip", message: string, fix?: string) => resultOf("log-leaks", group, [{ status, message, fix }]);
    const { logs } = snapshot;
    if (logs.status === "error") {
        return result("warn", `could not search ${group}: ${logs.error}`);
    }
    if (logs.status === "not-found") {
        return result("skip", `log group ${group} does not exist in ${snapshot.region}`);
    }
    const window = `the last ${target.logWindowHours} h`;
    const labels = new Map(leakPatterns(target).map(({ pattern, label }) => [pattern, label]));
    const hits = logs.value.matches.filter((match) => match.events > 0);
    if (hits.length === 0) {
        return result("pass", `no event in ${window} matches the ${logs.value.matches.length} leak patterns of the stack's metric filters`);
    }
    const found = hits.map((hit) => `${describeCount(hit)} in ${window} ${hit.events === 1 ? "matches" : "match"} ${labels.get(hit.pattern) ?? hit.pattern} ` +
        `(streams: ${hit.streams.join(", ")})`);
    const search = `aws logs filter-log-events --region ${target.region} --log-group-name ${group} --start-time ${logs.value.startTime.getTime()} ` +
        `--filter-pattern '${hits[0].pattern}'`;
    return result("fail", found.join("; "),
        `read the lines in a secure session (${search}); a secret value: rotate it, fix the logging statement, delete the streams ` +
        `(docs/operations.md, "Alarms"); "password authentication failed": the tasks hold a rotated password: ${forceNewDeployment(target)}`);
}

function describeCount(match: LogPatternMatches): string {
    return `${match.truncated ? "at least " : ""}${match.events} event${match.events === 1 ? "" : "s"}`;
}
