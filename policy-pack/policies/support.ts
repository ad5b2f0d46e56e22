/**
 * The plumbing every policy of the pack shares, so each policy module holds only its rule:
 * typed config with defaults, raw property access, and the preview-unknowns behaviour.
 *
 * Preview unknowns. @pulumi/policy hands a policy its properties through a proxy that throws
 * `UnknownValueError` the moment code touches a value unknown during preview; the server then
 * reports an advisory "can't run policy ... during preview" and skips the rest of the policy,
 * so everything after the first unknown value goes unchecked. Instead, the pack reads the raw
 * properties (the proxy's target), checks every known value, reports what it finds, and only
 * then throws an `UnknownValueError` naming all the values it could not read: the server turns
 * that into the same advisory, and the check runs in full once the values are known (`pulumi up`
 * validates again with them). The offline audit treats the error the same way.
 *
 * Input terms. A check names properties by their Pulumi paths and says the rest with the
 * `InputTerms` it is given (lib/input-terms.ts): CrossGuard gives none, so Pulumi's; the offline
 * audit gives those of its input (a Terraform plan's: attribute names, `terraform apply`), under
 * INPUT_TERMS in the arguments it builds. The paths of values a check could not read are said in
 * those terms too.
 */
import type {
    EnforcementLevel, PolicyConfigSchema, PolicyResource, ReportViolation, ResourceValidationArgs,
    ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy,
} from "@pulumi/policy";
import { InputTerms, PULUMI_TERMS } from "../lib/input-terms";
import { UNKNOWN_VALUE } from "../lib/pulumi-markers";
import { OpaquePaths } from "../lib/unknowns";

// @pulumi/policy exports UnknownValueError from its index, which also loads the gRPC server;
// its own module is light. Its typings are internal, hence the local signature; `require` is
// declared here so that the pack type-checks without @types/node (the Pulumi CLI type-checks a
// published pack with only its own dependencies installed).
declare const require: (id: string) => unknown;
type UnknownValueErrorClass = new (unknownTypeSentinel: string, path: string[]) => Error;
const policyProxy = require("@pulumi/policy/proxy") as {
    UnknownValueError: UnknownValueErrorClass;
    getSpecialProxyTarget: string;
};

/**
 * Thrown after a check has judged every known value, naming those it could not read (unknown
 * during preview, or, in a stack export, encrypted) and what it could not verify from the stack
 * at all. @pulumi/policy's server and the offline audit both report it as an advisory.
 */
export class IncompleteCheckError extends policyProxy.UnknownValueError {
    readonly unknown: readonly string[];

    /** `opaque` holds the paths as the input spells them (`terms.path`); `terms` say why they are unknown. */
    constructor(opaque: OpaquePaths, terms: InputTerms = PULUMI_TERMS) {
        super(UNKNOWN_VALUE, [...opaque.paths, ...opaque.encrypted]);
        this.name = "IncompleteCheckError";
        this.unknown = opaque.paths;
        const parts: string[] = [];
        if (opaque.paths.length > 0) {
            parts.push(`only the known values were checked: ${opaque.paths.join(", ")} cannot be read yet ${terms.unknownValues}`);
        }
        if (opaque.encrypted.length > 0) {
            parts.push(`${opaque.encrypted.join(", ")} ${opaque.encrypted.length === 1 ? "holds a secret value" : "hold secret values"} ` +
                "this stack export has only encrypted, so the check could not read them; to check them, audit an export with " +
                "the values (pulumi stack export --show-secrets --file <file>: the file holds the secrets in plaintext, so keep it " +
                "and its content out of logs and version control, and delete it afterwards)");
        }
        if (opaque.unverifiable.length > 0) {
            parts.push(`${parts.length > 0 ? "and" : "checked what the stack shows, but"} could not verify ${opaque.unverifiable.join("; ")}`);
        }
        this.message = parts.join("; ");
    }
}

/**
 * The advisory the offline audit reports for a check that could not finish, in the input's terms:
 * for Pulumi, the words of the policy server ("can't run policy ... during preview") when a value
 * is unknown during preview, else (a stack export's encrypted secrets, what the stack cannot show)
 * without them.
 */
export function incompleteCheckMessage(policyName: string, error: Error, terms: InputTerms = PULUMI_TERMS): string {
    const duringPreview = !(error instanceof IncompleteCheckError) || error.unknown.length > 0;
    return `${terms.incompleteCheck(policyName, duringPreview)}: ${error.message}`;
}

/**
 * Where the offline audit puts the terms of its input in the arguments it gives a policy
 * (CrossGuard's arguments have none: Pulumi's terms).
 */
export const INPUT_TERMS: unique symbol = Symbol("adma-security input terms");

/** The input terms a policy's arguments carry (`INPUT_TERMS`), else Pulumi's. */
export function inputTermsOf(args: object): InputTerms {
    return (args as { readonly [INPUT_TERMS]?: InputTerms })[INPUT_TERMS] ?? PULUMI_TERMS;
}

export function isUnknownValueError(error: unknown): error is Error {
    return error instanceof policyProxy.UnknownValueError;
}

/** The plain properties behind @pulumi/policy's unknown-checking proxy (or the object itself). */
export function rawProps(props: Record<string, unknown>): Record<string, unknown> {
    const target = props[policyProxy.getSpecialProxyTarget];
    return typeof target === "object" && target !== null ? target as Record<string, unknown> : props;
}

