/**
 * Secrets Manager secrets must survive a mistaken delete: AWS keeps a deleted secret restorable
 * for its recovery window, and `recoveryWindowInDays: 0` deletes it at once, for good.
 */
import { describeValue } from "../lib/unknowns";
import * as types from "./resource-types";
import { resourcePolicy } from "./support";

export interface RecoveryWindowConfig {
    minimumDays: number;
    /** Lets `recoveryWindowInDays: 0` pass: for stacks that are destroyed and re-created (the secret's name is free at once). */
    allowDeleteWithoutRecovery: boolean;
}

/** Secrets Manager's own default when the property is not set. */
const AWS_DEFAULT_RECOVERY_WINDOW_DAYS = 30;

export const secretRecoveryWindow = resourcePolicy<RecoveryWindowConfig>({
    name: "secret-recovery-window",
    description: "Secrets Manager secrets must keep a recovery window of at least minimumDays (default 7); 0 deletes a secret without recovery.",
    enforcementLevel: "mandatory",
    resourceTypes: [types.SECRET],
    config: {
        schema: {
            minimumDays: {
                type: "integer",
                minimum: 7,
                maximum: 30,
                description: "Smallest recoveryWindowInDays allowed (Secrets Manager accepts 7 to 30, or 0 for no recovery).",
                default: 7,
            },
            allowDeleteWithoutRecovery: {
                type: "boolean",
                description: "Let recoveryWindowInDays 0 (delete without recovery) pass, for disposable stacks destroyed and re-created the same day; set it in those stacks' policy config only.",
                default: false,
            },
        },
        defaults: { minimumDays: 7, allowDeleteWithoutRecovery: false },
    },
    check: (resource, config, report, opaque, terms) => {
        const days = resource.props.recoveryWindowInDays;
        const property = terms.path(resource.type, "recoveryWindowInDays");
        if (opaque.check(days, "recoveryWindowInDays")) {
            return;
        }
        const effective = days === undefined || days === null ? AWS_DEFAULT_RECOVERY_WINDOW_DAYS : Number(days);
        if (effective === 0 && config.allowDeleteWithoutRecovery) {
            return;
        }
        if (!(effective >= config.minimumDays)) {
            const keep = `set it to at least ${config.minimumDays} (or leave it unset for AWS's ${AWS_DEFAULT_RECOVERY_WINDOW_DAYS})`;
            report(effective === 0
                ? `${property} is 0: a deleted secret is destroyed at once, without recovery; ${keep}, or, in a stack meant to be ` +
                    `destroyed and re-created the same day, allow it in ${terms.policyConfig}: ` +
                    '{"secret-recovery-window": {"allowDeleteWithoutRecovery": true}}'
                : `${property} is ${describeValue(days)}: a deleted secret is restorable for only ${effective} day(s); ${keep}`);
        }
    },
});

export const secretPolicies = [secretRecoveryWindow];
