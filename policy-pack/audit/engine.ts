/**
 * The offline audit's engine: runs the pack's own policy objects (`policies/index.ts`) over
 * AuditResources (what `reader.ts` reads out of an input document), the way the Pulumi policy
 * server runs them (same config rules, same preview-unknowns behaviour), without constructing a
 * PolicyPack.
 *
 * Kept linear and allocation-light: resources are dispatched by type to the policies that read
 * that type, and only their properties are decoded (secret envelopes), copy-on-write.
 */
import type {
    Policies, PolicyConfigSchema, PolicyResource, ReportViolation,
    ResourceValidation, ResourceValidationArgs, StackValidationArgs, StackValidationPolicy,
} from "@pulumi/policy";
import { InputTerms, PULUMI_TERMS } from "../lib/input-terms";
import { PACK_ENFORCEMENT_LEVEL } from "../lib/pack";
import { decodeSecrets } from "../lib/secret-envelopes";
import { describeJson, isRecord } from "../lib/unknowns";
import { policies as packPolicies } from "../policies";
import * as types from "../policies/resource-types";
import { INPUT_TERMS, incompleteCheckMessage, isUnknownValueError, policyResourceTypes } from "../policies/support";

/**
 * One resource as the policies see it, whatever the input format: an adapter of another format
 * maps its resources onto Pulumi's type tokens and property names, which the policies read.
 */
export interface AuditResource {
    urn: string;                        // identifies the resource in violations: its URN, or the input's own identifier (a Terraform address)
    type: string;                       // Pulumi type token, e.g. "aws:iam/rolePolicy:RolePolicy"
    name: string;
    props: Record<string, unknown>;     // inputs with Pulumi property names; may contain secret envelopes and the unknown sentinels
    parent?: string;                    // parent URN
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
}
export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
/** A finding; `urn` is the resource's identifier in the input (AuditResource.urn), "" for the stack when the input has no stack resource. */
export interface Violation { policyName: string; urn: string; message: string; enforcementLevel: EnforcementLevel }
export type PolicyConfig = Record<string, unknown>;   // as `pulumi policy enable --config` JSON

const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

// ---------------------------------------------------------------------------------------------
// Config

interface ResolvedPolicy {
    level: EnforcementLevel;
    settings: Record<string, unknown>;
}

/** A resource policy ready to run: its name, resolved config and validations. */
interface ResourceCheckRun {
    readonly name: string;
    readonly settings: ResolvedPolicy;
    readonly validations: readonly ResourceValidation[];
}

/** Applies a `pulumi policy enable --config` document; throws naming the bad entry. */
export function resolveConfig(policies: Policies, config: PolicyConfig = {}): Map<string, ResolvedPolicy> {
    if (!isRecord(config)) {
        throw new Error(`policy config must be a JSON object mapping policy names (or "all") to a level or settings, got ${describeJson(config)}`);
    }
    const byName = new Map(policies.map((policy) => [policy.name, policy]));
    for (const key of Object.keys(config)) {
        if (key !== "all" && !byName.has(key)) {
            throw new Error(`policy config names unknown policy "${key}"; the pack's policies are: all, ${[...byName.keys()].join(", ")}`);
        }
    }
    const all = config.all === undefined ? {} : configEntry("all", config.all, undefined);
    const resolved = new Map<string, ResolvedPolicy>();
    for (const policy of policies) {
        const entry = config[policy.name] === undefined ? {} : configEntry(policy.name, config[policy.name], policy.configSchema);
        const { enforcementLevel, ...settings } = entry;
        const level = (enforcementLevel ?? all.enforcementLevel ?? policy.enforcementLevel ?? PACK_ENFORCEMENT_LEVEL) as EnforcementLevel;
        resolved.set(policy.name, { level, settings });
    }
    return resolved;
}

function configEntry(name: string, value: unknown, schema: PolicyConfigSchema | undefined): Record<string, unknown> {
    const entry = typeof value === "string" ? { enforcementLevel: value } : value;
    if (!isRecord(entry)) {
        throw new Error(`policy config "${name}" must be an enforcement level or an object, got ${describeJson(value)}`);
    }
    for (const [key, setting] of Object.entries(entry)) {
        if (key === "enforcementLevel") {
            if (!ENFORCEMENT_LEVELS.includes(setting as EnforcementLevel)) {
                throw new Error(`policy config "${name}".enforcementLevel must be one of ${ENFORCEMENT_LEVELS.join(", ")}, got ${JSON.stringify(setting)}`);
            }
        } else if (name === "all") {
            throw new Error(`policy config "all" takes only enforcementLevel, got "${key}"`);
        } else {
            checkSetting(name, key, setting, schema);
        }
    }
    return entry;
}

