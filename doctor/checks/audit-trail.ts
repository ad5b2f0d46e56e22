/**
 * `audit-trail`: a CloudTrail trail that is logging records the region's read-only management
 * events: the stack's secret-access monitoring (the design document's "Monitor for unauthorized
 * access") reacts to `GetSecretValue`, a read-only management event that EventBridge only receives
 * through such a trail (docs/operations.md, "Prerequisite: a CloudTrail trail"). Pure: judges the
 * snapshot.
 *
 * A trail without custom event selectors logs all management events (CloudTrail User Guide,
 * "Logging management events"); with them, basic selectors say `ReadWriteType` and advanced ones
 * the `eventCategory` and `readOnly` fields.
 */
import type { GetEventSelectorsResponse, Trail } from "@aws-sdk/client-cloudtrail";
import { CheckResult, Finding, resultOf } from "../check-result";
import { DeploymentSnapshot, TrailState } from "../snapshot";
import { DoctorTarget } from "../target";

export interface ManagementEvents {
    readonly read: boolean;
    readonly write: boolean;
}

/** Which management events a trail's selectors record. */
export function managementEventsOf(trail: Trail, selectors: GetEventSelectorsResponse | undefined): ManagementEvents {
    if (trail.HasCustomEventSelectors !== true) {
        return { read: true, write: true };
    }
    let read = false;
    let write = false;
    for (const selector of selectors?.EventSelectors ?? []) {
        if (selector.IncludeManagementEvents === false) {
            continue;
        }
        const type = selector.ReadWriteType ?? "All";
        read ||= type !== "WriteOnly";
        write ||= type !== "ReadOnly";
    }
    for (const selector of selectors?.AdvancedEventSelectors ?? []) {
        const field = (name: string) => selector.FieldSelectors?.find((candidate) => candidate.Field === name);
        if (!field("eventCategory")?.Equals?.includes("Management")) {
            continue;
        }
        const readOnly = field("readOnly")?.Equals ?? ["true", "false"];
        read ||= readOnly.includes("true");
        write ||= readOnly.includes("false");
    }
    return { read, write };
}

export function checkAuditTrail(snapshot: DeploymentSnapshot, target: DoctorTarget): CheckResult {
    const region = snapshot.region;
    const finish = (resource: string, findings: Finding[]) => resultOf("audit-trail", resource, findings);
    const createTrail = `aws cloudtrail create-trail --region ${region} --name ${target.names.namePrefix}-audit --s3-bucket-name <bucket> --is-multi-region-trail ` +
        `&& aws cloudtrail start-logging --region ${region} --name ${target.names.namePrefix}-audit (or log in the organisation trail; see docs/operations.md)`;
    if (snapshot.trails.status !== "ok") {
        return finish(`CloudTrail (${region})`, [{ status: "warn", message: `could not list the trails: ${snapshot.trails.status === "error" ? snapshot.trails.error : "not found"}` }]);
    }
    const trails = snapshot.trails.value;
    if (trails.length === 0) {
        return finish(`CloudTrail (${region})`, [{
            status: "fail",
            message: `no CloudTrail trail covers ${region}: the unexpected-read and frequent-read alarms never fire`,
            fix: createTrail,
        }]);
    }
    const judged = trails.map((state) => judgeTrail(state, region));
    const good = judged.find(({ finding }) => finding.status === "pass");
    if (good !== undefined) {
        return finish(good.name, [good.finding]);
    }
    return finish(judged.map(({ name }) => name).join(", "), judged.map(({ finding }) => finding));
}

/** A trail's finding; `name` (the trail's name) is the check's resource, the fixes use the ARN, which shadow trails need. */
function judgeTrail(state: TrailState, region: string): { name: string; finding: Finding } {
    const { trail } = state;
    const name = trail.TrailARN ?? trail.Name ?? "(unnamed trail)";
    const label = trail.Name ?? name;
    const scope = trail.IsMultiRegionTrail ? "multi-region" : `in ${region}`;
    if (state.status.status !== "ok") {
        return { name: label, finding: { status: "warn", message: `trail ${trail.Name} (${scope}): could not read its status: ${state.status.status === "error" ? state.status.error : "not found"}` } };
    }
    if (state.status.value.IsLogging !== true) {
        return { name: label, finding: {
            status: "fail", message: `trail ${trail.Name} (${scope}) exists but is not logging`,
            fix: `aws cloudtrail start-logging --region ${trail.HomeRegion ?? region} --name ${name}`,
        } };
    }
    if (trail.HasCustomEventSelectors === true && state.selectors?.status !== "ok") {
        const why = state.selectors?.status === "error" ? state.selectors.error : "not read";
        return { name: label, finding: { status: "warn", message: `trail ${trail.Name} (${scope}): could not read its event selectors: ${why}` } };
    }
    const events = managementEventsOf(trail, state.selectors?.status === "ok" ? state.selectors.value : undefined);
    if (!events.read) {
        return { name: label, finding: {
            status: "fail", message: `trail ${trail.Name} (${scope}) is logging but records no read-only management events (GetSecretValue is one)`,
            fix: `add read-only management events to the trail's event selectors: aws cloudtrail get-event-selectors --region ${trail.HomeRegion ?? region} ` +
                `--trail-name ${name}, then put-event-selectors with them added (it replaces every selector, so keep the existing ones)`,
        } };
    }
    const what = events.write ? "all management events" : "read-only management events";
    return { name: label, finding: { status: "pass", message: `trail ${trail.Name} (${scope}) is logging ${what}` } };
}
