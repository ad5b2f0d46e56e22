// In-process phases of one audit, for where target 5's time goes (the judged figures come from
// the CLI itself, in audit.ts):  audit-phases.ts FILE  ->  one JSON line of milliseconds.
import { readFileSync } from "fs";
import { resourcesFromDocument, runPolicies } from "../policy-pack/audit/engine";

export interface AuditPhases {
    readonly readMs: number;
    readonly parseMs: number;
    readonly convertMs: number;
    readonly policiesMs: number;
    readonly violations: number;
}

async function main(file: string): Promise<AuditPhases> {
    const t0 = performance.now();
    const text = readFileSync(file, "utf8");
    const t1 = performance.now();
    const document: unknown = JSON.parse(text);
    const t2 = performance.now();
    const resources = resourcesFromDocument(document);
    const t3 = performance.now();
    const violations = await runPolicies(resources);
    const t4 = performance.now();
    return { readMs: t1 - t0, parseMs: t2 - t1, convertMs: t3 - t2, policiesMs: t4 - t3, violations: violations.length };
}

main(process.argv[2] ?? "").then(
    (phases) => process.stdout.write(`${JSON.stringify(phases)}\n`),
    (error: unknown) => {
        process.stderr.write(`audit-phases: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
    },
);
