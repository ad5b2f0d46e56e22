/**
 * The stack configuration that makes the program describe the live deployment: every `adma:*`
 * key whose value the live resources dictate (names, sizes, database settings, the existing VPC
 * and subnets, the KMS mode, the adopted JWT version), each with the Terraform resource and
 * attribute it comes from. Keys the live deployment does not dictate are left out: the program's
 * defaults apply. Pure: no Pulumi calls, no AWS calls.
 *
 * The live resources are found by the part they play, not by their Terraform address: the task
 * definition whose container the service runs, the secrets its `secrets[]` reference, the
 * database whose RDS-managed secret it reads, the log group it writes to.
 */
import { tryParseArn } from "../../policy-pack/lib/arn";
import { isRecord } from "../../policy-pack/lib/unknowns";
import { parseValueFrom } from "../../policy-pack/lib/value-from";
import { CONFIG_NAMESPACE, ENVIRONMENTS } from "../../lib/config";
import { LiveResource, SENSITIVE, propertyAt } from "./live-deployment";

export type SettingValue = string | number | boolean | readonly string[];

export interface DerivedSetting {
    /** The configuration key, e.g. `adma:dbInstanceClass` or `aws:region`. */
    readonly key: string;
    readonly value: SettingValue;
    /** Where it comes from, e.g. `module.rds.aws_db_instance.this instance_class` (never a secret value). */
    readonly source: string;
}

/** The live resources that play a part the program has, found by what references what. */
export interface LiveRoles {
    readonly taskDefinition?: LiveResource;
    readonly service?: LiveResource;
    readonly jwtSecret?: LiveResource;
    /** The AWSCURRENT version of the JWT secret in the state. */
    readonly jwtVersion?: LiveResource;
    readonly database?: LiveResource;
    readonly logGroup?: LiveResource;
    readonly appBaseUrlParameter?: LiveResource;
}

export interface StackSettings {
    readonly settings: readonly DerivedSetting[];
    readonly roles: LiveRoles;
    /** What keeps the live deployment from being described (adoption refuses). */
    readonly problems: readonly string[];
    /** What the report should say about settings left to the program's defaults. */
    readonly notes: readonly string[];
}

const T = {
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    service: "aws:ecs/service:Service",
    secret: "aws:secretsmanager/secret:Secret",
    version: "aws:secretsmanager/secretVersion:SecretVersion",
    instance: "aws:rds/instance:Instance",
    subnetGroup: "aws:rds/subnetGroup:SubnetGroup",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    parameter: "aws:ssm/parameter:Parameter",
    endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    kmsKey: "aws:kms/key:Key",
} as const;

/** The design document's container secrets, by the variable the backend reads. */
const JWT_VARIABLE = "JWT_SECRET";
const DB_PASSWORD_VARIABLE = "DB_PASSWORD";
const APP_BASE_URL_VARIABLE = "APP_BASE_URL";

/** The JWT secret's name as lib/naming.ts builds it: `/<projectName>/<environment>/jwt-secret`. */
const JWT_SECRET_NAME = new RegExp(`^/([a-z][a-z0-9-]*)/(${ENVIRONMENTS.join("|")})/jwt-secret$`);

interface Container {
    readonly image?: string;
    readonly containerPort?: number;
    readonly logGroup?: string;
    readonly secrets: ReadonlyMap<string, string>;
}

