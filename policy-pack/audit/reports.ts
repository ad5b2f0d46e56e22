/**
 * The ways the audit prints its result. Each is an AuditReport of the violations and the document
 * they were found in (its format, resources, stack, whether secrets were encrypted); another
 * output is one more AuditReport here, named in REPORTS, which the CLI's `--format` chooses from.
 */
import { createHash } from "crypto";
import { readFileSync } from "fs";
import * as path from "path";
import type { Result } from "sarif";
import { PACK_NAME } from "../lib/pack";
import { policies } from "../policies";
import { isProviderType } from "../policies/resource-types";
import type { EnforcementLevel, Violation } from "./engine";
import type { AuditDocument } from "./reader";

/** Where the audited document came from, for reports that name it. */
export interface ReportSource {
    /** The input file, relative to the user's folder with `/` separators; absent for stdin. */
    readonly file?: string;
}

export type AuditReport = (violations: readonly Violation[], document: AuditDocument, source?: ReportSource) => string;

/**
 * Exactly one JSON array (`--json`) of `{policyName, resource, <identifier>, message,
 * enforcementLevel}`: `resource` identifies the resource in any input (its URN, its Terraform
 * address; "" for a finding about the whole stack that has no resource of its own), and the same
 * value is repeated under the input tool's own name for it (`urn` for Pulumi documents, as before
 * `resource` existed; `address` for Terraform plans and states).
 */
export const jsonReport: AuditReport = (violations, document) => JSON.stringify(violations.map(({ policyName, urn, message, enforcementLevel }) =>
    ({ policyName, resource: urn, [document.terms.identifier]: urn, message, enforcementLevel })));

/** The violations as a table, with a summary line (what `policy:audit` prints by default). */
export const tableReport: AuditReport = (violations, document) => {
    const resourceCount = countResources(document);
    if (violations.length === 0) {
        return `No policy violations in ${resourceCount}.`;
    }
    const rows = violations.map((v) => [v.enforcementLevel, v.policyName, shortUrn(v.urn), v.message]);
    const header = ["LEVEL", "POLICY", "RESOURCE", "MESSAGE"];
    const widths = header.slice(0, 3).map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
    const line = (cells: string[]) => cells.map((cell, column) => (column < 3 ? cell.padEnd(widths[column]) : cell)).join("  ");
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    return [line(header), ...rows.map(line), "",
        `${violations.length} violation(s) in ${resourceCount}: ${mandatory} mandatory, ${violations.length - mandatory} advisory.`,
    ].join("\n");
};

/**
 * How many resources were audited, in the terms of `pulumi preview`, which counts no provider:
 * `61 resources (59 + 2 providers)` for the export of a preview that said `+ 59 to create`.
 */
export function countResources(document: AuditDocument): string {
    const total = document.resources.length;
    const providers = document.resources.filter((resource) => isProviderType(resource.type)).length;
    const resources = (count: number) => `${count} resource${count === 1 ? "" : "s"}`;
    return providers === 0 ? resources(total) : `${resources(total)} (${total - providers} + ${providers} provider${providers === 1 ? "" : "s"})`;
}

/** `urn:pulumi:stack::project::a$b::name` reads better as `b::name`. */
function shortUrn(urn: string): string {
    if (urn === "") {
        return "(stack)";
    }
    const parts = urn.split("::");
    return parts.length >= 4 ? `${parts[parts.length - 2].split("$").pop()}::${parts[parts.length - 1]}` : urn;
}

/** SARIF levels of the enforcement levels a violation can have ("remediate" is reported as mandatory). */
const SARIF_LEVEL: Readonly<Record<EnforcementLevel, Result.level>> = {
    mandatory: "error", remediate: "error", advisory: "warning", disabled: "none",
};

/** The pack's version, as its package.json (and PulumiPolicy.yaml) gives it. */
function packVersion(): string {
    return (JSON.parse(readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as { version: string }).version;
}

/**
 * A SARIF 2.1.0 log (OASIS SARIF v2.1.0, https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html),
 * built with node-sarif-builder, for GitHub code scanning and other SARIF consumers (`--format
 * sarif`): one run of the pack (tool.driver `adma-security`, one rule per policy with its
 * description and default level), one result per violation with its policy as ruleId, its level
 * (mandatory: error, advisory: warning), its message, and as its location the resource's
 * identifier (its URN, or its Terraform address: a logical location of kind "resource") and, when
 * the input was a file, that file. A fingerprint of the policy, resource and message lets code
 * scanning follow a finding from run to run.
 */
export const sarifReport: AuditReport = (violations, _document, source = {}) => {
    // Loaded when a SARIF log is asked for, so that the table and JSON outputs start without it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SarifBuilder, SarifResultBuilder, SarifRuleBuilder, SarifRunBuilder } = require("node-sarif-builder") as typeof import("node-sarif-builder");
    const run = new SarifRunBuilder().initSimple({ toolDriverName: PACK_NAME, toolDriverVersion: packVersion() });
    for (const policy of policies) {
        run.addRule(new SarifRuleBuilder({
            defaultConfiguration: { level: SARIF_LEVEL[policy.enforcementLevel ?? "mandatory"] },
        }).initSimple({ ruleId: policy.name, shortDescriptionText: policy.description ?? policy.name }));
    }
    for (const violation of violations) {
        const resourceName = violation.urn.split("::").pop() ?? violation.urn;
        run.addResult(new SarifResultBuilder({
            locations: [{ logicalLocations: [{ fullyQualifiedName: violation.urn, name: resourceName, kind: "resource" }] }],
            partialFingerprints: {
                [`${PACK_NAME}/v1`]: createHash("sha256").update(`${violation.policyName}\0${violation.urn}\0${violation.message}`).digest("hex"),
            },
        }).initSimple({
            ruleId: violation.policyName,
            level: SARIF_LEVEL[violation.enforcementLevel],
            messageText: violation.message,
            ...(source.file !== undefined && { fileUri: source.file }),
        }));
    }
    const log = new SarifBuilder();
    log.addRun(run);
    return log.buildSarifJsonString({ indent: true });
};

/** Every report the CLI can print, by the name `--format` takes. */
export const REPORTS: Readonly<Record<string, AuditReport>> = { table: tableReport, json: jsonReport, sarif: sarifReport };
