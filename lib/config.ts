/**
 * Typed loading and validation of the stack configuration (namespace `adma`).
 *
 * Pure: takes a plain getter (key -> raw string, as `pulumi.Config.get` returns it) so it is
 * testable without Pulumi. Every problem is collected and reported at once, each naming the key
 * and the allowed values, before any resource is created: one problem per mistake (a value that
 * is wrong is not checked again against other settings). A value is repeated in a message, as
 * the user wrote it (numbers unquoted), unless the key is set as a secret.
 *
 * `CONFIG_DEFAULTS` mirrors the `config:` schema in Pulumi.yaml (a test keeps the two equal).
 */
import { closestName } from "../policy-pack/lib/closest-name";
import { invalidStackConfiguration, stackFileName, undeclaredKeyProblem } from "./config-problems";
import { CONFIG_ARNS, ConfigArnKey, configArnProblem } from "./config-arns";
import { FARGATE_CPU_VALUES, describeMemoryFor, isValidFargateSize } from "./fargate";
import { physicalNames, resourceNames } from "./naming";
import { physicalNameProblems } from "./naming-rules";
import { MAX_ROTATION_DAYS, MIN_ROTATION_DAYS, RotationSchedule, scheduleExpressionProblem } from "./rotation-schedule";

export const CONFIG_NAMESPACE = "adma";

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/**
 * The environment of a production stack: it gets the data guards and prod's refusals here, and the
 * protected production path in CI (tools/preview/project-stacks.ts), whatever the stack is called.
 */
export const PRODUCTION_ENVIRONMENT: Environment = "prod";

/** `None`: private subnets without a route out; the tasks then reach AWS through the task endpoints only. */
export const NAT_GATEWAY_STRATEGIES = ["Single", "OnePerAz", "None"] as const;
export type NatGatewayStrategy = (typeof NAT_GATEWAY_STRATEGIES)[number];

/** CloudWatch Logs accepts only these retention periods (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export const MIN_JWT_SECRET_LENGTH = 32;
export const MAX_JWT_SECRET_LENGTH = 4096;

/**
 * Secrets Manager's recovery window: 7 to 30 days, or 0 for a delete without recovery
 * (DeleteSecret `RecoveryWindowInDays` / `ForceDeleteWithoutRecovery`, Secrets Manager API Reference).
 */
export const MIN_RECOVERY_WINDOW_DAYS = 7;
export const MAX_RECOVERY_WINDOW_DAYS = 30;

/**
 * Tags that by convention move to each new build: a task definition naming one never changes, so
 * ECS never rolls out the new image (an image is resolved when a task starts; nothing in the
 * program changes when the tag moves).
 */
export const MUTABLE_IMAGE_TAGS = ["latest", "stable", "edge", "nightly", "main", "master", "develop", "dev", "head", "current"] as const;

export type KmsKeyConfig =
    | { readonly mode: "aws-managed" }
    | { readonly mode: "create" }
    | { readonly mode: "existing"; readonly keyArn: string };

export type VpcConfig =
    | { readonly mode: "create"; readonly cidrBlock: string; readonly natGateways: NatGatewayStrategy }
    | { readonly mode: "existing"; readonly vpcId: string; readonly privateSubnetIds: readonly string[] };

