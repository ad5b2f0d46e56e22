import { strict as assert } from "assert";
import { formatKiB, formatMs, linearFit, median, medianPerSize, pairedDifference, pairedRatio, summarize } from "../../bench/lib/stats";

describe("bench stats (bench/lib/stats)", () => {
    describe("median", () => {
        it("takes the middle value of an odd count regardless of order", () => {
            assert.equal(median([9, 1, 5]), 5);
        });
        it("averages the two middle values of an even count", () => {
            assert.equal(median([4, 1, 3, 2]), 2.5);
        });
        it("rejects empty and non-finite input with the function's name", () => {
            assert.throws(() => median([]), /median: needs at least one sample/);
            assert.throws(() => median([1, Number.NaN]), /median: samples must be finite/);
        });
    });

    it("summarize reports median, extremes and count", () => {
        assert.deepEqual(summarize([3, 10, 1, 2]), { median: 2.5, min: 1, max: 10, count: 4 });
    });

    describe("pairedRatio", () => {
        it("is the median of per-round ratios, so a slow round hitting both sides cancels", () => {
            // Round 2 ran during a noisy phase: both sides are 3x slower; the ratio stays 1.5.
            assert.equal(pairedRatio([150, 450, 150], [100, 300, 100]), 1.5);
        });
        it("differs from the ratio of medians when rounds drift", () => {
            const subject = [100, 200, 400];
            const floor = [100, 100, 400];
            assert.equal(pairedRatio(subject, floor), 1);
            assert.equal(median(subject) / median(floor), 2);
        });
        it("refuses unpaired or non-positive floors", () => {
            assert.throws(() => pairedRatio([1, 2], [1]), /must be paired/);
            assert.throws(() => pairedRatio([1], [0]), /floor samples must be positive/);
        });
    });

    describe("pairedDifference", () => {
        it("is the median of per-round differences", () => {
            // The slow second round widens the gap; the median keeps the typical one.
            assert.equal(pairedDifference([150, 600, 170], [100, 300, 100]), 70);
        });
        it("refuses unpaired runs", () => {
            assert.throws(() => pairedDifference([1, 2], [1]), /pairedDifference: 2 subject samples but 1 floor samples/);
        });
    });

    describe("linearFit", () => {
        it("recovers intercept and slope of exactly linear data with r2 = 1 and growth 1", () => {
            const fit = linearFit([1, 10, 100].map((n) => ({ n, y: 500 + 3 * n })));
            assert.ok(Math.abs(fit.intercept - 500) < 1e-9);
            assert.ok(Math.abs(fit.slope - 3) < 1e-9);
            assert.ok(Math.abs(fit.r2 - 1) < 1e-12);
            assert.ok(Math.abs(fit.growth - 1) < 1e-9);
        });
        it("flags quadratic cost through growth even where r2 stays high", () => {
            const fit = linearFit([1, 10, 100].map((n) => ({ n, y: n * n })));
            assert.ok(fit.r2 > 0.9, `r2 ${fit.r2}`);
            assert.ok(fit.growth > 5, `growth ${fit.growth}`);
        });
        it("treats a flat first segment (noise at tiny sizes) as no growth signal", () => {
            assert.equal(linearFit([{ n: 1, y: 5 }, { n: 2, y: 5 }, { n: 3, y: 5 }]).growth, 1);
            assert.equal(linearFit([{ n: 1, y: 5 }, { n: 2, y: 5 }, { n: 3, y: 9 }]).growth, Number.POSITIVE_INFINITY);
        });
        it("needs three distinct sizes", () => {
            assert.throws(() => linearFit([{ n: 1, y: 1 }, { n: 1, y: 2 }, { n: 10, y: 3 }]), /at least 3 distinct sizes/);
        });
    });

    it("medianPerSize collapses repeated runs per size, sorted by size", () => {
        const points = medianPerSize([
            { n: 10, y: 7 },
            { n: 1, y: 3 },
            { n: 10, y: 5 },
            { n: 1, y: 1 },
            { n: 10, y: 100 },
        ]);
        assert.deepEqual(points, [
            { n: 1, y: 2 },
            { n: 10, y: 7 },
        ]);
    });

    it("formats durations and sizes with units that fit their magnitude", () => {
        assert.equal(formatMs(2.345), "2.35 ms");
        assert.equal(formatMs(512.4), "512 ms");
        assert.equal(formatMs(1234), "1.23 s");
        assert.equal(formatMs(12_345), "12.3 s");
        assert.equal(formatKiB(512), "512 KiB");
        assert.equal(formatKiB(1536), "1.5 MiB");
        assert.equal(formatKiB(200 * 1024), "200 MiB");
    });
});
