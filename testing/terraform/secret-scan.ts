/**
 * Finds anything in a Terraform artefact that could be a real secret, so that no generated file
 * is ever written (or stays committed) with one:
 *
 * - every value Terraform marks sensitive must be one of the fixture's fake test values (a string
 *   carrying FAKE_VALUE_MARKER, or a string that contains one, such as a container definition
 *   with the fake JWT value), the application's base URL (APP_BASE_URL, which the provider marks
 *   sensitive), null, or a boolean;
 * - the values of the variables the configuration declares sensitive (a plan holds them in
 *   plaintext under `variables`), likewise;
 * - nothing anywhere looks like an AWS access key id other than the documented example key moto
 *   is given (MOTO_CREDENTIALS), or
 *   like a PEM private key.
 *
 * Where Terraform records sensitivity (Terraform docs, "JSON Output Format"; state v4 as
 * Terraform 1.x writes it):
 * - `show -json` of a plan: `resource_changes[].change.{before,after}_sensitive` mirror
 *   `before`/`after` with `true` at each sensitive value; `planned_values` and
 *   `prior_state.values` are module trees whose resources have `values` and `sensitive_values`;
 *   `configuration.root_module.variables[name].sensitive`;
 * - `show -json` of a state: `values.root_module` (that module tree), `values.outputs[].sensitive`;
 * - a v4 state file: `resources[].instances[].attributes` with `sensitive_attributes`, a list of
 *   paths, each a list of steps `{type: "get_attr" | "index", value}`; `outputs[].sensitive`.
 */
import { MOTO_CREDENTIALS } from "../moto-server";
import { APP_BASE_URL, ArtefactFormat, FAKE_VALUE_MARKER } from "./artefacts";

type Json = unknown;

interface SensitiveValue {
    readonly path: string;
    readonly value: Json;
}

/** The problems found in one artefact, each naming the JSON path (never the value). */
export function secretFindings(text: string, format: ArtefactFormat): string[] {
    const findings = credentialShapes(text);
    if (format === "moto-recording") {
        return [...findings, ...recordedSecretFindings(text)];
    }
    const document = JSON.parse(text) as Json;
    for (const { path, value } of sensitiveValues(document, format)) {
        if (!isFakeOrHarmless(value)) {
            findings.push(`${path} is marked sensitive and is not a fake test value`);
        }
    }
    return findings;
}

/**
 * A recording holds request bodies as sent: the only secret values in them must be the fake ones
 * (the JWT value in CreateSecret/PutSecretValue bodies).
 */
function recordedSecretFindings(text: string): string[] {
    const findings: string[] = [];
    for (const [index, line] of text.split("\n").filter(Boolean).entries()) {
        const entry = JSON.parse(line) as { body?: string; body_encoded?: boolean };
        const body = entry.body_encoded && entry.body ? Buffer.from(entry.body, "base64").toString("utf8") : entry.body ?? "";
        const secret = /"SecretString"\s*:\s*"([^"]*)"/.exec(body)?.[1] ?? /(?:^|&)(?:MasterUserPassword|Password)=([^&]*)/.exec(body)?.[1];
        if (secret !== undefined && !decodeURIComponent(secret).includes(FAKE_VALUE_MARKER)) {
            findings.push(`request ${index + 1} sends a secret value that is not a fake test value`);
        }
    }
    return findings;
}

/** Strings shaped like real credentials, anywhere in the text. */
export function credentialShapes(text: string): string[] {
    const findings: string[] = [];
    for (const match of text.matchAll(/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g)) {
        if (match[0] !== MOTO_CREDENTIALS.accessKeyId) {
            findings.push(`an AWS access key id at character ${match.index}`);
        }
    }
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
        findings.push("a PEM private key");
    }
    return findings;
}

function isFakeOrHarmless(value: Json): boolean {
    if (value === null || value === undefined || typeof value === "boolean" || value === "" || value === APP_BASE_URL) {
        return true;
    }
    if (typeof value === "string") {
        return value.includes(FAKE_VALUE_MARKER);
    }
    if (Array.isArray(value)) {
        return value.every(isFakeOrHarmless);
    }
    if (typeof value === "object") {
        return Object.values(value as Record<string, Json>).every(isFakeOrHarmless);
    }
    return false;
}

