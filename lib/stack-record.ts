/**
 * The stack record: what a deployed stack holds that a later configuration must respect, exported as
 * the stack output `stackRecord` and read back by the next `pulumi preview`/`up` of the same stack
 * (lib/pulumi-config.ts, through a StackReference to the stack itself). `checkStackChange` compares
 * the record with the new configuration before any resource is registered and refuses what AWS or
 * the provider would turn into data loss or a failure halfway through `pulumi up`, naming the setting.
 * Pure: no Pulumi calls.
 *
 * What the record holds, and why it has to come from the last deployment rather than the configuration:
 * - the inputs of the resources that hold data whose change makes the provider replace them
 *   (lib/replacement-facts.ts), as the program registered them;
 * - the key that really encrypts the RDS master secret (`masterUserSecrets[0].kmsKeyId` of the
 *   instance): it is chosen when the instance is created and RDS never moves it;
 * - the key the stack created, the engine version, and the VPC;
 * - the JWT secret version the stack adopted (`adma:jwtSecretAdoptedVersionId`), whose value is
 *   generation 1: the setting is the only thing that says so, and dropping it at generation 1
 *   generates a new value.
 */
import { AdmaConfig, AdmaConfigError } from "./config";
import { ExistingNetworkFacts, existingNetworkProblems } from "./existing-network";
import type { ResourceNames } from "./naming";
import { LOG_GROUP, RDS_INSTANCE, SECRETS_MANAGER_SECRET, replacementFacts } from "./replacement-facts";

export const STACK_RECORD_OUTPUT = "stackRecord";
export const STACK_RECORD_VERSION = 1;

/** The configuration key that confirms, for one `pulumi up`, the replacement of the database it names. */
export const CONFIRM_DATABASE_REPLACEMENT = "confirmDatabaseReplacement";

type InputValue = string | boolean;

/** A data-bearing resource as the program registers it: the inputs that would replace it, each with the settings it comes from. */
export interface DataResourcePlan {
    readonly type: string;
    readonly physicalName: string;
    readonly inputs: Readonly<Record<string, { readonly value: InputValue; readonly settings: readonly string[] }>>;
}

export interface RecordedDataResource {
    readonly type: string;
    readonly physicalName: string;
    readonly inputs: Readonly<Record<string, InputValue>>;
}

/** The key that encrypts the RDS master secret, as the instance reports it. */
export interface MasterSecretKey {
    readonly arn: string;
    /** False for the AWS managed `aws/secretsmanager` key. */
    readonly customerManaged: boolean;
}

export interface StackRecord {
    readonly version: typeof STACK_RECORD_VERSION;
    readonly dataResources: Readonly<Record<string, RecordedDataResource>>;
    readonly database: {
        /** As configured (`adma:dbEngineVersion`), not the minor version RDS runs. */
        readonly engineVersion: string;
        readonly allocatedStorageGb: number;
        readonly masterSecretKey: MasterSecretKey;
    };
    /** The customer managed key the stack created (`adma:createSecretsKmsKey`). */
    readonly createdKmsKeyArn?: string;
    /** `created <cidr>` or the id of the existing VPC. */
    readonly vpc: string;
    /** The live JWT secret version adopted from another deployment (`adma:jwtSecretAdoptedVersionId`), whose value is generation 1. */
    readonly jwtSecretAdoptedVersionId?: string;
}

/** What the stack learns from AWS while it deploys, for the record. */
export interface DeployedFacts {
    readonly masterSecretKey: MasterSecretKey;
    readonly createdKmsKeyArn?: string;
}

/** The resources that hold data, with the inputs whose change the provider turns into a replacement. */
export function dataResourcePlan(config: AdmaConfig, names: ResourceNames): Record<string, DataResourcePlan> {
    const plan: Record<string, DataResourcePlan> = {
        database: {
            type: RDS_INSTANCE,
            physicalName: names.database.instance,
            inputs: {
                engine: { value: "postgres", settings: [] },
                storageEncrypted: { value: true, settings: [] },
                dbName: { value: config.database.name, settings: ["dbName"] },
                username: { value: config.database.username, settings: ["dbUsername"] },
            },
        },
        jwtSecret: {
            type: SECRETS_MANAGER_SECRET,
            physicalName: names.jwtSecret.secret,
            inputs: { name: { value: names.jwtSecret.secret, settings: ["projectName", "environment"] } },
        },
        backendLogGroup: {
            type: LOG_GROUP,
            physicalName: names.backendService.logGroup,
            inputs: { name: { value: names.backendService.logGroup, settings: ["projectName", "environment"] } },
        },
    };
    if (config.monitoring.enabled) {
        plan.readAuditLogGroup = {
            type: LOG_GROUP,
            physicalName: names.monitoring.readAuditLogGroup,
            inputs: { name: { value: names.monitoring.readAuditLogGroup, settings: ["projectName", "environment"] } },
        };
    }
    return plan;
}

