/** Customer managed KMS keys rotate their key material yearly (or as configured). */
import { isSet } from "../lib/unknowns";
import * as types from "./resource-types";
import { resourcePolicy } from "./support";

/** Only symmetric encryption keys support automatic rotation; asymmetric and HMAC keys cannot rotate. */
const ROTATABLE_KEY_SPEC = "SYMMETRIC_DEFAULT";

export const kmsKeyRotation = resourcePolicy({
    name: "kms-key-rotation",
    description: "Customer managed symmetric KMS keys must have automatic key rotation enabled (enableKeyRotation: true).",
    enforcementLevel: "mandatory",
    resourceTypes: [types.KMS_KEY],
    check: (resource, _config, report, opaque) => {
        const { props } = resource;
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
