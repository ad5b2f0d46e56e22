// The result rows every measurement returns and the table that prints them. Markdown, so a run's
// output pastes straight into docs/performance.md.
import { formatKiB, formatMs, Summary, summarize } from "./stats";
import { Sample } from "./runner";

/**
 * `out of reach`: the target is missed on a machine where the docs say it cannot be met (README's
 * performance table, docs/performance.md), with why in the row; it does not fail the run.
 */
export type Verdict = "pass" | "FAIL" | "out of reach" | "info";

export interface Row {
    /** Which target of issue 5 the row belongs to, e.g. "1 preview". */
    readonly target: string;
    /** What ran. */
    readonly subject: string;
    /** Median and min–max of the subject. */
    readonly value: string;
    /** The floor it is compared with, and its median. */
    readonly floor?: string;
    /** The measured ratio or derived figure the goal is about. */
    readonly measured?: string;
    readonly goal?: string;
    readonly verdict: Verdict;
}

export function verdict(ok: boolean): Verdict {
    return ok ? "pass" : "FAIL";
}

/** The verdict of a target the docs call out of reach on this kind of machine (`why` says so in the row). */
export function verdictOutOfReach(ok: boolean): Verdict {
    return ok ? "pass" : "out of reach";
}

/** The bench's exit code: 1 when a target within reach was missed (or a measurement failed), else 0. */
export function benchExitCode(rows: readonly Pick<Row, "verdict">[]): number {
    return rows.some((row) => row.verdict === "FAIL") ? 1 : 0;
}

export function describeMs(samples: readonly number[]): string {
    const s: Summary = summarize(samples);
    return `${formatMs(s.median)} (${formatMs(s.min)}–${formatMs(s.max)})`;
}

export function describeKiB(samples: readonly number[]): string {
    const s: Summary = summarize(samples);
    return `${formatKiB(s.median)} (${formatKiB(s.min)}–${formatKiB(s.max)})`;
}

export const wall = (samples: readonly Sample[]): number[] => samples.map((s) => s.wallMs);
export const rss = (samples: readonly Sample[]): number[] => samples.map((s) => s.maxRssKiB);

export function formatRatio(ratio: number): string {
    return `${ratio.toFixed(2)}×`;
}

const columns: ReadonlyArray<[keyof Row, string]> = [
    ["target", "target"],
    ["subject", "subject"],
    ["value", "median (min–max)"],
    ["floor", "floor, median"],
    ["measured", "measured"],
    ["goal", "goal"],
    ["verdict", "result"],
];

export function renderTable(rows: readonly Row[]): string {
    const cells = rows.map((row) => columns.map(([key]) => String(row[key] ?? "").replace(/\|/g, "\\|")));
    const header = columns.map(([, title]) => title);
    const widths = header.map((title, i) => Math.max(title.length, ...cells.map((c) => c[i].length)));
    const line = (values: readonly string[]) => `| ${values.map((v, i) => v.padEnd(widths[i])).join(" | ")} |`;
    return [line(header), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}
