// Target 2: the real `pulumi preview`/`up` path must not type-check either. Without an engine
// here, the bench starts the SDK's own runner entry (`@pulumi/pulumi/cmd/run`) the way the Node.js
// language host does, with the environment it derives from Pulumi.yaml's runtime options
// (`typescript` -> PULUMI_NODEJS_TYPESCRIPT, `tsconfig` -> PULUMI_NODEJS_TSCONFIG_PATH, `nodeargs`
// -> node's arguments), and bench/cli-path/mock-engine-preload.ts standing in for the engine.
// Variants show what each option changes; the floor is target 1's. The runner floor is the same
// runner, options and mock engine on a JavaScript program that only requires the SDK modules
// index.ts reaches: what the SDK's runner costs any program, before this one does anything.
import * as fs from "fs";
import * as path from "path";
import { CORE_SCHEMA, load } from "js-yaml";
import { loadStackConfig } from "../tools/preview/stack-config";
import { transpileToWork } from "./lib/compile";
import { BenchContext, Measurement, requireFiles } from "./lib/measurement";
import { repoRoot } from "./lib/paths";
import { describeKiB, describeMs, formatRatio, rss, Row, verdictOutOfReach, wall } from "./lib/report";
import { Command, interleave, lastJsonLine } from "./lib/runner";
import { formatMs, pairedDifference, pairedRatio } from "./lib/stats";
import { typescriptTranspilerTsconfig } from "./lib/transpiler";
import { PREVIEW_RATIO_GOAL, sdkFloor, sdkModulesProgram } from "./preview";

interface NodejsRuntimeOptions {
    typescript?: boolean;
    tsconfig?: string;
    nodeargs?: string;
}

/** The `runtime.options` of Pulumi.yaml (none when `runtime` is the bare string `nodejs`). */
export function runtimeOptions(projectFile: unknown): NodejsRuntimeOptions {
    const runtime = (projectFile as { runtime?: unknown }).runtime;
    if (typeof runtime === "object" && runtime !== null) {
        return ((runtime as { options?: NodejsRuntimeOptions }).options ?? {}) as NodejsRuntimeOptions;
    }
    return {};
}

/** The environment and node arguments the Node.js language host derives from the options. */
function languageHostCommand(label: string, preload: string, options: NodejsRuntimeOptions, baseEnv: Record<string, string>, program = "."): Command {
    const env: Record<string, string> = { ...baseEnv };
    if (options.typescript ?? true) {
        env.PULUMI_NODEJS_TYPESCRIPT = "true";
    }
    if (options.tsconfig) {
        env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
    }
    const nodeArgs = options.nodeargs ? options.nodeargs.split(/\s+/).filter(Boolean) : [];
    const runner = path.join(repoRoot, "node_modules", "@pulumi", "pulumi", "cmd", "run");
    const runnerArgs = ["--monitor=mock", `--project=${baseEnv.BENCH_PROJECT}`, `--stack=${baseEnv.BENCH_STACK}`, `--pwd=${repoRoot}`, "--dry-run", program];
    return { label, argv: [process.execPath, ...nodeArgs, "--require", preload, runner, ...runnerArgs], env };
}


export const cliPath: Measurement = {
    name: "cli",
    run(context: BenchContext): Row[] {
        requireFiles("index.ts", "Pulumi.yaml", "Pulumi.prod.yaml", "testing/aws-mocks.ts");
        const preload = transpileToWork(path.join(__dirname, "cli-path", "mock-engine-preload.ts"));
        const stackConfig = loadStackConfig(repoRoot, "prod");
        const baseEnv = {
            PULUMI_CONFIG: JSON.stringify(stackConfig.config),
            PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(stackConfig.secretKeys),
            BENCH_PROJECT: stackConfig.project,
            BENCH_STACK: stackConfig.stack,
            BENCH_PROJECT_DIR: repoRoot,
        };
        const configured = runtimeOptions(load(fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8"), { schema: CORE_SCHEMA }));
        const typescriptFile = typescriptTranspilerTsconfig("tsconfig.pulumi-tsc-transpiler.json");
        const floor = sdkFloor();
        const runnerFloor = languageHostCommand("runner floor: the runner as configured on a program that only requires the same SDK modules", preload, configured, baseEnv, sdkModulesProgram());
        const commands: Command[] = [
            floor,
            runnerFloor,
            languageHostCommand(`runner, Pulumi.yaml as is ${JSON.stringify(configured)}`, preload, configured, baseEnv),
            languageHostCommand("runner, without runtime options (no nodeargs)", preload, {}, baseEnv),
            languageHostCommand(`runner, TypeScript's transpiler instead of swc (${typescriptFile})`, preload, { ...configured, tsconfig: typescriptFile }, baseEnv),
            languageHostCommand("runner, PULUMI_NODEJS_TRANSPILE_ONLY=false (forced type-check)", preload, { ...configured, tsconfig: typescriptFile }, { ...baseEnv, PULUMI_NODEJS_TRANSPILE_ONLY: "false" }),
        ];
        const [floorRuns, runnerFloorRuns, ...variants] = interleave(commands, context.repeat, (round) => context.log(`cli: round ${round + 1} done`));
        const floorText = describeMs(wall(floorRuns));
        const variantRows = variants.map((runs, i): Row => {
            const ratio = pairedRatio(wall(runs), wall(floorRuns));
            const judged = i === 0;
            const registrations = lastJsonLine<{ registrations: number }>(runs[0]).registrations;
            if (registrations <= 1) {
                throw new Error(`${commands[i + 2].label}: the program registered no resources besides its stack`);
            }
            return {
                target: "2 CLI path",
                subject: `${commands[i + 2].label}, ${registrations} resources`,
                value: describeMs(wall(runs)),
                floor: floorText,
                measured: `${formatRatio(ratio)}; peak ${describeKiB(rss(runs))}`,
                // Out of reach: the SDK's own runner alone, on a program that only loads the modules, is above it (docs/performance.md).
                goal: judged ? `≤ ${PREVIEW_RATIO_GOAL}× (out of reach: the SDK's runner alone is above it)` : undefined,
                verdict: judged ? verdictOutOfReach(ratio <= PREVIEW_RATIO_GOAL) : "info",
            };
        });
        const asConfigured = variants[0];
        return [
            variantRows[0],
            {
                target: "2 CLI path",
                subject: runnerFloor.label,
                value: describeMs(wall(runnerFloorRuns)),
                floor: floorText,
                measured: `${formatRatio(pairedRatio(wall(runnerFloorRuns), wall(floorRuns)))}; peak ${describeKiB(rss(runnerFloorRuns))}`,
                verdict: "info",
            },
            {
                target: "2 CLI path",
                subject: "the program's own work: the runner as configured above the runner floor",
                value: `${formatMs(pairedDifference(wall(asConfigured), wall(runnerFloorRuns)))} per run`,
                floor: describeMs(wall(runnerFloorRuns)),
                measured: `${formatRatio(pairedRatio(wall(asConfigured), wall(runnerFloorRuns)))} the runner floor`,
                verdict: "info",
            },
            ...variantRows.slice(1),
        ];
    },
};
