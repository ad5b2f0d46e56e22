/**
 * Which KMS key encrypts each value a task definition may reference, as far as the stack shows it,
 * and whether an execution role may use that key to read it: ECS's `kms:Decrypt`, evaluated as AWS
 * evaluates it (the facts and their sources are in `lib/kms-key.ts`).
 *
 * Values the stack holds: Secrets Manager secrets (`aws.secretsmanager.Secret`, named by `arn`, and
 * `aws-native:secretsmanager:Secret`, by `awsId`; key in `kmsKeyId`), SSM parameters
 * (`aws.ssm.Parameter`: `arn`, `type`, `keyId`; only a SecureString is encrypted; AWS::SSM::Parameter
 * cannot create one) and the master user secrets RDS manages (`aws.rds.Instance` and `Cluster`:
 * `masterUserSecrets[0]`, the key the secret really uses, and `masterUserSecretKmsKeyId`, the key
 * asked for; aws-native `masterUserSecret`). Keys: `aws.kms.Key` (`arn`, `keyId`, `policy`) and
 * `aws-native:kms:Key` (`keyPolicy`), aliases (`aws.kms.Alias` `name`/`targetKeyId`, aws-native
 * `aliasName`/`targetKeyId`), `aws.kms.KeyPolicy`, which replaces its key's policy, and
 * `aws.kms.Grant` (`granteePrincipal`, `operations`). Resources are connected by value (ARN, key
 * ID, alias name) or, while values are unknown, by property dependency.
 */
import { Arn, tryParseArn } from "../lib/arn";
import {
    PolicyDocumentError, PolicyStatement, RequestContext, allowsAction, deniesAction, parsePolicyDocument, resourceMatches,
} from "../lib/iam-document";
import type { InputTerms } from "../lib/input-terms";
import {
    KMS_DECRYPT, KeyPolicyVerdict, KeyReference, ValueStore, decryptContext, isAwsManagedAlias, judgeKeyPolicy, keyArnIn, parseKeyReference,
} from "../lib/kms-key";
import { OpaquePaths, isOpaque, isRecord, isSet } from "../lib/unknowns";
import type { RequiredGrant } from "../lib/value-from";
import * as types from "./resource-types";
import { StackResource } from "./support";

/** The types this module reads. */
export const KEY_RESOURCE_TYPES: readonly string[] = [
    types.SECRET, types.NATIVE_SECRET, types.SSM_PARAMETER, types.RDS_INSTANCE, types.RDS_CLUSTER, types.NATIVE_RDS_DB_INSTANCE,
    types.NATIVE_RDS_DB_CLUSTER, types.KMS_KEY, types.NATIVE_KMS_KEY, types.KMS_ALIAS, types.NATIVE_KMS_ALIAS, types.KMS_KEY_POLICY, types.KMS_GRANT,
];

/** Where a resource of the stack keeps a value, its ARN and the reference to its key. */
interface StoredValue {
    readonly holder: StackResource;
    readonly store: ValueStore;
    /** `the secret "/adma/prod/jwt-secret" (Pulumi resource jwt)`: how messages name it. */
    readonly description: string;
    readonly arn: unknown;
    /** The property that holds the ARN, e.g. `arn`. */
    readonly arnProperty: string;
    /** The property that names the key, and its value; absent: the store's AWS managed key. */
    readonly keyProperty: string;
    readonly keyReference: unknown;
    /** A parameter's `type`, when only a SecureString would be encrypted. */
    readonly parameterType?: unknown;
}

/** A customer managed key, as far as the stack shows it. */
interface CustomerKey {
    /** The key ARN, the only name IAM policies use for it; undefined while it cannot be known. */
    readonly arn?: string;
    /** How messages name the key. */
    readonly description: string;
    /** The key resource of this stack, when it is one. */
    readonly resource?: StackResource;
}

