import * as assert from "assert";
import { NAME_USES, PhysicalName, physicalNames, resourceNames } from "../lib/naming";
import { Deployment, MINIMAL_CONFIG, configFrom, deploy, stackConfigValues } from "./harness";

/** The input at a dotted path, reading into JSON strings (a task definition's `containerDefinitions`). */
function valueAt(inputs: Record<string, unknown>, path: string): unknown {
    let value: unknown = inputs;
    for (const segment of path.split(".")) {
        if (typeof value === "string") {
            value = JSON.parse(value);
        }
        value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[segment] : undefined;
    }
    return value;
}

/** Inputs that carry a physical name on the resource types this stack registers (`family` only on task definitions). */
const NAME_PROPERTIES = ["name", "identifier", "finalSnapshotIdentifier", "family", "policyName", "tags.Name"];
const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";

/** The name as listed, without the suffix the component generates for it (a hex string of the sample's length). */
function listedPart(value: string, use: PhysicalName): string {
    const suffix = use.generatedSuffix;
    if (suffix === undefined || !value.startsWith(use.name)) {
        return value;
    }
    const generated = value.slice(use.name.length);
    return generated.length === suffix.length && /^-[0-9a-f]+$/.test(generated) ? use.name : value;
}

describe("physical names (lib/naming.ts)", function () {
    let d: Deployment;
    before(async () => {
        // prod has every optional resource but the ECS Exec policy and the task endpoints, which this adds.
        d = await deploy({ ...stackConfigValues("prod"), enableEcsExec: "true", allowEcsExecInProd: "true", createTaskEndpoints: "true" }, { base: {}, stack: "prod" });
    });

    it("every name is on a resource, at the type and property NAME_USES gives (one resource each, but the shared metric namespace)", () => {
        for (const use of physicalNames(d.backend.names)) {
            const carriers = d.ofType(use.resourceType).filter((resource) => {
                const value = valueAt(resource.inputs, use.property);
                return typeof value === "string" && listedPart(value, use) === use.name;
            });
            const expected = use.key === "monitoring.metricNamespace" ? 2 : 1;
            assert.strictEqual(carriers.length, expected, `${use.key} "${use.name}" at ${use.resourceType} ${use.property}`);
        }
    });

    it("no resource carries a name naming.ts does not list", () => {
        const listed = physicalNames(d.backend.names);
        const names = new Set(listed.map((use) => use.name));
        let checked = 0;
        for (const resource of d.resources.filter((r) => !r.type.startsWith("adma:"))) {
            for (const property of NAME_PROPERTIES.filter((p) => p !== "family" || resource.type === TASK_DEFINITION)) {
                const value = valueAt(resource.inputs, property);
                if (typeof value !== "string") {
                    continue;
                }
                checked += 1;
                // A `Name` tag repeats the resource's own name.
                const known = property === "tags.Name" ? names.has(value)
                    : listed.some((use) => `${use.resourceType} ${use.property} ${listedPart(value, use)}` === `${resource.type} ${property} ${use.name}`);
                assert.ok(known, `${resource.type} ${resource.name}: ${property} "${value}" is not from lib/naming.ts`);
            }
        }
        assert.ok(checked >= listed.length, `only ${checked} names checked`);
    });

    it("lists a use for every name of every group, and every name starts from the stack's prefix or project", () => {
        const names = resourceNames(configFrom({ ...MINIMAL_CONFIG, projectName: "shop", environment: "dev" }));
        const rows = physicalNames(names);
        assert.strictEqual(rows.length, Object.values(NAME_USES).reduce((count, group) => count + Object.keys(group).length, 0));
        for (const row of rows.filter((r) => r.key !== "backendService.container")) {
            assert.ok(row.name.includes("shop-dev") || row.name.startsWith("/shop/dev/"), `${row.key}: ${row.name}`);
        }
        assert.strictEqual(names.database.parameterGroup, "shop-dev-postgres-postgres16");
    });
});
