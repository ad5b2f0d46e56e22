/**
 * The RDS master secret's rotation schedule as a typed value. Pure: no Pulumi calls.
 *
 * Secrets Manager takes either `AutomaticallyAfterDays` (1 to 1000) or a `ScheduleExpression`
 * (`rate(...)` or `cron(...)`), never both (RotationRulesType, Secrets Manager API Reference).
 * The configuration (lib/config.ts) validates a schedule with these bounds and
 * `scheduleExpressionProblem`; a `RotationSchedule` is always a valid one.
 */
export type RotationSchedule =
    | { readonly afterDays: number }
    | { readonly expression: string };

export const MIN_ROTATION_DAYS = 1;
export const MAX_ROTATION_DAYS = 1000;

/** The shortest interval Secrets Manager rotates at, in hours, and the longest `rate()`, in days. */
export const MIN_RATE_HOURS = 4;
export const MAX_RATE_DAYS = 999;

/**
 * What Secrets Manager would refuse in a schedule expression, in the user's terms, or undefined
 * when it accepts it. The rules are those of "Rotation schedules" in the Secrets Manager User Guide
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_schedule.html):
 * - `rate(<value> <unit>)`: a positive integer and `hour`, `hours`, `day` or `days`; "as often as
 *   every four hours"; "the maximum rotation period is 999 days";
 * - `cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)`: minutes "must be 0"
 *   (rotation windows open on the hour), hours 0-23, day-of-month 1-31 (with `, - * ? / L`),
 *   month 1-12 or JAN-DEC (with `, - * /`), day-of-week 1-7 or SUN-SAT (with `# , - * ? / L`),
 *   year "must be *"; and, as for rate(), no two rotations less than four hours apart.
 */
export function scheduleExpressionProblem(expression: string): string | undefined {
    const rate = /^rate\((.*)\)$/.exec(expression);
    if (rate !== null) {
        return rateProblem(rate[1]);
    }
    const cron = /^cron\((.*)\)$/.exec(expression);
    if (cron !== null) {
        return cronProblem(cron[1].trim().split(/\s+/));
    }
    return "not a schedule expression: rate(<value> hours|days) or cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)";
}

function rateProblem(body: string): string | undefined {
    const match = /^\s*(\d+)\s+(hour|hours|day|days)\s*$/.exec(body);
    if (match === null) {
        return "not a rate Secrets Manager reads: rate(<value> <unit>) with a positive integer and hour(s) or day(s), e.g. rate(30 days) or rate(12 hours)";
    }
    const value = Number(match[1]);
    const hours = match[2].startsWith("hour") ? value : value * 24;
    if (value < 1 || hours < MIN_RATE_HOURS) {
        return `Secrets Manager rotates at most every ${MIN_RATE_HOURS} hours`;
    }
    if (hours > MAX_RATE_DAYS * 24) {
        return `Secrets Manager rotates at least every ${MAX_RATE_DAYS} days`;
    }
    return undefined;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface CronField {
    readonly name: string;
    readonly min: number;
    readonly max: number;
    readonly names?: readonly string[];
    /** Besides `,`, `-`, `*` and `/`. */
    readonly extra: readonly string[];
}

const HOURS: CronField = { name: "hours", min: 0, max: 23, extra: [] };
const CRON_FIELDS: readonly CronField[] = [
    HOURS,
    { name: "day-of-month", min: 1, max: 31, extra: ["?", "L"] },
    { name: "month", min: 1, max: 12, names: MONTHS, extra: [] },
    { name: "day-of-week", min: 1, max: 7, names: WEEKDAYS, extra: ["?", "L", "#"] },
];

function cronProblem(fields: string[]): string | undefined {
    if (fields.length !== 6) {
        return `a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), this one has ${fields.length}`;
    }
    const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields;
    if (minutes !== "0") {
        return "the minutes field must be 0: Secrets Manager rotation windows open on the hour";
    }
    if (year !== "*") {
        return "the year field must be *: Secrets Manager does not rotate on schedules more than a year apart";
    }
    for (const [field, text] of [[CRON_FIELDS[0], hours], [CRON_FIELDS[1], dayOfMonth], [CRON_FIELDS[2], month], [CRON_FIELDS[3], dayOfWeek]] as const) {
        const problem = cronFieldProblem(field, text);
        if (problem !== undefined) {
            return problem;
        }
    }
    const gap = shortestHourGap(hours, dayOfMonth, dayOfWeek);
    if (gap < MIN_RATE_HOURS) {
        return `rotations ${gap} hour${gap === 1 ? "" : "s"} apart: Secrets Manager rotates at most every ${MIN_RATE_HOURS} hours`;
    }
    return undefined;
}

function cronFieldProblem(field: CronField, text: string): string | undefined {
    const allowed = [",", "-", "*", "/", ...field.extra].join(" ");
    const values = `${field.min}-${field.max}${field.names ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : ""}`;
    const invalid = `the ${field.name} field "${text}" is not ${values} with ${allowed}`;
    if (text === "?" || text === "L") {
        return field.extra.includes(text) ? undefined : invalid;
    }
    for (const part of text.split(",")) {
        const [range, step, ...rest] = part.split("/");
        if (rest.length > 0 || (step !== undefined && !/^\d+$/.test(step))) {
            return invalid;
        }
        // `<day>#<n>`: the n-th such weekday of the month; `<day>L`: its last one (day-of-week only).
        const weekdayOf = field.extra.includes("#") ? /^(\w+)(?:#[1-5]|L)$/.exec(range) : null;
        const bounds = range === "*" ? [] : weekdayOf !== null ? [weekdayOf[1]] : range.split("-");
        if (bounds.length > 2 || bounds.some((bound) => cronValue(field, bound) === undefined)) {
            return invalid;
        }
    }
    return undefined;
}

function cronValue(field: CronField, text: string): number | undefined {
    const named = field.names?.indexOf(text.toUpperCase()) ?? -1;
    const value = named >= 0 ? named + field.min : /^\d+$/.test(text) ? Number(text) : NaN;
    return value >= field.min && value <= field.max ? value : undefined;
}

/** The fewest hours between two rotation windows of a (valid) hours field; across midnight only when every day rotates. */
function shortestHourGap(hours: string, dayOfMonth: string, dayOfWeek: string): number {
    const selected = new Set<number>();
    for (const part of hours.split(",")) {
        const [range, step] = part.split("/");
        const [from, to] = range === "*" ? [HOURS.min, HOURS.max] : range.split("-").map(Number);
        for (let hour = from; hour <= (to ?? (step === undefined ? from : HOURS.max)); hour += step === undefined ? 1 : Number(step)) {
            selected.add(hour);
        }
    }
    const sorted = [...selected].sort((a, b) => a - b);
    const gaps = sorted.slice(1).map((hour, index) => hour - sorted[index]);
    const everyDay = [dayOfMonth, dayOfWeek].every((field) => field === "*" || field === "?");
    if (everyDay) {
        gaps.push(24 - sorted[sorted.length - 1] + sorted[0]);
    }
    return gaps.length === 0 ? 24 : Math.min(...gaps);
}

export interface RotationRules {
    automaticallyAfterDays?: number;
    scheduleExpression?: string;
}

/** The provider's `rotationRules` for a schedule. */
export function rotationRules(schedule: RotationSchedule): RotationRules {
    return "afterDays" in schedule ? { automaticallyAfterDays: schedule.afterDays } : { scheduleExpression: schedule.expression };
}
