/**
 * Values a policy cannot see: Pulumi's "unknown during preview" sentinels and (in the offline
 * audit) secrets that a stack export holds only as ciphertext. Pure: no Pulumi calls.
 *
 * The sentinels are the strings the Pulumi engine puts in place of values that are computed
 * during the update (e.g. the ARN of a resource that does not exist yet); @pulumi/policy
 * (`proxy.js`) recognises exactly these seven.
 */
export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const UNKNOWN_SENTINELS: ReadonlySet<unknown> = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    UNKNOWN_STRING,
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** Every sentinel is a UUID: comparing lengths first spares hashing each (often long) string looked at. */
const SENTINEL_LENGTH = UNKNOWN_STRING.length;

export function isUnknown(value: unknown): boolean {
    return typeof value === "string" && value.length === SENTINEL_LENGTH && UNKNOWN_SENTINELS.has(value);
}

/**
 * A secret whose plaintext the audit cannot read (a `ciphertext` envelope in a stack export).
 * It is still a value: an encrypted password is still a password.
 */
export class EncryptedValue {
    static readonly instance = new EncryptedValue();
    private constructor() { }
    toString(): string {
        return "[encrypted]";
    }
}

/** True when a value is present but its content cannot be inspected. */
export function isOpaque(value: unknown): boolean {
    return isUnknown(value) || value instanceof EncryptedValue;
}

/** True when a property is set to something (known, unknown or encrypted): "" and null are unset. */
export function isSet(value: unknown): boolean {
    return value !== undefined && value !== null && value !== "";
}

/**
 * Collects the property paths a check could not read, so it can check everything else first and
 * then say precisely what it could not verify.
 */
export class OpaquePaths {
    private readonly found: string[] = [];

    /** Records `path` when `value` is opaque; returns true when it was. */
    check(value: unknown, path: string): boolean {
        if (isOpaque(value)) {
            this.found.push(value instanceof EncryptedValue ? `${path} (encrypted)` : path);
            return true;
        }
        return false;
    }

    add(path: string): void {
        this.found.push(path);
    }

    get paths(): readonly string[] {
        return this.found;
    }
}