function checkSetting(policyName: string, key: string, value: unknown, schema: PolicyConfigSchema | undefined): void {
    const properties = schema?.properties ?? {};
    const property = properties[key];
    const where = `policy config "${policyName}".${key}`;
    if (property === undefined) {
        const allowed = ["enforcementLevel", ...Object.keys(properties)].join(", ");
        throw new Error(`${where} is not a setting of this policy; allowed: ${allowed}`);
    }
    const expected = property.type as string | undefined;
    const ok = expected === undefined
        || (expected === "array" && Array.isArray(value) && value.every((item) => typeof item === "string"))
        || (expected === "integer" && Number.isInteger(value))
        || ((expected === "number" || expected === "string" || expected === "boolean") && typeof value === expected)
        || (expected === "object" && isRecord(value));
    if (!ok) {
        throw new Error(`${where} must be ${expected === "array" ? "a list of strings" : `of type ${expected}`}, got ${JSON.stringify(value)}`);
    }
    if (typeof value === "number" && ((property.minimum !== undefined && value < property.minimum)
        || (property.maximum !== undefined && value > property.maximum))) {
        throw new Error(`${where} must be between ${property.minimum ?? "-inf"} and ${property.maximum ?? "inf"}, got ${value}`);
    }
}

// ---------------------------------------------------------------------------------------------
// Running

/** Runs the pack's policies; their messages are in `terms`, the input's (AuditDocument.terms; Pulumi's by default). */
export function runPolicies(resources: AuditResource[], config?: PolicyConfig, terms?: InputTerms): Promise<Violation[]> {
    return runPolicySet(packPolicies, resources, config, terms);
}

/** Runs any list of @pulumi/policy policies (the pack's, in `runPolicies`). */
export async function runPolicySet(policies: Policies, resources: AuditResource[], config?: PolicyConfig, terms?: InputTerms): Promise<Violation[]> {
    const run = new AuditRun(policies, config, terms);
    for (const resource of resources) {
        const pending = run.add(resource);
        if (pending !== undefined) {
            await pending;
        }
    }
    return run.finish();
}

/**
 * One audit, fed resource by resource: resource policies run as each resource arrives, and only
 * the resources of the types a stack policy reads are kept for `finish`, which runs the stack
 * policies.
 */
export class AuditRun {
    private readonly resolved: Map<string, ResolvedPolicy>;
    private readonly byType = new Map<string, ResourceCheckRun[]>();
    private readonly everyType: ResourceCheckRun[] = [];
    private readonly stackPolicies: StackValidationPolicy[] = [];
    /** The types the stack policies read; undefined when one of them reads every type. */
    private readonly stackTypes: ReadonlySet<string> | undefined;
    private readonly kept: AuditResource[] = [];
    /** Decoded properties of the kept resources that a resource policy has decoded already. */
    private readonly decoded = new Map<AuditResource, Record<string, unknown>>();
    private readonly violations: Violation[] = [];
    /** The stack's URN, once its resource was added: where stack policies' findings without a resource of their own belong. */
    private stackUrn = "";

    /**
     * Resolves the config (throws naming a bad entry) and each policy's level, settings and
     * validations, once. `terms`: the input's, which the pack's policies write their messages in.
     */
    constructor(policies: Policies, config?: PolicyConfig, private readonly terms: InputTerms = PULUMI_TERMS) {
        this.resolved = resolveConfig(policies, config);
        for (const policy of policies) {
            const settings = this.resolved.get(policy.name)!;
            if (settings.level === "disabled") {
                continue;
            }
            if ("validateStack" in policy) {
                this.stackPolicies.push(policy);
                continue;
            }
            const validations = policy.validateResource === undefined ? []
                : Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
            const run: ResourceCheckRun = { name: policy.name, settings, validations };
            const types = policyResourceTypes(policy);
            if (types === undefined) {
                this.everyType.push(run);
            }
            for (const type of types ?? []) {
                this.byType.set(type, [...(this.byType.get(type) ?? []), run]);
            }
        }
        const declared = this.stackPolicies.map((policy) => policyResourceTypes(policy));
        this.stackTypes = declared.some((types) => types === undefined) ? undefined : new Set(declared.flatMap((types) => types ?? []));
    }

    /**
     * Runs the resource policies on one resource; a promise only when one of its validations
     * returned one (the next resource must wait for it). Throws when a policy fails.
     */
    add(resource: AuditResource): Promise<void> | undefined {
        if (resource.type === types.STACK) {
            this.stackUrn = resource.urn;
        }
        const keep = this.stackPolicies.length > 0 && (this.stackTypes === undefined || this.stackTypes.has(resource.type));
        if (keep) {
            this.kept.push(resource);
        }
        const applicable = this.byType.get(resource.type);
        if (applicable === undefined && this.everyType.length === 0) {
            return undefined;
        }
        const runs = this.everyType.length === 0 ? applicable! : [...(applicable ?? []), ...this.everyType];
        const props = decodeSecrets(resource.props) as Record<string, unknown>;
        if (keep) {
            this.decoded.set(resource, props);
        }
        return this.runFrom(resource, props, runs, 0, 0);
    }

