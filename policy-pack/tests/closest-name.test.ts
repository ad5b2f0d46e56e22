import * as assert from "assert";
import { closestName } from "../lib/closest-name";

describe("closestName (did-you-mean hints)", () => {
    it("finds the name one or two edits away", () => {
        assert.strictEqual(closestName("stak", ["out", "stack", "cwd"]), "stack");
        assert.strictEqual(closestName("forse", ["force"]), "force");
        assert.strictEqual(closestName("dbDeletionProtecton", ["dbName", "dbDeletionProtection"]), "dbDeletionProtection");
    });

    it("ignores case, so a name differing only in case is always found", () => {
        assert.strictEqual(closestName("backendTaskCPU", ["backendTaskCpu", "backendTaskMemory"]), "backendTaskCpu");
    });

    it("suggests nothing when no name is near enough to be a misspelling", () => {
        assert.strictEqual(closestName("yaml", ["json", "config"]), undefined);
        assert.strictEqual(closestName("x", []), undefined);
    });

    it("prefers the nearest name, and the earlier one on a tie", () => {
        assert.strictEqual(closestName("stacks", ["stack", "stacks"]), "stacks");
        assert.strictEqual(closestName("jobz", ["jobs", "jobx"]), "jobs");
    });
});