export interface AdmaConfig {
    readonly projectName: string;
    readonly environment: Environment;
    readonly appBaseUrl: string;
    /** Pulumi `protect` on the database, the JWT secret and a created KMS key; `retainOnDelete` on the JWT secret. */
    readonly protectData: boolean;
    readonly kms: KmsKeyConfig;
    readonly network: {
        readonly vpc: VpcConfig;
        readonly createSecretsManagerEndpoint: boolean;
        /**
         * Interface endpoints for SSM, ECR (api, dkr) and CloudWatch Logs and the S3 gateway endpoint, so
         * tasks in private subnets start without a NAT gateway. Always on when the stack creates its VPC
         * with `natGateways: None`.
         */
        readonly createTaskEndpoints: boolean;
    };
    readonly jwt: {
        readonly length: number;
        /** Bump to rotate: the RandomPassword keeper. */
        readonly generation: number;
        /** Days a deleted JWT secret stays restorable; 0 deletes it at once so its name is free again. */
        readonly recoveryWindowDays: number;
        /**
         * The version of an existing (adopted) secret whose value is generation 1, so that adopting a
         * live secret writes no new value; undefined: generation 1 is generated.
         */
        readonly adoptedVersionId?: string;
    };
    readonly database: {
        readonly engineVersion: string;
        /** `postgres<major>`, the RDS parameter group family of `engineVersion`. */
        readonly parameterGroupFamily: string;
        readonly instanceClass: string;
        readonly name: string;
        readonly username: string;
        readonly allocatedStorageGb: number;
        readonly backupRetentionDays: number;
        readonly deletionProtection: boolean;
        readonly finalSnapshot: boolean;
        /** Modifications happen during `pulumi up` (true) or in the instance's next maintenance window (false). */
        readonly applyImmediately: boolean;
        /** The identifier of the instance whose replacement this one `pulumi up` may perform (lib/stack-record.ts). */
        readonly confirmReplacement?: string;
    };
    readonly backend: {
        readonly repositoryUrl: string;
        /** A fixed tag, or a `sha256:` digest. */
        readonly imageTag: string;
        /** `<repository>:<tag>`, or `<repository>@sha256:<digest>`. */
        readonly image: string;
        readonly cpu: number;
        readonly memory: number;
        readonly desiredCount: number;
        readonly containerPort: number;
        readonly healthCheckPath: string;
        readonly logRetentionDays: number;
        readonly enableEcsExec: boolean;
        /** `pulumi up` waits until a deployment completes, and fails when it fails (the circuit breaker rolled it back). */
        readonly waitForSteadyState: boolean;
    };
    readonly rotation: {
        /** Of the RDS-managed master secret. */
        readonly rdsSchedule: RotationSchedule;
        /** Force a new deployment of the service after each successful RDS rotation. */
        readonly redeployOnRdsRotation: boolean;
    };
    readonly monitoring: {
        readonly enabled: boolean;
        /** An existing topic for the alarms; undefined: the stack creates one. */
        readonly alarmTopicArn?: string;
        /** Reads of the application's secrets within `secretReadPeriodSeconds` that raise the frequent-read alarm. */
        readonly secretReadAlarmThreshold: number;
        /** The frequent-read alarm's period: a multiple of 60, as CloudWatch requires for standard-resolution alarms. */
        readonly secretReadPeriodSeconds: number;
        /** Retention of the log group that records every read of the secrets. */
        readonly readAuditRetentionDays: number;
    };
}

/** Defaults of the optional keys; keys absent here are required or have no default. */
export const CONFIG_DEFAULTS = {
    projectName: "adma",
    protectData: true,
    createSecretsKmsKey: false,
    vpcCidrBlock: "10.0.0.0/16",
    natGateways: "Single",
    createSecretsManagerEndpoint: true,
    createTaskEndpoints: false,
    jwtSecretLength: 64,
    jwtSecretGeneration: 1,
    jwtSecretRecoveryWindowDays: 7,
    // Empty: the program generates the first value; set by adoption (docs/migration.md).
    jwtSecretAdoptedVersionId: "",
    // Major only: with autoMinorVersionUpgrade the provider accepts the minor RDS picks instead of reverting it.
    dbEngineVersion: "16",
    dbInstanceClass: "db.t4g.micro",
    dbName: "urlshortener",
    dbUsername: "appuser",
    dbAllocatedStorage: 20,
    dbBackupRetentionDays: 7,
    dbDeletionProtection: true,
    dbFinalSnapshot: true,
    dbApplyImmediately: true,
    confirmDatabaseReplacement: "",
    backendTaskCpu: 512,
    backendTaskMemory: 1024,
    backendDesiredCount: 1,
    backendContainerPort: 8080,
    backendHealthCheckPath: "/actuator/health",
    logRetentionDays: 30,
    enableEcsExec: false,
    allowEcsExecInProd: false,
    backendWaitForSteadyState: true,
    // Empty means "not set": Pulumi requires a value for a declared key without a default.
    secretsKmsKeyArn: "",
    vpcId: "",
    privateSubnetIds: [],
    // The design document's schedule; RDS itself rotates a managed master secret every 7 days unless told otherwise.
    rdsRotationDays: 30,
    rdsRotationSchedule: "",
    redeployOnRdsRotation: true,
    monitoring: true,
    alarmTopicArn: "",
    secretReadAlarmThreshold: 30,
} as const satisfies Record<string, string | number | boolean | readonly string[]>;

