// In-process phases of one audit (the path `npm run policy:audit` takes: read the file, JSON.parse
// it, read the document, run the policies), for where target 5's time goes (the judged figures
// come from the CLI itself, in audit.ts): audit-phases.ts FILE  ->  one JSON line of milliseconds.
import { readFileSync } from "fs";
import { AuditResource, AuditRun } from "../policy-pack/audit/engine";
import { readAuditDocument } from "../policy-pack/audit/reader";
import { policies } from "../policy-pack/policies";

export interface AuditPhases {
    /** Reading the file and decoding its UTF-8, as the CLI does. */
    readonly readMs: number;
    /** JSON.parse of the whole document. */
    readonly parseMs: number;
    /** The reader: detecting the format and turning its resources into AuditResources. */
    readonly documentMs: number;
    /** Resource policies, resource by resource. */
    readonly resourcePoliciesMs: number;
    /** Stack policies, at the end. */
    readonly stackPoliciesMs: number;
    /**
     * CPU time (user + system, all threads) of the whole audit: steadier than its wall time on
     * a machine other work also loads, since waiting for a core is not counted.
     */
    readonly auditCpuMs: number;
    readonly violations: number;
    readonly bytes: number;
}

/** The engine's run, timing its two parts. */
class TimedRun extends AuditRun {
    addMs = 0;
    finishMs = 0;

    add(resource: AuditResource): Promise<void> | undefined {
        const start = performance.now();
        const pending = super.add(resource);
        this.addMs += performance.now() - start;
        return pending;
    }

    async finish() {
        const start = performance.now();
        const violations = await super.finish();
        this.finishMs += performance.now() - start;
        return violations;
    }
}

async function main(file: string): Promise<AuditPhases> {
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const bytes = readFileSync(file);
    const text = bytes.toString("utf8");
    const t1 = performance.now();
    const parsed: unknown = JSON.parse(text);
    const t2 = performance.now();
    const { resources } = readAuditDocument(parsed);
    const t3 = performance.now();
    const run = new TimedRun(policies);
    for (const resource of resources) {
        const pending = run.add(resource);
        if (pending !== undefined) {
            await pending;
        }
    }
    const violations = await run.finish();
    const { user, system } = process.cpuUsage(cpu);
    return {
        readMs: t1 - t0,
        parseMs: t2 - t1,
        documentMs: t3 - t2,
        resourcePoliciesMs: run.addMs,
        stackPoliciesMs: run.finishMs,
        auditCpuMs: (user + system) / 1000,
        violations: violations.length,
        bytes: bytes.length,
    };
}

main(process.argv[2] ?? "").then(
    (phases) => process.stdout.write(`${JSON.stringify(phases)}\n`),
    (error: unknown) => {
        process.stderr.write(`audit-phases: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
    },
);
