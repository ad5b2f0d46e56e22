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
 */
import { isSet } from "../lib/unknowns";
import * as types from "./resource-types";
import { resourcePolicy } from "./support";

/** The only key spec AWS rotates automatically; asymmetric and HMAC specs cannot rotate. */
const ROTATABLE_KEY_SPEC = "SYMMETRIC_DEFAULT";
/** Properties whose presence places a key in a custom key store, whose keys AWS cannot rotate. */
const CUSTOM_KEY_STORE_PROPERTIES = ["customKeyStoreId", "xksKeyId"];

export const kmsKeyRotation = resourcePolicy({
    name: "kms-key-rotation",
    description: "Customer managed KMS keys that AWS can rotate (symmetric, not in a custom key store) must have automatic key rotation enabled (enableKeyRotation: true).",
    enforcementLevel: "mandatory",
    resourceTypes: [types.KMS_KEY],
    check: (resource, _config, report, opaque) => {
        const { props } = resource;
        // Set at all (even unknown during preview) puts the key in a custom key store.
        if (CUSTOM_KEY_STORE_PROPERTIES.some((property) => isSet(props[property]))) {
            return;
        }
        const keySpec = props.customerMasterKeySpec;
        if (opaque.check(keySpec, "customerMasterKeySpec")) {
            return;
        }
        if (isSet(keySpec) && keySpec !== ROTATABLE_KEY_SPEC) {
            return;
        }
        if (opaque.check(props.enableKeyRotation, "enableKeyRotation")) {
            return;
        }
        if (props.enableKeyRotation !== true && props.enableKeyRotation !== "true") {
            report("enableKeyRotation is not true: this symmetric customer managed key never rotates its key material; " +
                "set enableKeyRotation: true (and rotationPeriodInDays if a year is too long)");
        }
    },
});

export const kmsPolicies = [kmsKeyRotation];
