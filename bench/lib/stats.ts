// Pure statistics for the benchmark: summaries of repeated samples, ratios to a floor measured
// side by side, and a linearity check for scale series. No I/O and no clocks here, so every
// function is unit-tested in tests/bench/stats.test.ts.

export interface Summary {
    readonly median: number;
    readonly min: number;
    readonly max: number;
    readonly count: number;
}

function requireSamples(samples: readonly number[], what: string): void {
    if (samples.length === 0) {
        throw new Error(`${what}: needs at least one sample`);
    }
    if (samples.some((s) => !Number.isFinite(s))) {
        throw new Error(`${what}: samples must be finite numbers, got ${samples.join(", ")}`);
    }
}

/** Median (mean of the two middle values for an even count); robust to the odd slow run. */
export function median(samples: readonly number[]): number {
    requireSamples(samples, "median");
    const sorted = [...samples].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(samples: readonly number[]): Summary {
    requireSamples(samples, "summarize");
    return {
        median: median(samples),
        min: Math.min(...samples),
        max: Math.max(...samples),
        count: samples.length,
    };
}

/**
 * Ratio of a subject to its floor, computed from runs paired by round (the subject and the floor
 * ran back to back in the same round, so slow phases of a noisy machine hit both): the median of
 * the per-round ratios. Pairing cancels drift that a ratio of two medians would keep.
 */
export function pairedRatio(subject: readonly number[], floor: readonly number[]): number {
    requirePairs(subject, floor, "pairedRatio");
    if (floor.some((f) => f <= 0)) {
        throw new Error("pairedRatio: floor samples must be positive");
    }
    return median(subject.map((s, i) => s / floor[i]));
}

/** What a subject costs above its floor, from runs paired by round: the median of the per-round differences. */
export function pairedDifference(subject: readonly number[], floor: readonly number[]): number {
    requirePairs(subject, floor, "pairedDifference");
    return median(subject.map((s, i) => s - floor[i]));
}

function requirePairs(subject: readonly number[], floor: readonly number[], what: string): void {
    if (subject.length !== floor.length) {
        throw new Error(`${what}: ${subject.length} subject samples but ${floor.length} floor samples; runs must be paired`);
    }
    requireSamples(subject, `${what} subject`);
    requireSamples(floor, `${what} floor`);
}

export interface Point {
    /** Size of the input (instances, resources). */
    readonly n: number;
    /** Measured cost at that size (ms, KiB). */
    readonly y: number;
}

export interface LinearFit {
    /** Fixed cost: the fit's value at n = 0. */
    readonly intercept: number;
    /** Marginal cost per unit of n. */
    readonly slope: number;
    /** Coefficient of determination of the least-squares line (1 = perfectly linear). */
    readonly r2: number;
    /**
     * Marginal cost between the two largest sizes divided by the marginal cost between the two
     * smallest. Near 1 when linear, well above 1 when the cost per unit grows with n (quadratic
     * behaviour), which a high r2 on few points can hide.
     */
    readonly growth: number;
}

/** Least-squares line through the points plus the growth of the marginal cost. Needs 3+ distinct sizes. */
export function linearFit(points: readonly Point[]): LinearFit {
    const sizes = new Set(points.map((p) => p.n));
    if (sizes.size < 3) {
        throw new Error(`linearFit: needs at least 3 distinct sizes, got ${[...sizes].join(", ")}`);
    }
    const count = points.length;
    const meanN = points.reduce((a, p) => a + p.n, 0) / count;
    const meanY = points.reduce((a, p) => a + p.y, 0) / count;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (const p of points) {
        sxy += (p.n - meanN) * (p.y - meanY);
        sxx += (p.n - meanN) ** 2;
        syy += (p.y - meanY) ** 2;
    }
    const slope = sxy / sxx;
    const intercept = meanY - slope * meanN;
    const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);

    const bySize = [...points].sort((a, b) => a.n - b.n);
    const marginal = (a: Point, b: Point) => (b.y - a.y) / (b.n - a.n);
    const first = marginal(bySize[0], bySize[1]);
    const last = marginal(bySize[bySize.length - 2], bySize[bySize.length - 1]);
    // A flat or falling first segment (noise at tiny sizes) says nothing about growth.
    const growth = first > 0 ? last / first : last > 0 ? Number.POSITIVE_INFINITY : 1;
    return { intercept, slope, r2, growth };
}

/** Collapses repeated runs per size to their median, the input linearFit expects. */
export function medianPerSize(samples: readonly Point[]): Point[] {
    const bySize = new Map<number, number[]>();
    for (const s of samples) {
        bySize.set(s.n, [...(bySize.get(s.n) ?? []), s.y]);
    }
    return [...bySize.entries()].sort(([a], [b]) => a - b).map(([n, ys]) => ({ n, y: median(ys) }));
}

export function formatMs(ms: number): string {
    if (ms >= 10_000) {
        return `${(ms / 1000).toFixed(1)} s`;
    }
    if (ms >= 1000) {
        return `${(ms / 1000).toFixed(2)} s`;
    }
    return ms >= 10 ? `${Math.round(ms)} ms` : `${ms.toFixed(2)} ms`;
}

export function formatKiB(kib: number): string {
    return kib >= 1024 ? `${(kib / 1024).toFixed(kib >= 100 * 1024 ? 0 : 1)} MiB` : `${Math.round(kib)} KiB`;
}
