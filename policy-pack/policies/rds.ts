/**
 * Database master passwords belong to RDS (`manageMasterUserPassword: true`, kept in Secrets
 * Manager), never to the program: a password input ends up in the Pulumi state.
 */
import { isSet } from "../lib/unknowns";
import * as types from "./resource-types";
import { resourcePolicy } from "./support";

/** Password inputs per type; the write-only variants keep the password out of state but not out of the program. */
const PASSWORD_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
    [types.RDS_INSTANCE]: ["password", "passwordWo"],
    [types.RDS_CLUSTER]: ["masterPassword", "masterPasswordWo"],
    [types.NATIVE_RDS_DB_INSTANCE]: ["masterUserPassword"],
    [types.NATIVE_RDS_DB_CLUSTER]: ["masterUserPassword"],
};

export const noPlaintextDbPassword = resourcePolicy({
    name: "no-plaintext-db-password",
    description: "RDS instances and clusters must not take a master password from the program; set manageMasterUserPassword: true.",
    enforcementLevel: "mandatory",
    resourceTypes: Object.keys(PASSWORD_PROPERTIES),
    // Any value counts, secret or unknown: the password is set either way.
    check: (resource, _config, report, _opaque, terms) => {
        for (const property of PASSWORD_PROPERTIES[resource.type]) {
            if (isSet(resource.props[property])) {
                const risk = property.endsWith("Wo")
                    ? `the ${terms.source} still generates and handles the master password`
                    : `a ${terms.source}-supplied master password is kept in ${terms.state}`;
                report(`${terms.path(resource.type, property)} is set: ${risk}; remove it and set ${terms.setting(resource.type, "manageMasterUserPassword", "true")} ` +
                    "so RDS generates the password, keeps it in Secrets Manager and can rotate it");
            }
        }
    },
});

export const rdsPolicies = [noPlaintextDbPassword];