/** Derives the settings; problems are collected, not thrown, so the report names every one at once. */
export function deriveStackSettings(live: readonly LiveResource[]): StackSettings {
    const settings: DerivedSetting[] = [];
    const problems: string[] = [];
    const notes: string[] = [];
    const set = (key: string, value: SettingValue | undefined, resource: LiveResource, attribute: string) => {
        if (value === undefined) {
            problems.push(`${resource.address} has no ${attribute}: the program cannot describe it`);
        } else {
            settings.push({ key: key.includes(":") ? key : `${CONFIG_NAMESPACE}:${key}`, value, source: `${resource.address} ${attribute}` });
        }
    };
    const ofType = (type: string) => live.filter((resource) => resource.type === type);

    const service = single(ofType(T.service), "ECS service", problems);
    const taskArn = service && text(service, "taskDefinition");
    const taskDefinition = ofType(T.taskDefinition).find((resource) => taskArn !== undefined && (text(resource, "arn") === taskArn || resource.id === taskArn))
        ?? single(ofType(T.taskDefinition), "ECS task definition", problems);
    const container = taskDefinition && readContainer(taskDefinition, problems);
    const byArn = (type: string, arn: string | undefined) => (arn === undefined ? undefined : ofType(type).find((resource) => text(resource, "arn") === arn));

    const jwtReference = container?.secrets.get(JWT_VARIABLE);
    const jwtSecret = byArn(T.secret, jwtReference === undefined ? undefined : secretArnOf(jwtReference));
    if (taskDefinition !== undefined && container !== undefined && jwtSecret === undefined) {
        problems.push(`${taskDefinition.address}: no ${JWT_VARIABLE} in secrets[] referencing a secret of the state; the program's JWT secret would be a new secret with a new value (everyone logged out)`);
    }
    let jwtVersion: LiveResource | undefined;
    if (jwtSecret !== undefined) {
        const name = text(jwtSecret, "name") ?? "";
        const match = JWT_SECRET_NAME.exec(name);
        if (match === null) {
            problems.push(`${jwtSecret.address} is the JWT secret and is named "${name}"; the program names it /<projectName>/<environment>/jwt-secret: ` +
                "adopting it would replace the secret (a new secret, a new value: everyone logged out)");
        } else {
            settings.push({ key: `${CONFIG_NAMESPACE}:projectName`, value: match[1], source: `${jwtSecret.address} name` });
            settings.push({ key: `${CONFIG_NAMESPACE}:environment`, value: match[2], source: `${jwtSecret.address} name` });
        }
        const region = tryParseArn(text(jwtSecret, "arn") ?? "")?.region;
        if (region) {
            settings.push({ key: "aws:region", value: region, source: `${jwtSecret.address} arn` });
        }
        set("jwtSecretRecoveryWindowDays", numberAt(jwtSecret, "recoveryWindowInDays"), jwtSecret, "recovery_window_in_days");
        jwtVersion = ofType(T.version).find((version) => text(version, "arn") === text(jwtSecret, "arn")
            && asList(propertyAt(version.props, "versionStages")).includes("AWSCURRENT"));
        if (jwtVersion === undefined) {
            problems.push(`${jwtSecret.address}: the state holds no version of it with the AWSCURRENT stage; refresh the state (terraform apply -refresh-only) so adoption can keep the live value`);
        } else {
            set("jwtSecretAdoptedVersionId", text(jwtVersion, "versionId"), jwtVersion, "version_id");
        }
        const keyId = text(jwtSecret, "kmsKeyId");
        if (keyId !== undefined) {
            const key = ofType(T.kmsKey).find((candidate) => text(candidate, "keyId") === keyId || text(candidate, "arn") === keyId);
            const keyArn = key !== undefined ? text(key, "arn") : tryParseArn(keyId)?.resource.startsWith("key/") ? keyId : undefined;
            if (keyArn === undefined) {
                problems.push(`${jwtSecret.address} kms_key_id "${keyId}" is not a key ARN nor a key of the state; set adma:secretsKmsKeyArn to the key's ARN`);
            } else {
                set("secretsKmsKeyArn", keyArn, jwtSecret, "kms_key_id");
            }
        }
    }

    const passwordReference = container?.secrets.get(DB_PASSWORD_VARIABLE);
    const masterSecretArn = passwordReference === undefined ? undefined : secretArnOf(passwordReference);
    const database = ofType(T.instance).find((instance) => asList(propertyAt(instance.props, "masterUserSecrets"))
        .some((secret) => isRecord(secret) && secret.secretArn === masterSecretArn)) ?? single(ofType(T.instance), "RDS DB instance", problems);
    if (database !== undefined) {
        deriveDatabase(database, live, set, problems);
    }

    const appBaseUrlReference = container?.secrets.get(APP_BASE_URL_VARIABLE);
    const appBaseUrlParameter = byArn(T.parameter, appBaseUrlReference) ?? single(ofType(T.parameter), "SSM parameter", problems);
    if (appBaseUrlParameter !== undefined) {
        const value = propertyAt(appBaseUrlParameter.props, "value") ?? propertyAt(appBaseUrlParameter.props, "insecureValue");
        if (value === SENSITIVE || text(appBaseUrlParameter, "type") !== "String") {
            problems.push(`${appBaseUrlParameter.address} is a ${text(appBaseUrlParameter, "type") ?? "?"} parameter; the program keeps the app base URL in a String parameter`);
        } else {
            set("appBaseUrl", typeof value === "string" ? value : undefined, appBaseUrlParameter, "value");
        }
    }

    let logGroup: LiveResource | undefined;
    if (taskDefinition !== undefined && container !== undefined) {
        const image = container.image === undefined ? undefined : splitImage(container.image);
        set("backendRepositoryUrl", image?.repository, taskDefinition, "container_definitions[0].image");
        set("backendImageTag", image?.tag, taskDefinition, "container_definitions[0].image");
        set("backendContainerPort", container.containerPort, taskDefinition, "container_definitions[0].portMappings[0].containerPort");
        set("backendTaskCpu", integerText(text(taskDefinition, "cpu")), taskDefinition, "cpu");
        set("backendTaskMemory", integerText(text(taskDefinition, "memory")), taskDefinition, "memory");
        logGroup = ofType(T.logGroup).find((group) => text(group, "name") === container.logGroup);
        if (logGroup !== undefined) {
            set("logRetentionDays", numberAt(logGroup, "retentionInDays"), logGroup, "retention_in_days");
        }
    }
    if (service !== undefined) {
        set("backendDesiredCount", numberAt(service, "desiredCount"), service, "desired_count");
    }
    deriveNetwork(live, service, database, set, problems, notes);

    const passwords = live.filter((resource) => resource.terraformType === "random_password");
    if (passwords.length === 1 && typeof passwords[0].props.length === "number") {
        set("jwtSecretLength", passwords[0].props.length, passwords[0], "length");
    } else {
        notes.push("adma:jwtSecretLength keeps the program's default (64): the state has no single random_password to read the JWT value's length from; " +
            "it matters only to the log-leak filter on the JWT value's shape until the first rotation, which generates a value of that length");
    }
    return {
        settings,
        roles: { taskDefinition, service, jwtSecret, jwtVersion, database, logGroup, appBaseUrlParameter },
        problems,
        notes,
    };
}