export function vpcIdentity(config: AdmaConfig): string {
    const { vpc } = config.network;
    return vpc.mode === "create" ? `created ${vpc.cidrBlock}` : vpc.vpcId;
}

/** The record this deployment leaves for the next one. */
export function stackRecord(config: AdmaConfig, names: ResourceNames, deployed: DeployedFacts): StackRecord {
    const dataResources = Object.fromEntries(Object.entries(dataResourcePlan(config, names)).map(([key, resource]) => [key, {
        type: resource.type,
        physicalName: resource.physicalName,
        inputs: Object.fromEntries(Object.entries(resource.inputs).map(([property, input]) => [property, input.value])),
    }]));
    return {
        version: STACK_RECORD_VERSION,
        dataResources,
        database: { engineVersion: config.database.engineVersion, allocatedStorageGb: config.database.allocatedStorageGb, masterSecretKey: deployed.masterSecretKey },
        ...(deployed.createdKmsKeyArn !== undefined && { createdKmsKeyArn: deployed.createdKmsKeyArn }),
        vpc: vpcIdentity(config),
        ...(config.jwt.adoptedVersionId !== undefined && { jwtSecretAdoptedVersionId: config.jwt.adoptedVersionId }),
    };
}

/**
 * The record as a stack output read it back: undefined when the stack has none (never deployed, or
 * deployed by a version of this program that wrote none). Throws on a record of another version or shape.
 */
export function parseStackRecord(value: unknown): StackRecord | undefined {
    if (value === undefined || value === null) {
        return undefined;
    }
    const record = value as Partial<StackRecord>;
    if (record.version !== STACK_RECORD_VERSION || typeof record.dataResources !== "object" || typeof record.database?.engineVersion !== "string"
        || typeof record.database.masterSecretKey?.arn !== "string" || typeof record.vpc !== "string") {
        throw new Error(`the stack output ${STACK_RECORD_OUTPUT} is not a version ${STACK_RECORD_VERSION} stack record; was the stack deployed by a newer version of this program?`);
    }
    return record as StackRecord;
}

/** The stack's last deployment, as far as this one is concerned. */
export interface PreviousDeployment {
    readonly record: StackRecord;
    /** This deployment replaces the database, as confirmed (`adma:confirmDatabaseReplacement`). */
    readonly replacesDatabase: boolean;
}

/** What the program deploys from: the validated configuration and, for a live stack, its last deployment. */
export interface DeploymentArgs extends AdmaConfig {
    readonly previous?: PreviousDeployment;
}

/**
 * The configuration checked against the stack's last deployment (its `stackRecord` output, as read
 * back, if any) and, with an existing VPC, against what AWS reports for that VPC and its subnets.
 * Throws AdmaConfigError listing every refused change; returns what to warn about.
 */
export function deploymentArgs(
    config: AdmaConfig, names: ResourceNames, recordOutput: unknown, network?: ExistingNetworkFacts,
): { args: DeploymentArgs; notices: string[] } {
    const record = parseStackRecord(recordOutput);
    const change = checkStackChange(record, config, names);
    const problems = [...(network === undefined ? [] : existingNetworkProblems(config.network, network)), ...change.problems];
    if (problems.length > 0) {
        throw new AdmaConfigError(problems);
    }
    return {
        args: record === undefined ? config : { ...config, previous: { record, replacesDatabase: change.replacesDatabase } },
        notices: change.notices,
    };
}

export interface StackChange {
    /** Each refused change, naming the setting, what AWS would do and the way forward. Nothing may run while there is one. */
    readonly problems: string[];
    /** What works but deserves a word (printed as warnings). */
    readonly notices: string[];
    /** The database is replaced in this deployment, as confirmed. */
    readonly replacesDatabase: boolean;
}

const key = (name: string) => `adma:${name}`;
const settingsOf = (names: readonly string[]) => names.map(key).join(" / ");

/**
 * What the new configuration would do to the stack `previous` describes. Without a record (a new
 * stack) nothing is refused but a confirmation with nothing to confirm.
 */
