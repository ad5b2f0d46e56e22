/**
 * IAM policy documents as IAM evaluates them, for the policy pack's checks. Pure: no Pulumi calls.
 *
 * Normalises every valid shape to one form: the document may be a JSON string or an object,
 * `Statement` one object or a list, and `Action`/`NotAction`/`Resource`/`NotResource` a string or
 * a list. Anything IAM would reject (or that this module cannot read) is a PolicyDocumentError,
 * so callers can fail closed. Values unknown during preview (or encrypted, in the offline audit)
 * are kept out of the lists and named in `opaquePaths`, so a check can judge what is known and
 * say what it could not.
 */
import { describeValue, isOpaque } from "./unknowns";

export type Effect = "Allow" | "Deny";

export type StatementElement = "Effect" | "Action" | "NotAction" | "Resource" | "NotResource" | "Principal" | "NotPrincipal";

/**
 * The principals a resource policy statement (a key policy's, a secret's) names: AWS principals
 * (account IDs, `arn:<partition>:iam::<account>:root`, role and user ARNs; `"*"` for everyone, as
 * `Principal: "*"` is), and whether it names any principal of another kind (a service, a federated
 * or canonical user). Unreadable shapes count as another kind: they name no IAM role.
 */
export interface Principals {
    readonly aws: readonly string[];
    readonly others: boolean;
}

export interface PolicyStatement {
    /** Position in the document's statement list (0-based). */
    readonly index: number;
    readonly sid?: string;
    /** Undefined only when the effect is opaque. */
    readonly effect?: Effect;
    readonly action?: readonly string[];
    readonly notAction?: readonly string[];
    readonly resource?: readonly string[];
    readonly notResource?: readonly string[];
    readonly hasCondition: boolean;
    /** The Condition element (operator -> condition key -> value or values), when it is a readable object. */
    readonly condition?: Readonly<Record<string, unknown>>;
    /** Principal / NotPrincipal, in resource policies. */
    readonly principal?: Principals;
    readonly notPrincipal?: Principals;
    /** Elements holding a value that cannot be read (unknown during preview, encrypted). */
    readonly opaqueElements: ReadonlySet<StatementElement>;
}

export interface PolicyDocument {
    readonly statements: readonly PolicyStatement[];
    /** Paths (e.g. `Statement[1].Resource`) of values that cannot be read; empty when fully known. */
    readonly opaquePaths: readonly string[];
}

export class PolicyDocumentError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyDocumentError";
    }
}

const parsedDocuments = new Map<string, PolicyDocument | PolicyDocumentError>();

/**
 * Parses and normalises a policy document. Throws PolicyDocumentError on an invalid one.
 * The result is immutable and, for JSON strings, shared between callers: several policies read
 * the same documents.
 */
export function parsePolicyDocument(document: unknown): PolicyDocument {
    if (typeof document !== "string") {
        return parseDocument(document);
    }
    let parsed = parsedDocuments.get(document);
    if (parsed === undefined) {
        try {
            parsed = parseDocument(document);
        } catch (error) {
            if (!(error instanceof PolicyDocumentError)) {
                throw error;
            }
            parsed = error;
        }
        remember(parsedDocuments, document, parsed);
    }
    if (parsed instanceof PolicyDocumentError) {
        throw parsed;
    }
    return parsed;
}

function parseDocument(document: unknown): PolicyDocument {
    const root = typeof document === "string" ? parseJson(document) : document;
    if (!isPlainObject(root)) {
        throw new PolicyDocumentError(`a policy document must be a JSON object, got ${describeType(root)}`);
    }
    const opaquePaths: string[] = [];
    const statementValue = root.Statement;
    if (isOpaque(statementValue)) {
        return { statements: [], opaquePaths: ["Statement"] };
    }
    if (statementValue === undefined) {
        throw new PolicyDocumentError("a policy document must have a Statement");
    }
    const rawStatements = Array.isArray(statementValue) ? statementValue : [statementValue];
    const statements = rawStatements.map((raw, index) => parseStatement(raw, index, opaquePaths));
    return { statements, opaquePaths };
}

const NO_OPAQUE_ELEMENTS: ReadonlySet<StatementElement> = new Set();

