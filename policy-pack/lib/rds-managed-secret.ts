/**
 * The master user secret RDS creates and rotates itself (`manageMasterUserPassword`): named
 * `rds!db-<uuid>` (or `rds!cluster-<uuid>` for Aurora) and holding a JSON document with exactly
 * the keys `username` and `password` (RDS User Guide, "Password management with Amazon RDS and
 * AWS Secrets Manager"). Pure: no Pulumi calls.
 */
import { tryParseArn } from "./arn";

/** The top-level keys of an RDS-managed master user secret's JSON value. */
export const RDS_MANAGED_SECRET_KEYS: readonly string[] = ["username", "password"];

const RDS_MANAGED_SECRET_RESOURCE = /^secret:rds!/;

/** Whether a Secrets Manager secret ARN (full or partial) names an RDS-managed master user secret. */
export function isRdsManagedSecretArn(secretArn: string): boolean {
    const arn = tryParseArn(secretArn);
    return arn !== undefined && arn.service === "secretsmanager" && RDS_MANAGED_SECRET_RESOURCE.test(arn.resource);
}