export interface CheckedResource {
    readonly type: string;
    readonly urn: string;
    readonly name: string;
    readonly props: Record<string, unknown>;
}

/** A resource of the stack, as stack checks see it: dependencies by URN. */
export interface StackResource extends CheckedResource {
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

interface PolicyBase<C> {
    readonly name: string;
    readonly description: string;
    readonly enforcementLevel: EnforcementLevel;
    /** The resource types the policy reads; the audit dispatches on them. */
    readonly resourceTypes: readonly string[];
    /** Config settings (JSON schema properties) and their defaults. */
    readonly config?: { readonly schema: NonNullable<PolicyConfigSchema["properties"]>; readonly defaults: C };
}

/**
 * A check of one resource. It records what it cannot read in `opaque` by Pulumi path, and says
 * property paths, settings and resources in its messages with `terms`.
 */
export interface ResourceCheck<C> extends PolicyBase<C> {
    check(resource: CheckedResource, config: C, report: (message: string) => void, opaque: OpaquePaths, terms: InputTerms): void;
}

/** A check across the stack; `opaque(urn)` collects, by Pulumi path, what it cannot read of the resource `urn`. */
export interface StackCheck<C> extends PolicyBase<C> {
    check(resources: readonly StackResource[], config: C, report: (message: string, urn: string) => void,
        opaque: (urn: string) => OpaquePaths, terms: InputTerms): void;
}

const resourceTypesByPolicy = new WeakMap<object, readonly string[]>();

/** The resource types a policy of this pack reads (undefined for a foreign policy). */
export function policyResourceTypes(policy: object): readonly string[] | undefined {
    return resourceTypesByPolicy.get(policy);
}

export function resourcePolicy<C extends object = object>(spec: ResourceCheck<C>): ResourceValidationPolicy {
    const types = new Set(spec.resourceTypes);
    const policy: ResourceValidationPolicy = {
        ...policyInfo(spec),
        validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
            if (!types.has(args.type)) {
                return;
            }
            const opaque = new OpaquePaths();
            const terms = inputTermsOf(args);
            const resource = { type: args.type, urn: args.urn, name: args.name, props: rawProps(args.props) };
            spec.check(resource, configOf(spec, args), (message) => reportViolation(message), opaque, terms);
            if (!opaque.isEmpty) {
                const said = new OpaquePaths();
                said.adopt(opaque, "", (path) => terms.path(args.type, path));
                throw new IncompleteCheckError(said, terms);
            }
        },
    };
    resourceTypesByPolicy.set(policy, spec.resourceTypes);
    return policy;
}

export function stackPolicy<C extends object = object>(spec: StackCheck<C>): StackValidationPolicy {
    const types = new Set(spec.resourceTypes);
    const policy: StackValidationPolicy = {
        ...policyInfo(spec),
        validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
            const resources = args.resources.filter((r) => types.has(r.type)).map(stackResource);
            const opaqueByUrn = new Map<string, OpaquePaths>();
            const opaque = (urn: string): OpaquePaths => {
                let paths = opaqueByUrn.get(urn);
                if (paths === undefined) {
                    paths = new OpaquePaths();
                    opaqueByUrn.set(urn, paths);
                }
                return paths;
            };
            const terms = inputTermsOf(args);
            spec.check(resources, configOf(spec, args), (message, urn) => reportViolation(message, urn), opaque, terms);
            const stack = new OpaquePaths();
            const typeOf = opaqueByUrn.size === 0 ? undefined : new Map(resources.map((resource) => [resource.urn, resource.type]));
            opaqueByUrn.forEach((paths, urn) => stack.adopt(paths, `${urn} `, (path) => terms.path(typeOf?.get(urn) ?? "", path)));
            if (!stack.isEmpty) {
                throw new IncompleteCheckError(stack, terms);
            }
        },
    };
    resourceTypesByPolicy.set(policy, spec.resourceTypes);
    return policy;
}

function policyInfo<C>(spec: PolicyBase<C>) {
    return {
        name: spec.name,
        description: spec.description,
        enforcementLevel: spec.enforcementLevel,
        ...(spec.config && { configSchema: { properties: spec.config.schema } }),
    };
}

// The Pulumi CLI fills in schema defaults, but a policy must not depend on the caller for them.
function configOf<C>(spec: PolicyBase<C>, args: { getConfig<T extends object>(): T }): C {
    return { ...spec.config?.defaults, ...args.getConfig<object>() } as C;
}

// The offline audit hands every stack policy the same resource objects: convert each once.
const stackResources = new WeakMap<PolicyResource, StackResource>();

function stackResource(resource: PolicyResource): StackResource {
    let converted = stackResources.get(resource);
    if (converted === undefined) {
        converted = toStackResource(resource);
        stackResources.set(resource, converted);
    }
    return converted;
}

function toStackResource(resource: PolicyResource): StackResource {
    const propertyDependencies: Record<string, readonly string[]> = {};
    for (const [property, dependencies] of Object.entries(resource.propertyDependencies ?? {})) {
        propertyDependencies[property] = dependencies.map((dependency) => dependency.urn);
    }
    return { type: resource.type, urn: resource.urn, name: resource.name, props: rawProps(resource.props), propertyDependencies };
}

/** Case-insensitive membership, as IAM compares action names and ECS users expect of variable names. */
export function lowerCaseSet(values: readonly string[]): ReadonlySet<string> {
    return new Set(values.map((value) => value.trim().toLowerCase()));
}