export function checkStackChange(previous: StackRecord | undefined, config: AdmaConfig, names: ResourceNames): StackChange {
    const problems: string[] = [];
    const notices: string[] = [];
    const confirmation = config.database.confirmReplacement;
    if (previous === undefined) {
        if (confirmation !== undefined) {
            problems.push(`${key(CONFIRM_DATABASE_REPLACEMENT)} is set, but the stack has no database yet; remove it (\`pulumi config rm ${key(CONFIRM_DATABASE_REPLACEMENT)}\`)`);
        }
        return { problems, notices, replacesDatabase: false };
    }

    const plan = dataResourcePlan(config, names);
    let changesDatabase = false;
    let replacesDatabase = false;
    for (const [resourceKey, before] of Object.entries(previous.dataResources)) {
        const after = plan[resourceKey];
        if (after === undefined) {
            continue;
        }
        const facts = replacementFacts(before.type);
        const changed = facts.forcesReplacement.filter((property) =>
            property in before.inputs && property in after.inputs && before.inputs[property] !== after.inputs[property].value);
        if (changed.length === 0) {
            continue;
        }
        const settings = [...new Set(changed.flatMap((property) => after.inputs[property].settings))];
        const changes = changed.map((property) => `${property} ${JSON.stringify(before.inputs[property])} → ${JSON.stringify(after.inputs[property].value)}`).join(", ");
        const what = `${settingsOf(settings)}: changes the ${facts.resource} ${before.physicalName} (${changes}), which AWS cannot change in place, so \`pulumi up\` would replace it: ${facts.onReplacement}`;
        if (resourceKey !== "database") {
            problems.push(`${what}. Nothing was changed. A stack's ${settingsOf(["projectName", "environment"])} are fixed once it is deployed: deploy a new stack under the new names instead (docs/operations.md, "Changing a live stack")`);
            continue;
        }
        changesDatabase = true;
        if (confirmation !== before.physicalName) {
            problems.push(`${what}. Nothing was changed. To replace the database on purpose, follow docs/operations.md, "Replacing the database on purpose" (back it up, lift its guards, then \`pulumi config set ${key(CONFIRM_DATABASE_REPLACEMENT)} ${before.physicalName}\` for that one \`pulumi up\`)`);
            continue;
        }
        const guards = [
            ...(config.protectData ? [`${key("protectData")} is true (Pulumi refuses to delete a protected resource)`] : []),
            ...(config.database.deletionProtection ? [`${key("dbDeletionProtection")} is true (RDS refuses to delete the instance)`] : []),
        ];
        if (guards.length > 0) {
            problems.push(`${key(CONFIRM_DATABASE_REPLACEMENT)}: the replacement of ${before.physicalName} is confirmed, but ${guards.join(" and ")}: set them to false and \`pulumi up\` first, so the replacement does not stop halfway (docs/operations.md, "Replacing the database on purpose")`);
            continue;
        }
        replacesDatabase = true;
        notices.push(`${before.physicalName} is replaced as confirmed by ${key(CONFIRM_DATABASE_REPLACEMENT)} (${changes}); remove that setting after this \`pulumi up\``);
    }
    if (confirmation !== undefined && !changesDatabase) {
        problems.push(`${key(CONFIRM_DATABASE_REPLACEMENT)} is ${JSON.stringify(confirmation)}, but this configuration replaces no database; remove it (\`pulumi config rm ${key(CONFIRM_DATABASE_REPLACEMENT)}\`) so that a later edit cannot replace the database unnoticed`);
    }

    const identifier = previous.dataResources.database?.physicalName ?? names.database.instance;
    if (!replacesDatabase) {
        problems.push(...engineVersionProblems(previous.database.engineVersion, config, identifier, notices));
        if (config.database.allocatedStorageGb < previous.database.allocatedStorageGb) {
            problems.push(`${key("dbAllocatedStorage")}: ${previous.database.allocatedStorageGb} → ${config.database.allocatedStorageGb} GiB would shrink the storage of ${identifier}, which RDS cannot do (storage can only grow: Amazon RDS User Guide, "Increasing DB instance storage capacity"); keep ${previous.database.allocatedStorageGb} or more`);
        }
        problems.push(...masterSecretKeyProblems(previous, config, identifier, notices));
    }
    problems.push(...adoptedJwtSecretProblems(previous, config));
    if (previous.vpc !== vpcIdentity(config)) {
        problems.push(`${settingsOf(config.network.vpc.mode === "create" ? ["vpcCidrBlock"] : ["vpcId", "privateSubnetIds"])}: the stack runs in ${previous.vpc}; moving it to ${vpcIdentity(config)} would replace its security groups and its database's subnet group while the database still uses them, and the created VPC's subnets with them. Nothing was changed. Deploy a new stack in the new VPC and move the data (docs/operations.md, "Changing a live stack")`);
    }
    return { problems, notices, replacesDatabase };
}