/** What encrypts a stored value. */
type ValueKey =
    | { readonly kind: "none" }
    | { readonly kind: "customer"; readonly key: CustomerKey }
    /** The stack cannot tell; `because` says why, or the opaque value has been recorded on its resource. */
    | { readonly kind: "unknown"; readonly because?: string };

/** Whether a role may decrypt a value ECS injects, and if not, why. */
export type DecryptVerdict =
    | { readonly status: "granted" }
    /**
     * The value is not in this stack (a secret or parameter shared from elsewhere): which key encrypts
     * it cannot be seen, now or later, so the check says nothing, as it says nothing about policies
     * attached from outside the stack. An advisory here would stay on every stack that reads a shared
     * secret, for good.
     */
    | { readonly status: "outside" }
    /** `missing` says why; `byIamOnly` when only IAM policies the stack may not all show could have granted it. */
    | { readonly status: "missing"; readonly why: string; readonly byIamOnly: boolean; readonly value: string; readonly key: CustomerKey }
    /** `because` is undefined when the values that could not be read were recorded on their resources. */
    | { readonly status: "unknown"; readonly because?: string };

/** The execution role as the key check sees it: its ARN and account, and its IAM statements. */
export interface RoleAccess {
    readonly arn?: string;
    readonly account?: string;
    readonly statements: readonly PolicyStatement[];
}

const NO_KEY: ValueKey = { kind: "none" };

export class EncryptionKeyIndex {
    /** One value per ARN: resources that claim the same ARN hold the same secret or parameter. */
    private readonly valuesByArn = new Map<string, StoredValue>();
    /** Values of this stack whose ARN is not known yet (a preview of their creation): a reference may name any of them. */
    private readonly valuesWithoutArn: StoredValue[] = [];
    /** The stores whose values without ARN have been recorded as not known yet (once each). */
    private readonly recordedWithoutArn = new Set<ValueStore>();
    /** Verdicts already reached, per value and role: tasks and containers repeat the same references. */
    private readonly verdicts = new Map<StoredValue, Map<RoleAccess, DecryptVerdict>>();
    private readonly keysByUrn = new Map<string, StackResource>();
    private readonly keysByReference = new Map<string, StackResource>();
    private readonly aliases: StackResource[] = [];
    private readonly keyPolicies: StackResource[] = [];
    private readonly grants: StackResource[] = [];

    /** `terms`: the input's, in which the descriptions of values and keys name their resources. */
    constructor(resources: readonly StackResource[], private readonly opaque: (urn: string) => OpaquePaths, private readonly terms: InputTerms) {
        for (const resource of resources) {
            switch (resource.type) {
                case types.KMS_KEY:
                case types.NATIVE_KMS_KEY:
                    this.keysByUrn.set(resource.urn, resource);
                    for (const reference of [resource.props.arn, resource.props.keyId]) {
                        if (typeof reference === "string" && !isOpaque(reference)) {
                            this.keysByReference.set(reference, resource);
                        }
                    }
                    break;
                case types.KMS_ALIAS:
                case types.NATIVE_KMS_ALIAS:
                    this.aliases.push(resource);
                    break;
                case types.KMS_KEY_POLICY:
                    this.keyPolicies.push(resource);
                    break;
                case types.KMS_GRANT:
                    this.grants.push(resource);
                    break;
            }
        }
        // After the keys: which key an RDS-managed secret uses depends on whether the stack holds it.
        for (const resource of resources) {
            const value = this.storedValue(resource);
            if (value !== undefined && typeof value.arn === "string" && !isOpaque(value.arn) && !this.valuesByArn.has(value.arn)) {
                this.valuesByArn.set(value.arn, value);
            } else if (value !== undefined && isOpaque(value.arn)) {
                this.valuesWithoutArn.push(value);
            }
        }
    }