/** Every value the artefact marks sensitive, with its JSON path. */
export function sensitiveValues(document: Json, format: ArtefactFormat): SensitiveValue[] {
    const doc = document as Record<string, Json>;
    const found: SensitiveValue[] = [];
    switch (format) {
        case "tfstate-v4":
            for (const [r, resource] of asArray(doc.resources).entries()) {
                for (const [i, instance] of asArray(field(resource, "instances")).entries()) {
                    for (const steps of asArray(field(instance, "sensitive_attributes"))) {
                        const at = followSteps(field(instance, "attributes"), asArray(steps));
                        found.push({ path: `resources[${r}].instances[${i}].attributes${at.path}`, value: at.value });
                    }
                }
            }
            found.push(...sensitiveOutputs(doc.outputs, "outputs"));
            break;
        case "show-json-state":
            found.push(...moduleTree(field(doc.values, "root_module"), "values.root_module"));
            found.push(...sensitiveOutputs(field(doc.values, "outputs"), "values.outputs"));
            break;
        case "show-json-plan": {
            for (const [i, change] of asArray(doc.resource_changes).entries()) {
                for (const side of ["before", "after"]) {
                    const values = field(field(change, "change"), side);
                    const marks = field(field(change, "change"), `${side}_sensitive`);
                    found.push(...marked(values, marks, `resource_changes[${i}].change.${side}`));
                }
            }
            found.push(...moduleTree(field(doc.planned_values, "root_module"), "planned_values.root_module"));
            found.push(...moduleTree(field(field(doc.prior_state, "values"), "root_module"), "prior_state.values.root_module"));
            const declared = field(field(doc.configuration, "root_module"), "variables") as Record<string, Json> | undefined;
            for (const [name, declaration] of Object.entries(declared ?? {})) {
                if (field(declaration, "sensitive") === true) {
                    found.push({ path: `variables.${name}.value`, value: field(field(doc.variables, name), "value") });
                }
            }
            break;
        }
    }
    return found;
}

/** A `show -json` module tree: each resource's `values` at the places its `sensitive_values` mark. */
function moduleTree(module: Json, path: string): SensitiveValue[] {
    const found: SensitiveValue[] = [];
    for (const [i, resource] of asArray(field(module, "resources")).entries()) {
        found.push(...marked(field(resource, "values"), field(resource, "sensitive_values"), `${path}.resources[${i}].values`));
    }
    for (const [i, child] of asArray(field(module, "child_modules")).entries()) {
        found.push(...moduleTree(child, `${path}.child_modules[${i}]`));
    }
    return found;
}

/** The values at every `true` of a sensitivity mask that mirrors them. */
function marked(values: Json, marks: Json, path: string): SensitiveValue[] {
    if (marks === true) {
        return [{ path, value: values }];
    }
    if (marks === null || typeof marks !== "object") {
        return [];
    }
    return Object.entries(marks as Record<string, Json>).flatMap(([key, mark]) =>
        marked(field(values, key), mark, Array.isArray(marks) ? `${path}[${key}]` : `${path}.${key}`));
}

function sensitiveOutputs(outputs: Json, path: string): SensitiveValue[] {
    return Object.entries((outputs ?? {}) as Record<string, Json>)
        .filter(([, output]) => field(output, "sensitive") === true)
        .map(([name, output]) => ({ path: `${path}.${name}.value`, value: field(output, "value") }));
}

function followSteps(attributes: Json, steps: readonly Json[]): SensitiveValue {
    let value = attributes;
    let path = "";
    for (const step of steps) {
        const key = field(step, "value") as string | number;
        value = field(value, String(key));
        path += field(step, "type") === "index" ? `[${JSON.stringify(key)}]` : `.${key}`;
    }
    return { path, value };
}

function field(value: Json, key: string): Json {
    return value !== null && typeof value === "object" ? (value as Record<string, Json>)[key] : undefined;
}

function asArray(value: Json): Json[] {
    return Array.isArray(value) ? value : [];
}
