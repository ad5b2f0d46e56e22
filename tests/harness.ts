/**
 * Shared test setup: stack config -> validated AdmaConfig -> AdmaBackend under AwsMocks, with
 * every registered resource recorded. Pulumi's runtime state is process-global, so each
 * `deploy()` installs a fresh mock monitor (setMocks) and waits for all registrations to finish
 * before returning; tests with different config can then run one after another in one process.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CORE_SCHEMA, load } from "js-yaml";
import { AdmaBackend } from "../components/backend";
import { AdmaConfig, AdmaConfigError, CONFIG_NAMESPACE, ConfigContext, loadAdmaConfig } from "../lib/config";
import { resourceNames } from "../lib/naming";
import { STACK_RECORD_OUTPUT, deploymentArgs } from "../lib/stack-record";
import { AwsMocksOptions } from "../testing/aws-mocks";
import { OFFLINE_ORGANIZATION } from "../tools/preview/program-runner";
import { MockedResource, RecordingMocks, settled } from "./recording-mocks";
import { withoutStackTraces } from "./stack-traces";

export const ROOT = path.resolve(__dirname, "..");

/** The smallest valid configuration (keys without the `adma:` prefix). */
export const MINIMAL_CONFIG: Readonly<Record<string, string>> = {
    environment: "staging",
    appBaseUrl: "https://staging.adma.example.com",
    backendRepositoryUrl: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/adma-backend",
    backendImageTag: "1.2.3",
};

/** Resource properties as the mocks saw them: untyped JSON, asserted field by field in tests. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Properties = Record<string, any>;

/** A registration as the recording mocks saw it, plus the resource options the SDK sent with it. */
export interface DeployedResource extends MockedResource {
    readonly options: RegistrationOptions;
}

export interface RegistrationOptions {
    readonly urn: string;
    readonly parent: string;
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly ignoreChanges: readonly string[];
    readonly dependencies: readonly string[];
}

export class Deployment {
    constructor(
        readonly config: AdmaConfig,
        readonly backend: AdmaBackend,
        readonly resources: readonly DeployedResource[],
        readonly outputs: Record<string, unknown>,
        /** The warnings the check against the previous deployment printed. */
        readonly notices: readonly string[] = [],
    ) {}

    ofType(type: string): DeployedResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The one resource of `type` (whose logical name ends with `nameSuffix`, if given). */
    one(type: string, nameSuffix = ""): DeployedResource {
        const found = this.ofType(type).filter((r) => r.name.endsWith(nameSuffix));
        if (found.length !== 1) {
            throw new Error(`expected one ${type}${nameSuffix ? ` named *${nameSuffix}` : ""}, found ${found.map((r) => r.name).join(", ") || "none"}`);
        }
        return found[0];
    }

