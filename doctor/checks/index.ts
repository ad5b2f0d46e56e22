/**
 * Every doctor check, in the order the command reports them (check-result.ts's CHECK_IDS). Pure:
 * the snapshot and the target in, one result per check out.
 */
import { CHECK_IDS, CheckId, CheckResult } from "../check-result";
import { DeploymentSnapshot } from "../snapshot";
import { DoctorTarget } from "../target";
import { checkAuditTrail } from "./audit-trail";
import { checkDbSecretMatch } from "./db-secret-match";
import { checkExecutionRoleAccess } from "./execution-role-access";
import { checkJwtPrevious } from "./jwt-previous";
import { checkLogLeaks } from "./log-leaks";
import { checkNetworkPath } from "./network-path";
import { checkRdsRotation } from "./rds-rotation";
import { checkSecretReferences } from "./secret-references";
import { checkStaleTasks } from "./stale-tasks";

type Check = (snapshot: DeploymentSnapshot, target: DoctorTarget) => CheckResult;

const CHECKS: Record<CheckId, Check> = {
    "secret-references": checkSecretReferences,
    "execution-role-access": checkExecutionRoleAccess,
    "network-path": checkNetworkPath,
    "db-secret-match": checkDbSecretMatch,
    "stale-tasks": checkStaleTasks,
    "jwt-previous": checkJwtPrevious,
    "rds-rotation": checkRdsRotation,
    "log-leaks": checkLogLeaks,
    "audit-trail": checkAuditTrail,
};

export function runChecks(snapshot: DeploymentSnapshot, target: DoctorTarget): CheckResult[] {
    return CHECK_IDS.map((id) => CHECKS[id](snapshot, target));
}
