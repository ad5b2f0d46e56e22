/**
 * The IAM rules: no statement that grants every Secrets Manager action, and no identity-policy
 * statement on every resource. Both read every place a policy document can sit and fail closed
 * on a document they cannot parse.
 */
import {
    PolicyDocument, PolicyDocumentError, PolicyStatement, actionsCoveredBy, describeStatement,
    isAnyResourcePattern, parsePolicyDocument,
} from "../lib/iam-document";
import type { InputTerms } from "../lib/input-terms";
import { SECRETS_MANAGER_ACTIONS, acceptsOnlyAnyResource } from "../lib/service-reference";
import { OpaquePaths } from "../lib/unknowns";
import * as types from "./resource-types";
import { CheckedResource, lowerCaseSet, resourcePolicy } from "./support";

/** Types whose documents are identity-based policies (attached to a principal). */
const IDENTITY_POLICY_TYPES = [...types.IDENTITY_POLICY_DOCUMENTS.keys()];
/** Types whose documents are resource policies (attached to a secret). */
const RESOURCE_POLICY_TYPES = [...types.SECRET_RESOURCE_POLICY_DOCUMENTS.keys()];

export interface LocatedDocument {
    /** The property holding the document, e.g. `policy` or `inlinePolicies[0].policy`. */
    readonly where: string;
    readonly document: unknown;
}

/**
 * The policy documents of a resource, where its type keeps them (`types.IDENTITY_POLICY_DOCUMENTS`,
 * `types.SECRET_RESOURCE_POLICY_DOCUMENTS`): `policy`, a role's `inlinePolicies[].policy`,
 * aws-native's `policyDocument` or `policies[].policyDocument`. A role's trust policy is not a
 * grant and is not returned. Opaque ones included.
 */
export function policyDocumentsOf(resource: CheckedResource, opaque: OpaquePaths): LocatedDocument[] {
    const location = types.IDENTITY_POLICY_DOCUMENTS.get(resource.type) ?? types.SECRET_RESOURCE_POLICY_DOCUMENTS.get(resource.type);
    if (location === undefined) {
        return [];
    }
    const { property, entryProperty } = location;
    const value = resource.props[property];
    if (entryProperty === undefined) {
        return isAbsent(value) ? [] : [{ where: property, document: value }];
    }
    if (opaque.check(value, property) || !Array.isArray(value)) {
        return [];
    }
    return value.flatMap((entry: unknown, index) => {
        const where = `${property}[${index}]`;
        if (opaque.check(entry, where) || typeof entry !== "object" || entry === null) {
            return [];
        }
        const document = (entry as Record<string, unknown>)[entryProperty];
        // An entry without a document is how a program clears a role's inline policies.
        return isAbsent(document) ? [] : [{ where: `${where}.${entryProperty}`, document }];
    });
}

function isAbsent(document: unknown): boolean {
    return document === undefined || document === null || document === "";
}

/**
 * A rule over one policy document: `where` is the property holding it (a Pulumi path, for what
 * it cannot read), `said` the same in the input's terms (for its messages).
 */
type DocumentVerdict = (where: string, said: string, document: PolicyDocument, report: (message: string) => void, opaque: OpaquePaths) => void;

/** Runs a verdict on each document of a resource; an unreadable document is a violation. */
function checkDocuments(resource: CheckedResource, report: (message: string) => void, opaque: OpaquePaths, terms: InputTerms, verdict: DocumentVerdict): void {
    for (const { where, document } of policyDocumentsOf(resource, opaque)) {
        if (opaque.check(document, where)) {
            continue;
        }
        const said = terms.path(resource.type, where);
        let parsed: PolicyDocument;
        try {
            parsed = parsePolicyDocument(document);
        } catch (error) {
            if (!(error instanceof PolicyDocumentError)) {
                throw error;
            }
            report(`${said} cannot be parsed, so it cannot be shown to be safe: ${error.message}`);
            continue;
        }
        verdict(where, said, parsed, report, opaque);
    }
}

function opaqueAt(opaque: OpaquePaths, where: string, statement: PolicyStatement, element: string): void {
    opaque.add(`${where} Statement[${statement.index}].${element}`);
}

const ALL_SECRETS_MANAGER = SECRETS_MANAGER_ACTIONS.length;

const secretsManagerVerdict: DocumentVerdict = (where, said, document, report, opaque) => {
    let reported = false;
    const unionOfAllows = new Set<string>();
    for (const statement of document.statements) {
        if (statement.effect === "Deny") {
            continue;
        }
        const covered = actionsCoveredBy(statement, SECRETS_MANAGER_ACTIONS);
        const actionsOpaque = statement.opaqueElements.has("Action") || statement.opaqueElements.has("NotAction");
        // More Action patterns can only cover more; more NotAction patterns can only exclude more.
        const violates = statement.action !== undefined
            ? covered.length === ALL_SECRETS_MANAGER
            : covered.length > 0 && !actionsOpaque;
        const undecided = statement.action !== undefined ? actionsOpaque && !violates : actionsOpaque && covered.length > 0;
        if (statement.effect === undefined) {
            if (violates || undecided) {
                opaqueAt(opaque, where, statement, "Effect");
            }
            continue;
        }
        if (violates) {
            reported = true;
            report(statement.action !== undefined
                ? `${said}: ${describeStatement(statement)} allows every Secrets Manager action (Action ${JSON.stringify(statement.action)}); ` +
                  actionAdvice(statement)
                : `${said}: ${describeStatement(statement)} uses NotAction and leaves ${covered.length} Secrets Manager action(s) allowed ` +
                  `(${firstFew(covered)}); list the allowed actions under Action instead`);
        } else if (undecided) {
            opaqueAt(opaque, where, statement, statement.action !== undefined ? "Action" : "NotAction");
        }
        if (statement.action !== undefined) {
            covered.forEach((action) => unionOfAllows.add(action));
        }
    }
    // Splitting the grant over several statements is the same grant.
    if (!reported && unionOfAllows.size === ALL_SECRETS_MANAGER) {
        report(`${said}: its Allow statements together allow every Secrets Manager action; allow only the actions needed`);
    }
};

