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
 *
 * Walks the value with a stack of its own rather than the call stack, so that input nested any
 * number of levels deep is decoded (JSON.parse accepts any depth; a recursive walk would stop at
 * "Maximum call stack size exceeded").
 */
export function decodeSecrets(value: unknown): unknown {
    if (!isContainer(value)) {
        return value;
    }
    if (isEnvelope(value)) {
        return decodeEnvelope(value);
    }
    const stack: DecodeFrame[] = [decodeFrame(value)];
    for (;;) {
        const frame = stack[stack.length - 1];
        if (frame.index < frame.length) {
            const child = frame.node[frame.keys === undefined ? frame.index : frame.keys[frame.index]];
            if (!isContainer(child)) {
                frame.index++;
            } else if (isEnvelope(child)) {
                replaceChild(frame, decodeEnvelope(child));
            } else {
                stack.push(decodeFrame(child));
            }
            continue;
        }
        stack.pop();
        const decoded = frame.copy ?? frame.node;
        if (stack.length === 0) {
            return decoded;
        }
        replaceChild(stack[stack.length - 1], decoded);
    }
}

/** An object or list being decoded: its keys (none for a list), the next to visit, and its copy once a child changed. */
interface DecodeFrame {
    readonly node: Record<string | number, unknown>;
    readonly keys: readonly string[] | undefined;
    readonly length: number;
    index: number;
    copy?: Record<string | number, unknown>;
}

function decodeFrame(node: object): DecodeFrame {
    const keys = Array.isArray(node) ? undefined : Object.keys(node);
    return { node: node as Record<string | number, unknown>, keys, length: keys === undefined ? (node as unknown[]).length : keys.length, index: 0 };
}

/** Records the decoded value of the frame's current child and moves to the next. */
function replaceChild(frame: DecodeFrame, decoded: unknown): void {
    const key = frame.keys === undefined ? frame.index : frame.keys[frame.index];
    frame.index++;
    if (decoded !== frame.node[key]) {
        if (frame.copy === undefined) {
            frame.copy = frame.keys === undefined ? (frame.node as unknown as unknown[]).slice() as unknown as Record<number, unknown> : { ...frame.node };
        }
        frame.copy[key] = decoded;
    }
}

function isContainer(value: unknown): value is object {
    return typeof value === "object" && value !== null;
}

function isEnvelope(value: object): value is Record<string, unknown> {
    return !Array.isArray(value) && isSecretEnvelope(value as Record<string, unknown>);
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

/**
 * True when `value` holds a secret that decodeSecrets can only turn into EncryptedValue (stops at
 * the first). Walks with a stack of its own, like decodeSecrets.
 */
export function holdsEncryptedSecret(value: unknown): boolean {
    const pending: unknown[] = [value];
    while (pending.length > 0) {
        const next = pending.pop();
        if (!isContainer(next)) {
            continue;
        }
        if (isEnvelope(next)) {
            if (typeof next.plaintext === "string") {
                continue;
            }
            if (!("value" in next)) {
                return true;
            }
            pending.push(next.value);
            continue;
        }
        for (const child of Object.values(next)) {
            pending.push(child);
        }
    }
    return false;
}
