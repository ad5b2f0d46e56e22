/**
 * The RDS master secret's rotation schedule as a typed value. Pure: no Pulumi calls.
 *
 * Secrets Manager takes either `AutomaticallyAfterDays` (1 to 1000) or a `ScheduleExpression`
 * (`rate(...)` or `cron(...)`), never both (RotationRulesType, Secrets Manager API Reference).
 */
export type RotationSchedule =
    | { readonly afterDays: number }
    | { readonly expression: string };

/** The seed's schedule. RDS itself rotates a managed master secret every 7 days unless told otherwise. */
export const DEFAULT_ROTATION_DAYS = 30;
export const MIN_ROTATION_DAYS = 1;
export const MAX_ROTATION_DAYS = 1000;

const SCHEDULE_EXPRESSION = /^(rate|cron)\([^()]+\)$/;

/** A `rate(...)` or `cron(...)` expression (its fields are checked by Secrets Manager). */
export function isScheduleExpression(value: string): boolean {
    return SCHEDULE_EXPRESSION.test(value);
}

export interface RotationRules {
    automaticallyAfterDays?: number;
    scheduleExpression?: string;
}

/** The provider's `rotationRules` for a schedule; throws an error naming `setting` when it is invalid. */
export function rotationRules(schedule: RotationSchedule, setting = "rotation schedule"): RotationRules {
    if ("afterDays" in schedule) {
        const days = schedule.afterDays;
        if (!Number.isInteger(days) || days < MIN_ROTATION_DAYS || days > MAX_ROTATION_DAYS) {
            throw new Error(
                `${setting} must be a whole number of days from ${MIN_ROTATION_DAYS} to ${MAX_ROTATION_DAYS}, got ${days}`);
        }
        return { automaticallyAfterDays: days };
    }
    if (!isScheduleExpression(schedule.expression)) {
        throw new Error(
            `${setting} must be a Secrets Manager schedule expression "rate(<n> days)" or "cron(<fields>)", got "${schedule.expression}"`);
    }
    return { scheduleExpression: schedule.expression };
}
