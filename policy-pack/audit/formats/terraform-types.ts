/**
 * Terraform's AWS resource types as Pulumi names them: for each `hashicorp/aws` type, the Pulumi
 * type token of the same AWS resource and how its attribute names become Pulumi property names.
 * The one table the Terraform adapters (`terraform-plan.ts`, `terraform-state.ts`) and the
 * adoption tool (`tools/adopt/`) read, and, backwards, the audit's messages about Terraform input
 * (`terraform-terms.ts`).
 *
 * `@pulumi/aws` bridges terraform-provider-aws, so a Pulumi property is the Terraform attribute
 * under the bridge's naming: snake_case becomes camelCase; a list block named in the singular is
 * named in the plural (`inline_policy` -> `inlinePolicies`); a block of at most one element
 * (MaxItems 1) is an object instead of a one-element list (pulumi/pulumi-terraform#37, "List
 * parameters should be flattened if MaxItems == 1"). The exceptions are listed per type below; a
 * test (tests/terraform-types.test.ts) checks every attribute of the generated Terraform
 * state against the `...State` declarations of @pulumi/aws, so the table cannot drift from them.
 * Pure: no Pulumi calls.
 */
import { isRecord } from "../../lib/unknowns";
import * as types from "../../policies/resource-types";

export interface TerraformTypeMapping {
    /** The Pulumi type token of the same AWS resource, e.g. "aws:iam/role:Role". */
    readonly pulumiType: string;
    /** Attributes whose Pulumi name is not their camelCase, e.g. `{ inline_policy: "inlinePolicies" }`. */
    readonly renamed?: Readonly<Record<string, string>>;
    /** Blocks of at most one element, which Pulumi holds as an object, e.g. `network_configuration`. */
    readonly singleBlocks?: readonly string[];
    /** Map attributes besides `tags` (keys are the user's names, kept as they are), as dotted Terraform paths. */
    readonly maps?: readonly string[];
    /** Attributes of hashicorp/aws 5 that @pulumi/aws 7 (which bridges terraform-provider-aws 6) no longer has. */
    readonly removed?: readonly string[];
    /**
     * Attributes holding a JSON document whose inside the policies' messages name by path
     * (`container_definitions[0].secrets[1]`): its keys are the document's own, in either tool.
     */
    readonly jsonDocuments?: readonly string[];
}

