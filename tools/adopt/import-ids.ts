/**
 * The import ID of each resource type adoption imports, in the form the provider documents it:
 * the "Import" section of the type's documentation in @pulumi/aws 7.48.0 (the `## Import` block of
 * `node_modules/@pulumi/aws/<module>/<resource>.d.ts`, the same text as the Pulumi Registry page),
 * which follows terraform-provider-aws's `website/docs/r/<type>.html.markdown` "Import" section.
 * The forms differ per type and often from the Terraform `id` (an RDS instance's `id` is its
 * resource id `db-...`, its import ID the identifier). tests/adopt/import-ids.test.ts checks each
 * form against the documented example of the installed package. Pure: no Pulumi calls.
 */
import { propertyAt, LiveResource } from "./live-deployment";

export interface ImportIdForm {
    /** The form in words, as the documentation gives it. */
    readonly form: string;
    /** What every import ID of the type looks like (the documented example matches it too). */
    readonly shape: RegExp;
    /** The import ID of a live resource of the type; undefined when the state does not hold what it needs. */
    readonly importId: (resource: LiveResource) => string | undefined;
}

const text = (resource: LiveResource, path: string): string | undefined => {
    const value = propertyAt(resource.props, path);
    return typeof value === "string" && value !== "" ? value : undefined;
};
const joined = (separator: string, ...parts: (string | undefined)[]): string | undefined =>
    parts.every((part) => part !== undefined) ? parts.join(separator) : undefined;

const ARN = /^arn:aws[a-z-]*:/;

/** Keyed by Pulumi type token. */
export const IMPORT_ID_FORMS: Readonly<Record<string, ImportIdForm>> = {
    "aws:secretsmanager/secret:Secret": {
        form: "the secret's ARN",
        shape: /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/,
        importId: (r) => text(r, "arn"),
    },
    "aws:secretsmanager/secretVersion:SecretVersion": {
        form: "the secret's ARN and the version id, separated by |",
        shape: /^arn:aws[a-z-]*:secretsmanager:.+\|[^|]+$/,
        importId: (r) => joined("|", text(r, "arn"), text(r, "versionId")),
    },
    "aws:ssm/parameter:Parameter": {
        form: "the parameter's name",
        shape: /^\/?[^:]+$/,
        importId: (r) => text(r, "name"),
    },
    "aws:ec2/securityGroup:SecurityGroup": { form: "the security group's id", shape: /^sg-[0-9a-f]+$/, importId: (r) => r.id },
    "aws:ec2/vpcEndpoint:VpcEndpoint": { form: "the endpoint's id", shape: /^vpce-[0-9a-f]+$/, importId: (r) => r.id },
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": { form: "the security group rule's id", shape: /^sgr-[0-9a-f]+$/, importId: (r) => r.id },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": { form: "the security group rule's id", shape: /^sgr-[0-9a-f]+$/, importId: (r) => r.id },
    "aws:rds/subnetGroup:SubnetGroup": { form: "the DB subnet group's name", shape: /^[a-z0-9 ._-]+$/, importId: (r) => text(r, "name") },
    "aws:rds/parameterGroup:ParameterGroup": { form: "the DB parameter group's name", shape: /^[a-z][a-z0-9-]*$/, importId: (r) => text(r, "name") },
    "aws:rds/instance:Instance": { form: "the DB instance identifier", shape: /^[a-z][a-z0-9-]*$/, importId: (r) => text(r, "identifier") },
    "aws:iam/role:Role": { form: "the role's name", shape: /^[\w+=,.@-]+$/, importId: (r) => text(r, "name") },
    "aws:iam/rolePolicy:RolePolicy": {
        form: "the role's name and the policy's name, separated by :",
        shape: /^[\w+=,.@-]+:[\w+=,.@-]+$/,
        importId: (r) => joined(":", text(r, "role"), text(r, "name")),
    },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
        form: "the role's name and the policy's ARN, separated by /",
        shape: /^[\w+=,.@-]+\/arn:aws[a-z-]*:iam::[^:]*:policy\/.+$/,
        importId: (r) => joined("/", text(r, "role"), text(r, "policyArn")),
    },
    "aws:ecs/cluster:Cluster": { form: "the cluster's name", shape: /^[A-Za-z0-9_-]+$/, importId: (r) => text(r, "name") },
    "aws:ecs/taskDefinition:TaskDefinition": {
        form: "the task definition's ARN (with its revision)",
        shape: /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]+:\d+$/,
        importId: (r) => text(r, "arn"),
    },
    "aws:ecs/service:Service": {
        form: "the cluster's name and the service's name, separated by /",
        shape: /^[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+$/,
        importId: (r) => {
            const cluster = text(r, "cluster");
            return joined("/", cluster !== undefined && ARN.test(cluster) ? cluster.split("/").pop() : cluster, text(r, "name"));
        },
    },
    "aws:cloudwatch/logGroup:LogGroup": { form: "the log group's name", shape: /^[\w#/.-]+$/, importId: (r) => text(r, "name") },
    "aws:kms/key:Key": { form: "the key's id", shape: /^[0-9a-f-]{36}$|^mrk-[0-9a-f]{32}$/, importId: (r) => text(r, "keyId") },
    "aws:kms/alias:Alias": { form: "the alias's name", shape: /^alias\/[\w/-]+$/, importId: (r) => text(r, "name") },
    "aws:secretsmanager/secretRotation:SecretRotation": {
        form: "the secret's ARN",
        shape: /^arn:aws[a-z-]*:secretsmanager:.+$/,
        importId: (r) => text(r, "secretId"),
    },
};

/** The import ID of a live resource, or undefined with no documented form or when the state lacks a part of it. */
export function importIdOf(resource: LiveResource): string | undefined {
    const form = resource.type === undefined ? undefined : IMPORT_ID_FORMS[resource.type];
    return form?.importId(resource);
}
