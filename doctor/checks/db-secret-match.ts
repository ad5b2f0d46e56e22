/**
 * `db-secret-match`: `DB_PASSWORD` reads the master secret of the stack's own database instance
 * (`DescribeDBInstances` `MasterUserSecret.SecretArn`), not another database's. The design
 * document's "Secret ARN points to wrong RDS instance" behind "password authentication failed".
 * Pure: judges the snapshot.
 */
import { tryParseArn } from "../../policy-pack/lib/arn";
import { CheckResult, resultOf } from "../check-result";
import { pulumiUp } from "../fixes";
import { DeploymentSnapshot } from "../snapshot";
import { DoctorTarget } from "../target";
import { taskReferences } from "../task-references";

/** The container variable the program injects the database password as. */
export const DB_PASSWORD_VARIABLE = "DB_PASSWORD";

/** The tag RDS puts on the master secrets it manages, naming their instance (seen on RDS-managed secrets). */
const PRIMARY_INSTANCE_TAG = "aws:rds:primaryDBInstanceArn";

export function checkDbSecretMatch(snapshot: DeploymentSnapshot, target: DoctorTarget): CheckResult {
    const identifier = target.names.database.instance;
    const result = (status: "pass" | "fail" | "warn", message: string, fix?: string) =>
        resultOf("db-secret-match", identifier, [{ status, message, fix }]);
    const { database } = snapshot;
    if (database.status === "error") {
        return result("warn", `could not read database ${identifier}: ${database.error}`);
    }
    if (database.status === "not-found") {
        return result("fail", `database instance ${identifier} does not exist in ${snapshot.region}`,
            `${pulumiUp(target)} (or check adma:projectName and adma:environment in Pulumi.${target.stack}.yaml)`);
    }
    const masterSecretArn = database.value.MasterUserSecret?.SecretArn;
    if (masterSecretArn === undefined) {
        return result("fail", `database ${identifier} does not keep its master password in Secrets Manager (manageMasterUserPassword is off)`,
            `${pulumiUp(target)} (the program sets manageMasterUserPassword)`);
    }
    const references = taskReferences(snapshot.taskDefinition).filter((reference) => reference.use === "environment" && reference.name === DB_PASSWORD_VARIABLE);
    const reference = references.find((candidate) => candidate.container === target.names.backendService.container) ?? references[0];
    if (reference === undefined) {
        return result("fail", `the task definition has no ${DB_PASSWORD_VARIABLE} secret`, `${pulumiUp(target)} (the program injects it)`);
    }
    if (reference.reference?.kind !== "secretsmanager") {
        return result("fail", `${DB_PASSWORD_VARIABLE} does not read a Secrets Manager secret (${reference.valueFrom})`,
            `${pulumiUp(target)} (the program reads ${masterSecretArn}:password::)`);
    }
    const referenced = reference.reference.secretArn;
    if (!sameSecret(referenced, masterSecretArn)) {
        return result("fail", `${DB_PASSWORD_VARIABLE} reads ${referenced}${ownerOf(referenced, snapshot)}, but the master secret of ${identifier} is ${masterSecretArn}`,
            `${pulumiUp(target)} (the task definition takes the ARN from the database's masterUserSecrets and redeploys)`);
    }
    return result("pass", `${DB_PASSWORD_VARIABLE} reads the master secret of ${identifier} (${masterSecretArn})`);
}

/** Equal ARNs, or a partial ARN (without the 6-character suffix Secrets Manager appends) naming the full one. */
export function sameSecret(referenced: string, full: string): boolean {
    return referenced === full || (full.startsWith(`${referenced}-`) && full.length === referenced.length + 7);
}

function ownerOf(secretArn: string, snapshot: DeploymentSnapshot): string {
    const secret = snapshot.secrets.get(secretArn);
    const owner = secret?.status === "ok" ? secret.value.description.Tags?.find((tag) => tag.Key === PRIMARY_INSTANCE_TAG)?.Value : undefined;
    const instance = owner === undefined ? undefined : tryParseArn(owner)?.resource.replace(/^db:/, "");
    return instance === undefined ? "" : ` (the master secret of database ${instance})`;
}
