/**
 * The live deployment as a Terraform state describes it: every managed resource instance with its
 * Terraform address and id, and its attributes under the Pulumi type and property names of the
 * same AWS resource (policy-pack/audit/formats/terraform-types.ts, the one mapping table).
 *
 * A value the state marks sensitive is never carried: it is replaced by SENSITIVE, so nothing
 * built from a LiveResource (import file, configuration, report, messages) can hold one.
 */
import { isRecord } from "../../policy-pack/lib/unknowns";
import { InputError } from "../../policy-pack/lib/cli";
import { stateResources } from "../../policy-pack/audit/formats/terraform-state";
import { TerraformResource } from "../../policy-pack/audit/formats/terraform-resources";
import { TERRAFORM_TYPES, pulumiProperties } from "../../policy-pack/audit/formats/terraform-types";

/** Stands for a value the state marks sensitive, whose content the adoption never reads. */
export const SENSITIVE = Object.freeze({ sensitive: true });

export interface LiveResource {
    /** Its Terraform address, e.g. `module.rds.aws_db_instance.this`. */
    readonly address: string;
    readonly terraformType: string;
    /** The Pulumi type token of the same AWS resource; undefined for a type the mapping table does not know. */
    readonly type?: string;
    /** The Terraform id (`id` attribute), which is not always the import ID. */
    readonly id?: string;
    /** Attributes under Pulumi's property names; sensitive values are SENSITIVE. */
    readonly props: Record<string, unknown>;
}

/**
 * The managed resources of a Terraform state in either form (`terraform show -json` of it, or the
 * state file, version 4). Throws an InputError naming the problem when the document is not one.
 */
export function readLiveDeployment(document: unknown): LiveResource[] {
    if (!isRecord(document)) {
        throw new InputError("--tfstate: expected a Terraform state (`terraform show -json` of it, or terraform.tfstate), got something else");
    }
    if ("resource_changes" in document || "planned_values" in document) {
        throw new InputError("--tfstate: this is a plan (`terraform show -json` of a plan file); give the state: `terraform show -json > state.json`, or terraform.tfstate");
    }
    if (typeof document.format_version !== "string" && !("terraform_version" in document)) {
        throw new InputError("--tfstate: expected a Terraform state (`terraform show -json` of it, with format_version, or terraform.tfstate, with version 4)");
    }
    let resources: TerraformResource[];
    try {
        resources = stateResources(document);
    } catch (error) {
        throw new InputError(`--tfstate: ${(error as Error).message}`);
    }
    return resources.map(liveResource);
}

/**
 * The provider marks `aws_ssm_parameter.value` sensitive whatever the parameter's type
 * (terraform-provider-aws `resourceParameter` schema: `value` is `Sensitive`, `insecure_value` its
 * unmarked alternative). A `String` parameter is not a secret: SSM stores and returns it in
 * plaintext to anyone allowed `ssm:GetParameter`, unlike a `SecureString`. Its value is read.
 */
function marksOf(resource: TerraformResource): TerraformResource["marks"] {
    if (resource.type === "aws_ssm_parameter" && resource.values.type === "String" && isRecord(resource.marks.sensitive)) {
        const sensitive = { ...resource.marks.sensitive };
        delete sensitive.value;
        return { ...resource.marks, sensitive };
    }
    return resource.marks;
}

function liveResource(resource: TerraformResource): LiveResource {
    const props = pulumiProperties(resource.type, resource.values, marksOf(resource), { unknown: undefined, sensitive: () => SENSITIVE });
    const id = resource.values.id;
    return {
        address: resource.address,
        terraformType: resource.type,
        type: TERRAFORM_TYPES[resource.type]?.pulumiType,
        ...(typeof id === "string" && { id }),
        props,
    };
}

/** The property at a dotted path (`tags.Name`, `networkConfiguration.subnets`), or undefined. */
export function propertyAt(props: Record<string, unknown>, path: string): unknown {
    let value: unknown = props;
    for (const key of path.split(".")) {
        value = isRecord(value) ? value[key] : Array.isArray(value) ? value[Number(key)] : undefined;
    }
    return value;
}
