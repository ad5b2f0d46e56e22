// The prod stack's configuration and names, and ARNs of its deployment in the mocks' account and
// region, shared by the tests of the event patterns, the log-leak filters, the redeploy workflow
// and the components that use them.
import { resourceNames } from "../lib/naming";
import { configFrom, MINIMAL_CONFIG } from "./harness";
import { ACCOUNT, REGION } from "./recording-mocks";

export const PROD_CONFIG = configFrom({ ...MINIMAL_CONFIG, environment: "prod" });
export const PROD_NAMES = resourceNames(PROD_CONFIG);

export const JWT_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:/adma/prod/jwt-secret-Xy12Ab`;
export const RDS_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:rds!db-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b-Ab12Cd`;
export const SECRET_ARNS = [JWT_SECRET_ARN, RDS_SECRET_ARN];
export const EXECUTION_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/adma-prod-ecs-execution-role`;
export const LOG_GROUP = "/ecs/adma-prod-backend";
export const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/adma-prod-ecs`;
export const SERVICE_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/adma-prod-ecs/adma-prod-backend`;
/** The service the rotation's redeploy workflow forces a new deployment of. */
export const REDEPLOY_TARGET = { clusterArn: CLUSTER_ARN, serviceArn: SERVICE_ARN };
