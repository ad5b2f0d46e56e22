// In-process phases of one streamed audit (the path `npm run policy:audit` takes), for where
// target 5's time goes (the judged figures come from the CLI itself, in audit.ts):
// audit-phases.ts FILE  ->  one JSON line of milliseconds.
import { AuditResource, AuditRun } from "../policy-pack/audit/engine";
import { auditDocumentStream, fileChunks } from "../policy-pack/audit/stream";
import { policies } from "../policy-pack/policies";

export interface AuditPhases {
    /** Reading the file's bytes alone (a separate pass over the same chunks the audit reads). */
    readonly readMs: number;
    /** The streamed audit less its policies: decoding, tokenizing, JSON.parse and conversion of each resource. */
    readonly streamMs: number;
    /** Resource policies, as each resource arrives. */
    readonly resourcePoliciesMs: number;
    /** Stack policies, at the end. */
    readonly stackPoliciesMs: number;
    /**
     * CPU time (user + system, all threads) of the streamed audit: steadier than its wall time on
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
    const t0 = performance.now();
    let bytes = 0;
    for (const chunk of fileChunks(file)) {
        bytes += chunk.length;
    }
    const t1 = performance.now();
    const cpu = process.cpuUsage();
    let run: TimedRun | undefined;
    const { violations } = await auditDocumentStream(fileChunks(file), () => (run = new TimedRun(policies)));
    const t2 = performance.now();
    const { user, system } = process.cpuUsage(cpu);
    const resourcePoliciesMs = run?.addMs ?? 0;
    const stackPoliciesMs = run?.finishMs ?? 0;
    return {
        readMs: t1 - t0,
        streamMs: t2 - t1 - resourcePoliciesMs - stackPoliciesMs,
        resourcePoliciesMs,
        stackPoliciesMs,
        auditCpuMs: (user + system) / 1000,
        violations: violations.length,
        bytes,
    };
}

main(process.argv[2] ?? "").then(
    (phases) => process.stdout.write(`${JSON.stringify(phases)}\n`),
    (error: unknown) => {
        process.stderr.write(`audit-phases: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
    },
);
