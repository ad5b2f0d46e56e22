/**
 * Customer managed KMS keys rotate their key material yearly (or as configured), where AWS can
 * rotate them.
 *
 * AWS KMS API Reference, EnableKeyRotation: "Automatic key rotation is supported only on
 * symmetric encryption KMS keys. You cannot enable automatic rotation of asymmetric KMS keys, HMAC
 * KMS keys, KMS keys with imported key material, or KMS keys in a custom key store"
 * (https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html). `aws.kms.Key`
 * cannot import key material (that is `aws.kms.ExternalKey`); a key in a custom key store (AWS
 * CloudHSM or external) has `customKeyStoreId` set, an external key store's also `xksKeyId`.
 * `aws-native:kms:Key` (AWS::KMS::Key) imports key material with `origin: "EXTERNAL"` and names its
 * spec `keySpec`.
 */
import { isSet } from "../lib/unknowns";
import * as types from "./resource-types";
import { resourcePolicy } from "./support";

/** The only key spec AWS rotates automatically; asymmetric and HMAC specs cannot rotate. */
const ROTATABLE_KEY_SPEC = "SYMMETRIC_DEFAULT";

/** How each type says what kind of key it is. */
interface KeyShape {
    readonly keySpec: string;
    /** Properties whose presence places a key where AWS cannot rotate it (a custom key store). */
    readonly unrotatableWhenSet: readonly string[];
    /** An `origin` property and its value for imported key material, which AWS cannot rotate. */
    readonly importedOrigin?: string;
}

const KEY_SHAPES: ReadonlyMap<string, KeyShape> = new Map([
    [types.KMS_KEY, { keySpec: "customerMasterKeySpec", unrotatableWhenSet: ["customKeyStoreId", "xksKeyId"] }],
    // AWS::KMS::Key cannot be created in a custom key store; Origin EXTERNAL is imported key material.
    [types.NATIVE_KMS_KEY, { keySpec: "keySpec", unrotatableWhenSet: [], importedOrigin: "EXTERNAL" }],
]);

export const kmsKeyRotation = resourcePolicy({
    name: "kms-key-rotation",
    description: "Customer managed KMS keys that AWS can rotate (symmetric, not in a custom key store) must have automatic key rotation enabled (enableKeyRotation: true).",
    enforcementLevel: "mandatory",
    resourceTypes: [...KEY_SHAPES.keys()],
    check: (resource, _config, report, opaque, terms) => {
        const { props } = resource;
        const shape = KEY_SHAPES.get(resource.type)!;
        // Set at all (even unknown during preview) puts the key in a custom key store.
        if (shape.unrotatableWhenSet.some((property) => isSet(props[property]))) {
            return;
        }
        if (shape.importedOrigin !== undefined && (opaque.check(props.origin, "origin") || props.origin === shape.importedOrigin)) {
            return;
        }
        const keySpec = props[shape.keySpec];
        if (opaque.check(keySpec, shape.keySpec)) {
            return;
        }
        if (isSet(keySpec) && keySpec !== ROTATABLE_KEY_SPEC) {
            return;
        }
        if (opaque.check(props.enableKeyRotation, "enableKeyRotation")) {
            return;
        }
        if (props.enableKeyRotation !== true && props.enableKeyRotation !== "true") {
            report(`${terms.path(resource.type, "enableKeyRotation")} is not true: this symmetric customer managed key never rotates its key material; ` +
                `set ${terms.setting(resource.type, "enableKeyRotation", "true")} (and ${terms.path(resource.type, "rotationPeriodInDays")} if a year is too long)`);
        }
    },
});

export const kmsPolicies = [kmsKeyRotation];