    /** The value a resource stores for ECS to inject, if it is a secret, a parameter or a database with an RDS-managed secret. */
    private storedValue(resource: StackResource): StoredValue | undefined {
        const { props } = resource;
        switch (resource.type) {
            case types.SECRET:
            case types.NATIVE_SECRET: {
                const arnProperty = resource.type === types.SECRET ? "arn" : "awsId";
                const arn = props[arnProperty];
                return {
                    holder: resource, store: "secretsmanager", arn, arnProperty, keyProperty: "kmsKeyId", keyReference: props.kmsKeyId,
                    description: describeValue("the secret", resource, props.name, arn, this.terms),
                };
            }
            case types.SSM_PARAMETER:
                return {
                    holder: resource, store: "ssm", arn: props.arn, arnProperty: "arn", keyProperty: "keyId", keyReference: props.keyId, parameterType: props.type,
                    description: describeValue("the SecureString parameter", resource, props.name, props.arn, this.terms),
                };
            case types.RDS_INSTANCE:
            case types.RDS_CLUSTER:
            case types.NATIVE_RDS_DB_INSTANCE:
            case types.NATIVE_RDS_DB_CLUSTER:
                return this.rdsMasterSecret(resource);
            default:
                return undefined;
        }
    }

    /**
     * The master user secret RDS manages for an instance or cluster, and its key. The secret keeps
     * the key it was created with (RDS cannot move it to another key; the provider reads the key
     * back into `masterUserSecrets[0].kmsKeyId`), so that output decides when it names a key of this
     * stack or the stack asks for a key (`masterUserSecretKmsKeyId`); with neither, RDS uses
     * `aws/secretsmanager` ("If you don't specify MasterUserSecretKmsKeyId, then the aws/secretsmanager
     * KMS key is used"; RDS API Reference, CreateDBInstance), whose ARN the output then shows.
     */
    private rdsMasterSecret(resource: StackResource): StoredValue | undefined {
        const { props } = resource;
        const description = `the master user secret RDS manages for ${resource.name}`;
        if (resource.type === types.NATIVE_RDS_DB_INSTANCE || resource.type === types.NATIVE_RDS_DB_CLUSTER) {
            const secret = props.masterUserSecret;
            return isRecord(secret)
                ? { holder: resource, store: "secretsmanager", description, arn: secret.secretArn, arnProperty: "masterUserSecret.secretArn", keyProperty: "masterUserSecret.kmsKeyId", keyReference: secret.kmsKeyId }
                : undefined;
        }
        const [secret] = Array.isArray(props.masterUserSecrets) ? props.masterUserSecrets : [];
        if (!isRecord(secret)) {
            return undefined;
        }
        const used = secret.kmsKeyId;
        const asked = props.masterUserSecretKmsKeyId;
        const base = { holder: resource, store: "secretsmanager" as const, description, arn: secret.secretArn, arnProperty: "masterUserSecrets[0].secretArn" };
        if (typeof used === "string" && used !== "" && !isOpaque(used) && (isSet(asked) || this.keysByReference.has(used))) {
            return { ...base, keyProperty: "masterUserSecrets[0].kmsKeyId", keyReference: used };
        }
        return { ...base, keyProperty: "masterUserSecretKmsKeyId", keyReference: asked };
    }

    /**
     * Whether `role` may decrypt the value `grant` reads (a grant of `requiredGrants` with a
     * `valueStore`): granted, missing (and why), unknown, or outside the stack. Values the check
     * cannot read are recorded on their resources through `opaque`: a reference that names no value
     * of the stack is unknown only while some value of the stack has an ARN not known yet.
     */
    decrypt(grant: RequiredGrant, role: RoleAccess): DecryptVerdict {
        const store = grant.valueStore!;
        const isPattern = grant.unknownBecause !== undefined;
        const kind = store === "ssm" ? "parameter" : "secret";
        const exact = isPattern ? undefined : this.valuesByArn.get(grant.resource);
        const candidates = (isPattern
            ? [...this.valuesByArn].filter(([arn]) => resourceMatches(grant.resource, arn)).map(([, value]) => value)
            : exact === undefined ? [] : [exact]).filter((value) => value.store === store);
        if (candidates.length === 0) {
            const unnamed = this.valuesWithoutArn.filter((value) => value.store === store);
            if (!this.recordedWithoutArn.has(store)) {
                this.recordedWithoutArn.add(store);
                unnamed.forEach((value) => this.opaque(value.holder.urn).check(value.arn, value.arnProperty));
            }
            return unnamed.length > 0 ? { status: "unknown" } : { status: "outside" };
        }
        const verdicts = candidates.map((value) => this.decryptValue(value, role));
        const refused = verdicts.find((verdict) => verdict.status !== "granted");
        if (refused === undefined || !isPattern || candidates.length === 1) {
            return refused ?? verdicts[0];
        }
        return { status: "unknown", because: `${grant.resource} may name any of ${candidates.length} ${kind}s of this stack ` +
            `(${candidates.map((value) => value.holder.name).join(", ")}), and the role may not decrypt all of them` };
    }

