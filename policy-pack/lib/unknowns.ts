/**
 * Values a policy cannot see: Pulumi's "unknown during preview" sentinels and (in the offline
 * audit) secrets that a stack export holds only as ciphertext. Pure: no Pulumi calls.
 */
import { UNKNOWN_SENTINELS, UNKNOWN_VALUE } from "./pulumi-markers";

/** Every sentinel is a UUID: comparing lengths first spares hashing each (often long) string looked at. */
const SENTINEL_LENGTH = UNKNOWN_VALUE.length;

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

/** True when a value is a JSON object whose properties can be read: not null, not a list, not opaque. */
export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value) && !isOpaque(value);
}

/** A JSON value's kind, for messages that must not quote it: "null", "a list", "string", ... */
export function describeJson(value: unknown): string {
    return value === null ? "null" : Array.isArray(value) ? "a list" : typeof value;
}

/**
 * A property value for a message: a number, boolean or null as JSON, a string quoted (cut at 100
 * characters), an object or list by its kind only, so that a message never holds (nor, for input
 * nested thousands of levels deep, fails to build) a whole structure.
 */
export function describeValue(value: unknown): string {
    if (typeof value === "string") {
        return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}...` : value);
    }
    return typeof value === "number" || typeof value === "boolean" || value === null ? String(value) : describeJson(value);
}

/** True when a property is set to something (known, unknown or encrypted): "" and null are unset. */
export function isSet(value: unknown): boolean {
    return value !== undefined && value !== null && value !== "";
}

/**
 * Collects the property paths a check could not read, so it can check everything else first and
 * then say precisely what it could not verify: values unknown during preview, secrets a stack
 * export holds only encrypted, and what the stack cannot show at all.
 */
export class OpaquePaths {
    private readonly unknownFound: string[] = [];
    private readonly encryptedFound: string[] = [];
    private readonly unverifiableFound: string[] = [];

    /** Records `path` when `value` is opaque; returns true when it was. */
    check(value: unknown, path: string): boolean {
        if (value instanceof EncryptedValue) {
            this.encryptedFound.push(path);
            return true;
        }
        if (isUnknown(value)) {
            this.unknownFound.push(path);
            return true;
        }
        return false;
    }

    /** Records a path whose value is unknown during preview. */
    add(path: string): void {
        this.unknownFound.push(path);
    }

    /** Records what the stack cannot show even when every value is known, and why (e.g. an ARN that depends on a random suffix). */
    addUnverifiable(what: string): void {
        this.unverifiableFound.push(what);
    }

    /**
     * Takes over everything another collection recorded, its paths said by `say` (e.g. in the input's
     * terms) and prefixed with `prefix`; what it could not verify is kept as it was said.
     */
    adopt(other: OpaquePaths, prefix = "", say: (path: string) => string = (path) => path): void {
        other.unknownFound.forEach((path) => this.unknownFound.push(`${prefix}${say(path)}`));
        other.encryptedFound.forEach((path) => this.encryptedFound.push(`${prefix}${say(path)}`));
        other.unverifiableFound.forEach((what) => this.unverifiableFound.push(`${prefix}${what}`));
    }

    /** Paths of values unknown during preview. */
    get paths(): readonly string[] {
        return this.unknownFound;
    }

    /** Paths of secrets a stack export holds only encrypted. */
    get encrypted(): readonly string[] {
        return this.encryptedFound;
    }

    get unverifiable(): readonly string[] {
        return this.unverifiableFound;
    }

    get isEmpty(): boolean {
        return this.unknownFound.length === 0 && this.encryptedFound.length === 0 && this.unverifiableFound.length === 0;
    }
}
