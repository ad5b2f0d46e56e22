// Turning recorded registrations (tools/preview/resource-recorder.ts) back into provider-class calls, for
// the bare twin of the scale benchmark.
import * as pulumi from "@pulumi/pulumi";
import type { MonitorRegistration } from "../../tools/preview/resource-recorder";
import { hasSignature, isWireSecret, RESOURCE_REFERENCE_SIGNATURE, UNKNOWN_VALUE } from "../../tools/preview/secret-envelope";

export type ResourceClass = new (name: string, args: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) => pulumi.Resource;

/** Custom resources and remote components (awsx); not the stack, providers or the project's own components. */
export function isProviderResource(record: MonitorRegistration): boolean {
    if (record.type.startsWith("pulumi:")) {
        return false;
    }
    return record.custom || !record.type.startsWith("adma:");
}

/** `aws:ecs/service:Service` -> `@pulumi/aws/ecs` Service; `awsx:ec2:Vpc` -> `@pulumi/awsx` ec2.Vpc. */
export async function resourceClass(type: string): Promise<ResourceClass> {
    const [pkg, modulePath, className] = type.split(":");
    const module = modulePath.split("/")[0];
    const root: Record<string, unknown> = pkg === "aws" && module !== "index" ? await import(`@pulumi/aws/${module}`) : await import(`@pulumi/${pkg}`);
    const namespace = (pkg !== "aws" && module !== "index" ? root[module] : root) as Record<string, ResourceClass | undefined>;
    const found = namespace[className];
    if (found === undefined) {
        throw new Error(`bare-program: no class for ${type}`);
    }
    return found;
}

/** Wire form (as the monitor received it) back to program inputs. */
export function fromWire(value: unknown): unknown {
    if (value === UNKNOWN_VALUE) {
        return undefined;
    }
    if (Array.isArray(value)) {
        return value.map(fromWire);
    }
    if (isWireSecret(value)) {
        return pulumi.secret(fromWire(value.value));
    }
    if (hasSignature(value, RESOURCE_REFERENCE_SIGNATURE)) {
        return value.id ?? value.urn;
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromWire(v)]));
    }
    return value;
}

