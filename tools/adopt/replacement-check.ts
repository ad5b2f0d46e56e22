/**
 * Would the first `pulumi up` after the import replace a resource that holds data? For each adopted
 * resource of a type lib/replacement-facts.ts lists (database instance, secret, KMS key, log group),
 * every property whose change replaces it (and every one AWS fixes at creation) is compared between
 * the live resource and what the program registers under the derived configuration. Any difference
 * refuses the adoption, naming the resource, the property and both values (names, ids, flags:
 * never a secret). Pure.
 */
import { REPLACEMENT_FACTS } from "../../lib/replacement-facts";
import { isRecord } from "../../policy-pack/lib/unknowns";
import type { Adoption } from "./adoption-plan";

export interface PropertyComparison {
    readonly property: string;
    readonly live: unknown;
    /** What the program registers; undefined when it leaves the property unset. */
    readonly program: unknown;
    /** Whether the first `pulumi up` keeps the live value. */
    readonly same: boolean;
}

/** Empty values the provider does not tell apart from an unset property: null, "", [], {}. */
function isEmpty(value: unknown): boolean {
    return value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0)
        || (isRecord(value) && Object.keys(value).length === 0);
}

function sameValue(a: unknown, b: unknown): boolean {
    return (isEmpty(a) && isEmpty(b)) || JSON.stringify(a) === JSON.stringify(b);
}

/** The comparison of every replacement-forcing property of one adopted data-bearing resource; [] for other types. */
export function compareReplacementProperties(adoption: Adoption): PropertyComparison[] {
    const facts = REPLACEMENT_FACTS[adoption.program.type];
    if (facts === undefined) {
        return [];
    }
    const { inputs, ignoreChanges = [] } = adoption.program;
    const properties = [...facts.forcesReplacement, ...Object.keys(facts.fixedAtCreation).filter((property) => !ignoreChanges.includes(property))];
    return properties.map((property) => {
        const live = adoption.live.props[property];
        const program = inputs[property];
        const same = program === undefined
            ? facts.computedWhenUnset.includes(property) || sameValue(live, facts.defaults[property])
            : sameValue(live, program);
        return { property, live, program, same };
    });
}

/** One sentence per difference that would replace (or that AWS refuses to apply to) a resource holding data. */
export function replacementRefusals(adopted: readonly Adoption[]): string[] {
    return adopted.flatMap((adoption) => {
        const facts = REPLACEMENT_FACTS[adoption.program.type];
        return compareReplacementProperties(adoption).filter((comparison) => !comparison.same).map(({ property, live, program }) => {
            const fixed = facts.fixedAtCreation[property];
            const what = fixed !== undefined ? `AWS cannot change it (${fixed})` : `the first pulumi up would replace it: ${facts.onReplacement}`;
            return `${adoption.live.address} (${facts.resource} ${adoption.program.name}): ${property} is ${show(live)} live and ${show(program)} in the program; ${what}`;
        });
    });
}

function show(value: unknown): string {
    return value === undefined ? "unset" : JSON.stringify(value);
}