    private decryptValue(value: StoredValue, role: RoleAccess): DecryptVerdict {
        let byRole = this.verdicts.get(value);
        if (byRole === undefined) {
            byRole = new Map();
            this.verdicts.set(value, byRole);
        }
        let verdict = byRole.get(role);
        if (verdict === undefined) {
            verdict = this.judgeValue(value, role);
            byRole.set(role, verdict);
        }
        return verdict;
    }

    private judgeValue(value: StoredValue, role: RoleAccess): DecryptVerdict {
        const valueArn = typeof value.arn === "string" ? tryParseArn(value.arn) : undefined;
        const key = this.keyOf(value, valueArn);
        if (key.kind !== "customer") {
            return key.kind === "none" ? { status: "granted" } : { status: "unknown", ...(key.because !== undefined && { because: key.because }) };
        }
        return this.judge(value, key.key, role, decryptContext(value.store, valueArn, role.account));
    }

    /** The key that encrypts a stored value. */
    private keyOf(value: StoredValue, valueArn: Arn | undefined): ValueKey {
        if (value.store === "ssm") {
            if (this.opaque(value.holder.urn).check(value.parameterType, "type")) {
                return { kind: "unknown" };
            }
            if (value.parameterType !== "SecureString") {
                return NO_KEY;
            }
        }
        return this.resolveKey(value.holder, value.keyProperty, value.keyReference, value, valueArn);
    }

    /** Follows a key reference (a key ARN or ID, an alias) to the key it names. */
    private resolveKey(holder: StackResource, property: string, reference: unknown, value: StoredValue, valueArn: Arn | undefined): ValueKey {
        const paths = this.opaque(holder.urn);
        if (isOpaque(reference)) {
            const dependency = this.dependency(holder, property.split(".")[0]);
            if (dependency !== undefined) {
                return dependency;
            }
            paths.check(reference, property);
            return { kind: "unknown" };
        }
        if (!isSet(reference)) {
            return NO_KEY;
        }
        const parsed = typeof reference === "string" ? parseKeyReference(reference) : undefined;
        if (parsed === undefined) {
            return { kind: "unknown", because: `${value.description} names its KMS key as ${JSON.stringify(reference)}, which is no key ARN, key ID or alias` };
        }
        switch (parsed.kind) {
            case "alias":
                return this.resolveAlias(parsed, value, valueArn);
            case "key-arn":
                return { kind: "customer", key: this.customerKey(this.keysByReference.get(parsed.arn) ?? this.keysByReference.get(parsed.keyId), parsed.arn) };
            case "key-id": {
                const resource = this.keysByReference.get(parsed.keyId);
                const arn = resource === undefined && valueArn !== undefined ? keyArnIn(parsed.keyId, valueArn) : undefined;
                if (resource === undefined && arn === undefined) {
                    return { kind: "unknown", because: `${value.description} names KMS key ${parsed.keyId} by its ID, whose ARN cannot be built without the value's` };
                }
                return { kind: "customer", key: this.customerKey(resource, arn) };
            }
        }
    }

