/** The Pulumi type tokens the pack's policies read. */
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
export const AWSX_FARGATE_TASK_DEFINITION = "awsx:ecs:FargateTaskDefinition";
export const AWSX_EC2_TASK_DEFINITION = "awsx:ecs:EC2TaskDefinition";
export const AWSX_FARGATE_SERVICE = "awsx:ecs:FargateService";
export const AWSX_EC2_SERVICE = "awsx:ecs:EC2Service";

export const AWSX_CONTAINER_COMPONENTS = [
    AWSX_FARGATE_TASK_DEFINITION, AWSX_EC2_TASK_DEFINITION, AWSX_FARGATE_SERVICE, AWSX_EC2_SERVICE,
] as const;
