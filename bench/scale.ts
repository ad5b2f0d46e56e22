// Target 4: 1, 10 and 100 AdmaBackend instances under the project's mocks: time and peak memory
// linear in the number of instances, and the cost per instance within 1.3x of registering the same
// resources with bare provider calls (bench/scale/bare-program.ts), measured in the same rounds.
// Time is the program run inside the child (start-up excluded); memory is the child's peak RSS.
import * as path from "path";
import { BenchContext, Measurement, requireFiles } from "./lib/measurement";
import { workDir } from "./lib/paths";
import { formatRatio, Row, verdict } from "./lib/report";
import { Command, interleave, lastJsonLine, measure, Sample, tsNode } from "./lib/runner";
import { formatKiB, formatMs, LinearFit, linearFit, median, medianPerSize } from "./lib/stats";
import type { ScaleChildResult } from "./scale/scale-child";

export const SCALE_RATIO_GOAL = 1.3;
const child = path.join(__dirname, "scale", "scale-child.ts");
const recordedFile = path.join(workDir, "tenant-resources.json");

type Mode = "component" | "bare";

function command(mode: Mode, tenants: number): Command {
    const [node, ...rest] = tsNode(child, mode, String(tenants));
    return { label: `${mode} x${tenants}`, argv: [node, "--expose-gc", ...rest], env: { BENCH_RECORDED_FILE: recordedFile } };
}

function describeFit(fit: LinearFit, unit: (v: number) => string): string {
    return `${unit(fit.slope)}/instance, r² ${fit.r2.toFixed(3)}, growth ${fit.growth.toFixed(2)}`;
}

const isLinear = (fit: LinearFit) => fit.r2 >= 0.98 && fit.growth <= 1.5;

export const scale: Measurement = {
    name: "scale",
    run(context: BenchContext): Row[] {
        requireFiles("components/backend.ts", "testing/aws-mocks.ts", "Pulumi.prod.yaml");
        context.log("scale: recording one instance's resources for the bare twin");
        const recording = lastJsonLine<ScaleChildResult>(measure({ label: "record", argv: tsNode(child, "component", "1", "--record", recordedFile) }));
        const sizes = context.quick ? [1, 5, 20] : [1, 10, 100];
        const modes: Mode[] = ["component", "bare"];
        const commands = sizes.flatMap((n) => modes.map((mode) => command(mode, n)));
        // One round: each x100 run already averages thousands of registrations, and takes a minute.
        const samples = interleave(commands, { warmups: 0, runs: 1 }, (round) => context.log(`scale: round ${round + 1} done`));
        const series = (mode: Mode, metric: (s: Sample) => number) =>
            medianPerSize(commands.flatMap((c, i) => (c.label.startsWith(mode) ? samples[i].map((s) => ({ n: sizes[Math.floor(i / modes.length)], y: metric(s) })) : [])));
        const childMs = (s: Sample) => lastJsonLine<ScaleChildResult>(s).ms;
        const resourcesAt = (mode: Mode, n: number) => lastJsonLine<ScaleChildResult>(samples[commands.findIndex((c) => c.label === `${mode} x${n}`)][0]).resources;

        const componentTime = linearFit(series("component", childMs));
        const bareTime = linearFit(series("bare", childMs));
        const heap = (s: Sample) => lastJsonLine<ScaleChildResult>(s).heapUsedKiB;
        const componentRss = linearFit(series("component", (s) => s.maxRssKiB));
        const bareRss = linearFit(series("bare", (s) => s.maxRssKiB));
        const componentHeap = linearFit(series("component", heap));
        const bareHeap = linearFit(series("bare", heap));
        const largest = sizes[sizes.length - 1];
        const perInstance = (mode: Mode) => (resourcesAt(mode, largest) - resourcesAt(mode, 1)) / (largest - 1);
        const ratio = componentTime.slope / bareTime.slope;
        const points = (mode: Mode, metric: (s: Sample) => number, unit: (v: number) => string) => series(mode, metric).map((p) => `${p.n}: ${unit(p.y)}`).join(", ");
        return [
            {
                target: "4 scale",
                subject: `AdmaBackend x${sizes.join("/")} (${perInstance("component")} registrations each; ${recording.resources} at x1)`,
                value: points("component", childMs, formatMs),
                floor: `bare twin ${points("bare", childMs, formatMs)}`,
                measured: `${formatRatio(ratio)} per instance (${formatMs(componentTime.slope)} vs ${formatMs(bareTime.slope)})`,
                goal: `≤ ${SCALE_RATIO_GOAL}× bare`,
                verdict: verdict(ratio <= SCALE_RATIO_GOAL),
            },
            {
                target: "4 scale",
                subject: "time vs instances, component",
                value: describeFit(componentTime, formatMs),
                floor: `bare ${describeFit(bareTime, formatMs)}`,
                measured: `${formatMs(componentTime.slope / perInstance("component"))}/registration`,
                goal: "linear: r² ≥ 0.98, growth ≤ 1.5",
                verdict: verdict(isLinear(componentTime)),
            },
            {
                target: "4 scale",
                subject: "live heap after GC vs instances, component",
                value: points("component", heap, formatKiB),
                floor: `bare ${describeFit(bareHeap, formatKiB)}`,
                measured: `${describeFit(componentHeap, formatKiB)}; ${formatRatio(componentHeap.slope / bareHeap.slope)} bare per instance`,
                goal: "linear: r² ≥ 0.98, growth ≤ 1.5",
                verdict: verdict(isLinear(componentHeap)),
            },
            {
                target: "4 scale",
                subject: "peak RSS vs instances, component",
                value: points("component", (s) => s.maxRssKiB, formatKiB),
                floor: `bare ${describeFit(bareRss, formatKiB)}`,
                measured: `${describeFit(componentRss, formatKiB)}; ${formatRatio(componentRss.slope / bareRss.slope)} bare per instance`,
                verdict: "info",
            },
            {
                target: "4 scale",
                subject: "child start-up + load, x1 (not in the figures above)",
                value: formatMs(median(commands.flatMap((c, i) => (c.label === "component x1" ? samples[i].map((s) => s.wallMs) : [])))),
                verdict: "info",
            },
        ];
    },
};
