/**
 * Pulumi's secret envelopes as the policies see them. A stack export holds a secret as
 * `{SIGNATURE_KEY: SECRET_SIGNATURE, ciphertext}` (or `plaintext`, the JSON of the value, with
 * `--show-secrets`); the wire format as `{..., value}`. Pure: no Pulumi calls.
 */
import { SECRET_SIGNATURE, SIGNATURE_KEY } from "./pulumi-markers";
import { EncryptedValue } from "./unknowns";

function isSecretEnvelope(record: Record<string, unknown>): boolean {
    return record[SIGNATURE_KEY] === SECRET_SIGNATURE;
}

/**
 * Replaces secret envelopes with their value: `plaintext` (JSON) is decoded, `value` taken as it
 * is, `ciphertext` becomes EncryptedValue (present, unreadable). Copy-on-write: unchanged
 * subtrees are shared. Throws when a plaintext is not JSON (without quoting it).
 */
export function decodeSecrets(value: unknown): unknown {
    if (typeof value !== "object" || value === null) {
        return value;
    }
    if (Array.isArray(value)) {
        let copy: unknown[] | undefined;
        for (let i = 0; i < value.length; i++) {
            const decoded = decodeSecrets(value[i]);
            if (decoded !== value[i]) {
                copy ??= value.slice();
                copy[i] = decoded;
            }
        }
        return copy ?? value;
    }
    const record = value as Record<string, unknown>;
    if (isSecretEnvelope(record)) {
        return decodeEnvelope(record);
    }
    let copy: Record<string, unknown> | undefined;
    for (const key in record) {
        const decoded = decodeSecrets(record[key]);
        if (decoded !== record[key]) {
            copy ??= { ...record };
            copy[key] = decoded;
        }
    }
    return copy ?? record;
}

function decodeEnvelope(envelope: Record<string, unknown>): unknown {
    if (typeof envelope.plaintext === "string") {
        try {
            return decodeSecrets(JSON.parse(envelope.plaintext));
        } catch {
            throw new Error("a secret envelope's plaintext is not valid JSON");
        }
    }
    if ("value" in envelope) {
        return decodeSecrets(envelope.value);
    }
    return EncryptedValue.instance;
}

/** True when `value` holds a secret that decodeSecrets can only turn into EncryptedValue (stops at the first). */
export function holdsEncryptedSecret(value: unknown): boolean {
    if (typeof value !== "object" || value === null) {
        return false;
    }
    if (Array.isArray(value)) {
        return value.some(holdsEncryptedSecret);
    }
    const record = value as Record<string, unknown>;
    if (isSecretEnvelope(record)) {
        return typeof record.plaintext !== "string" && ("value" in record ? holdsEncryptedSecret(record.value) : true);
    }
    for (const key in record) {
        if (holdsEncryptedSecret(record[key])) {
            return true;
        }
    }
    return false;
}