type Setter = (key: string, value: SettingValue | undefined, resource: LiveResource, attribute: string) => void;

function deriveDatabase(database: LiveResource, live: readonly LiveResource[], set: Setter, problems: string[]): void {
    set("dbEngineVersion", text(database, "engineVersion"), database, "engine_version");
    set("dbInstanceClass", text(database, "instanceClass"), database, "instance_class");
    set("dbName", text(database, "dbName"), database, "db_name");
    set("dbUsername", text(database, "username"), database, "username");
    set("dbAllocatedStorage", numberAt(database, "allocatedStorage"), database, "allocated_storage");
    set("dbBackupRetentionDays", numberAt(database, "backupRetentionPeriod"), database, "backup_retention_period");
    set("dbDeletionProtection", booleanAt(database, "deletionProtection"), database, "deletion_protection");
    const skip = booleanAt(database, "skipFinalSnapshot");
    set("dbFinalSnapshot", skip === undefined ? undefined : !skip, database, "skip_final_snapshot");
    if (propertyAt(database.props, "manageMasterUserPassword") !== true) {
        problems.push(`${database.address}: the master password is not managed by RDS (manage_master_user_password is not true); ` +
            "the program only runs a database whose password RDS manages in Secrets Manager: turn it on in Terraform first (aws_db_instance manage_master_user_password = true, apply), then adopt");
    }
    const masterKey = text(database, "masterUserSecretKmsKeyId");
    if (masterKey !== undefined && !live.some((resource) => resource.type === T.kmsKey && (text(resource, "arn") === masterKey || text(resource, "keyId") === masterKey))) {
        problems.push(`${database.address}: its master secret is encrypted with ${masterKey}, which is not a key of the state; RDS cannot move the secret to another key, so give adma:secretsKmsKeyArn that key's ARN`);
    }
}

function deriveNetwork(live: readonly LiveResource[], service: LiveResource | undefined, database: LiveResource | undefined, set: Setter, problems: string[], notes: string[]): void {
    const subnetGroupName = database && text(database, "dbSubnetGroupName");
    const subnetGroup = live.find((resource) => resource.type === T.subnetGroup && text(resource, "name") === subnetGroupName);
    const serviceSubnets = service === undefined ? [] : asList(propertyAt(service.props, "networkConfiguration.subnets")).filter(isText);
    const databaseSubnets = subnetGroup === undefined ? [] : asList(subnetGroup.props.subnetIds).filter(isText);
    const source = subnetGroup ?? service;
    const subnets = databaseSubnets.length > 0 ? databaseSubnets : serviceSubnets;
    if (source === undefined || subnets.length === 0) {
        problems.push("neither a DB subnet group nor the service's network configuration names the private subnets: the program needs adma:privateSubnetIds");
        return;
    }
    if (serviceSubnets.length > 0 && databaseSubnets.length > 0 && !sameMembers(serviceSubnets, databaseSubnets)) {
        notes.push(`the service runs in ${serviceSubnets.join(", ")} and the database's subnet group holds ${databaseSubnets.join(", ")}; ` +
            "the program puts both in adma:privateSubnetIds (the subnet group's), so the service moves to those subnets");
    }
    set("privateSubnetIds", [...subnets].sort(), source, subnetGroup !== undefined ? "subnet_ids" : "network_configuration.subnets");
    const vpcId = text(subnetGroup ?? source, "vpcId") ?? live.map((resource) => text(resource, "vpcId")).find(isText);
    const vpcSource = live.find((resource) => text(resource, "vpcId") === vpcId) ?? source;
    set("vpcId", vpcId, vpcSource, "vpc_id");
    const endpoint = live.find((resource) => resource.type === T.endpoint && /\.secretsmanager$/.test(text(resource, "serviceName") ?? "") && text(resource, "vpcId") === vpcId);
    if (endpoint !== undefined) {
        set("createSecretsManagerEndpoint", true, endpoint, "service_name");
    } else {
        notes.push("the state has no Secrets Manager interface endpoint in the VPC: the program creates one (adma:createSecretsManagerEndpoint, default true); " +
            "set it to false if the VPC already has one outside this state, or its private DNS name will conflict");
    }
}

