// Target 1: the offline preview of prod within 1.5x of a bare `node -e` that requires the same SDK
// modules the program imports. To show where the remaining time goes, it also runs the preview
// tool's command without npm, with TypeScript's transpiler instead of swc, and the command's
// start-up floor: npm running the script's own node command line (flags, ts-node hook) on a file
// that only requires those SDK modules, what any TypeScript tool started by `npm run` pays.
import * as fs from "fs";
import * as path from "path";
import { BenchContext, Measurement, requireFiles, requireScript } from "./lib/measurement";
import { repoRoot, workDir } from "./lib/paths";
import { describeKiB, describeMs, formatRatio, rss, Row, verdict, wall } from "./lib/report";
import { parseNodeScript } from "../tools/dev/npm-scripts";
import { Command, interleave, npmRun } from "./lib/runner";
import { pulumiModulesOf, requireOnlyArgv, writeRequireOnlyProgram } from "./lib/sdk-imports";
import { formatMs, median, pairedDifference, pairedRatio } from "./lib/stats";
import { typescriptTranspilerTsconfig } from "./lib/transpiler";

export const PREVIEW_RATIO_GOAL = 1.5;
export const previewExportFile = path.join(workDir, "prod-export.json");

/** The floor of targets 1 and 2: node loading exactly the `@pulumi/*` modules index.ts reaches. */
export function sdkFloor(): Command {
    const modules = pulumiModulesOf(path.join(repoRoot, "index.ts"));
    return { label: `node -e require(${modules.join(", ")})`, argv: requireOnlyArgv(modules) };
}

/** The SDK modules index.ts reaches, as a program file for floors that start the way a subject does. */
export function sdkModulesProgram(): string {
    return writeRequireOnlyProgram(pulumiModulesOf(path.join(repoRoot, "index.ts")), path.join(workDir, "sdk-modules.js"));
}

/**
 * `npm run` of the script's own command line with its TypeScript entry file replaced by `program`:
 * npm, node with the script's flags and ts-node hook, and nothing of the tool. The script runs from
 * a package of its own in the work directory, so package.json gains no bench-only script.
 */
function startupFloor(script: string, program: string): Command {
    const { nodeOptions } = parseNodeScript(script);
    const packageDir = path.join(workDir, "startup-floor");
    fs.mkdirSync(packageDir, { recursive: true });
    const manifest = { name: "startup-floor", private: true, scripts: { floor: ["node", ...nodeOptions, JSON.stringify(program)].join(" ") } };
    fs.writeFileSync(path.join(packageDir, "package.json"), `${JSON.stringify(manifest, null, 4)}\n`);
    return { label: `start-up floor: npm run of the script's node command on ${path.relative(repoRoot, program)}`, argv: npmRun("floor"), cwd: packageDir };
}

export const preview: Measurement = {
    name: "preview",
    run(context: BenchContext): Row[] {
        requireFiles("index.ts", "tools/preview/preview-offline.ts", "Pulumi.prod.yaml");
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
        const startup = startupFloor(script, sdkModulesProgram());
        context.log(`preview: floor is ${floor.label}`);
        const [floorRuns, npmRuns, directRuns, typescriptRuns, startupRuns] = interleave(
            [floor, viaNpm, direct, typescriptTranspiler, startup],
            context.repeat,
            (round) => context.log(`preview: round ${round + 1} done`),
        );

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
            infoRow(startup, startupRuns),
            {
                target: "1 preview",
                subject: "the preview's own work: npm run preview:offline above its start-up floor",
                value: `${formatMs(pairedDifference(wall(npmRuns), wall(startupRuns)))} per run`,
                floor: describeMs(wall(startupRuns)),
                measured: `${formatRatio(pairedRatio(wall(npmRuns), wall(startupRuns)))} the start-up floor`,
                verdict: "info",
            },
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
