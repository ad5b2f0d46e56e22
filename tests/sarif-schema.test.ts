/**
 * The policy pack's SARIF log (`policy:audit --format sarif`) against the SARIF 2.1.0 schema
 * (2.1.0-rtm.5, the OASIS standard's, as Microsoft's SARIF SDK publishes it). Here rather than in
 * the pack's own tests, which run with the pack's dependencies alone: the schema and its
 * validator are the project's development dependencies, not the published pack's.
 */
import * as assert from "assert";
import { compliantStates, runAudit, stackExport, StateSpec, UNKNOWN, withState } from "../policy-pack/tests/helpers";

/* eslint-disable @typescript-eslint/no-require-imports */
const Ajv = require("ajv");
const sarifSchema = require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
const draft04 = require("ajv/lib/refs/json-schema-draft-04.json");
/* eslint-enable @typescript-eslint/no-require-imports */

function validateSarif(log: unknown): string[] {
    const ajv = new Ajv({ schemaId: "auto", validateSchema: false, allErrors: true });
    ajv.addMetaSchema(draft04);
    const validate = ajv.compile(sarifSchema);
    return validate(log) ? [] : (validate.errors as { dataPath: string; message: string }[]).map((e) => `${e.dataPath} ${e.message}`);
}

describe("policy:audit --format sarif against the SARIF 2.1.0 schema", () => {
    // A mandatory violation (a program-supplied password) and a stack-level advisory (a task definition's containers unknown).
    const states: StateSpec[] = withState(compliantStates(), "db", (s) => { s.inputs.password = "p4ss"; });
    const violating = withState(states, "backend", (s) => { s.inputs.containerDefinitions = UNKNOWN; });

    it("accepts the log of violations and the empty log of a compliant input", async () => {
        const found = await runAudit(["--format", "sarif", "-"], JSON.stringify(stackExport(violating)));
        assert.strictEqual(found.status, 1, found.stderr);
        const log = JSON.parse(found.stdout) as { runs: Array<{ results: unknown[] }> };
        assert.ok(log.runs[0].results.length >= 2);
        assert.deepStrictEqual(validateSarif(log), []);
        const clean = await runAudit(["--format", "sarif", "-"], JSON.stringify(stackExport(compliantStates())));
        assert.strictEqual(clean.status, 0, clean.stderr);
        assert.deepStrictEqual(validateSarif(JSON.parse(clean.stdout)), []);
        assert.notDeepStrictEqual(validateSarif({ version: "2.1.0", runs: [{ results: [] }] }), [], "the schema refuses a run without its tool");
    });
});