/** Every type the table knows; a Terraform type absent here keeps its Terraform type and names. */
export const TERRAFORM_TYPES: Readonly<Record<string, TerraformTypeMapping>> = {
    aws_iam_policy: { pulumiType: types.IAM_POLICY },
    aws_iam_role_policy: { pulumiType: types.IAM_ROLE_POLICY },
    aws_iam_user_policy: { pulumiType: types.IAM_USER_POLICY },
    aws_iam_group_policy: { pulumiType: types.IAM_GROUP_POLICY },
    aws_iam_role: { pulumiType: types.IAM_ROLE, renamed: { inline_policy: "inlinePolicies" } },
    aws_iam_role_policy_attachment: { pulumiType: types.IAM_ROLE_POLICY_ATTACHMENT },
    aws_iam_policy_attachment: { pulumiType: types.IAM_POLICY_ATTACHMENT },
    aws_iam_role_policy_attachments_exclusive: { pulumiType: types.IAM_ROLE_POLICY_ATTACHMENTS_EXCLUSIVE },
    aws_secretsmanager_secret: { pulumiType: types.SECRET, renamed: { replica: "replicas" } },
    aws_secretsmanager_secret_policy: { pulumiType: types.SECRET_POLICY },
    aws_secretsmanager_secret_version: { pulumiType: "aws:secretsmanager/secretVersion:SecretVersion" },
    aws_secretsmanager_secret_rotation: { pulumiType: "aws:secretsmanager/secretRotation:SecretRotation", singleBlocks: ["rotation_rules"] },
    aws_db_instance: {
        pulumiType: types.RDS_INSTANCE,
        renamed: { master_user_secret: "masterUserSecrets", listener_endpoint: "listenerEndpoints" },
        singleBlocks: ["blue_green_update", "restore_to_point_in_time", "s3_import"],
    },
    aws_rds_cluster: {
        pulumiType: types.RDS_CLUSTER,
        renamed: { master_user_secret: "masterUserSecrets" },
        singleBlocks: ["restore_to_point_in_time", "s3_import", "scaling_configuration", "serverlessv2_scaling_configuration"],
    },
    aws_db_subnet_group: { pulumiType: "aws:rds/subnetGroup:SubnetGroup" },
    aws_db_parameter_group: { pulumiType: "aws:rds/parameterGroup:ParameterGroup", renamed: { parameter: "parameters" } },
    aws_ecs_cluster: {
        pulumiType: "aws:ecs/cluster:Cluster",
        renamed: { setting: "settings" },
        singleBlocks: ["configuration", "service_connect_defaults"],
    },
    aws_ecs_task_definition: {
        pulumiType: types.ECS_TASK_DEFINITION,
        renamed: { volume: "volumes" },
        // Elastic Inference reached its end of life; provider 6 dropped the block.
        removed: ["inference_accelerator"],
        jsonDocuments: ["container_definitions"],
        singleBlocks: ["ephemeral_storage", "proxy_configuration", "runtime_platform"],
    },
    aws_ecs_service: {
        pulumiType: "aws:ecs/service:Service",
        renamed: {
            capacity_provider_strategy: "capacityProviderStrategies",
            load_balancer: "loadBalancers",
            ordered_placement_strategy: "orderedPlacementStrategies",
        },
        singleBlocks: [
            "alarms", "deployment_circuit_breaker", "deployment_controller", "network_configuration",
            "service_connect_configuration", "service_registries", "volume_configuration",
        ],
        maps: ["triggers"],
    },
    aws_lambda_function: {
        pulumiType: types.LAMBDA_FUNCTION,
        renamed: { function_name: "name", file_system_config: "fileSystemConfig" },
        singleBlocks: ["dead_letter_config", "environment", "ephemeral_storage", "image_config", "logging_config", "snap_start", "tracing_config", "vpc_config"],
        maps: ["environment.variables"],
    },
    aws_kms_key: { pulumiType: types.KMS_KEY },
    aws_kms_alias: { pulumiType: types.KMS_ALIAS },
    aws_kms_key_policy: { pulumiType: types.KMS_KEY_POLICY },
    aws_kms_grant: { pulumiType: types.KMS_GRANT, maps: ["constraints.encryption_context_equals", "constraints.encryption_context_subset"] },
    aws_cloudwatch_log_group: { pulumiType: "aws:cloudwatch/logGroup:LogGroup" },
    aws_ssm_parameter: { pulumiType: types.SSM_PARAMETER },
    aws_vpc: { pulumiType: "aws:ec2/vpc:Vpc" },
    aws_subnet: { pulumiType: "aws:ec2/subnet:Subnet" },
    aws_security_group: { pulumiType: "aws:ec2/securityGroup:SecurityGroup" },
    aws_vpc_security_group_egress_rule: { pulumiType: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule" },
    aws_vpc_security_group_ingress_rule: { pulumiType: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" },
    aws_vpc_endpoint: {
        pulumiType: "aws:ec2/vpcEndpoint:VpcEndpoint",
        renamed: { dns_entry: "dnsEntries", subnet_configuration: "subnetConfigurations" },
        singleBlocks: ["dns_options"],
    },
};

/** Map attributes of every AWS resource: their keys are tag names. */
const TAG_MAPS = ["tags", "tags_all"];

/**
 * Attributes Terraform keeps that are not properties in Pulumi: `id` is the resource's ID (the
 * import ID of most types), `timeouts` a resource option (`customTimeouts`).
 */
const NOT_PROPERTIES = new Set(["id", "timeouts"]);

/** `inline_policy` -> `inlinePolicy`: the bridge's default name of an attribute. */
export function camelCase(attribute: string): string {
    return attribute.replace(/_([a-z0-9])/g, (_match, next: string) => next.toUpperCase());
}

/** The Pulumi name of a top-level attribute of `terraformType` (undefined for `id`, `timeouts` and removed attributes). */
export function pulumiPropertyName(terraformType: string, attribute: string): string | undefined {
    const mapping = TERRAFORM_TYPES[terraformType];
    if (NOT_PROPERTIES.has(attribute) || mapping?.removed?.includes(attribute)) {
        return undefined;
    }
    return mapping?.renamed?.[attribute] ?? camelCase(attribute);
}

/**
 * What a value is besides itself: Terraform marks a value unknown in a plan (`after_unknown`) and
 * sensitive in a plan or state (`after_sensitive`, `sensitive_values`), each as a tree of the
 * value's shape with `true` where it applies (the whole value or any part of it).
 */
export interface ValueMarks {
    readonly unknown?: unknown;
    readonly sensitive?: unknown;
}

/** How a marked value appears among the Pulumi properties. */
export interface MarkedValueEncoding {
    /** Stands for a value Terraform does not know yet (Pulumi's unknown sentinel). */
    readonly unknown: unknown;
    /** Wraps a sensitive value (as Pulumi wraps a secret). */
    sensitive(value: unknown): unknown;
}

/**
 * A Terraform resource's attribute values as Pulumi properties of its type: names per the table,
 * single blocks as objects, map keys kept, unknown and sensitive values encoded per `encoding`.
 * A type the table does not know keeps its attribute names.
 */
export function pulumiProperties(
    terraformType: string, values: Record<string, unknown>, marks: ValueMarks, encoding: MarkedValueEncoding,
): Record<string, unknown> {
    const mapping = TERRAFORM_TYPES[terraformType];
    const known = mapping !== undefined;
    const single = new Set(mapping?.singleBlocks ?? []);
    const maps = new Set([...TAG_MAPS, ...(mapping?.maps ?? [])]);
    const props: Record<string, unknown> = {};
    for (const attribute of keysOf(values, marks.unknown)) {
        const name = known ? pulumiPropertyName(terraformType, attribute) : attribute;
        if (name === undefined) {
            continue;
        }
        const value = convert(values[attribute], childMarks(marks, attribute), attribute, {
            rename: known ? camelCase : (key) => key, maps, encoding,
        });
        props[name] = single.has(attribute) && Array.isArray(value) ? value[0] : value;
    }
    return props;
}

interface Conversion {
    readonly rename: (key: string) => string;
    readonly maps: ReadonlySet<string>;
    readonly encoding: MarkedValueEncoding;
}

function convert(value: unknown, marks: ValueMarks, path: string, conversion: Conversion): unknown {
    if (marks.unknown === true) {
        return conversion.encoding.unknown;
    }
    if (marks.sensitive === true) {
        return conversion.encoding.sensitive(convert(value, { unknown: marks.unknown }, path, conversion));
    }
    if (Array.isArray(value) || Array.isArray(marks.unknown)) {
        const list = Array.isArray(value) ? value : [];
        const length = Math.max(list.length, Array.isArray(marks.unknown) ? marks.unknown.length : 0);
        return Array.from({ length }, (_, index) => convert(list[index], childMarks(marks, index), path, conversion));
    }
    if (isRecord(value) || isRecord(marks.unknown)) {
        const record = isRecord(value) ? value : {};
        const isMap = conversion.maps.has(path);
        const result: Record<string, unknown> = {};
        for (const key of keysOf(record, marks.unknown)) {
            result[isMap ? key : conversion.rename(key)] = convert(record[key], childMarks(marks, key), isMap ? path : `${path}.${key}`, conversion);
        }
        return result;
    }
    return value;
}

/** The keys of a value and of the parts of it a plan marks unknown (Terraform leaves those out of `after`). */
function keysOf(record: Record<string, unknown>, unknown: unknown): string[] {
    const keys = Object.keys(record);
    if (isRecord(unknown)) {
        for (const key of Object.keys(unknown)) {
            if (unknown[key] === true && !(key in record)) {
                keys.push(key);
            }
        }
    }
    return keys;
}

function childMarks(marks: ValueMarks, key: string | number): ValueMarks {
    const part = (tree: unknown): unknown => {
        if (tree === true) {
            return true;
        }
        if (typeof key === "number") {
            return Array.isArray(tree) ? tree[key] : undefined;
        }
        return isRecord(tree) ? tree[key] : undefined;
    };
    return { unknown: part(marks.unknown), sensitive: part(marks.sensitive) };
}