/** Settings the program fixes (no key sets them), kept with the defaults so components take complete settings. */
const SECRET_READ_PERIOD_SECONDS = 300;
const READ_AUDIT_RETENTION_DAYS = 90;

/** Keys without a default: every stack must set them. */
export const REQUIRED_KEYS = ["environment", "appBaseUrl", "backendRepositoryUrl", "backendImageTag"] as const;

/** Every key the program reads, for the schema check. */
export const CONFIG_KEYS: readonly string[] = [...REQUIRED_KEYS, ...Object.keys(CONFIG_DEFAULTS)];

export type ConfigGetter = (key: string) => string | undefined;

/** What the loader knows of the stack besides its `adma:*` values. */
export interface ConfigContext {
    /** The stack's AWS region (`aws:region`, else the provider's environment variables); ARNs are checked against it. */
    readonly region?: string;
    /** Whether a key (without the namespace) is set as a secret: its value then appears in no message. */
    readonly isSecret?: (key: string) => boolean;
    /**
     * Every `adma:*` key the stack sets (without the namespace), when known: a key the program
     * does not read is refused, with the closest one it does. The Pulumi CLI passes such keys
     * through, so `adma:backendTaskCPU` would otherwise leave the default silently in place.
     */
    readonly setKeys?: readonly string[];
    /** The stack's name, for the stack file errors name. */
    readonly stack?: string;
}

export class AdmaConfigError extends Error {
    constructor(
        readonly problems: readonly string[],
        stack?: string,
    ) {
        super(invalidStackConfiguration(stackFileName(stack ?? "<stack>"), problems));
        this.name = "AdmaConfigError";
    }
}

const NAME = /^[a-z][a-z0-9-]{0,19}$/;
const DB_IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
const RESERVED_DB_USERNAMES = ["rdsadmin", "rds_superuser", "rds_replication", "postgres"];
const ENGINE_VERSION = /^(\d{2})(\.\d+)?$/;
const RDS_IDENTIFIER = /^[a-z][a-z0-9-]{0,62}$/;
const INSTANCE_CLASS = /^db\.[a-z0-9]+\.[a-z0-9]+$/;
const VPC_ID = /^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const IMAGE_REPOSITORY = /^[a-z0-9]+([.-][a-z0-9]+)*(:\d+)?\/[a-z0-9]+([._/-][a-z0-9]+)*$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const IMAGE_DIGEST = /^sha256:[0-9a-f]{64}$/;
/** Secrets Manager's VersionId: 32 to 64 characters (API Reference, SecretValueEntry): a UUID, or the client request token it was written with. */
const SECRET_VERSION_ID = /^[A-Za-z0-9_-]{32,64}$/;

/** Reads, validates and types the configuration, or throws AdmaConfigError listing every problem. */
export function loadAdmaConfig(get: ConfigGetter, context: ConfigContext = {}): AdmaConfig {
    const reader = new Reader(get, context);
    const config = readConfig(reader);
    checkPhysicalNames(reader, config);
    for (const key of context.setKeys ?? []) {
        if (!CONFIG_KEYS.includes(key)) {
            reader.problem(undeclaredKeyProblem(reader.key(key), CONFIG_KEYS.map((known) => reader.key(known))));
        }
    }
    if (reader.problems.length > 0) {
        throw new AdmaConfigError(reader.problems, context.stack);
    }
    return config;
}

/** The keys every physical name is built from (lib/naming.ts). */
const NAMING_KEYS = ["projectName", "environment", "dbEngineVersion"];

/**
 * Every physical name the stack would create, against AWS's rule for its resource type
 * (lib/naming-rules.ts), now rather than at `pulumi up`. Skipped while a key the names are built
 * from is itself invalid (that problem is already reported).
 */
function checkPhysicalNames(r: Reader, config: AdmaConfig): void {
    if (r.problems.some((problem) => NAMING_KEYS.some((key) => problem.startsWith(`${r.key(key)}:`)))) {
        return;
    }
    for (const problem of physicalNameProblems(physicalNames(resourceNames(config)))) {
        r.problem(`${r.key("projectName")} "${config.projectName}" with ${r.key("environment")} "${config.environment}" makes a name AWS rejects: ${problem}`);
    }
}

