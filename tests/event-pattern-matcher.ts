/**
 * Test support: the subset of EventBridge event-pattern matching the stack's patterns use (arrays of
 * exact values, `anything-but` with a prefix, nested objects), so tests can check what a pattern
 * matches rather than only how it is written. A field the pattern names must be present in the event.
 */
type Pattern = Record<string, unknown>;

export function matchesEventPattern(pattern: Pattern, event: unknown): boolean {
    if (typeof event !== "object" || event === null) {
        return false;
    }
    const record = event as Record<string, unknown>;
    return Object.entries(pattern).every(([key, condition]) => {
        if (!(key in record) || record[key] === undefined) {
            return false;
        }
        if (Array.isArray(condition)) {
            const values = Array.isArray(record[key]) ? (record[key] as unknown[]) : [record[key]];
            return values.some((value) => condition.some((alternative) => matchesValue(alternative, value)));
        }
        return matchesEventPattern(condition as Pattern, record[key]);
    });
}

function matchesValue(alternative: unknown, value: unknown): boolean {
    if (typeof alternative !== "object" || alternative === null) {
        return alternative === value;
    }
    const anythingBut = (alternative as Record<string, unknown>)["anything-but"] as { prefix?: string } | undefined;
    if (anythingBut?.prefix === undefined || Object.keys(alternative).length !== 1) {
        throw new Error(`the test matcher does not support ${JSON.stringify(alternative)}`);
    }
    return typeof value === "string" && !value.startsWith(anythingBut.prefix);
}
