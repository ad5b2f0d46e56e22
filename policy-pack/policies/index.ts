/**
 * Every policy of the pack, in one list: `index.ts` hands it to PolicyPack, and the offline
 * audit and the tests run these same objects (they never import `index.ts`, whose PolicyPack
 * starts a gRPC server).
 */
import type { Policy } from "@pulumi/policy";
import { containerPolicies } from "./containers";
import { ecsRolePolicies } from "./ecs-roles";
import { iamPolicies } from "./iam";
import { kmsPolicies } from "./kms";
import { rdsPolicies } from "./rds";
import { secretPolicies } from "./secrets";

export const policies: Policy[] = [
    ...iamPolicies,
    ...rdsPolicies,
    ...containerPolicies,
    ...secretPolicies,
    ...kmsPolicies,
    ...ecsRolePolicies,
];