function readConfig(r: Reader): AdmaConfig {
    const projectName = r.string("projectName", (v) => NAME.test(v), "lowercase letters, digits and '-', starting with a letter, at most 20 characters");
    const environment = r.oneOf("environment", ENVIRONMENTS);
    const prod = environment === PRODUCTION_ENVIRONMENT;

    const appBaseUrl = r.requiredString("appBaseUrl", isHttpsUrl, "an https:// URL, e.g. https://adma.example.com");

    const cpu = r.integer("backendTaskCpu", { allowed: FARGATE_CPU_VALUES });
    const memory = r.integer("backendTaskMemory", { min: 512, expected: "an integer number of MiB, at least 512 (2 GB is 2048)" });
    if (r.accepted("backendTaskCpu") && r.accepted("backendTaskMemory") && !isValidFargateSize(cpu, memory)) {
        r.problem(`${r.key("backendTaskMemory")}: Fargate does not accept ${memory} MiB with ${cpu} cpu units; allowed with ${cpu}: ${describeMemoryFor(cpu)}`);
    }

    const enableEcsExec = r.boolean("enableEcsExec");
    if (prod && enableEcsExec && !r.boolean("allowEcsExecInProd")) {
        r.problem(`${r.key("enableEcsExec")}: ECS Exec opens a shell in production containers and is off in prod; set ${r.key("allowEcsExecInProd")}=true to override explicitly`);
    }

    const jwtLength = r.integer("jwtSecretLength", { min: MIN_JWT_SECRET_LENGTH, max: MAX_JWT_SECRET_LENGTH });
    const jwtGeneration = r.integer("jwtSecretGeneration", { min: 1 });
    const recoveryWindowDays = readRecoveryWindow(r, prod);
    const adoptedVersionId = r.optionalString("jwtSecretAdoptedVersionId", (v) => SECRET_VERSION_ID.test(v),
        "a Secrets Manager version id (32 to 64 letters, digits, '-' or '_'), the AWSCURRENT version of the adopted secret");
    const repositoryUrl = r.requiredString("backendRepositoryUrl", (v) => IMAGE_REPOSITORY.test(v),
        "an image repository without tag, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/adma-backend");
    const imageTag = readImageTag(r);
    const waitForSteadyState = r.boolean("backendWaitForSteadyState");
    if (prod && !waitForSteadyState) {
        r.problem(`${r.key("backendWaitForSteadyState")}: prod waits for every deployment to complete, so a deployment the circuit breaker rolls back fails \`pulumi up\` instead of ending it green; remove the setting`);
    }

    const engineVersion = r.string("dbEngineVersion", (v) => ENGINE_VERSION.test(v) && Number(v.split(".")[0]) >= 13, "a PostgreSQL version, major 13 or later, e.g. 16 or 16.4");
    const dbUsername = r.string("dbUsername", (v) => DB_IDENTIFIER.test(v) && !RESERVED_DB_USERNAMES.includes(v.toLowerCase()),
        `a letter then letters, digits or '_' (at most 63), not one of ${RESERVED_DB_USERNAMES.join(", ")}`);

    return {
        projectName,
        environment,
        appBaseUrl,
        protectData: r.boolean("protectData"),
        kms: readKms(r),
        network: readNetwork(r),
        jwt: { length: jwtLength, generation: jwtGeneration, recoveryWindowDays, ...(adoptedVersionId !== undefined && { adoptedVersionId }) },
        database: {
            engineVersion,
            parameterGroupFamily: `postgres${engineVersion.split(".")[0]}`,
            instanceClass: r.string("dbInstanceClass", (v) => INSTANCE_CLASS.test(v), "an RDS instance class, e.g. db.t4g.micro"),
            name: r.string("dbName", (v) => DB_IDENTIFIER.test(v), "a letter then letters, digits or '_' (at most 63)"),
            username: dbUsername,
            allocatedStorageGb: r.integer("dbAllocatedStorage", { min: 20, max: 65536 }),
            backupRetentionDays: r.integer("dbBackupRetentionDays", { min: 0, max: 35 }),
            deletionProtection: r.boolean("dbDeletionProtection"),
            finalSnapshot: r.boolean("dbFinalSnapshot"),
            applyImmediately: r.boolean("dbApplyImmediately"),
            confirmReplacement: r.optionalString("confirmDatabaseReplacement", (v) => RDS_IDENTIFIER.test(v),
                "the identifier of the RDS instance to replace, e.g. adma-prod-postgres"),
        },
        backend: {
            repositoryUrl,
            imageTag,
            image: IMAGE_DIGEST.test(imageTag) ? `${repositoryUrl}@${imageTag}` : `${repositoryUrl}:${imageTag}`,
            cpu,
            memory,
            desiredCount: r.integer("backendDesiredCount", { min: 0, max: 100 }),
            containerPort: r.integer("backendContainerPort", { min: 1, max: 65535 }),
            healthCheckPath: r.string("backendHealthCheckPath", (v) => /^\/[A-Za-z0-9/_.-]*$/.test(v), "an absolute URL path, e.g. /actuator/health"),
            logRetentionDays: r.integer("logRetentionDays", { allowed: LOG_RETENTION_DAYS }),
            enableEcsExec,
            waitForSteadyState,
        },
        rotation: readRotation(r),
        monitoring: {
            enabled: r.boolean("monitoring"),
            alarmTopicArn: r.optionalArn("alarmTopicArn"),
            secretReadAlarmThreshold: r.integer("secretReadAlarmThreshold", { min: 1 }),
            secretReadPeriodSeconds: SECRET_READ_PERIOD_SECONDS,
            readAuditRetentionDays: READ_AUDIT_RETENTION_DAYS,
        },
    };
}