/** The backend container of a task definition: its image, port, log group and secret references by variable. */
function readContainer(taskDefinition: LiveResource, problems: string[]): Container | undefined {
    const definitions = taskDefinition.props.containerDefinitions;
    if (definitions === SENSITIVE) {
        problems.push(`${taskDefinition.address}: container_definitions is sensitive in the state (a sensitive value flows into it, such as a secret in the plain environment), ` +
            "so adoption does not read it; move that value into secrets[] and apply, then adopt");
        return undefined;
    }
    let parsed: unknown;
    try {
        parsed = typeof definitions === "string" ? JSON.parse(definitions) : definitions;
    } catch {
        parsed = undefined;
    }
    if (!Array.isArray(parsed) || parsed.length !== 1 || !isRecord(parsed[0])) {
        problems.push(`${taskDefinition.address}: expected container_definitions to hold one container, as the program's task definition does`);
        return undefined;
    }
    const container = parsed[0];
    const port = asList(container.portMappings).find(isRecord)?.containerPort;
    const options = isRecord(container.logConfiguration) && isRecord(container.logConfiguration.options) ? container.logConfiguration.options : {};
    const secrets = new Map<string, string>();
    for (const entry of asList(container.secrets)) {
        if (isRecord(entry) && typeof entry.name === "string" && typeof entry.valueFrom === "string") {
            secrets.set(entry.name, entry.valueFrom);
        }
    }
    return {
        ...(typeof container.image === "string" && { image: container.image }),
        ...(typeof port === "number" && { containerPort: port }),
        ...(typeof options["awslogs-group"] === "string" && { logGroup: options["awslogs-group"] }),
        secrets,
    };
}

/** The secret ARN a `valueFrom` reads (without JSON key, stage or version), or undefined for a parameter. */
function secretArnOf(valueFrom: string): string | undefined {
    try {
        const reference = parseValueFrom(valueFrom);
        return reference.kind === "secretsmanager" ? reference.secretArn : undefined;
    } catch {
        return undefined;
    }
}

/** `<repository>:<tag>` or `<repository>@sha256:<digest>` (the program's `backendImageTag` takes either). */
function splitImage(image: string): { repository: string; tag: string } | undefined {
    const digest = /^(.+)@(sha256:[0-9a-f]{64})$/.exec(image);
    if (digest !== null) {
        return { repository: digest[1], tag: digest[2] };
    }
    const colon = image.lastIndexOf(":");
    return colon > image.lastIndexOf("/") ? { repository: image.slice(0, colon), tag: image.slice(colon + 1) } : undefined;
}

function single(resources: LiveResource[], what: string, problems: string[]): LiveResource | undefined {
    if (resources.length > 1) {
        problems.push(`the state holds ${resources.length} ${what}s (${resources.map((r) => r.address).join(", ")}) and nothing tells which one the backend uses; adopt one deployment per state`);
    }
    return resources.length === 1 ? resources[0] : undefined;
}

function text(resource: LiveResource, path: string): string | undefined {
    const value = propertyAt(resource.props, path);
    return typeof value === "string" && value !== "" ? value : undefined;
}

function numberAt(resource: LiveResource, path: string): number | undefined {
    const value = propertyAt(resource.props, path);
    return typeof value === "number" ? value : undefined;
}

function booleanAt(resource: LiveResource, path: string): boolean | undefined {
    const value = propertyAt(resource.props, path);
    return typeof value === "boolean" ? value : undefined;
}

function integerText(value: string | undefined): number | undefined {
    return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

function asList(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}

function isText(value: unknown): value is string {
    return typeof value === "string" && value !== "";
}

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
    return a.length === b.length && a.every((item) => b.includes(item));
}