function parseStatement(raw: unknown, index: number, opaquePaths: string[]): PolicyStatement {
    const where = `Statement[${index}]`;
    if (isOpaque(raw)) {
        opaquePaths.push(where);
        return { index, hasCondition: false, opaqueElements: new Set(["Effect", "Action", "Resource"]) };
    }
    if (!isPlainObject(raw)) {
        throw new PolicyDocumentError(`${where} must be an object, got ${describeType(raw)}`);
    }
    // Most statements are fully known: they share one empty set.
    let opaqueElements: Set<StatementElement> | undefined;
    const noteOpaque = (element: StatementElement): void => {
        const elements = opaqueElements === undefined ? (opaqueElements = new Set()) : opaqueElements;
        elements.add(element);
        opaquePaths.push(`${where}.${element}`);
    };
    let effect: Effect | undefined;
    if (isOpaque(raw.Effect)) {
        noteOpaque("Effect");
    } else if (raw.Effect === "Allow" || raw.Effect === "Deny") {
        effect = raw.Effect;
    } else {
        throw new PolicyDocumentError(`${where}.Effect must be "Allow" or "Deny", got ${describeValue(raw.Effect)}`);
    }
    const [actionElement, actions] = exactlyOne(raw, "Action", "NotAction", where, noteOpaque);
    const [resourceElement, resources] = exactlyOne(raw, "Resource", "NotResource", where, noteOpaque);
    // Assigned key by key: conditional object spreads are several times slower, and this runs per statement.
    const statement: { -readonly [K in keyof PolicyStatement]: PolicyStatement[K] } = {
        index, hasCondition: raw.Condition !== undefined, opaqueElements: NO_OPAQUE_ELEMENTS,
    };
    if (typeof raw.Sid === "string") {
        statement.sid = raw.Sid;
    }
    if (effect !== undefined) {
        statement.effect = effect;
    }
    if (actionElement === "Action") {
        statement.action = actions;
    } else {
        statement.notAction = actions;
    }
    if (resourceElement === "Resource") {
        statement.resource = resources;
    } else {
        statement.notResource = resources;
    }
    if (isPlainObject(raw.Condition)) {
        statement.condition = raw.Condition;
    }
    if (raw.Principal !== undefined) {
        statement.principal = principals(raw.Principal, () => noteOpaque("Principal"));
    }
    if (raw.NotPrincipal !== undefined) {
        statement.notPrincipal = principals(raw.NotPrincipal, () => noteOpaque("NotPrincipal"));
    }
    if (opaqueElements !== undefined) {
        statement.opaqueElements = opaqueElements;
    }
    return statement;
}

/** A Principal element (`"*"`, or `{AWS, Service, Federated, CanonicalUser}` of strings or lists) as Principals. */
function principals(value: unknown, onOpaque: () => void): Principals {
    if (isOpaque(value)) {
        onOpaque();
        return { aws: [], others: false };
    }
    if (value === "*") {
        return { aws: ["*"], others: false };
    }
    if (!isPlainObject(value)) {
        return { aws: [], others: true };
    }
    const aws: string[] = [];
    let others = false;
    for (const [kind, names] of Object.entries(value)) {
        if (kind !== "AWS") {
            others = true;
            continue;
        }
        for (const name of Array.isArray(names) ? names : [names]) {
            if (isOpaque(name)) {
                onOpaque();
            } else if (typeof name === "string") {
                aws.push(name);
            } else {
                others = true;
            }
        }
    }
    return { aws, others };
}

function exactlyOne<E extends StatementElement>(
    raw: Record<string, unknown>, positive: E, negative: E, where: string, noteOpaque: (element: E) => void,
): [E, string[]] {
    const hasPositive = raw[positive] !== undefined;
    const hasNegative = raw[negative] !== undefined;
    if (hasPositive === hasNegative) {
        throw new PolicyDocumentError(`${where} must have exactly one of ${positive} and ${negative}`);
    }
    const element = hasPositive ? positive : negative;
    return [element, stringList(raw[element], `${where}.${element}`, () => noteOpaque(element))];
}

/** A string-or-list element as a list of its known strings; opaque entries are reported, not kept. */
function stringList(value: unknown, where: string, onOpaque: () => void): string[] {
    if (isOpaque(value)) {
        onOpaque();
        return [];
    }
    const entries = Array.isArray(value) ? value : [value];
    const known: string[] = [];
    for (const entry of entries) {
        if (isOpaque(entry)) {
            onOpaque();
        } else if (typeof entry === "string") {
            known.push(entry);
        } else {
            throw new PolicyDocumentError(`${where} must be a string or a list of strings, found ${describeType(entry)}`);
        }
    }
    return known;
}

function parseJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch (error) {
        throw new PolicyDocumentError(`the policy document is not valid JSON (${(error as Error).message})`);
    }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describeType(value: unknown): string {
    return value === null ? "null" : Array.isArray(value) ? "a list" : `a ${typeof value}`;
}