function readRotation(r: Reader): AdmaConfig["rotation"] {
    const afterDays = r.integer("rdsRotationDays", { min: MIN_ROTATION_DAYS, max: MAX_ROTATION_DAYS });
    const expression = r.optionalChecked("rdsRotationSchedule", scheduleExpressionProblem,
        `a schedule expression Secrets Manager accepts, rate(<value> hours|days) or cron(0 <hours> <day-of-month> <month> <day-of-week> *) (it replaces ${r.key("rdsRotationDays")})`);
    return {
        rdsSchedule: expression === undefined ? { afterDays } : { expression },
        redeployOnRdsRotation: r.boolean("redeployOnRdsRotation"),
    };
}

function readRecoveryWindow(r: Reader, prod: boolean): number {
    const days = r.integer("jwtSecretRecoveryWindowDays", { min: 0, max: MAX_RECOVERY_WINDOW_DAYS });
    if (!r.accepted("jwtSecretRecoveryWindowDays")) {
        return days;
    }
    if (days !== 0 && days < MIN_RECOVERY_WINDOW_DAYS) {
        r.problem(`${r.key("jwtSecretRecoveryWindowDays")}: Secrets Manager accepts 0 (delete without recovery) or ${MIN_RECOVERY_WINDOW_DAYS} to ${MAX_RECOVERY_WINDOW_DAYS} days, got ${days}`);
    } else if (prod && days < MIN_RECOVERY_WINDOW_DAYS) {
        r.problem(`${r.key("jwtSecretRecoveryWindowDays")}: prod keeps a deleted JWT secret restorable for ${MIN_RECOVERY_WINDOW_DAYS} to ${MAX_RECOVERY_WINDOW_DAYS} days; 0 (delete without recovery) is for dev and staging`);
    }
    return days;
}

/** A fixed tag or a digest; a tag that moves with each build (`latest`) is refused: ECS would never roll out a new image. */
function readImageTag(r: Reader): string {
    const tag = r.requiredString("backendImageTag", (v) => IMAGE_TAG.test(v) || IMAGE_DIGEST.test(v),
        "a Docker tag (letters, digits, '_', '.', '-', at most 128) or an image digest (sha256:<64 hex digits>)");
    if ((MUTABLE_IMAGE_TAGS as readonly string[]).includes(tag.toLowerCase())) {
        r.problem(`${r.key("backendImageTag")}: ${r.shown("backendImageTag", tag) ?? "the tag (set as a secret, so not shown)"} moves to every new build, so a new image under it never reaches the service (the task definition does not change, so ECS starts no deployment); deploy a fixed tag such as a version or commit id, or the image digest (sha256:...)`);
    }
    return tag;
}

function readKms(r: Reader): KmsKeyConfig {
    const create = r.boolean("createSecretsKmsKey");
    const keyArn = r.optionalArn("secretsKmsKeyArn");
    if (create && keyArn !== undefined) {
        r.problem(`${r.key("createSecretsKmsKey")} and ${r.key("secretsKmsKeyArn")} are mutually exclusive: create a key or use an existing one, not both`);
    }
    if (keyArn !== undefined) {
        return { mode: "existing", keyArn };
    }
    return create ? { mode: "create" } : { mode: "aws-managed" };
}

