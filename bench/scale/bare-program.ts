// The bare twin of tenants-program.ts: BENCH_TENANTS copies of exactly the resources one AdmaBackend
// registers (recorded from a run of the component, BENCH_RECORDED_FILE), each created with the plain
// provider class (`new aws.ecs.Service(...)`) and the same inputs, data dependencies (an input waits
// for the resource it came from) and options, but none of the component's own logic.
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import type { MonitorRegistration } from "../../tools/preview/resource-recorder";
import { fromWire, isProviderResource, resourceClass, ResourceClass } from "./replay";

async function registerTenant(template: readonly MonitorRegistration[], classes: Map<string, ResourceClass>, tenant: number): Promise<void> {
    const created = new Map<string, pulumi.Resource>();
    for (const record of template) {
        const resolveDeps = (urns: readonly string[]) => urns.map((urn) => created.get(urn)).filter((r): r is pulumi.Resource => r !== undefined);
        const inputs: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(record.inputs)) {
            const plain = fromWire(value);
            const deps = resolveDeps(record.propertyDependencies[key] ?? []);
            inputs[key] = deps.length === 0 ? plain : pulumi.all(deps.map((d) => d.urn)).apply(() => plain);
        }
        const name = record.name.replace(/^tenant0/, `bare${tenant}`);
        const resource = new (classes.get(record.type) as ResourceClass)(name, inputs, {
            dependsOn: resolveDeps(record.dependencies),
            protect: record.protect,
            retainOnDelete: record.retainOnDelete,
            ignoreChanges: record.ignoreChanges,
        });
        if (record.monitorUrn) {
            created.set(record.monitorUrn, resource);
        }
    }
}

async function main(): Promise<void> {
    const recordedFile = process.env.BENCH_RECORDED_FILE;
    if (!recordedFile) {
        throw new Error("bare-program: BENCH_RECORDED_FILE is not set");
    }
    const template = (JSON.parse(fs.readFileSync(recordedFile, "utf8")) as MonitorRegistration[]).filter(isProviderResource);
    const classes = new Map<string, ResourceClass>();
    for (const type of new Set(template.map((r) => r.type))) {
        classes.set(type, await resourceClass(type));
    }
    const tenants = Number(process.env.BENCH_TENANTS ?? "1");
    for (let tenant = 0; tenant < tenants; tenant++) {
        await registerTenant(template, classes, tenant);
    }
}

export = main();