/**
 * `Statement[1] (Sid "ReadSecrets")`: how messages name a statement, numbered from 0 as the
 * document's JSON path (and parse errors, and the paths of unknown values) number it.
 */
export function describeStatement(statement: PolicyStatement): string {
    const sid = statement.sid ? ` (Sid "${statement.sid}")` : "";
    return `Statement[${statement.index}]${sid}`;
}

// Wildcard patterns compile to regular expressions once; a stack repeats the same few patterns.
// The caches are bounded so a long-lived process cannot grow them without limit.
const CACHE_LIMIT = 10_000;
const caseInsensitivePatterns = new Map<string, RegExp>();
const caseSensitivePatterns = new Map<string, RegExp>();

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
    if (cache.size >= CACHE_LIMIT) {
        cache.clear();
    }
    cache.set(key, value);
    return value;
}

/**
 * IAM wildcard matching: `*` matches any run of characters (also none, also across `:` and `/`),
 * `?` exactly one. Action names compare case-insensitively; ARNs case-sensitively.
 */
export function matchesPattern(pattern: string, value: string, caseInsensitive: boolean): boolean {
    if (pattern === "*") {
        return true;
    }
    // Most patterns are literal ARNs or action names: compare them without a regular expression.
    if (!pattern.includes("*") && !pattern.includes("?")) {
        return pattern.length === value.length
            && (pattern === value || (caseInsensitive && pattern.toLowerCase() === value.toLowerCase()));
    }
    const cache = caseInsensitive ? caseInsensitivePatterns : caseSensitivePatterns;
    const regex = cache.get(pattern) ?? remember(cache, pattern, new RegExp(
        `^${pattern.replace(/[.+^${}()|[\]\\*?]/g, (c) => (c === "*" ? ".*" : c === "?" ? "." : `\\${c}`))}$`,
        caseInsensitive ? "is" : "s"));
    return regex.test(value);
}

export function actionMatches(pattern: string, action: string): boolean {
    return matchesPattern(pattern, action, true);
}

export function resourceMatches(pattern: string, arn: string): boolean {
    return matchesPattern(pattern, arn, false);
}

/**
 * Whether some string matches both IAM patterns (`*` any run of characters, `?` one character),
 * compared case-sensitively as ARNs are: e.g. whether a Resource pattern may name a resource whose
 * ARN is itself only known as a pattern. Linear in the product of the lengths.
 */
export function patternsOverlap(a: string, b: string): boolean {
    const width = b.length + 1;
    const seen = new Uint8Array((a.length + 1) * width);
    const pending: number[] = [0];
    while (pending.length > 0) {
        const state = pending.pop()!;
        if (seen[state] === 1) {
            continue;
        }
        seen[state] = 1;
        const i = Math.floor(state / width);
        const j = state % width;
        if (i === a.length && j === b.length) {
            return true;
        }
        const ca = a[i];
        const cb = b[j];
        // A star may match nothing, or take one more character of whatever the other pattern matches next.
        if (ca === "*") {
            pending.push(state + width);
            if (j < b.length) {
                pending.push(state + 1);
            }
        }
        if (cb === "*") {
            pending.push(state + 1);
            if (i < a.length) {
                pending.push(state + width);
            }
        }
        if (i < a.length && j < b.length && ca !== "*" && cb !== "*" && (ca === "?" || cb === "?" || ca === cb)) {
            pending.push(state + width + 1);
        }
    }
    return false;
}

/**
 * The actions of `universe` the statement's Action/NotAction covers, ignoring its effect.
 * Opaque entries count as matching nothing: callers check `opaqueElements` before trusting a "no".
 */
export function actionsCoveredBy(statement: PolicyStatement, universe: readonly string[]): string[] {
    const patterns = statement.action ?? statement.notAction ?? [];
    const wanted = statement.action !== undefined;
    let matched: boolean[] | undefined;
    for (const pattern of patterns) {
        const matches = patternCoverage(pattern, universe);
        if (matches === undefined) {
            continue;
        }
        const covered = matched === undefined ? (matched = new Array<boolean>(universe.length).fill(false)) : matched;
        for (let i = 0; i < universe.length; i++) {
            covered[i] = covered[i] || matches[i];
        }
    }
    // Most statements name no action of the universe: no per-action work for them.
    const covered = matched;
    if (covered === undefined) {
        return wanted ? [] : universe.slice();
    }
    return universe.filter((_, i) => covered[i] === wanted);
}

