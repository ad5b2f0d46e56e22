import { strict as assert } from "assert";
import { benchExitCode, verdict, verdictOutOfReach } from "../../bench/lib/report";

describe("bench verdicts and exit code (bench/lib/report)", () => {
    it("fails the run on a missed target within reach, not on one the docs call out of reach", () => {
        assert.equal(verdict(false), "FAIL");
        assert.equal(verdictOutOfReach(false), "out of reach");
        assert.equal(verdictOutOfReach(true), "pass");
        assert.equal(benchExitCode([{ verdict: "pass" }, { verdict: "out of reach" }, { verdict: "info" }]), 0);
        assert.equal(benchExitCode([{ verdict: "out of reach" }, { verdict: "FAIL" }]), 1);
    });
});
