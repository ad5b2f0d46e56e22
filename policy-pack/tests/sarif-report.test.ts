/**
 * `npm run policy:audit -- --format sarif FILE` (issue 13, item 10): a SARIF 2.1.0 log, one result
 * per violation with its rule, level, message and the resource's URN as its location. That the
 * SARIF schema accepts it is checked by the project's tests/sarif-schema.test.ts, with a JSON
 * schema validator the pack does not depend on.
 */
import * as assert from "assert";
import { Violation } from "../audit/engine";
import { policies } from "../policies";
import * as types from "../policies/resource-types";
import { STACK_RESOURCE_URN, StateSpec, UNKNOWN, compliantStates, runAudit, scratchFolder, stackExport, withState } from "./helpers";

interface SarifLog {
    version: string;
    runs: {
        tool: { driver: { name: string; version: string; rules: { id: string; defaultConfiguration: { level: string } }[] } };
        results: {
            ruleId: string; ruleIndex: number; level: string; message: { text: string };
            locations: { logicalLocations: { fullyQualifiedName: string; kind: string }[]; physicalLocation?: { artifactLocation: { uri: string } } }[];
            partialFingerprints: Record<string, string>;
        }[];
    }[];
}

describe("policy:audit --format sarif", () => {
    const { dir, file } = scratchFolder("policy-audit-sarif-");
    const audit = (args: string[], input = "") => runAudit(args, input, dir);

    // A mandatory violation (a program-supplied password) and a stack-level advisory (a task definition's containers unknown).
    const states: StateSpec[] = withState(compliantStates(), "db", (s) => { s.inputs.password = "p4ss"; });
    const violating = withState(states, "backend", (s) => { s.inputs.containerDefinitions = UNKNOWN; });

    it("writes a SARIF 2.1.0 log, one result per violation with its rule, level, message and location", async () => {
        const input = file("violating.json", stackExport(violating));
        const json = await audit(["--json", input]);
        const violations = JSON.parse(json.stdout) as Violation[];
        assert.ok(violations.some((v) => v.enforcementLevel === "mandatory") && violations.some((v) => v.enforcementLevel === "advisory"));

        const { status, stdout, stderr } = await audit(["--format", "sarif", input]);
        assert.strictEqual(status, 1, stderr);
        const log = JSON.parse(stdout) as SarifLog;
        assert.strictEqual(log.version, "2.1.0");
        const [run] = log.runs;
        assert.strictEqual(run.tool.driver.name, "adma-security");
        assert.deepStrictEqual(run.tool.driver.rules.map((rule) => rule.id), policies.map((policy) => policy.name));
        assert.deepStrictEqual(run.results.map((result) => ({
            policyName: result.ruleId,
            urn: result.locations[0].logicalLocations[0].fullyQualifiedName,
            message: result.message.text,
            level: result.level,
        })), violations.map((v) => ({ policyName: v.policyName, urn: v.urn, message: v.message, level: v.enforcementLevel === "mandatory" ? "error" : "warning" })));
        for (const result of run.results) {
            assert.strictEqual(run.tool.driver.rules[result.ruleIndex].id, result.ruleId);
            assert.strictEqual(result.locations[0].logicalLocations[0].kind, "resource");
            assert.strictEqual(result.locations[0].physicalLocation?.artifactLocation.uri, "violating.json");
            assert.match(Object.values(result.partialFingerprints)[0], /^[0-9a-f]{64}$/);
        }
        assert.ok(run.results.some((result) => result.locations[0].logicalLocations[0].fullyQualifiedName === STACK_RESOURCE_URN),
            "the stack-level advisory is located at the stack");
        assert.doesNotMatch(stdout, /p4ss/);
    });

    it("writes an empty run for a compliant input, and no file location for stdin", async () => {
        const clean = await audit(["--format", "sarif", "-"], JSON.stringify(stackExport(compliantStates())));
        assert.strictEqual(clean.status, 0, clean.stderr);
        const log = JSON.parse(clean.stdout) as SarifLog;
        assert.deepStrictEqual(log.runs[0].results, []);
        const fromStdin = JSON.parse((await audit(["--format", "sarif", "-"], JSON.stringify(stackExport(violating)))).stdout) as SarifLog;
        assert.ok(fromStdin.runs[0].results.every((result) => result.locations[0].physicalLocation === undefined));
    });

    it("refuses an unknown format, and --json together with another format", async () => {
        const input = file("ok.json", stackExport(compliantStates()));
        const unknown = await audit(["--format", "xml", input]);
        assert.strictEqual(unknown.status, 2);
        assert.match(unknown.stderr, /--format must be one of table, json, sarif, got "xml"/);
        const both = await audit(["--json", "--format", "sarif", input]);
        assert.strictEqual(both.status, 2);
        assert.match(both.stderr, /--json asks for --format json, but --format sarif was given too/);
        assert.strictEqual((await audit(["--format", "table", input])).status, 0);
        assert.strictEqual(types.STACK, "pulumi:pulumi:Stack");
    });
});