/**
 * While the JWT secret is at generation 1, the adopted version's value is the signing key, and only
 * `adma:jwtSecretAdoptedVersionId` says so: without it the program generates a new value (a
 * RandomPassword), with another id it reads another version's value, either way writing it as
 * AWSCURRENT. That is a rotation nobody asked for, outside the generation count; a rotation on
 * purpose raises the generation (components/secrets.ts).
 */
function adoptedJwtSecretProblems(previous: StackRecord, config: AdmaConfig): string[] {
    const adopted = previous.jwtSecretAdoptedVersionId;
    const { adoptedVersionId, generation } = config.jwt;
    if (adopted === undefined || generation !== 1 || adoptedVersionId === adopted) {
        return [];
    }
    const setting = key("jwtSecretAdoptedVersionId");
    const change = adoptedVersionId === undefined
        ? `removing it while ${key("jwtSecretGeneration")} is still 1 would make the program generate a new JWT value`
        : `changing it to ${adoptedVersionId} while ${key("jwtSecretGeneration")} is still 1 would make the value of that version the JWT secret`;
    return [`${setting}: the stack adopted the JWT secret's version ${adopted}, whose value is generation 1 and signs the users' tokens; ${change} ` +
        "and write it as AWSCURRENT, a rotation nobody asked for. Nothing was changed. " +
        `Keep it (\`pulumi config set ${setting} ${adopted}\`); to rotate the JWT secret on purpose, raise the generation instead ` +
        `(\`pulumi config set --type int ${key("jwtSecretGeneration")} 2\`: a new value, with the adopted one kept as AWSPREVIOUS so signed-in users stay signed in; ` +
        "docs/component.md, \"JWT rotation runbook\")"];
}

interface EngineVersion {
    readonly major: number;
    readonly minor?: number;
}

function parseEngineVersion(version: string): EngineVersion {
    const [major, minor] = version.split(".").map(Number);
    return minor === undefined ? { major } : { major, minor };
}

function engineVersionProblems(before: string, config: AdmaConfig, identifier: string, notices: string[]): string[] {
    const from = parseEngineVersion(before);
    const to = parseEngineVersion(config.database.engineVersion);
    const setting = key("dbEngineVersion");
    if (to.major < from.major || (to.major === from.major && from.minor !== undefined && to.minor !== undefined && to.minor < from.minor)) {
        return [`${setting}: ${before} → ${config.database.engineVersion} is a downgrade, which RDS does not do; keep ${before}, or restore a snapshot taken before the upgrade into a new stack`];
    }
    if (to.major > from.major) {
        if (!config.database.applyImmediately) {
            return [`${setting}: ${before} → ${config.database.engineVersion} is a major version upgrade, which moves ${identifier} to a parameter group of the new family; with ${key("dbApplyImmediately")} false RDS would wait for the maintenance window while \`pulumi up\` deletes the old group the instance still uses. Set ${key("dbApplyImmediately")} true for this \`pulumi up\` (the instance is unavailable while it upgrades; docs/operations.md, "Major PostgreSQL upgrade")`];
        }
        notices.push(`${identifier} is upgraded from PostgreSQL ${before} to ${config.database.engineVersion} during this \`pulumi up\`: the instance is unavailable while RDS upgrades it (docs/operations.md, "Major PostgreSQL upgrade")`);
    }
    return [];
}

function masterSecretKeyProblems(previous: StackRecord, config: AdmaConfig, identifier: string, notices: string[]): string[] {
    const used = previous.database.masterSecretKey;
    const dropsCreatedKey = previous.createdKmsKeyArn !== undefined && config.kms.mode !== "create";
    if (dropsCreatedKey && used.arn === previous.createdKmsKeyArn) {
        const settings = config.kms.mode === "existing" ? ["createSecretsKmsKey", "secretsKmsKeyArn"] : ["createSecretsKmsKey"];
        return [`${settingsOf(settings)}: the RDS master secret of ${identifier} is encrypted with the key this stack created (${used.arn}), and RDS cannot move a managed master secret to another key; this change would schedule that key for deletion, after which the database password could no longer be read. Nothing was changed. Re-key the master secret first (docs/operations.md, "Re-keying the database's master secret"), then make this change`];
    }
    const wanted = config.kms.mode === "existing" ? config.kms.keyArn : config.kms.mode === "create" ? previous.createdKmsKeyArn ?? "a new key" : undefined;
    const current = used.customerManaged ? used.arn : undefined;
    if (wanted !== current) {
        notices.push(`the RDS master secret of ${identifier} stays encrypted with ${current ?? "the AWS managed key aws/secretsmanager"} (RDS cannot move it; the execution role keeps decrypting it with that key), while the JWT secret moves to ${wanted ?? "the AWS managed key"}; to move the master secret as well, see docs/operations.md, "Re-keying the database's master secret"`);
    }
    return [];
}
