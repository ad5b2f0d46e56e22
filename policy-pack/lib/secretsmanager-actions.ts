/**
 * Every IAM action of AWS Secrets Manager (service prefix `secretsmanager`), as data.
 *
 * Source: AWS Service Authorization Reference, "Actions, resources, and condition keys for AWS
 * Secrets Manager", table "Actions defined by AWS Secrets Manager"
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html),
 * read 2026-11-28. Cross-checked against every `secretsmanager:` action named in the AWS managed
 * policy snapshot of 2026-03-07 (all of them are in this list).
 *
 * Keep it current: an `Action` list that names all of these but not a newer action is still
 * reported (stricter), but a `NotAction` statement that leaves only a newer action allowed
 * would pass unnoticed.
 */
export const SECRETS_MANAGER_ACTIONS: readonly string[] = [
    "secretsmanager:BatchGetSecretValue",
    "secretsmanager:CancelRotateSecret",
    "secretsmanager:CreateSecret",
    "secretsmanager:DeleteResourcePolicy",
    "secretsmanager:DeleteSecret",
    "secretsmanager:DescribeSecret",
    "secretsmanager:GetRandomPassword",
    "secretsmanager:GetResourcePolicy",
    "secretsmanager:GetSecretValue",
    "secretsmanager:ListSecretVersionIds",
    "secretsmanager:ListSecrets",
    "secretsmanager:PutResourcePolicy",
    "secretsmanager:PutSecretValue",
    "secretsmanager:RemoveRegionsFromReplication",
    "secretsmanager:ReplicateSecretToRegions",
    "secretsmanager:RestoreSecret",
    "secretsmanager:RotateSecret",
    "secretsmanager:StopReplicationToReplica",
    "secretsmanager:TagResource",
    "secretsmanager:UntagResource",
    "secretsmanager:UpdateSecret",
    "secretsmanager:UpdateSecretVersionStage",
    "secretsmanager:ValidateResourcePolicy",
];