    private resolveAlias(alias: Extract<KeyReference, { kind: "alias" }>, value: StoredValue, valueArn: Arn | undefined): ValueKey {
        if (isAwsManagedAlias(alias.aliasName)) {
            return NO_KEY;
        }
        const defined = this.aliases.find((resource) => {
            const name = resource.type === types.KMS_ALIAS ? resource.props.name : resource.props.aliasName;
            return name === alias.aliasName && (alias.arn === undefined || resource.props.arn === undefined || resource.props.arn === alias.arn);
        });
        if (defined === undefined) {
            return { kind: "unknown", because: `${value.description} names its KMS key by the alias ${alias.arn ?? alias.aliasName}, which no KMS alias of this stack defines` };
        }
        const { targetKeyId, targetKeyArn } = defined.props;
        if (isOpaque(targetKeyId) && typeof targetKeyArn === "string" && !isOpaque(targetKeyArn)) {
            return { kind: "customer", key: this.customerKey(this.keysByReference.get(targetKeyArn), targetKeyArn) };
        }
        const target = this.resolveKey(defined, "targetKeyId", targetKeyId, value, valueArn);
        return target.kind === "none" ? { kind: "unknown", because: `the alias ${alias.aliasName} (${this.terms.resource(defined.name)}) names no key` } : target;
    }

    /** The key (or, through an alias, the key) a property depends on while its value is unknown. */
    private dependency(holder: StackResource, property: string): ValueKey | undefined {
        for (const urn of holder.propertyDependencies[property] ?? []) {
            const key = this.keysByUrn.get(urn);
            if (key !== undefined) {
                return { kind: "customer", key: this.customerKey(key, undefined) };
            }
            const alias = this.aliases.find((resource) => resource.urn === urn);
            if (alias !== undefined) {
                const target = this.dependency(alias, "targetKeyId");
                if (target !== undefined) {
                    return target;
                }
            }
        }
        return undefined;
    }

    private customerKey(resource: StackResource | undefined, arn: string | undefined): CustomerKey {
        const ownArn = resource?.props.arn;
        const keyArn = typeof ownArn === "string" && !isOpaque(ownArn) ? ownArn : arn;
        const label = keyArn ?? "(its ARN is not known yet)";
        return {
            ...(keyArn !== undefined && { arn: keyArn }),
            ...(resource !== undefined && { resource }),
            description: `customer managed KMS key ${label}${resource === undefined ? "" : ` (${this.terms.resource(resource.name)})`}`,
        };
    }

    /** The key policy of a key of this stack: a KeyPolicy resource's, else the key's own; its resource, property and value. */
    private keyPolicyOf(key: StackResource): { resource: StackResource; property: string; document: unknown } {
        const names = (resource: StackResource) => {
            const target = resource.props.keyId;
            return typeof target === "string" && !isOpaque(target)
                ? this.keysByReference.get(target) === key
                : (resource.propertyDependencies.keyId ?? []).includes(key.urn);
        };
        const replacement = this.keyPolicies.find(names);
        if (replacement !== undefined) {
            return { resource: replacement, property: "policy", document: replacement.props.policy };
        }
        const property = key.type === types.KMS_KEY ? "policy" : "keyPolicy";
        return { resource: key, property, document: key.props[property] };
    }

    /** Whether a KMS grant of this stack lets the role decrypt with the key. */
    private grantedByKmsGrant(key: StackResource, roleArn: string | undefined): boolean {
        return this.grants.some((grant) => {
            const { keyId, granteePrincipal, operations } = grant.props;
            const onKey = typeof keyId === "string" && !isOpaque(keyId)
                ? this.keysByReference.get(keyId) === key
                : (grant.propertyDependencies.keyId ?? []).includes(key.urn);
            return onKey && roleArn !== undefined && granteePrincipal === roleArn
                && Array.isArray(operations) && operations.includes("Decrypt");
        });
    }

