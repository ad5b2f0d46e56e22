import * as assert from "assert";
import { CONFIG_DEFAULTS } from "../lib/config";
import { rotationRules, scheduleExpressionProblem } from "../lib/rotation-schedule";
import { MINIMAL_CONFIG, configFrom } from "./harness";
import { PROD_CONFIG } from "./samples";

describe("rotation schedule (lib/rotation-schedule)", () => {
    it("defaults to the design document's 30 days", () => {
        assert.strictEqual(CONFIG_DEFAULTS.rdsRotationDays, 30);
        assert.deepStrictEqual(rotationRules(PROD_CONFIG.rotation.rdsSchedule), { automaticallyAfterDays: 30 });
    });

    it("passes a rate() or cron() expression through as scheduleExpression", () => {
        assert.deepStrictEqual(rotationRules({ expression: "rate(10 days)" }), { scheduleExpression: "rate(10 days)" });
        assert.deepStrictEqual(rotationRules({ expression: "cron(0 4 ? * SUN *)" }), { scheduleExpression: "cron(0 4 ? * SUN *)" });
    });

    for (const days of ["0", "-1", "1001", "7.5", "NaN"]) {
        it(`configuration rejects ${days} days with an error naming the setting and the range`, () => {
            assert.throws(() => configFrom({ ...MINIMAL_CONFIG, rdsRotationDays: days }),
                /adma:rdsRotationDays: expected an integer from 1 to 1000/);
        });
    }

    for (const expression of ["every 30 days", "rate(30 days", "at(2026-01-01T00:00:00)"]) {
        it(`configuration rejects the schedule expression "${expression}"`, () => {
            assert.throws(() => configFrom({ ...MINIMAL_CONFIG, rdsRotationSchedule: expression }),
                /adma:rdsRotationSchedule: not a schedule expression: rate\(<value> hours\|days\) or cron\(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>\)/);
        });
    }

    // Secrets Manager User Guide, "Rotation schedules" (rotate-secrets_schedule.html).
    it("accepts what Secrets Manager accepts: rate() in hours or days from 4 hours to 999 days, cron() on the hour with the documented fields", () => {
        for (const expression of ["rate(4 hours)", "rate(1 day)", "rate(30 days)", "rate(999 days)", "cron(0 4/12 * * ? *)", "cron(0 8 1/7 * ? *)",
            "cron(0 0 ? * SUN#1 *)", "cron(0 16 L * ? *)", "cron(0 10 ? JAN,APR,JUL,OCT MON-FRI *)", "cron(0 3 ? * 6L *)"]) {
            assert.strictEqual(scheduleExpressionProblem(expression), undefined, expression);
        }
    });

    for (const [expression, problem] of [
        ["rate(3 hours)", /^Secrets Manager rotates at most every 4 hours$/],
        ["rate(0 days)", /^Secrets Manager rotates at most every 4 hours$/],
        ["rate(1000 days)", /^Secrets Manager rotates at least every 999 days$/],
        ["rate(30 minutes)", /^not a rate Secrets Manager reads: rate\(<value> <unit>\) with a positive integer and hour\(s\) or day\(s\)/],
        ["rate(1.5 days)", /^not a rate Secrets Manager reads/],
        ["cron(15 4 * * ? *)", /^the minutes field must be 0: Secrets Manager rotation windows open on the hour$/],
        ["cron(0 4 * * ? 2027)", /^the year field must be \*/],
        ["cron(0 4 * * ?)", /^a cron expression has 6 fields \(minutes hours day-of-month month day-of-week year\), this one has 5$/],
        ["cron(0 24 * * ? *)", /^the hours field "24" is not 0-23 with , - \* \/$/],
        ["cron(0 4 32 * ? *)", /^the day-of-month field "32" is not 1-31/],
        ["cron(0 4 ? SEPT * *)", /^the month field "SEPT" is not 1-12 or JAN-DEC/],
        ["cron(0 4 ? * MON#6 *)", /^the day-of-week field "MON#6" is not 1-7 or SUN-SAT with , - \* \/ \? L #$/],
        ["cron(0 4 W * ? *)", /^the day-of-month field "W" is not 1-31/],
        ["cron(0 * * * ? *)", /^rotations 1 hour apart: Secrets Manager rotates at most every 4 hours$/],
        ["cron(0 22,1 * * ? *)", /^rotations 3 hours apart/],
    ] as const) {
        it(`refuses ${expression}, saying why in Secrets Manager's terms`, () => {
            assert.match(scheduleExpressionProblem(expression) ?? "(accepted)", problem);
            assert.throws(() => configFrom({ ...MINIMAL_CONFIG, rdsRotationSchedule: expression }),
                (error: Error) => error.message.includes(`adma:rdsRotationSchedule: ${scheduleExpressionProblem(expression)}; got "${expression}"`));
        });
    }
});