    /** The validations of `runs` from run `r`, validation `v` on; continues asynchronously after a promise. */
    private runFrom(resource: AuditResource, props: Record<string, unknown>, runs: readonly ResourceCheckRun[], r: number, v: number): Promise<void> | undefined {
        for (; r < runs.length; r++, v = 0) {
            const { name, settings, validations } = runs[r];
            const args = resourceArgs(resource, props, settings.settings, this.terms);
            for (; v < validations.length; v++) {
                const validate = validations[v];
                // Awaiting only real promises: an await per synchronous check would cost a microtask turn each.
                const pending = runOne(name, resource.urn, settings.level, this.violations, this.terms, (report) => validate(args, report));
                if (pending !== undefined) {
                    const next = v + 1;
                    return pending.then(() => this.runFrom(resource, props, runs, r, next));
                }
            }
        }
        return undefined;
    }

    /** Runs the stack policies over the kept resources and returns every violation, in the order found. */
    async finish(): Promise<Violation[]> {
        if (this.stackPolicies.length > 0) {
            const propsOf = (resource: AuditResource): Record<string, unknown> =>
                this.decoded.get(resource) ?? decodeSecrets(resource.props) as Record<string, unknown>;
            const stack = stackResources(this.kept, propsOf);
            for (const policy of this.stackPolicies) {
                const settings = this.resolved.get(policy.name)!;
                const args = {
                    resources: stack,
                    getConfig: <T extends object>() => settings.settings as T,
                    stackTags: NO_TAGS,
                    notApplicable,
                    [INPUT_TERMS]: this.terms,
                } as StackValidationArgs;
                const pending = runOne(policy.name, this.stackUrn, settings.level, this.violations, this.terms, (report) => policy.validateStack(args, report));
                if (pending !== undefined) {
                    await pending;
                }
            }
        }
        return this.violations;
    }
}

class NotApplicableError extends Error { }

function notApplicable(reason?: string): never {
    throw new NotApplicableError(reason);
}

/** Runs one validation, turning reports and the preview-unknowns error into violations; a promise only when the validation returns one. */
function runOne(
    policyName: string, urn: string, level: EnforcementLevel, violations: Violation[], terms: InputTerms,
    validate: (report: ReportViolation) => void | Promise<void>,
): Promise<void> | undefined {
    const enforcementLevel = level === "remediate" ? "mandatory" : level;
    const report: ReportViolation = (message, violationUrn) =>
        violations.push({ policyName, urn: violationUrn ?? urn, message, enforcementLevel });
    const settle = (error: unknown): void => {
        if (isUnknownValueError(error)) {
            // As the Pulumi policy server does: the policy could not finish, which is advisory.
            violations.push({ policyName, urn, message: incompleteCheckMessage(policyName, error, terms), enforcementLevel: "advisory" });
        } else if (!(error instanceof NotApplicableError)) {
            throw new Error(`policy '${policyName}' failed on ${urn || "the stack"}: ${(error as Error).message}`);
        }
    };
    let result: void | Promise<void>;
    try {
        result = validate(report);
    } catch (error) {
        settle(error);
        return undefined;
    }
    return result === undefined ? undefined : Promise.resolve(result).then(() => undefined, settle);
}

/** Resource options are not part of a stack export's inputs; policies of this pack do not read them. */
const NO_TAGS: ReadonlyMap<string, string> = new Map();
const NO_OPTIONS = Object.freeze({
    protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
});

function resourceArgs(resource: AuditResource, props: Record<string, unknown>, settings: Record<string, unknown>, terms: InputTerms): ResourceValidationArgs {
    return {
        [INPUT_TERMS]: terms,
        type: resource.type,
        props,
        urn: resource.urn,
        name: resource.name,
        opts: NO_OPTIONS,
        stackTags: NO_TAGS,
        getConfig: <T extends object>() => settings as T,
        notApplicable,
        isType: () => false,
        asType: () => undefined,
    } as ResourceValidationArgs;
}

/** The stack as @pulumi/policy's validateStack sees it: the resources of the types the stack policies read. */
function stackResources(selected: readonly AuditResource[], propsOf: (r: AuditResource) => Record<string, unknown>): PolicyResource[] {
    const byUrn = new Map<string, PolicyResource>();
    const result = selected.map((resource) => {
        const policyResource = {
            type: resource.type,
            props: propsOf(resource),
            urn: resource.urn,
            name: resource.name,
            opts: NO_OPTIONS,
            dependencies: [] as PolicyResource[],
            propertyDependencies: {} as Record<string, PolicyResource[]>,
            isType: () => false,
            asType: () => undefined,
        } as unknown as PolicyResource;
        byUrn.set(resource.urn, policyResource);
        return policyResource;
    });
    const resolve = (urns: readonly string[] | undefined): PolicyResource[] =>
        (urns ?? []).flatMap((urn) => byUrn.get(urn) ?? []);
    selected.forEach((resource, index) => {
        const policyResource = result[index] as { -readonly [K in keyof PolicyResource]: PolicyResource[K] };
        const parent = resource.parent === undefined ? undefined : byUrn.get(resource.parent);
        if (parent !== undefined) {
            policyResource.parent = parent;
        }
        policyResource.dependencies = resolve(resource.dependencies);
        for (const [property, urns] of Object.entries(resource.propertyDependencies ?? {})) {
            policyResource.propertyDependencies[property] = resolve(urns);
        }
    });
    return result;
}
