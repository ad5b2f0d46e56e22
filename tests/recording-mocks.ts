/**
 * The shared AwsMocks with every registration recorded: used by the component tests directly and
 * by tests/harness.ts (which adds config and AdmaBackend on top).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- mocked inputs are untyped deserialized JSON, read loosely by the tests */
import * as pulumi from "@pulumi/pulumi";
import { AwsMocks, AwsMocksOptions } from "../testing/aws-mocks";

export const REGION = "eu-west-1";
export const ACCOUNT = "123456789012";

/** One custom resource as `Mocks.newResource` saw it: its inputs and the state the mocks gave it. */
export interface MockedResource {
    readonly type: string;
    readonly name: string;
    readonly id: string | undefined;
    readonly inputs: Record<string, any>;
    readonly state: Record<string, any>;
}

/** AwsMocks (realistic ARNs), remembering every registration with its inputs. */
export class RecordingMocks implements pulumi.runtime.Mocks {
    readonly resources: MockedResource[] = [];
    private readonly aws: AwsMocks;

    constructor(options: Pick<AwsMocksOptions, "stackOutputs" | "existingNetwork"> = {}) {
        this.aws = new AwsMocks({ region: REGION, accountId: ACCOUNT, ...options });
    }

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, any> } {
        const result = this.aws.newResource(args);
        this.resources.push({ type: args.type, name: args.name, id: result.id, inputs: args.inputs, state: result.state });
        return result;
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
        return this.aws.call(args);
    }

    ofType(type: string): MockedResource[] {
        return this.resources.filter((resource) => resource.type === type);
    }

    /** The one resource of `type` whose logical name ends with `suffix`. */
    one(type: string, suffix: string): MockedResource {
        const matches = this.ofType(type).filter((resource) => resource.name.endsWith(suffix));
        if (matches.length !== 1) {
            throw new Error(`expected one ${type} named *${suffix}, found ${matches.map((m) => m.name).join(", ") || "none"}`);
        }
        return matches[0];
    }
}

/**
 * Waits until every registration sent to the mock monitor so far has completed: the SDK's RPC
 * queue (awaiting outputs alone would miss resources nothing depends on).
 */
export async function settled(): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const settings: { waitForRPCs(): Promise<void> } = require("@pulumi/pulumi/runtime/settings");
    await settings.waitForRPCs();
}

/** Policy and pattern inputs are JSON strings; tests read them as objects. */
export function json(value: unknown): any {
    if (typeof value !== "string") {
        throw new Error(`expected a JSON string, got ${typeof value}`);
    }
    return JSON.parse(value);
}

/** Every `Resource` of every statement, flattened. */
export function policyResources(document: any): string[] {
    return document.Statement.flatMap((statement: any) => [statement.Resource ?? []].flat());
}

/** URNs of everything registered with the current mock monitor; a child's URN carries its parent's type. */
export function registeredUrns(): string[] {
    const monitor = pulumi.runtime.getMonitor() as unknown as { getRegisteredResources(): Map<string, unknown> };
    return [...monitor.getRegisteredResources().keys()];
}

/**
 * The recorded resources in the shape the policy pack's offline audit reads (inputs with Pulumi
 * property names, keyed by URN), so a test can run the stack's own policy pack over a component.
 */
export function auditResources(mocks: RecordingMocks): { urn: string; type: string; name: string; props: Record<string, unknown> }[] {
    const urns = registeredUrns();
    return mocks.resources.map((resource) => {
        const urn = urns.find((candidate) => candidate.endsWith(`${resource.type}::${resource.name}`));
        if (urn === undefined) {
            throw new Error(`no URN registered for ${resource.type} ${resource.name}`);
        }
        return { urn, type: resource.type, name: resource.name, props: resource.inputs };
    });
}
