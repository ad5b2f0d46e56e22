import { createCipheriv, randomBytes } from "crypto";
import { RESOURCE_REFERENCE_SIGNATURE, SECRET_SIGNATURE, SIGNATURE_KEY, UNKNOWN_VALUE } from "../../policy-pack/lib/pulumi-markers";

export { RESOURCE_REFERENCE_SIGNATURE, SECRET_SIGNATURE, SIGNATURE_KEY, UNKNOWN_VALUE };

/** A secret as `pulumi stack export` writes it: never the value, only its ciphertext. */
export interface SecretEnvelope {
    [SIGNATURE_KEY]: typeof SECRET_SIGNATURE;
    ciphertext: string;
}

/** A secret as the SDK sends it to the engine: the plain value inside a signature object. */
export interface WireSecret {
    [SIGNATURE_KEY]: typeof SECRET_SIGNATURE;
    value: unknown;
}

/**
 * A secret as `pulumi stack export --show-secrets` writes it. Only ever built in memory, for
 * the policy pack, which (like CrossGuard during `pulumi preview`) must see secret values.
 */
export interface PlaintextSecretEnvelope {
    [SIGNATURE_KEY]: typeof SECRET_SIGNATURE;
    plaintext: string;
}

export type Sealer = (value: unknown) => SecretEnvelope | PlaintextSecretEnvelope;

export function isWireSecret(value: unknown): value is WireSecret {
    return hasSignature(value, SECRET_SIGNATURE) && "value" in value;
}

export function wireSecret(value: unknown): WireSecret {
    return { [SIGNATURE_KEY]: SECRET_SIGNATURE, value };
}

export function isSecretEnvelope(value: unknown): value is SecretEnvelope {
    return hasSignature(value, SECRET_SIGNATURE) && typeof (value as { ciphertext?: unknown }).ciphertext === "string";
}

export function hasSignature(value: unknown, signature: string): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIGNATURE_KEY] === signature;
}

/**
 * Seals values with AES-256-GCM under a random key that lives only in this closure and is
 * never written anywhere. There is no secrets provider offline, and a fake "encryption" would
 * invite someone to treat the export as decryptable; this ciphertext is real and nobody,
 * including this tool, can ever decrypt it. The layout follows Pulumi's own symmetric crypter:
 * `v1:<base64 nonce>:<base64 ciphertext+tag>` of the JSON-encoded value.
 */
export function createThrowawaySealer(): (value: unknown) => SecretEnvelope {
    const key = randomBytes(32);
    return (value) => {
        const nonce = randomBytes(12);
        const cipher = createCipheriv("aes-256-gcm", key, nonce);
        const encrypted = Buffer.concat([cipher.update(JSON.stringify(value ?? null), "utf8"), cipher.final(), cipher.getAuthTag()]);
        return {
            [SIGNATURE_KEY]: SECRET_SIGNATURE,
            ciphertext: `v1:${nonce.toString("base64")}:${encrypted.toString("base64")}`,
        };
    };
}

export function plaintextEnvelope(value: unknown): PlaintextSecretEnvelope {
    return { [SIGNATURE_KEY]: SECRET_SIGNATURE, plaintext: JSON.stringify(value ?? null) };
}
