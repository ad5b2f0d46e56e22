import type { Violation } from "../../policy-pack/audit/engine";
import { parseUrn } from "./urn";

export interface PolicyPackLabel {
    name: string;
    version: string;
}

const LEVEL_ORDER = ["mandatory", "remediate", "advisory"];

export function hasMandatoryViolation(violations: Violation[]): boolean {
    return violations.some((violation) => violation.enforcementLevel === "mandatory");
}

/**
 * Policy results in the layout of `pulumi preview --policy-pack`: the pack with ❌ (a mandatory
 * violation), ⚠️ (advisory only) or ✅, then one entry per violation with its level, policy,
 * resource and message. Every known secret value is masked in messages: the policies see
 * secret plaintext, as CrossGuard's do, and a message must never pass it on.
 */
export function formatPolicyReport(violations: Violation[], pack: PolicyPackLabel, secretValues: string[]): string {
    const reported = violations
        .filter((violation) => violation.enforcementLevel !== "disabled")
        .sort((a, b) => LEVEL_ORDER.indexOf(a.enforcementLevel) - LEVEL_ORDER.indexOf(b.enforcementLevel));
    const status = hasMandatoryViolation(reported) ? "❌" : reported.length > 0 ? "⚠️" : "✅";
    const lines = ["Policies:", `    ${status} ${pack.name}@v${pack.version} (local: policy-pack)`];
    for (const violation of reported) {
        lines.push(`        - [${violation.enforcementLevel}]  ${violation.policyName}  ${resourceLabel(violation.urn)}`.trimEnd());
        const message = maskSecrets(violation.message, secretValues);
        lines.push(...message.split("\n").map((line) => `          ${line}`));
    }
    return lines.join("\n");
}

function resourceLabel(urn: string): string {
    if (!urn) {
        return "";
    }
    try {
        const { type, name } = parseUrn(urn);
        return `(${type}: ${name})`;
    } catch {
        return `(${urn})`;
    }
}

function maskSecrets(text: string, secretValues: string[]): string {
    return secretValues
        .filter((secret) => secret.length > 0)
        .sort((a, b) => b.length - a.length)
        .reduce((masked, secret) => masked.split(secret).join("[secret]"), text);
}
