// One measured run of target 4, in its own process (the Pulumi runtime is process-global):
//   scale-child.ts component|bare <tenants> [--record FILE]
// Runs tenants-program.ts or bare-program.ts through the offline preview's program runner under the
// project's mocks (stack prod) and prints one JSON line: the run's time, excluding process and
// module start-up, and the number of resources registered. --record writes the registrations
// (the bare twin's template).
import * as fs from "fs";
import * as path from "path";
import { previewOffline } from "../../tools/preview/offline-run";
import { repoRoot } from "../lib/paths";

export interface ScaleChildResult {
    readonly ms: number;
    readonly resources: number;
    readonly heapUsedKiB: number;
}

async function main(argv: readonly string[]): Promise<void> {
    const [mode, tenants, flag, recordFile] = argv;
    if ((mode !== "component" && mode !== "bare") || !/^\d+$/.test(tenants ?? "")) {
        throw new Error("usage: scale-child.ts component|bare <tenants> [--record FILE]");
    }
    process.env.BENCH_TENANTS = tenants;
    const programPath = path.join(__dirname, mode === "component" ? "tenants-program.ts" : "bare-program.ts");
    const start = performance.now();
    const preview = await previewOffline({ projectDir: repoRoot, stack: "prod", programPath });
    const ms = performance.now() - start;
    if (flag === "--record" && recordFile) {
        fs.writeFileSync(recordFile, JSON.stringify(preview.recorded));
    }
    // Live memory: what the run still holds once garbage is gone (peak RSS also counts garbage V8
    // had not collected yet, which depends on its heap-growth heuristics more than on the program).
    (globalThis as { gc?: () => void }).gc?.();
    const result: ScaleChildResult = { ms, resources: preview.recorded.length, heapUsedKiB: process.memoryUsage().heapUsed / 1024 };
    process.stdout.write(`${JSON.stringify(result)}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`scale-child: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
});
