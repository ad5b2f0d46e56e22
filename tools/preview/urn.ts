/**
 * Pulumi URNs as the engine forms them:
 * `urn:pulumi:<stack>::<project>::<qualified type>::<name>`, where the qualified type is the
 * parent's qualified type, `$`, then the resource's own type. The root stack's type is left
 * out of its children's qualified types, exactly as the engine does it.
 *
 * The SDK's mock monitor builds URNs from the immediate parent's type only, so URNs of
 * resources nested two levels deep differ from real ones; the offline export recomputes them
 * here instead of trusting the mock's.
 */

export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

export interface StackIdentity {
    project: string;
    stack: string;
}

export interface ParsedUrn extends StackIdentity {
    qualifiedType: string;
    /** The resource's own type: the last segment of the qualified type. */
    type: string;
    name: string;
}

export function formatUrn(identity: StackIdentity, qualifiedType: string, name: string): string {
    return `urn:pulumi:${identity.stack}::${identity.project}::${qualifiedType}::${name}`;
}

export function parseUrn(urn: string): ParsedUrn {
    const prefix = "urn:pulumi:";
    const parts = urn.startsWith(prefix) ? urn.slice(prefix.length).split("::") : [];
    if (parts.length < 4) {
        throw new Error(`not a Pulumi URN: ${urn}`);
    }
    const [stack, project, qualifiedType, ...nameParts] = parts;
    const type = qualifiedType.split("$").pop() as string;
    // A name may itself contain "::"; everything after the type belongs to it.
    return { stack, project, qualifiedType, type, name: nameParts.join("::") };
}

/** The URN of a resource of `type` named `name`, registered under `parentUrn` (if any). */
export function childUrn(identity: StackIdentity, parentUrn: string | undefined, type: string, name: string): string {
    if (parentUrn === undefined) {
        return formatUrn(identity, type, name);
    }
    const parent = parseUrn(parentUrn);
    const qualifiedType = parent.qualifiedType === ROOT_STACK_TYPE ? type : `${parent.qualifiedType}$${type}`;
    return formatUrn(identity, qualifiedType, name);
}
