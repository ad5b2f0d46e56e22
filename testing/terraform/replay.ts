/**
 * Loads the generated deployment (tests/fixtures/terraform/generated/) into a moto server in a
 * second or two instead of the two-minute apply: seeds moto's random generator as the generator
 * did and replays the recording of the apply (artefacts.ts, RECORDING_FILE). The VPC, subnets,
 * security groups, endpoint, secrets (with the version the state records), parameter, roles,
 * policies, database, cluster, task definition and service then have the ids and ARNs of
 * `terraform.tfstate`.
 *
 * One exception, a moto limitation: moto names an RDS-managed master secret `rds!db-<uuid4>`
 * (moto/rds/models.py, `_generate_secret_name`), from a generator the seed does not reach, so the
 * replayed database's secret has another ARN than the state records. The replay is split at
 * CreateDBInstance and the requests after it are given the new ARN, so the deployment stays
 * consistent (the task definition's DB_PASSWORD and the execution role's grant name the
 * database's actual secret); `LoadedDeployment` gives both ARNs.
 */
import { DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import * as fs from "fs";
import * as path from "path";
import { MotoServer } from "../moto-server";
import { GENERATED_DIR, MOTO_SEED, RECORDING_FILE, STATE_FILE } from "./artefacts";

export interface LoadedDeployment {
    /** The master secret of the replayed database, as moto named it this time. */
    readonly rdsMasterSecretArn: string;
    /** The master secret ARN `terraform.tfstate` records (absent from the replayed moto). */
    readonly stateRdsMasterSecretArn: string;
}

interface RecordedRequest {
    headers: Record<string, string>;
    method: string;
    url: string;
    body: string | null;
    body_encoded: boolean;
}

const RDS_SECRET_UUID = /rds!db-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/;

/**
 * Replays the generated deployment into `server`, which should be fresh (nothing created yet).
 * @param dir the generated artefacts' folder. Default: tests/fixtures/terraform/generated.
 * @throws Error when the recording has no CreateDBInstance or moto reports no master secret.
 */
export async function loadGeneratedDeployment(server: MotoServer, dir: string = GENERATED_DIR): Promise<LoadedDeployment> {
    return replayDeployment(server, fs.readFileSync(path.join(dir, RECORDING_FILE), "utf8"), fs.readFileSync(path.join(dir, STATE_FILE), "utf8"));
}

/** loadGeneratedDeployment with the recording and the state (v4) given as text. */
export async function replayDeployment(server: MotoServer, recording: string, stateV4: string): Promise<LoadedDeployment> {
    const stateRdsMasterSecretArn = rdsMasterSecretArnInState(stateV4);
    const requests = recording.split("\n").filter(Boolean).map((line) => JSON.parse(line) as RecordedRequest);
    const split = requests.findIndex((request) => /(?:^|&)Action=CreateDBInstance(?:&|$)/.test(bodyText(request))) + 1;
    if (split === 0) {
        throw new Error("the recording has no CreateDBInstance request");
    }
    await server.seed(MOTO_SEED);
    await server.replay(jsonLines(requests.slice(0, split)));
    const rdsMasterSecretArn = await masterSecretArn(server, databaseIdentifier(stateV4));
    const recordedUuid = RDS_SECRET_UUID.exec(stateRdsMasterSecretArn)![1];
    const replayedUuid = RDS_SECRET_UUID.exec(rdsMasterSecretArn)![1];
    await server.replay(jsonLines(requests.slice(split).map((request) => renamed(request, recordedUuid, replayedUuid))));
    return { rdsMasterSecretArn, stateRdsMasterSecretArn };
}

function bodyText(request: RecordedRequest): string {
    return request.body_encoded && request.body ? Buffer.from(request.body, "base64").toString("utf8") : request.body ?? "";
}

function jsonLines(requests: readonly RecordedRequest[]): string {
    return requests.map((request) => `${JSON.stringify(request)}\n`).join("");
}

/** The request with one uuid replaced by another of the same length (so Content-Length stays right). */
function renamed(request: RecordedRequest, from: string, to: string): RecordedRequest {
    const body = bodyText(request).split(from).join(to);
    return {
        ...request,
        url: request.url.split(from).join(to),
        body: request.body_encoded ? Buffer.from(body, "utf8").toString("base64") : body,
    };
}

interface StateV4 {
    resources: Array<{ type: string; instances: Array<{ attributes: Record<string, unknown> }> }>;
}

function databaseInstance(stateV4: string): Record<string, unknown> {
    const instance = (JSON.parse(stateV4) as StateV4).resources.find((resource) => resource.type === "aws_db_instance")?.instances[0];
    if (!instance) {
        throw new Error("the state has no aws_db_instance");
    }
    return instance.attributes;
}

function databaseIdentifier(stateV4: string): string {
    return databaseInstance(stateV4).identifier as string;
}

function rdsMasterSecretArnInState(stateV4: string): string {
    const secrets = databaseInstance(stateV4).master_user_secret as Array<{ secret_arn: string }> | undefined;
    const arn = secrets?.[0]?.secret_arn;
    if (!arn || !RDS_SECRET_UUID.test(arn)) {
        throw new Error("the state's aws_db_instance has no RDS-managed master secret (master_user_secret)");
    }
    return arn;
}

/** The instance's `MasterUserSecret.SecretArn` (RDS DescribeDBInstances). */
async function masterSecretArn(server: MotoServer, identifier: string): Promise<string> {
    const { DBInstances } = await new RDSClient(server.clientConfig).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }));
    const arn = DBInstances?.[0]?.MasterUserSecret?.SecretArn;
    if (!arn || !RDS_SECRET_UUID.test(arn)) {
        throw new Error(`moto reports no RDS-managed master secret for ${identifier} after the replay`);
    }
    return arn;
}
