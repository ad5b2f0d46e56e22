/**
 * The Pulumi type tokens the pack's policies read, and where each type keeps what they read.
 *
 * Two providers carry the same AWS resources: `@pulumi/aws` (bridged from terraform-provider-aws)
 * and `@pulumi/aws-native` (CloudFormation's resource schemas through Cloud Control). The same
 * rules apply to both; only the tokens and property names differ. The aws-native ones are those of
 * its schema (@pulumi/aws-native 1.79.0: `aws-native:<service>:<Resource>` tokens, camelCase
 * properties of the CloudFormation resource types, e.g. AWS::IAM::Role's `Policies[].PolicyDocument`
 * as `policies[].policyDocument`).
 */
/** The resource every Pulumi stack has, whose URN is the stack's (stack-level findings carry it). */
export const STACK = "pulumi:pulumi:Stack";

/**
 * A provider resource (`pulumi:providers:<package>`): a stack's state holds one for each provider
 * its resources use, the default ones included, which `pulumi preview` and `up` do not count.
 */
export function isProviderType(type: string): boolean {
    return type.startsWith("pulumi:providers:");
}
export const IAM_POLICY = "aws:iam/policy:Policy";
export const IAM_ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
export const IAM_USER_POLICY = "aws:iam/userPolicy:UserPolicy";
export const IAM_GROUP_POLICY = "aws:iam/groupPolicy:GroupPolicy";
export const IAM_ROLE = "aws:iam/role:Role";
export const IAM_ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
export const IAM_POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment";
export const IAM_ROLE_POLICY_ATTACHMENTS_EXCLUSIVE = "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive";
export const SECRET = "aws:secretsmanager/secret:Secret";
export const SECRET_POLICY = "aws:secretsmanager/secretPolicy:SecretPolicy";
export const RDS_INSTANCE = "aws:rds/instance:Instance";
export const RDS_CLUSTER = "aws:rds/cluster:Cluster";
export const ECS_TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
export const LAMBDA_FUNCTION = "aws:lambda/function:Function";
export const KMS_KEY = "aws:kms/key:Key";
export const KMS_ALIAS = "aws:kms/alias:Alias";
export const KMS_KEY_POLICY = "aws:kms/keyPolicy:KeyPolicy";
export const KMS_GRANT = "aws:kms/grant:Grant";
export const SSM_PARAMETER = "aws:ssm/parameter:Parameter";
export const AWSX_FARGATE_TASK_DEFINITION = "awsx:ecs:FargateTaskDefinition";
export const AWSX_EC2_TASK_DEFINITION = "awsx:ecs:EC2TaskDefinition";
export const AWSX_FARGATE_SERVICE = "awsx:ecs:FargateService";
export const AWSX_EC2_SERVICE = "awsx:ecs:EC2Service";

export const NATIVE_IAM_ROLE = "aws-native:iam:Role";
export const NATIVE_IAM_ROLE_POLICY = "aws-native:iam:RolePolicy";
export const NATIVE_IAM_USER = "aws-native:iam:User";
export const NATIVE_IAM_USER_POLICY = "aws-native:iam:UserPolicy";
export const NATIVE_IAM_GROUP = "aws-native:iam:Group";
export const NATIVE_IAM_GROUP_POLICY = "aws-native:iam:GroupPolicy";
export const NATIVE_IAM_MANAGED_POLICY = "aws-native:iam:ManagedPolicy";
export const NATIVE_SECRET = "aws-native:secretsmanager:Secret";
export const NATIVE_SECRET_RESOURCE_POLICY = "aws-native:secretsmanager:ResourcePolicy";
export const NATIVE_RDS_DB_INSTANCE = "aws-native:rds:DbInstance";
export const NATIVE_RDS_DB_CLUSTER = "aws-native:rds:DbCluster";
export const NATIVE_ECS_TASK_DEFINITION = "aws-native:ecs:TaskDefinition";
export const NATIVE_LAMBDA_FUNCTION = "aws-native:lambda:Function";
export const NATIVE_KMS_KEY = "aws-native:kms:Key";
export const NATIVE_KMS_ALIAS = "aws-native:kms:Alias";

