/**
 * Test support for the rotation and monitoring components on their own (AdmaBackend tests use
 * tests/harness.ts): the shared AwsMocks, with every registration recorded.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- mocked inputs are untyped deserialized JSON, read loosely by the tests */
import * as pulumi from "@pulumi/pulumi";
import { AwsMocks } from "../testing/aws-mocks";

export const REGION = "eu-west-1";
export const ACCOUNT = "123456789012";

export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, any>;
}

/** AwsMocks (realistic ARNs), remembering every registration with its inputs. */
export class RecordingMocks implements pulumi.runtime.Mocks {
    readonly resources: RecordedResource[] = [];
    private readonly aws = new AwsMocks({ region: REGION, accountId: ACCOUNT });

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, any> } {
        this.resources.push({ type: args.type, name: args.name, inputs: args.inputs });
        return this.aws.newResource(args);
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
        return this.aws.call(args);
    }

    ofType(type: string): RecordedResource[] {
        return this.resources.filter((resource) => resource.type === type);
    }

    /** The one resource of `type` whose logical name ends with `suffix`. */
    one(type: string, suffix: string): RecordedResource {
        const matches = this.ofType(type).filter((resource) => resource.name.endsWith(suffix));
        if (matches.length !== 1) {
            throw new Error(`expected one ${type} named *${suffix}, found ${matches.map((m) => m.name).join(", ") || "none"}`);
        }
        return matches[0];
    }
}

/** Waits until no registration has arrived for a few event-loop turns (mocked registrations resolve asynchronously). */
export async function settled(mocks: RecordingMocks): Promise<void> {
    let quietRounds = 0;
    let seen = -1;
    while (quietRounds < 5) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        quietRounds = mocks.resources.length === seen ? quietRounds + 1 : 0;
        seen = mocks.resources.length;
    }
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