// Which actions of a universe (e.g. all of Secrets Manager) each pattern matches, per universe.
interface Universe {
    /** What every action of the universe starts with, lower-cased ("secretsmanager:"). */
    readonly commonPrefix: string;
    /** Coverage of the patterns that may match some action; the others are never stored. */
    readonly coverage: Map<string, readonly boolean[] | undefined>;
}
const universes = new WeakMap<readonly string[], Universe>();

function universeOf(actions: readonly string[]): Universe {
    let universe = universes.get(actions);
    if (universe === undefined) {
        const lower = actions.map((action) => action.toLowerCase());
        let commonPrefix = lower[0] ?? "";
        for (const action of lower) {
            while (!action.startsWith(commonPrefix)) {
                commonPrefix = commonPrefix.slice(0, -1);
            }
        }
        universe = { commonPrefix, coverage: new Map() };
        universes.set(actions, universe);
    }
    return universe;
}

/** The actions of the universe the pattern matches, or undefined when it matches none of them. */
function patternCoverage(pattern: string, actions: readonly string[]): readonly boolean[] | undefined {
    const universe = universeOf(actions);
    // Most patterns name another service ("ec2:Describe*"): their literal prefix rules them out at once.
    if (!mayShareLiteralPrefix(pattern, universe.commonPrefix)) {
        return undefined;
    }
    let coverage = universe.coverage.get(pattern);
    if (coverage === undefined && !universe.coverage.has(pattern)) {
        const matches = actions.map((action) => actionMatches(pattern, action));
        coverage = remember(universe.coverage, pattern, matches.includes(true) ? matches : undefined);
    }
    return coverage;
}

/**
 * Whether the pattern's text before its first wildcard and `lowerPrefix` agree (case-insensitively)
 * as far as both go, i.e. whether the pattern can match a value starting with `lowerPrefix`.
 * Compares ASCII characters in place, without allocating; a non-ASCII character is left to the
 * regular expression (answers "maybe").
 */
function mayShareLiteralPrefix(pattern: string, lowerPrefix: string): boolean {
    const length = Math.min(pattern.length, lowerPrefix.length);
    for (let i = 0; i < length; i++) {
        const code = pattern.charCodeAt(i);
        if (code === 0x2a /* * */ || code === 0x3f /* ? */ || code > 0x7f) {
            return true;
        }
        const lower = code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
        if (lower !== lowerPrefix.charCodeAt(i)) {
            return false;
        }
    }
    return true;
}

/** Whether the pattern's text before its first wildcard is a prefix of `text` (case-sensitively), compared in place. */
function literalPrefixWithin(pattern: string, text: string): boolean {
    for (let i = 0; i < pattern.length; i++) {
        const code = pattern.charCodeAt(i);
        if (code === 0x2a /* * */ || code === 0x3f /* ? */) {
            return true;
        }
        if (code !== text.charCodeAt(i)) {
            return false;
        }
    }
    return true;
}

/** Whether the statement's Action/NotAction covers one action. */
export function coversAction(statement: PolicyStatement, action: string): boolean {
    if (statement.action !== undefined) {
        return statement.action.some((pattern) => actionMatches(pattern, action));
    }
    return !(statement.notAction ?? []).some((pattern) => actionMatches(pattern, action));
}

/** Whether the statement's Resource/NotResource covers one ARN. */
export function coversResource(statement: PolicyStatement, arn: string): boolean {
    if (statement.resource !== undefined) {
        return statement.resource.some((pattern) => resourceMatches(pattern, arn));
    }
    return !(statement.notResource ?? []).some((pattern) => resourceMatches(pattern, arn));
}

/**
 * What is known of a request's condition keys, by lower-cased key name (IAM compares condition
 * key names case-insensitively; IAM User Guide, "IAM JSON policy elements: Condition"), e.g.
 * `kms:viaservice` -> `secretsmanager.eu-west-1.amazonaws.com`. A key absent here is not known.
 */
export type RequestContext = ReadonlyMap<string, string>;

/**
 * Whether a statement's Condition holds for a request: true or false when every key it tests is
 * in `context` and every operator is one of the string operators (`StringEquals`,
 * `StringNotEquals`, `StringLike`, `StringNotLike` and their `IgnoreCase`/`IfExists` forms, also
 * behind `ForAnyValue:`/`ForAllValues:`, which test a single-valued key the same way); false as soon
 * as one known test fails; undefined (cannot tell) otherwise. A statement without a Condition holds.
 */