/**
 * What to allow instead, for the resources the statement names: the actions of their services
 * (an `Action: "*"` on a bucket wants S3 actions), or, for secrets or any resource, the Secrets
 * Manager actions needed.
 */
function actionAdvice(statement: PolicyStatement): string {
    const services = resourceServices(statement);
    if (services !== undefined && !services.includes("secretsmanager")) {
        return `its resources are ${services.join(", ")} resources: allow only the ${services.join(" and ")} actions they need`;
    }
    return "allow only the Secrets Manager actions needed, e.g. secretsmanager:GetSecretValue to read a secret";
}

/** The services whose resources a statement names (from its ARN patterns), or undefined when it may name any. */
function resourceServices(statement: PolicyStatement): string[] | undefined {
    const services = new Set<string>();
    for (const pattern of statement.resource ?? []) {
        const service = pattern.split(":")[2];
        if (service === undefined || service === "" || /[*?]/.test(service)) {
            return undefined;
        }
        services.add(service.toLowerCase());
    }
    return statement.resource === undefined || services.size === 0 ? undefined : [...services];
}

function firstFew(actions: readonly string[]): string {
    return actions.length <= 3 ? actions.join(", ") : `${actions.slice(0, 3).join(", ")}, ...`;
}

export const noSecretsManagerWildcard = resourcePolicy({
    name: "no-secretsmanager-wildcard",
    description: "No IAM or secret policy statement may allow every Secrets Manager action (secretsmanager:*, *, or a NotAction that leaves Secrets Manager actions allowed).",
    enforcementLevel: "mandatory",
    resourceTypes: [...IDENTITY_POLICY_TYPES, ...RESOURCE_POLICY_TYPES],
    check: (resource, _config, report, opaque, terms) => checkDocuments(resource, report, opaque, terms, secretsManagerVerdict),
});

export interface WildcardResourceConfig {
    /** Actions an organisation accepts on "*" besides those AWS cannot scope; statements made only of these may use "*". */
    exemptActions: string[];
}

function wildcardResourceVerdict(exemptActions: ReadonlySet<string>): DocumentVerdict {
    const unscopable = (action: string) => exemptActions.has(action.trim().toLowerCase()) || acceptsOnlyAnyResource(action.trim());
    return (where, said, document, report, opaque) => {
        for (const statement of document.statements) {
            if (statement.effect === "Deny") {
                continue;
            }
            const anyResource = statement.notResource !== undefined
                || (statement.resource ?? []).some(isAnyResourcePattern);
            // Actions that support no resource-level permissions accept only "*" (Service Authorization Reference).
            const scopable = anyResource && statement.action !== undefined ? statement.action.filter((action) => !unscopable(action)) : [];
            const exempt = anyResource && statement.action !== undefined && statement.action.length > 0 && scopable.length === 0;
            if (anyResource && !exempt) {
                if (statement.effect === undefined) {
                    opaqueAt(opaque, where, statement, "Effect");
                } else {
                    report(`${said}: ${describeStatement(statement)} allows ${statement.notResource !== undefined
                        ? `every resource except ${JSON.stringify(statement.notResource)} (NotResource)`
                        : `Resource ${JSON.stringify(statement.resource)}`}; name the resources (ARNs) it needs` +
                        (scopable.length > 0 ? ` for ${firstFew(scopable)}, which AWS can scope to a resource` : ""));
                }
            } else if (anyResource && statement.opaqueElements.has("Action")) {
                opaqueAt(opaque, where, statement, "Action");
            } else if (!anyResource && statement.opaqueElements.has("Resource")) {
                opaqueAt(opaque, where, statement, "Resource");
            }
        }
    };
}

export const noWildcardResource = resourcePolicy<WildcardResourceConfig>({
    name: "no-wildcard-resource",
    description: "No identity-based IAM policy statement may allow Resource \"*\" (or NotResource), except a statement of actions that support no resource-level permissions (Service Authorization Reference) or are listed in exemptActions.",
    enforcementLevel: "mandatory",
    resourceTypes: IDENTITY_POLICY_TYPES,
    config: {
        schema: {
            exemptActions: {
                type: "array",
                items: { type: "string" },
                description: "More actions a Resource \"*\" statement may contain, beyond those AWS cannot scope to a resource (compared case-insensitively).",
                default: [],
            },
        },
        defaults: { exemptActions: [] },
    },
    check: (resource, config, report, opaque, terms) =>
        checkDocuments(resource, report, opaque, terms, wildcardResourceVerdict(lowerCaseSet(config.exemptActions))),
});

export const iamPolicies = [noSecretsManagerWildcard, noWildcardResource];
