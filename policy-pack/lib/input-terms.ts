/**
 * The words a policy's message uses for what it checks: property names, settings, resources, the
 * state and when unknown values become known, in the terms of the tool whose input is checked.
 * The policies read every input as Pulumi resources (Pulumi type tokens and property names), so
 * they name a property by its Pulumi path and let `InputTerms` say it as the user wrote it:
 * PULUMI_TERMS (here: what CrossGuard and a Pulumi stack export or preview get) leaves everything
 * as it is, the Terraform adapters' terms (audit/formats/terraform-terms.ts) turn it back into the
 * Terraform attribute through the same table that read it. Pure: no Pulumi calls.
 */

export interface InputTerms {
    /** The tool whose input is checked, as messages name it: `Pulumi`, `Terraform`. */
    readonly tool: string;
    /**
     * What the tool calls the identifier a finding names its resource by: `urn`, `address`. The
     * audit's JSON output gives it under `resource`, and under this name too (`urn`, as it always has).
     */
    readonly identifier: string;
    /** What the user wrote the resources in: `program`, `configuration`. */
    readonly source: string;
    /** Where the tool keeps every attribute value, secrets included: `the Pulumi state`. */
    readonly state: string;
    /** Where a policy configuration for one stack or deployment goes, for the advice that names it. */
    readonly policyConfig: string;
    /**
     * A property path of a resource of Pulumi type `type` as the input spells it:
     * `masterUserSecrets[0].kmsKeyId` stays so in Pulumi and is `master_user_secret[0].kms_key_id`
     * in Terraform. What follows a space (a path inside a JSON document, `policy Statement[0].Effect`),
     * and the inside of a property holding a JSON document or a map, keep their own names.
     */
    path(type: string, path: string): string;
    /** A property set to a value (a literal as the input writes it): `manageMasterUserPassword: true`, `manage_master_user_password = true`. */
    setting(type: string, property: string, value: string): string;
    /** A resource by the name the input gives it: `Pulumi resource jwt`, `Terraform resource module.secrets.aws_secretsmanager_secret.jwt`. */
    resource(name: string): string;
    /** After the paths of values not known yet: why, and when the check completes. */
    readonly unknownValues: string;
    /** How the advisory of a check that could not finish begins, `duringPreview` when values were unknown (not only encrypted or unseen). */
    incompleteCheck(policyName: string, duringPreview: boolean): string;
}

/** Pulumi's own terms: a Pulumi path is what the policies read, and the policy server's words for what it cannot finish. */
export const PULUMI_TERMS: InputTerms = {
    tool: "Pulumi",
    identifier: "urn",
    source: "program",
    state: "the Pulumi state",
    policyConfig: "that stack's own policy configuration (`--policy-pack-config`)",
    path: (_type, path) => path,
    setting: (_type, property, value) => `${property}: ${value}`,
    resource: (name) => `Pulumi resource ${name}`,
    unknownValues: "(unknown during preview); the check completes when they are known (pulumi up checks again)",
    incompleteCheck: (policyName, duringPreview) => (duringPreview
        ? `can't run policy '${policyName}' during preview`
        : `policy '${policyName}' could not check everything`),
};
