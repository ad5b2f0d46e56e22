import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { RecordableMonitor, MonitorRegistration, recordRegistrations } from "./resource-recorder";

/** The organization the offline runs report, as the Pulumi CLI does on a self-managed (DIY) backend. */
export const OFFLINE_ORGANIZATION = "organization";

export interface ProgramRunOptions {
    /** Absolute path of the Pulumi program's entry module (e.g. `<project>/index.ts`). */
    programPath: string;
    project: string;
    stack: string;
    /** Config as the Pulumi CLI hands it to a program: `namespace:key` to string value. */
    config: Record<string, string>;
    secretKeys: string[];
    mocks: pulumi.runtime.Mocks;
}

/**
 * Runs a Pulumi program in-process, in preview mode, under the given mocks, inside a root
 * `pulumi:pulumi:Stack` resource the way the Node.js language host runs it, and returns every
 * resource registration once all outstanding work has settled.
 *
 * Errors thrown by the program, synchronously or from a rejected promise or apply, reject the
 * returned promise with the program's own error.
 */
export async function runProgramUnderMocks(options: ProgramRunOptions): Promise<MonitorRegistration[]> {
    // The runtime's config is process-global: give it back afterwards (tests run in one process).
    const configBefore = pulumi.runtime.allConfig();
    pulumi.runtime.setAllConfig(options.config, options.secretKeys);
    // "organization" is what the CLI gives programs on a self-managed backend; the program reads it for
    // the StackReference to its own stack (lib/pulumi-config.ts).
    await pulumi.runtime.setMocks(options.mocks, options.project, options.stack, true, OFFLINE_ORGANIZATION);
    const recorded = recordRegistrations(pulumi.runtime.getMonitor() as unknown as RecordableMonitor);

    // A program error rejects the stack's outputs and, separately, every promise derived from
    // them; the language host reports those as one failure, and so does this.
    const failures: unknown[] = [];
    const recordFailure = (reason: unknown) => failures.push(reason);
    process.on("unhandledRejection", recordFailure);
    const modulesBefore = new Set(Object.keys(require.cache));
    try {
        await pulumi.runtime.runInPulumiStack(() => loadProgram(options.programPath));
    } catch (error) {
        failures.unshift(error);
    } finally {
        // Resolves once every registration, including those started inside applies, is done.
        await pulumi.runtime.disconnect();
        // Rejections nobody handled are reported after the microtask queue drains: one turn.
        await new Promise((resolve) => setImmediate(resolve));
        process.off("unhandledRejection", recordFailure);
        forgetModulesLoadedSince(modulesBefore);
        pulumi.runtime.setAllConfig(configBefore);
    }
    if (failures.length > 0) {
        throw failures[0];
    }
    return recorded;
}

/** The module's exports become the stack outputs; an exported function is run for them. */
async function loadProgram(programPath: string): Promise<Record<string, unknown> | undefined> {
    // Loaded as the Node.js language host loads a CommonJS program (import() would wrap it), and
    // run afresh even when an importer (a test) already holds the module.
    delete require.cache[require.resolve(programPath)];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const programExport: unknown = require(programPath);
    return typeof programExport === "function" ? await programExport() : (programExport as Record<string, unknown>);
}

/**
 * So that the next run, for another stack or in the next test, executes the program afresh.
 * Packages stay loaded: they hold no per-run state, and reloading them would cost start-up time.
 */
function forgetModulesLoadedSince(modulesBefore: Set<string>): void {
    for (const id of Object.keys(require.cache)) {
        if (!modulesBefore.has(id) && !id.includes(`${path.sep}node_modules${path.sep}`)) {
            delete require.cache[id];
        }
    }
}
