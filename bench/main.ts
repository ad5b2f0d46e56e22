// `npm run bench [-- --quick] [-- --only=preview,audit]`: generates the inputs, runs every
// measurement against its floor side by side, and prints one table (also written to
// bench/.work/results.md). Exit code 1 when a target within reach is missed, 2 on a usage error;
// a target the docs call out of reach here reads `out of reach`. Not part of CI: no timing is
// asserted anywhere in the test suite.
import * as fs from "fs";
import * as path from "path";
import { audit } from "./audit";
import { cliPath } from "./cli-path";
import { BenchContext, Measurement, NotAvailable } from "./lib/measurement";
import { workDir } from "./lib/paths";
import { benchExitCode, renderTable, Row } from "./lib/report";
import { defineCommand, runMain, UsageError } from "../policy-pack/lib/cli";
import { preview } from "./preview";
import { scale } from "./scale";
import { testSuite } from "./test-suite";

const measurements: readonly Measurement[] = [preview, cliPath, testSuite, scale, audit];

const COMMAND = {
    name: "bench",
    usage: `npm run bench -- [--quick] [--only=${measurements.map((m) => m.name).join(",")}]`,
    options: { quick: { type: "boolean" }, only: { type: "string" } },
} as const;

/** The measurements `--only` names (all without it); a UsageError naming an unknown one. */
function selected(only: string | undefined): Set<string> {
    const names = new Set(only === undefined ? measurements.map((m) => m.name) : only.split(","));
    const unknown = [...names].filter((name) => !measurements.some((m) => m.name === name));
    if (unknown.length > 0) {
        throw new UsageError(`--only: unknown measurement ${unknown.join(", ")}; choose from ${measurements.map((m) => m.name).join(", ")}`);
    }
    return names;
}

function run(quick: boolean, only: ReadonlySet<string>): number {
    const started = Date.now();
    const context: BenchContext = {
        quick,
        repeat: quick ? { warmups: 1, runs: 3 } : { warmups: 1, runs: 5 },
        log: (message) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`),
    };
    const rows: Row[] = [];
    const failures: string[] = [];
    for (const measurement of measurements.filter((m) => only.has(m.name))) {
        context.log(`${measurement.name}: running`);
        try {
            rows.push(...measurement.run(context));
        } catch (error) {
            const { message } = error as Error;
            const unavailable = error instanceof NotAvailable;
            context.log(`${measurement.name}: ${unavailable ? `not available: ${message}` : "failed (why: after the table)"}`);
            if (!unavailable) {
                failures.push(`${measurement.name} failed: ${message}`);
            }
            rows.push({ target: measurement.name, subject: unavailable ? `not measured: ${message}` : `error: ${message.split("\n")[0]}`, value: "", verdict: "FAIL" });
        }
    }
    const table = renderTable(rows);
    const header = `npm run bench${quick ? " -- --quick" : ""}, ${new Date().toISOString()}, node ${process.version}, ${(Date.now() - started) / 1000} s`;
    fs.mkdirSync(workDir, { recursive: true });
    fs.writeFileSync(path.join(workDir, "results.md"), `${header}\n\n${table}\n`);
    process.stdout.write(`${header}\n\n${table}\n`);
    // Last, where a reader of the table looks next: what failed and the failing run's output.
    failures.forEach((failure) => process.stderr.write(`\n${failure}\n`));
    return benchExitCode(rows);
}

runMain(defineCommand(COMMAND, ({ values }) => run(values.quick === true, selected(values.only))));