export const AWSX_CONTAINER_COMPONENTS = [
    AWSX_FARGATE_TASK_DEFINITION, AWSX_EC2_TASK_DEFINITION, AWSX_FARGATE_SERVICE, AWSX_EC2_SERVICE,
] as const;

/** ECS task definitions: `containerDefinitions` (a JSON string, or a list), `executionRoleArn`, `taskRoleArn`. */
export const TASK_DEFINITIONS: readonly string[] = [ECS_TASK_DEFINITION, NATIVE_ECS_TASK_DEFINITION];
/** Lambda functions: `environment.variables`. */
export const LAMBDA_FUNCTIONS: readonly string[] = [LAMBDA_FUNCTION, NATIVE_LAMBDA_FUNCTION];

/** Where a resource holds IAM policy documents: in a property, or in each entry of a list property. */
export interface DocumentLocation {
    readonly property: string;
    /** The property of each list entry that holds a document, when `property` is a list. */
    readonly entryProperty?: string;
}

/** Identity-based policies (attached to a principal), by type. */
export const IDENTITY_POLICY_DOCUMENTS: ReadonlyMap<string, DocumentLocation> = new Map([
    [IAM_POLICY, { property: "policy" }],
    [IAM_ROLE_POLICY, { property: "policy" }],
    [IAM_USER_POLICY, { property: "policy" }],
    [IAM_GROUP_POLICY, { property: "policy" }],
    [IAM_ROLE, { property: "inlinePolicies", entryProperty: "policy" }],
    [NATIVE_IAM_MANAGED_POLICY, { property: "policyDocument" }],
    [NATIVE_IAM_ROLE_POLICY, { property: "policyDocument" }],
    [NATIVE_IAM_USER_POLICY, { property: "policyDocument" }],
    [NATIVE_IAM_GROUP_POLICY, { property: "policyDocument" }],
    [NATIVE_IAM_ROLE, { property: "policies", entryProperty: "policyDocument" }],
    [NATIVE_IAM_USER, { property: "policies", entryProperty: "policyDocument" }],
    [NATIVE_IAM_GROUP, { property: "policies", entryProperty: "policyDocument" }],
]);

/** Resource policies of secrets, by type. */
export const SECRET_RESOURCE_POLICY_DOCUMENTS: ReadonlyMap<string, DocumentLocation> = new Map([
    [SECRET_POLICY, { property: "policy" }],
    [SECRET, { property: "policy" }],
    [NATIVE_SECRET_RESOURCE_POLICY, { property: "resourcePolicy" }],
]);

/** IAM roles: the properties whose values name them (ARN, role name), and their trust policy. */
export interface RoleShape {
    readonly references: readonly string[];
    readonly nameProperty: string;
    readonly trustPolicy: string;
}

export const ROLES: ReadonlyMap<string, RoleShape> = new Map([
    [IAM_ROLE, { references: ["arn", "name"], nameProperty: "name", trustPolicy: "assumeRolePolicy" }],
    [NATIVE_IAM_ROLE, { references: ["arn", "roleName"], nameProperty: "roleName", trustPolicy: "assumeRolePolicyDocument" }],
]);

/** Inline role policies: the property that names their role. */
export const ROLE_POLICY_ROLE: ReadonlyMap<string, string> = new Map([
    [IAM_ROLE_POLICY, "role"],
    [NATIVE_IAM_ROLE_POLICY, "roleName"],
]);

/** Customer managed policies the stack holds: the property holding their ARN. */
export const MANAGED_POLICY_ARN: ReadonlyMap<string, string> = new Map([
    [IAM_POLICY, "arn"],
    [NATIVE_IAM_MANAGED_POLICY, "policyArn"],
]);
