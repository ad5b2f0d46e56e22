// What `pulumi preview` runs inside the program's Node process, minus the engine: the SDK's own
// runner entry (`@pulumi/pulumi/cmd/run`: tracing, source maps, V8 hooks, then `run()`, which
// registers ts-node from PULUMI_NODEJS_TYPESCRIPT / PULUMI_NODEJS_TSCONFIG_PATH /
// PULUMI_NODEJS_TRANSPILE_ONLY and the tsconfig's `noCheck`, and requires the program), with the
// project's mocks standing in for the engine's resource monitor. The language host passes config
// in PULUMI_CONFIG / PULUMI_CONFIG_SECRET_KEYS, as the bench's parent does here.
//
// Transpiled to plain JavaScript before it runs (bench/lib/compile.ts): ts-node must be
// registered by the runner, exactly as in a real deployment, not by the bench.
//
//   node bench/.work/emulate-runner.js <project> <stack>
import "@pulumi/pulumi/cmd/run/instrumentation";
import "source-map-support/register";
import * as path from "path";

type Run = (
    argv: { _: string[] },
    programStarted: () => void,
    reportLoggedError: (error: Error) => void,
    isErrorReported: (error: Error) => boolean,
) => Promise<unknown>;

type Mocks = import("@pulumi/pulumi").runtime.Mocks;

/**
 * The project's TypeScript mocks, loaded on first use: they can only load once the runner has
 * registered ts-node, but must be installed before the runner starts the program.
 */
class LazyProjectMocks implements Mocks {
    private mocks?: Promise<Mocks>;

    constructor(private readonly projectDir: string) {}

    private load(): Promise<Mocks> {
        this.mocks ??= import(path.join(this.projectDir, "testing", "aws-mocks")).then((module: { AwsMocks: new (options: { region?: string }) => Mocks }) => new module.AwsMocks({ region: configuredRegion() }));
        return this.mocks;
    }

    async newResource(args: Parameters<Mocks["newResource"]>[0]) {
        return (await this.load()).newResource(args);
    }

    async call(args: Parameters<Mocks["call"]>[0]) {
        return (await this.load()).call(args);
    }
}

function configuredRegion(): string | undefined {
    const config = JSON.parse(process.env.PULUMI_CONFIG ?? "{}") as Record<string, string>;
    return config["aws:region"];
}

async function main(projectDir: string, stack: string): Promise<void> {
    const v8Hooks = (await import("@pulumi/pulumi/runtime/closure/v8Hooks")) as unknown as { isInitializedAsync(): Promise<void> };
    await v8Hooks.isInitializedAsync();
    const { run } = (await import("@pulumi/pulumi/cmd/run/run")) as unknown as { run: Run };
    const pulumi = await import("@pulumi/pulumi");
    await pulumi.runtime.setMocks(new LazyProjectMocks(projectDir), process.env.BENCH_PROJECT ?? "", stack, true);
    const loggedErrors = new Set<Error>();
    await run(
        { _: ["."] },
        () => undefined,
        (error) => {
            loggedErrors.add(error);
            process.exitCode = 1;
        },
        (error) => loggedErrors.has(error),
    );
    await pulumi.runtime.disconnect();
}

main(process.argv[2] ?? process.cwd(), process.argv[3] ?? "prod").catch((error: unknown) => {
    process.stderr.write(`emulate-runner: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
});