export function conditionHolds(statement: PolicyStatement, context?: RequestContext): boolean | undefined {
    if (!statement.hasCondition) {
        return true;
    }
    if (statement.condition === undefined || context === undefined) {
        return undefined;
    }
    let holds: boolean | undefined = true;
    for (const [operator, tests] of Object.entries(statement.condition)) {
        if (!isPlainObject(tests)) {
            return undefined;
        }
        for (const [key, expected] of Object.entries(tests)) {
            const actual = context.get(key.toLowerCase());
            const result = actual === undefined ? undefined : stringConditionHolds(operator, actual, expected);
            if (result === false) {
                return false;
            }
            if (result === undefined) {
                holds = undefined;
            }
        }
    }
    return holds;
}

const STRING_OPERATOR = /^(?:ForAnyValue:|ForAllValues:)?String(Not)?(Equals|EqualsIgnoreCase|Like)(?:IfExists)?$/;

function stringConditionHolds(operator: string, actual: string, expected: unknown): boolean | undefined {
    const match = STRING_OPERATOR.exec(operator);
    const values = Array.isArray(expected) ? expected : [expected];
    // A policy variable (`${aws:username}`) or an unreadable value cannot be compared here.
    if (match === null || !values.every((value) => typeof value === "string" && !isOpaque(value) && !value.includes("${"))) {
        return undefined;
    }
    const [, negated, comparison] = match;
    const matches = (values as string[]).some((value) => (comparison === "Like" ? matchesPattern(value, actual, false)
        : comparison === "EqualsIgnoreCase" ? value.toLowerCase() === actual.toLowerCase() : value === actual));
    return negated === undefined ? matches : !matches;
}

/**
 * Whether identity-policy statements allow `action` on `arn`: some Allow covers both and no Deny
 * does (IAM policy evaluation logic, IAM User Guide: an explicit Deny overrides any Allow; without
 * an Allow the request is denied). Conditions are judged by `conditionHolds` against `context`:
 * an Allow whose condition may hold is given the benefit of the doubt, and a Deny applies only when
 * its condition surely holds (always, without a context, for a Deny without a condition).
 */
export function allowsAction(statements: readonly PolicyStatement[], action: string, arn: string, context?: RequestContext): boolean {
    return statements.some((statement) => statement.effect === "Allow" && coversAction(statement, action) && coversResource(statement, arn)
        && conditionHolds(statement, context) !== false)
        && !deniesAction(statements, action, arn, context);
}

/** Whether a Deny of the statements surely applies to `action` on `arn` (see `allowsAction`). */
export function deniesAction(statements: readonly PolicyStatement[], action: string, arn: string, context?: RequestContext): boolean {
    return statements.some((statement) => statement.effect === "Deny" && coversAction(statement, action) && coversResource(statement, arn)
        && conditionHolds(statement, context) === true);
}

// ARNs of unrelated services and shapes: a pattern matching all of them matches any resource.
const RESOURCE_PROBES = [
    "arn:aws:s3:::example-bucket/key",
    "arn:aws:iam::123456789012:role/example",
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:example-AbCdEf",
    "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0",
];

/** `"*"`, and look-alikes such as `"arn:aws:*"` or `"arn:*:*:*:*:*"` that match any resource. */
const PROBES_PREFIX = "arn:aws:";
const anyResourcePatterns = new Map<string, boolean>();

export function isAnyResourcePattern(pattern: string): boolean {
    // A pattern matching every probe starts with what they all start with (at most "arn:aws:").
    if (!pattern.includes("*") || !literalPrefixWithin(pattern, PROBES_PREFIX)) {
        return false;
    }
    return anyResourcePatterns.get(pattern)
        ?? remember(anyResourcePatterns, pattern, RESOURCE_PROBES.every((probe) => resourceMatches(pattern, probe)));
}

/**
 * Whether a role trust policy (`assumeRolePolicy`) lets an AWS service principal assume the role,
 * e.g. `ecs-tasks.amazonaws.com`. Trust policies have no Resource, so they are read here rather
 * than through parsePolicyDocument; an unreadable one trusts nobody we can see.
 */
export function trustsServicePrincipal(document: unknown, service: string): boolean {
    let root: unknown = document;
    if (typeof document === "string") {
        try {
            root = JSON.parse(document);
        } catch {
            return false;
        }
    }
    if (!isPlainObject(root)) {
        return false;
    }
    const statements = Array.isArray(root.Statement) ? root.Statement : [root.Statement];
    return statements.some((statement) => {
        if (!isPlainObject(statement) || statement.Effect !== "Allow" || !isPlainObject(statement.Principal)) {
            return false;
        }
        const services = statement.Principal.Service;
        return (Array.isArray(services) ? services : [services]).some((s) => typeof s === "string" && s.toLowerCase() === service);
    });
}
