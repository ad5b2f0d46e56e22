/**
 * The IAM actions ECS Exec needs on a task's role: the SSM Session Manager channels (service prefix
 * `ssmmessages`). They support no resource-level permissions, so AWS documents them with
 * `Resource: "*"` (Amazon ECS Developer Guide, "Monitor Amazon ECS containers with ECS Exec", IAM
 * permissions required for ECS Exec). The program grants them; the pack's `no-wildcard-resource`
 * accepts them on "*" because the Service Authorization Reference lists no resource type for them.
 */
export const ECS_EXEC_ACTIONS: readonly string[] = [
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
];