function readNetwork(r: Reader): AdmaConfig["network"] {
    const vpc = readVpc(r);
    const requested = r.boolean("createTaskEndpoints");
    return {
        vpc,
        createSecretsManagerEndpoint: r.boolean("createSecretsManagerEndpoint"),
        createTaskEndpoints: requested || (vpc.mode === "create" && vpc.natGateways === "None"),
    };
}

function readVpc(r: Reader): VpcConfig {
    const vpcId = r.optionalString("vpcId", (v) => VPC_ID.test(v), "a VPC id (vpc-xxxxxxxx or vpc-xxxxxxxxxxxxxxxxx)");
    const subnets = r.optionalStringArray("privateSubnetIds", (v) => SUBNET_ID.test(v), "subnet ids (subnet-xxxxxxxx)");
    if (vpcId === undefined && subnets === undefined) {
        return {
            mode: "create",
            cidrBlock: r.string("vpcCidrBlock", isPrivateSizedCidr, "an IPv4 CIDR block from /16 to /24, e.g. 10.0.0.0/16"),
            natGateways: r.oneOf("natGateways", NAT_GATEWAY_STRATEGIES),
        };
    }
    if (vpcId === undefined || subnets === undefined) {
        r.problem(`${r.key("vpcId")} and ${r.key("privateSubnetIds")} go together: set both to use an existing VPC, or neither to create one`);
    } else if (subnets.length > 0 && new Set(subnets).size < 2) {
        // (An empty list here means a malformed value, already reported.)
        r.problem(`${r.key("privateSubnetIds")}: RDS needs private subnets in at least two availability zones; give at least 2 distinct subnet ids`);
    }
    return { mode: "existing", vpcId: vpcId ?? "", privateSubnetIds: subnets ?? [] };
}

function isHttpsUrl(value: string): boolean {
    try {
        const url = new URL(value);
        return url.protocol === "https:" && url.hostname !== "";
    } catch {
        return false;
    }
}

function isPrivateSizedCidr(value: string): boolean {
    const match = CIDR.exec(value);
    if (!match) {
        return false;
    }
    const octets = match.slice(1, 5).map(Number);
    const bits = Number(match[5]);
    return octets.every((o) => o <= 255) && bits >= 16 && bits <= 24;
}

type Default = { [K in keyof typeof CONFIG_DEFAULTS]: (typeof CONFIG_DEFAULTS)[K] extends readonly string[] ? never : K }[keyof typeof CONFIG_DEFAULTS];

/** Parses raw values, records problems, and returns a typed placeholder so reading can continue. */
class Reader {
    readonly problems: string[] = [];
    /** Keys whose value was refused: nothing is checked against their placeholder. */
    private readonly refused = new Set<string>();

    constructor(
        private readonly get: ConfigGetter,
        private readonly context: ConfigContext,
    ) {}

    key(name: string): string {
        return `${CONFIG_NAMESPACE}:${name}`;
    }

    problem(message: string): void {
        this.problems.push(message);
    }

    /** The key was read without a problem (set and valid, or left to its default). */
    accepted(name: string): boolean {
        return !this.refused.has(name);
    }

    private raw(name: string): string | undefined {
        const value = this.get(name);
        return value === undefined || value === "" ? undefined : value;
    }

    /** How a value reads in a message: an integer as a number, anything else quoted; a secret not at all (undefined). */
    shown(name: string, value: string): string | undefined {
        if (this.context.isSecret?.(name)) {
            return undefined;
        }
        return /^-?\d+$/.test(value) ? value : JSON.stringify(value);
    }

    private refuse(name: string, message: string): void {
        this.refused.add(name);
        this.problem(`${this.key(name)}: ${message}`);
    }

    /** `near`: the allowed value the user most likely meant, named unless the key is secret. */
    private invalid(name: string, value: string, expected: string, near?: string): void {
        const shown = this.shown(name, value);
        this.refuse(name, `expected ${expected}, ${shown === undefined ? "but the value set (as a secret, so not shown) is not" : `got ${shown}${near === undefined ? "" : `; did you mean ${near}?`}`}`);
    }

    string(name: Default, valid: (v: string) => boolean, expected: string): string {
        const value = this.raw(name) ?? String(CONFIG_DEFAULTS[name]);
        if (!valid(value)) {
            this.invalid(name, value, expected);
        }
        return value;
    }

