/**
 * Terraform resources as the audit reads them, whatever document holds them (a plan, a state):
 * each resource instance with its Terraform address and attribute values, turned into the
 * AuditResource the policies read (Pulumi type and property names from `terraform-types.ts`,
 * named by its address), and the terms the policies' messages about it use (`terraform-terms.ts`).
 * What both Terraform adapters share.
 *
 * Values Terraform does not know yet become Pulumi's unknown sentinel, so a policy reports them
 * as not checked yet; sensitive values are wrapped as Pulumi wraps a secret (`value` envelope):
 * the policies read them, and no policy message quotes a value.
 */
import { SECRET_SIGNATURE, SIGNATURE_KEY, UNKNOWN_VALUE } from "../../lib/pulumi-markers";
import { isOpaque, isRecord } from "../../lib/unknowns";
import * as types from "../../policies/resource-types";
import type { AuditResource } from "../engine";
import type { AuditDocument } from "../reader";
import { TERRAFORM_TERMS } from "./terraform-terms";
import { MarkedValueEncoding, TERRAFORM_TYPES, ValueMarks, pulumiProperties } from "./terraform-types";

/** One instance of a managed Terraform resource, as a plan or a state shows it. */
export interface TerraformResource {
    /** Its Terraform address, e.g. `module.iam.aws_iam_role.execution` or `aws_subnet.private[0]`. */
    readonly address: string;
    /** The Terraform type, e.g. `aws_iam_role`. */
    readonly type: string;
    /** Attribute values with Terraform's names (a plan's `after`, a state's `values`); may hold sensitive values in plaintext. */
    readonly values: Record<string, unknown>;
    /** Which values are unknown (plans) or sensitive. */
    readonly marks: ValueMarks;
}

/** The encoding of the audit: Pulumi's unknown sentinel, and Pulumi's secret envelope around a sensitive value. */
const AUDIT_ENCODING: MarkedValueEncoding = {
    unknown: UNKNOWN_VALUE,
    sensitive: (value) => ({ [SIGNATURE_KEY]: SECRET_SIGNATURE, value }),
};

/** The address without instance keys, as configuration references name a resource: `aws_subnet.private`. */
export function baseAddress(address: string): string {
    return address.replace(/\[[^\]]*\]/g, "");
}

/**
 * The Terraform resources as the document the audit reads. `dependencies(resource)` gives, per
 * Pulumi property, the addresses of the resources its value comes from (a plan's configuration
 * references), which connect roles and task definitions while their values are unknown.
 */
export function terraformAuditDocument(
    resources: readonly TerraformResource[],
    dependencies?: (resource: TerraformResource) => Record<string, string[]>,
): Omit<AuditDocument, "format"> {
    const audit = resources.map((resource): AuditResource => {
        const props = pulumiProperties(resource.type, resource.values, resource.marks, AUDIT_ENCODING);
        const result: AuditResource = {
            urn: resource.address,
            type: TERRAFORM_TYPES[resource.type]?.pulumiType ?? resource.type,
            name: resource.address,
            props,
        };
        const propertyDependencies = dependencies?.(resource);
        if (propertyDependencies !== undefined && Object.keys(propertyDependencies).length > 0) {
            result.propertyDependencies = propertyDependencies;
            result.dependencies = [...new Set(Object.values(propertyDependencies).flat())];
        }
        return result;
    });
    withoutRoleDuplicates(audit);
    return { resources: audit, secretsEncrypted: false, terms: TERRAFORM_TERMS };
}

/**
 * A role's `inline_policy` and `managed_policy_arns` are what AWS reports for the role (the
 * provider reads them back on every refresh), so they repeat, and in a plan may predate, the
 * `aws_iam_role_policy` and attachment resources that manage the same policies. Those are
 * checked as their own resources; the role keeps only the policies nothing else in the document
 * manages, so each is judged once, as the plan will leave it.
 */
function withoutRoleDuplicates(resources: AuditResource[]): void {
    const roles = resources.filter((resource) => resource.type === types.IAM_ROLE);
    const roleNamed = (value: unknown) => roles.filter((role) => typeof value === "string" && !isOpaque(value)
        && (role.props.name === value || role.props.arn === value));
    const inline = new Map<AuditResource, Set<unknown>>();
    const attached = new Map<AuditResource, Set<unknown>>();
    const add = (map: Map<AuditResource, Set<unknown>>, role: AuditResource, value: unknown) => {
        map.set(role, (map.get(role) ?? new Set()).add(value));
    };
    for (const resource of resources) {
        if (resource.type === types.IAM_ROLE_POLICY) {
            roleNamed(resource.props.role).forEach((role) => add(inline, role, resource.props.name));
        } else if (resource.type === types.IAM_ROLE_POLICY_ATTACHMENT) {
            roleNamed(resource.props.role).forEach((role) => add(attached, role, resource.props.policyArn));
        }
    }
    for (const role of roles) {
        const { inlinePolicies, managedPolicyArns } = role.props;
        const props = { ...role.props };
        if (Array.isArray(inlinePolicies) && inline.has(role)) {
            props.inlinePolicies = inlinePolicies.filter((entry) => !(isRecord(entry) && inline.get(role)!.has(entry.name)));
        }
        if (Array.isArray(managedPolicyArns) && attached.has(role)) {
            props.managedPolicyArns = managedPolicyArns.filter((arn) => !attached.get(role)!.has(arn));
        }
        role.props = props;
    }
}
