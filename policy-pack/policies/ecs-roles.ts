export const ecsRolePolicies = [];