    requiredString(name: string, valid: (v: string) => boolean, expected: string): string {
        const value = this.raw(name);
        if (value === undefined) {
            this.refuse(name, `required, expected ${expected}; set it with \`pulumi config set ${this.key(name)} <value>\``);
            return "";
        }
        if (!valid(value)) {
            this.invalid(name, value, expected);
        }
        return value;
    }

    optionalString(name: string, valid: (v: string) => boolean, expected: string): string | undefined {
        const value = this.raw(name);
        if (value !== undefined && !valid(value)) {
            this.invalid(name, value, expected);
        }
        return value;
    }

    /**
     * An optional value `problemOf` describes what is wrong with, in terms that may repeat parts
     * of it; for a key set as a secret the message says only what was `expected`.
     */
    optionalChecked(name: string, problemOf: (value: string) => string | undefined, expected: string): string | undefined {
        const value = this.raw(name);
        const problem = value === undefined ? undefined : problemOf(value);
        if (value !== undefined && problem !== undefined) {
            const shown = this.shown(name, value);
            this.refuse(name, shown === undefined ? `expected ${expected}, but the value set (as a secret, so not shown) is not` : `${problem}; got ${shown}`);
        }
        return value;
    }

    /** An optional ARN the configuration takes (config-arns.ts), checked against the stack's region and partition. */
    optionalArn(name: ConfigArnKey): string | undefined {
        const rule = CONFIG_ARNS[name];
        return this.optionalChecked(name, (value) => configArnProblem(rule, value, this.context.region),
            `the ARN of ${rule.what} in the stack's region (arn:<partition>:${rule.service}:<region>:<account>:${rule.resourceForm})`);
    }

    optionalStringArray(name: string, valid: (v: string) => boolean, expected: string): string[] | undefined {
        const value = this.raw(name);
        if (value === undefined) {
            return undefined;
        }
        let parsed: unknown;
        try {
            parsed = JSON.parse(value);
        } catch {
            parsed = undefined;
        }
        if (!Array.isArray(parsed) || !parsed.every((item): item is string => typeof item === "string" && valid(item))) {
            this.invalid(name, value, `a list of ${expected}`);
            return [];
        }
        return parsed.length === 0 ? undefined : parsed;
    }

    oneOf<T extends string>(name: string, allowed: readonly T[]): T {
        const fallback = (CONFIG_DEFAULTS as Record<string, unknown>)[name];
        const value = this.raw(name) ?? (typeof fallback === "string" ? fallback : undefined);
        if (value === undefined) {
            this.refuse(name, `required, one of ${allowed.join(", ")}; set it with \`pulumi config set ${this.key(name)} <value>\``);
            return allowed[0];
        }
        if (!(allowed as readonly string[]).includes(value)) {
            this.invalid(name, value, `one of ${allowed.join(", ")}`, closestName(value, allowed));
            return allowed[0];
        }
        return value as T;
    }

    integer(name: Default, limits: { min?: number; max?: number; allowed?: readonly number[]; expected?: string }): number {
        const rawValue = this.raw(name);
        const fallback = CONFIG_DEFAULTS[name] as number;
        if (rawValue === undefined) {
            return fallback;
        }
        const value = /^-?\d+$/.test(rawValue.trim()) ? Number(rawValue) : NaN;
        const { min, max, allowed, expected } = limits;
        if (allowed !== undefined) {
            if (!allowed.includes(value)) {
                this.invalid(name, rawValue, `one of ${allowed.join(", ")}`);
                return fallback;
            }
        } else if (!Number.isInteger(value) || (min !== undefined && value < min) || (max !== undefined && value > max)) {
            const range = min !== undefined && max !== undefined ? ` from ${min} to ${max}` : min !== undefined ? ` of at least ${min}` : max !== undefined ? ` of at most ${max}` : "";
            this.invalid(name, rawValue, expected ?? `an integer${range}`);
            return fallback;
        }
        return value;
    }

    boolean(name: Default): boolean {
        const rawValue = this.raw(name);
        if (rawValue === undefined) {
            return CONFIG_DEFAULTS[name] as boolean;
        }
        if (rawValue !== "true" && rawValue !== "false") {
            this.invalid(name, rawValue, "true or false");
            return CONFIG_DEFAULTS[name] as boolean;
        }
        return rawValue === "true";
    }
}