    /**
     * AWS's answer for a customer managed key: an explicit Deny (IAM or key policy) refuses; the key
     * policy may grant the role itself, or let IAM policies grant it (its statement for the account,
     * which a key created without a policy has); a KMS grant of this stack grants it too.
     */
    private judge(value: StoredValue, key: CustomerKey, role: RoleAccess, context: RequestContext): DecryptVerdict {
        const iamAllows = key.arn !== undefined && allowsAction(role.statements, KMS_DECRYPT, key.arn, context);
        const missing = (why: string, byIamOnly: boolean): DecryptVerdict => ({ status: "missing", why, byIamOnly, value: value.description, key });
        if (key.arn !== undefined && deniesAction(role.statements, KMS_DECRYPT, key.arn, context)) {
            return missing("an IAM policy of the role denies kms:Decrypt on it", false);
        }
        const policy = key.resource === undefined ? undefined : this.keyPolicyOf(key.resource);
        if (policy === undefined || isOpaque(policy.document)) {
            if (iamAllows) {
                return { status: "granted" };
            }
            if (policy !== undefined) {
                this.opaque(policy.resource.urn).check(policy.document, policy.property);
                return { status: "unknown" };
            }
            return { status: "unknown", because: `${value.description} is encrypted with ${key.description}, which is not in this stack: ` +
                "its key policy may grant the role kms:Decrypt; the role's IAM policies do not" };
        }
        let verdict: KeyPolicyVerdict;
        try {
            verdict = isSet(policy.document)
                ? judgeKeyPolicy(parsePolicyDocument(policy.document), role, KMS_DECRYPT, context)
                : defaultKeyPolicy(key, role);
        } catch (error) {
            if (!(error instanceof PolicyDocumentError)) {
                throw error;
            }
            return { status: "unknown", because: `the key policy of ${key.description} cannot be read (${error.message})` };
        }
        if (verdict.denies) {
            return missing("its key policy denies kms:Decrypt to the role", false);
        }
        if (verdict.grantsRole || (verdict.enablesIamPolicies && iamAllows) || this.grantedByKmsGrant(key.resource!, role.arn)) {
            return { status: "granted" };
        }
        if (verdict.incomplete) {
            return { status: "unknown", because: `the key policy of ${key.description} cannot all be read yet` };
        }
        if (role.arn === undefined) {
            return { status: "unknown", because: `the role's ARN is not known yet, so whether the key policy of ${key.description} names it cannot be told` };
        }
        if (verdict.enablesIamPolicies) {
            if (key.arn === undefined) {
                this.opaque(key.resource!.urn).check(key.resource!.props.arn, "arn");
                return { status: "unknown" };
            }
            return missing("neither its IAM policies nor the key policy allow kms:Decrypt on it", true);
        }
        return missing(`the key policy neither grants the role kms:Decrypt nor lets IAM policies grant it (it has no statement for account ${role.account ?? "of the role"})` +
            (iamAllows ? ", so the IAM policy that allows it has no effect" : ""), false);
    }
}

/**
 * The default key policy, which AWS applies to a key created without one: its one statement lets
 * the key's own account use IAM policies for every KMS action, and grants no one directly.
 */
function defaultKeyPolicy(key: CustomerKey, role: RoleAccess): KeyPolicyVerdict {
    const keyAccount = key.arn === undefined ? undefined : tryParseArn(key.arn)?.account;
    const sameAccount = keyAccount === undefined || role.account === undefined || keyAccount === role.account;
    return { grantsRole: false, enablesIamPolicies: sameAccount, denies: false, incomplete: false };
}

/** `the secret "/adma/prod/jwt-secret" (Pulumi resource jwt)`: a value by its name (else its ARN) and its resource, in the input's terms. */
function describeValue(kind: string, resource: StackResource, name: unknown, arn: unknown, terms: InputTerms): string {
    const known = [name, arn].find((value) => typeof value === "string" && value !== "" && !isOpaque(value));
    return `${kind}${known === undefined ? "" : ` ${JSON.stringify(known)}`} (${terms.resource(resource.name)})`;
}
