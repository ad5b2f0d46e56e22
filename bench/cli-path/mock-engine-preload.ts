// Preloaded (`node --require`) into the SDK's own runner entry, `@pulumi/pulumi/cmd/run`, which the
// Node.js language host starts for `pulumi preview`/`up`: installs the project's mocks as the
// resource monitor, so the real runner (tracing, source maps, V8 hooks, ts-node registration from
// PULUMI_NODEJS_TYPESCRIPT / PULUMI_NODEJS_TSCONFIG_PATH / PULUMI_NODEJS_TRANSPILE_ONLY and the
// tsconfig's `noCheck`, then the program) runs end to end without an engine. Config arrives in
// PULUMI_CONFIG / PULUMI_CONFIG_SECRET_KEYS, as the language host passes it.
//
// Transpiled to plain JavaScript before it runs (bench/lib/compile.ts): ts-node must be
// registered by the runner, exactly as in a real deployment, not by the bench.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

type Mocks = pulumi.runtime.Mocks;

function configuredRegion(): string | undefined {
    const config = JSON.parse(process.env.PULUMI_CONFIG ?? "{}") as Record<string, string>;
    return config["aws:region"];
}

/**
 * The project's TypeScript mocks, loaded on first use: they can only load once the runner has
 * registered ts-node, but must be installed before the runner starts the program.
 */
class LazyProjectMocks implements Mocks {
    private mocks?: Promise<Mocks>;
    registrations = 0;

    constructor(private readonly projectDir: string) {}

    private load(): Promise<Mocks> {
        this.mocks ??= import(path.join(this.projectDir, "testing", "aws-mocks")).then(
            (module: { AwsMocks: new (options: { region?: string }) => Mocks }) => new module.AwsMocks({ region: configuredRegion() }),
        );
        return this.mocks;
    }

    async newResource(args: pulumi.runtime.MockResourceArgs) {
        this.registrations++;
        return (await this.load()).newResource(args);
    }

    async call(args: pulumi.runtime.MockCallArgs) {
        return (await this.load()).call(args);
    }
}

const mocks = new LazyProjectMocks(process.env.BENCH_PROJECT_DIR ?? process.cwd());
// "organization": what the CLI gives a program on a self-managed backend (the program references its own stack).
void pulumi.runtime.setMocks(mocks, process.env.BENCH_PROJECT ?? "project", process.env.BENCH_STACK ?? "stack", true, "organization");

// The runner's last step asks the engine to shut down; the SDK's mock monitor has no such call.
const monitor = pulumi.runtime.getMonitor() as unknown as { signalAndWaitForShutdown?: (request: unknown, callback: (error: Error | null) => void) => void };
monitor.signalAndWaitForShutdown ??= (_request, callback) => callback(null);

// Proof for the bench that the program ran: the number of resources it registered.
process.on("exit", () => process.stdout.write(`\n${JSON.stringify({ registrations: mocks.registrations })}\n`));
