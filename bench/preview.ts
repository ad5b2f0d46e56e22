// Target 1: the offline preview of prod within 1.5x of a bare `node -e` that requires the same SDK
// modules the program imports. Also runs the preview tool's command without npm (npm's own
// start-up is a fixed cost the user pays too) and with V8 stack traces off (the SDK captures one
// per promise), to show where the remaining time goes.
import * as path from "path";
import { BenchContext, Measurement, requireFiles, requireScript } from "./lib/measurement";
import { repoRoot, workDir } from "./lib/paths";
import { describeKiB, describeMs, formatRatio, rss, Row, verdict, wall } from "./lib/report";
import { Command, interleave, npmRun } from "./lib/runner";
import { pulumiModulesOf, requireOnlyArgv } from "./lib/sdk-imports";
import { median, pairedRatio } from "./lib/stats";
import { typescriptTranspilerTsconfig } from "./lib/transpiler";

export const PREVIEW_RATIO_GOAL = 1.5;
export const previewExportFile = path.join(workDir, "prod-export.json");

/** The floor of targets 1 and 2: node loading exactly the `@pulumi/*` modules index.ts reaches. */
export function sdkFloor(): Command {
    const modules = pulumiModulesOf(path.join(repoRoot, "index.ts"));
    return { label: `node -e require(${modules.join(", ")})`, argv: requireOnlyArgv(modules) };
}

export const preview: Measurement = {
    name: "preview",
    run(context: BenchContext): Row[] {
        requireFiles("index.ts", "tools/preview-offline.ts", "Pulumi.prod.yaml");
        const script = requireScript("preview:offline");
        const previewArgs = ["--stack", "prod", "--out", previewExportFile];
        const floor = sdkFloor();
        const viaNpm: Command = { label: "npm run preview:offline -- --stack prod", argv: npmRun("preview:offline", ...previewArgs) };
        const direct: Command = {
            label: `${script} --stack prod (no npm)`,
            argv: ["sh", "-c", `${script} "$@"`, "preview", ...previewArgs],
            env: { PATH: `${path.join(repoRoot, "node_modules", ".bin")}:${process.env.PATH ?? ""}` },
        };
        const typescriptTranspiler: Command = {
            ...direct,
            label: `${direct.label}, TypeScript's transpiler instead of swc`,
            env: { ...direct.env, TS_NODE_PROJECT: typescriptTranspilerTsconfig("tsconfig.tsc-transpiler.json") },
        };
        context.log(`preview: floor is ${floor.label}`);
        const [floorRuns, npmRuns, directRuns, typescriptRuns] = interleave([floor, viaNpm, direct, typescriptTranspiler], context.repeat, (round) => context.log(`preview: round ${round + 1} done`));

        const ratio = (runs: typeof floorRuns) => pairedRatio(wall(runs), wall(floorRuns));
        const floorText = `${describeMs(wall(floorRuns))}`;
        const infoRow = (command: Command, runs: typeof floorRuns): Row => ({
            target: "1 preview",
            subject: command.label,
            value: describeMs(wall(runs)),
            floor: floorText,
            measured: formatRatio(ratio(runs)),
            verdict: "info",
        });
        return [
            {
                target: "1 preview",
                subject: viaNpm.label,
                value: describeMs(wall(npmRuns)),
                floor: floorText,
                measured: formatRatio(ratio(npmRuns)),
                goal: `≤ ${PREVIEW_RATIO_GOAL}×`,
                verdict: verdict(ratio(npmRuns) <= PREVIEW_RATIO_GOAL),
            },
            infoRow(direct, directRuns),
            infoRow(typescriptTranspiler, typescriptRuns),
            {
                target: "1 preview",
                subject: "peak RSS, npm run preview:offline",
                value: describeKiB(rss(npmRuns)),
                floor: describeKiB(rss(floorRuns)),
                measured: formatRatio(median(rss(npmRuns)) / median(rss(floorRuns))),
                verdict: "info",
            },
        ];
    },
};
