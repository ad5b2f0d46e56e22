/**
 * `rds-rotation`: rotation is on for the database's RDS-managed master secret, on the schedule the
 * stack configures (`adma:rdsRotationDays` or `adma:rdsRotationSchedule`, lib/rotation-schedule.ts).
 * The design document recommends it; the program sets it with `rotateImmediately: false`. Pure:
 * judges the snapshot (`DescribeSecret` `RotationEnabled` and `RotationRules`, Secrets Manager API
 * Reference).
 */
import type { RotationRulesType } from "@aws-sdk/client-secrets-manager";
import { RotationSchedule } from "../../lib/rotation-schedule";
import { CheckResult, resultOf } from "../check-result";
import { pulumiUp } from "../fixes";
import { DeploymentSnapshot } from "../snapshot";
import { DoctorTarget } from "../target";

export function checkRdsRotation(snapshot: DeploymentSnapshot, target: DoctorTarget): CheckResult {
    const { database } = snapshot;
    const masterSecretArn = database.status === "ok" ? database.value.MasterUserSecret?.SecretArn : undefined;
    const secret = masterSecretArn === undefined ? undefined : snapshot.secrets.get(masterSecretArn);
    const resource = (secret?.status === "ok" ? secret.value.description.Name : undefined) ?? masterSecretArn ?? target.names.database.instance;
    const result = (status: "pass" | "fail" | "warn" | "skip", message: string, fix?: string) => resultOf("rds-rotation", resource, [{ status, message, fix }]);
    if (masterSecretArn === undefined) {
        const why = database.status === "error" ? `could not read database ${target.names.database.instance}: ${database.error}`
            : database.status === "not-found" ? `database ${target.names.database.instance} does not exist` : `database ${target.names.database.instance} has no RDS-managed master secret`;
        return result("skip", `${why} (see db-secret-match)`);
    }
    if (secret === undefined || secret.status === "error") {
        return result("warn", `could not read the master secret: ${secret?.status === "error" ? secret.error : "not read"}`);
    }
    if (secret.status === "not-found") {
        return result("fail", `the database's master secret ${masterSecretArn} does not exist`, pulumiUp(target));
    }
    const wanted = describeSchedule(target.rdsSchedule);
    const fix = `${pulumiUp(target)} (the stack's RdsSecretRotation sets ${wanted} without rotating at once)`;
    const { description } = secret.value;
    if (description.RotationEnabled !== true) {
        return result("fail", `rotation is off for the master secret of ${target.names.database.instance}; the stack configures ${wanted}`, fix);
    }
    if (!matchesSchedule(description.RotationRules, target.rdsSchedule)) {
        return result("warn", `rotation is on ${describeRules(description.RotationRules)}, but the stack configures ${wanted}`, fix);
    }
    const next = description.NextRotationDate ? `; next rotation ${description.NextRotationDate.toISOString()}` : "";
    return result("pass", `rotation is on, ${wanted}${next}`);
}

export function describeSchedule(schedule: RotationSchedule): string {
    return "afterDays" in schedule ? `every ${schedule.afterDays} days` : `on ${schedule.expression}`;
}

/** Whether the secret's rules are the schedule: the same days, or the same expression (case and spacing aside). */
export function matchesSchedule(rules: RotationRulesType | undefined, schedule: RotationSchedule): boolean {
    const expression = normalise(rules?.ScheduleExpression);
    if ("afterDays" in schedule) {
        return rules?.AutomaticallyAfterDays === schedule.afterDays
            || expression === `rate(${schedule.afterDays} days)` || (schedule.afterDays === 1 && expression === "rate(1 day)");
    }
    return expression !== undefined && expression === normalise(schedule.expression);
}

function normalise(expression: string | undefined): string | undefined {
    return expression?.trim().replace(/\s+/g, " ").toLowerCase();
}

function describeRules(rules: RotationRulesType | undefined): string {
    if (rules?.ScheduleExpression) {
        return `on ${rules.ScheduleExpression}`;
    }
    return rules?.AutomaticallyAfterDays !== undefined ? `every ${rules.AutomaticallyAfterDays} days` : "without a schedule";
}
