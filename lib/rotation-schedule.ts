/**
 * The RDS master secret's rotation schedule as a typed value. Pure: no Pulumi calls.
 *
 * Secrets Manager takes either `AutomaticallyAfterDays` (1 to 1000) or a `ScheduleExpression`
 * (`rate(...)` or `cron(...)`), never both (RotationRulesType, Secrets Manager API Reference).
 * The configuration (lib/config.ts) validates a schedule with these bounds and `isScheduleExpression`;
 * a `RotationSchedule` is always a valid one.
 */
export type RotationSchedule =
    | { readonly afterDays: number }
    | { readonly expression: string };

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

/** The provider's `rotationRules` for a schedule. */
export function rotationRules(schedule: RotationSchedule): RotationRules {
    return "afterDays" in schedule ? { automaticallyAfterDays: schedule.afterDays } : { scheduleExpression: schedule.expression };
}