    /** The backend container definition, parsed from the task definition. */
    container(): Properties {
        const definitions = JSON.parse(this.one("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions);
        return definitions[0];
    }

    /** The execution role's inline secrets policy, parsed. */
    executionPolicy(): { Statement: Properties[] } {
        return JSON.parse(this.one("aws:iam/rolePolicy:RolePolicy", "execution-role-secrets").inputs.policy);
    }

    /** The value RandomPassword produced (mocked), to search for leaks. */
    jwtValue(): string {
        return this.one("random:index/randomPassword:RandomPassword").state.result;
    }
}

/** Config from a map of `adma` keys, validated by the real loader. */
export function configFrom(values: Readonly<Record<string, string | undefined>>): AdmaConfig {
    return loadAdmaConfig((key) => values[key]);
}

/** The problems the loader reports for `values` on top of the minimal valid config, for a stack in `context`; empty when it accepts them. */
export function configProblems(values: Readonly<Record<string, string | undefined>>, context?: ConfigContext): string[] {
    const all: Record<string, string | undefined> = { ...MINIMAL_CONFIG, ...values };
    try {
        loadAdmaConfig((key) => all[key], context);
    } catch (error) {
        if (error instanceof AdmaConfigError) {
            return [...error.problems];
        }
        throw error;
    }
    return [];
}

/** `adma:*` values of a stack file, as the strings `pulumi.Config.get` would return. */
export function stackConfigValues(stack: string): Record<string, string> {
    const file = load(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8"), { schema: CORE_SCHEMA }) as { config: Record<string, unknown> };
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(file.config)) {
        const [namespace, name] = key.split(":");
        if (namespace === CONFIG_NAMESPACE) {
            values[name] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return values;
}

/**
 * Deploys `values` (on top of the minimal config, or `base`) under the mocks. With `after`, as the
 * next deployment of the stack that deployment left: checked against its stack record, as
 * index.ts does (throws AdmaConfigError on a refused change), and with the existing resources' keys.
 */
export async function deploy(
    values: Readonly<Record<string, string | undefined>> = {},
    options: { stack?: string; base?: Readonly<Record<string, string | undefined>>; after?: Deployment } = {},
): Promise<Deployment> {
    const config = configFrom({ ...(options.base ?? MINIMAL_CONFIG), ...values });
    const { args, notices } = deploymentArgs(config, resourceNames(config), options.after?.outputs[STACK_RECORD_OUTPUT]);
    return withoutStackTraces(async () => {
        const session = await mockSession(options.stack ?? config.environment);
        const backend = new AdmaBackend("adma", args);
        const outputs = await resolve(backend.outputs());
        return new Deployment(config, backend, await session.finish(), outputs, notices);
    });
}

/** What running index.ts (the Pulumi program) produced. */
export interface ProgramRun {
    /** Undefined when the program threw. */
    readonly exports?: Record<string, unknown>;
    readonly error?: unknown;
    readonly resources: readonly DeployedResource[];
}

/**
 * Runs index.ts as `pulumi up` would, with `adma:*` stack config set through the runtime
 * (pulumi.Config reads it), and reports what it exported or threw and what it registered.
 */
export async function runProgram(
    values: Readonly<Record<string, string>>, stack = "prod", after?: ProgramRun, existingNetwork?: AwsMocksOptions["existingNetwork"],
): Promise<ProgramRun> {
    return withoutStackTraces(async () => {
        // The stack's own StackReference reads what `after` exported, as the service returns a stack's last outputs.
        const session = await mockSession(stack, { stackOutputs: after?.exports && { [`${OFFLINE_ORGANIZATION}/adma/${stack}`]: after.exports }, existingNetwork });
        pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(values).map(([key, value]) => [`${CONFIG_NAMESPACE}:${key}`, value])));
        const program = require.resolve("../index");
        delete require.cache[program];
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const exports = await resolve(await (require(program) as Promise<Record<string, unknown>>));
            return { exports, resources: await session.finish() };
        } catch (error) {
            return { error, resources: await session.finish() };
        }
    });
}

async function mockSession(stack: string, options: Pick<AwsMocksOptions, "stackOutputs" | "existingNetwork"> = {}): Promise<{ finish(): Promise<DeployedResource[]> }> {
    const recorder = new RecordingMocks(options);
    await pulumi.runtime.setMocks(recorder, "adma", stack, false, OFFLINE_ORGANIZATION);
    const registrations = recordRegistrationOptions();
    return {
        async finish() {
            await settled();
            return recorder.resources.map((r) => ({ ...r, options: registrations.get(`${r.type}::${r.name}`)! }));
        },
    };
}

export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

async function resolve(outputs: Record<string, unknown>): Promise<Record<string, unknown>> {
    const entries = await Promise.all(Object.entries(outputs).map(async ([key, value]) =>
        [key, pulumi.Output.isInstance(value) ? await valueOf(value) : value] as const));
    return Object.fromEntries(entries);
}

interface RegisterRequest {
    getType(): string; getName(): string; getParent(): string; getProtect(): boolean | undefined;
    getRetainondelete(): boolean | undefined; getIgnorechangesList(): string[]; getDependenciesList(): string[];
}
type Callback = (error: unknown, response?: { getUrn(): string }) => void;

/**
 * The SDK internal the harness needs and the public API lacks: the mock monitor (to see resource
 * options, which `Mocks.newResource` does not receive). Untyped in the SDK, hence the narrow types here.
 */
function sdkSettings(): { getMonitor(): { registerResource(req: RegisterRequest, cb: Callback): void } } {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("@pulumi/pulumi/runtime/settings");
}

function recordRegistrationOptions(): Map<string, RegistrationOptions> {
    const seen = new Map<string, RegistrationOptions>();
    const monitor = sdkSettings().getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => register(req, (error, response) => {
        if (response) {
            seen.set(`${req.getType()}::${req.getName()}`, {
                urn: response.getUrn(),
                parent: req.getParent(),
                protect: req.getProtect() ?? false,
                retainOnDelete: req.getRetainondelete() ?? false,
                ignoreChanges: req.getIgnorechangesList(),
                dependencies: req.getDependenciesList(),
            });
        }
        callback(error, response);
    });
    return seen;
}
