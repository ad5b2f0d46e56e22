import * as assert from "assert";
import { CONFIG_DEFAULTS } from "../lib/config";
import { rotationRules } from "../lib/rotation-schedule";
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
                /adma:rdsRotationDays: expected an integer >= 1 and <= 1000/);
        });
    }

    for (const expression of ["every 30 days", "rate(30 days", "at(2026-01-01T00:00:00)"]) {
        it(`configuration rejects the schedule expression "${expression}"`, () => {
            assert.throws(() => configFrom({ ...MINIMAL_CONFIG, rdsRotationSchedule: expression }),
                /adma:rdsRotationSchedule: expected a Secrets Manager schedule expression, "rate\(<n> days\)" or "cron\(<fields>\)"/);
        });
    }
});
