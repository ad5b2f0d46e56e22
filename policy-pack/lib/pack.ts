/**
 * The pack's identity: the name `index.ts` gives its PolicyPack (the one the Pulumi service
 * enables, `pulumi policy enable <org>/adma-security`) and the enforcement level of every policy
 * that sets none of its own. The offline audit and the offline preview report under the same.
 */
import type { EnforcementLevel } from "@pulumi/policy";

export const PACK_NAME = "adma-security";
export const PACK_ENFORCEMENT_LEVEL: EnforcementLevel = "mandatory";
