/**
 * Every physical name the stack creates, in one place, derived from the design document's
 * `name_prefix = "${project_name}-${environment}"`, grouped by the component that uses them (each
 * component takes its group as `names`). `NAME_USES` says, for every name, which resource carries it
 * in which input property: what a check of AWS's naming rules per resource type reads.
 * Pure: no Pulumi calls.
 */
import type { AdmaConfig } from "./config";

export interface ResourceNames {
    /** `${projectName}-${environment}`, e.g. `adma-prod`; every other name derives from it. */
    readonly namePrefix: string;
    readonly jwtSecret: { readonly secret: string };
    readonly secretsKmsKey: { readonly alias: string };
    readonly appParameters: { readonly appBaseUrl: string };
    readonly network: {
        /** The `Name` tag of a VPC the stack creates. */
        readonly vpc: string;
        readonly serviceSecurityGroup: string;
        readonly databaseSecurityGroup: string;
        readonly secretsManagerEndpointSecurityGroup: string;
        /** The `Name` tag of the Secrets Manager interface endpoint. */
        readonly secretsManagerEndpoint: string;
        /** The task endpoints (lib/vpc-endpoints.ts): their interface endpoints' security group, and each one's `Name` tag. */
        readonly taskEndpointsSecurityGroup: string;
        readonly ssmEndpoint: string;
        readonly ecrApiEndpoint: string;
        readonly ecrDkrEndpoint: string;
        readonly logsEndpoint: string;
        readonly s3Endpoint: string;
    };
    readonly database: {
        readonly instance: string;
        readonly subnetGroup: string;
        /** Carries the parameter group family, so a major version upgrade gets a group of its own. */
        readonly parameterGroup: string;
        /** The final snapshot's name up to its suffix, unique to each instance (`FINAL_SNAPSHOT_SUFFIX_BYTES`). */
        readonly finalSnapshot: string;
    };
    readonly executionRole: { readonly role: string; readonly secretsPolicy: string };
    readonly taskRole: { readonly role: string; readonly ecsExecPolicy: string };
    readonly backendService: {
        readonly cluster: string;
        readonly logGroup: string;
        readonly taskFamily: string;
        readonly service: string;
        readonly container: string;
    };
    readonly rotation: {
        readonly stateMachine: string;
        readonly stateMachineRole: string;
        readonly stateMachinePolicy: string;
        readonly rotationSucceededRule: string;
        readonly eventsRole: string;
        readonly eventsPolicy: string;
    };
    readonly monitoring: {
        readonly alarmTopic: string;
        readonly unexpectedReadRule: string;
        readonly secretReadsRule: string;
        /** EventBridge delivers to CloudWatch Logs only under `/aws/events/`. */
        readonly readAuditLogGroup: string;
        readonly readAuditDeliveryPolicy: string;
        readonly frequentReadsAlarm: string;
        readonly passwordLeakFilter: string;
        readonly passwordLeakAlarm: string;
        readonly jwtShapeLeakFilter: string;
        readonly jwtShapeLeakAlarm: string;
        /** The CloudWatch metric namespace of the log-leak filters. */
        readonly metricNamespace: string;
    };
}

/** The groups of `ResourceNames`, one per component. */
export type NameGroup = Exclude<keyof ResourceNames, "namePrefix">;

/** Where AWS reads a name: the Pulumi type of the resource and the input property (a dotted path) that carries it. */
export interface NameUse {
    readonly resourceType: string;
    readonly property: string;
    /**
     * The longest suffix the component appends to the name when it registers it (generated, so
     * unknown until the resource exists), written as a sample of that form; the naming rules check
     * the name with it.
     */
    readonly generatedSuffix?: string;
}

/** The final snapshot's name ends with `-` and this many random bytes in hex, new for each instance (components/database.ts). */
export const FINAL_SNAPSHOT_SUFFIX_BYTES = 4;

export type NamingInputs = Pick<AdmaConfig, "projectName" | "environment"> & { readonly database: Pick<AdmaConfig["database"], "parameterGroupFamily"> };

export function resourceNames(config: NamingInputs): ResourceNames {
    const { projectName, environment } = config;
    const prefix = `${projectName}-${environment}`;
    const dbInstance = `${prefix}-postgres`;
    const executionRole = `${prefix}-ecs-execution-role`;
    const taskRole = `${prefix}-backend-task`;
    const rotationRedeploy = `${prefix}-rds-rotation-redeploy`;
    const passwordLeak = `${prefix}-log-leak-password`;
    const jwtShapeLeak = `${prefix}-log-leak-jwt-shape`;
    return {
        namePrefix: prefix,
        jwtSecret: { secret: `/${projectName}/${environment}/jwt-secret` },
        secretsKmsKey: { alias: `alias/${prefix}-secrets` },
        appParameters: { appBaseUrl: `/${projectName}/${environment}/app-base-url` },
        network: {
            vpc: prefix,
            serviceSecurityGroup: `${prefix}-backend`,
            databaseSecurityGroup: `${prefix}-postgres`,
            secretsManagerEndpointSecurityGroup: `${prefix}-secretsmanager-endpoint`,
            secretsManagerEndpoint: `${prefix}-secretsmanager`,
            taskEndpointsSecurityGroup: `${prefix}-task-endpoints`,
            ssmEndpoint: `${prefix}-ssm`,
            ecrApiEndpoint: `${prefix}-ecr-api`,
            ecrDkrEndpoint: `${prefix}-ecr-dkr`,
            logsEndpoint: `${prefix}-logs`,
            s3Endpoint: `${prefix}-s3`,
        },
        database: {
            instance: dbInstance,
            subnetGroup: dbInstance,
            parameterGroup: `${dbInstance}-${config.database.parameterGroupFamily}`,
            finalSnapshot: `${dbInstance}-final`,
        },
        executionRole: { role: executionRole, secretsPolicy: `${prefix}-ecs-execution-secrets` },
        taskRole: { role: taskRole, ecsExecPolicy: `${taskRole}-ecs-exec` },
        backendService: {
            cluster: `${prefix}-ecs`,
            logGroup: `/ecs/${prefix}-backend`,
            taskFamily: `${prefix}-backend`,
            service: `${prefix}-backend`,
            container: "backend",
        },
        rotation: {
            stateMachine: rotationRedeploy,
            stateMachineRole: `${rotationRedeploy}-sfn`,
            stateMachinePolicy: `${prefix}-ecs-update-service`,
            rotationSucceededRule: `${prefix}-rds-rotation-succeeded`,
            eventsRole: `${rotationRedeploy}-events`,
            eventsPolicy: `${prefix}-start-redeploy`,
        },
        monitoring: {
            alarmTopic: `${prefix}-secret-alarms`,
            unexpectedReadRule: `${prefix}-unexpected-secret-read`,
            secretReadsRule: `${prefix}-secret-reads`,
            readAuditLogGroup: `/aws/events/${prefix}-secret-reads`,
            readAuditDeliveryPolicy: `${prefix}-secret-reads-delivery`,
            frequentReadsAlarm: `${prefix}-frequent-secret-reads`,
            passwordLeakFilter: passwordLeak,
            passwordLeakAlarm: passwordLeak,
            jwtShapeLeakFilter: jwtShapeLeak,
            jwtShapeLeakAlarm: jwtShapeLeak,
            metricNamespace: `${prefix}/Secrets`,
        },
    };
}

function named(resourceType: string, property = "name", generatedSuffix?: string): NameUse {
    return generatedSuffix === undefined ? { resourceType, property } : { resourceType, property, generatedSuffix };
}

const ROLE = named("aws:iam/role:Role");
const ROLE_POLICY = named("aws:iam/rolePolicy:RolePolicy");
const SECURITY_GROUP = named("aws:ec2/securityGroup:SecurityGroup");
const VPC_ENDPOINT = named("aws:ec2/vpcEndpoint:VpcEndpoint", "tags.Name");
const EVENT_RULE = named("aws:cloudwatch/eventRule:EventRule");
const LOG_GROUP = named("aws:cloudwatch/logGroup:LogGroup");
const METRIC_ALARM = named("aws:cloudwatch/metricAlarm:MetricAlarm");
const METRIC_FILTER = named("aws:cloudwatch/logMetricFilter:LogMetricFilter");

export const NAME_USES: { readonly [G in NameGroup]: { readonly [K in keyof ResourceNames[G]]: NameUse } } = {
    jwtSecret: { secret: named("aws:secretsmanager/secret:Secret") },
    secretsKmsKey: { alias: named("aws:kms/alias:Alias") },
    appParameters: { appBaseUrl: named("aws:ssm/parameter:Parameter") },
    network: {
        vpc: named("awsx:ec2:Vpc", "tags.Name"),
        serviceSecurityGroup: SECURITY_GROUP,
        databaseSecurityGroup: SECURITY_GROUP,
        secretsManagerEndpointSecurityGroup: SECURITY_GROUP,
        secretsManagerEndpoint: VPC_ENDPOINT,
        taskEndpointsSecurityGroup: SECURITY_GROUP,
        ssmEndpoint: VPC_ENDPOINT,
        ecrApiEndpoint: VPC_ENDPOINT,
        ecrDkrEndpoint: VPC_ENDPOINT,
        logsEndpoint: VPC_ENDPOINT,
        s3Endpoint: VPC_ENDPOINT,
    },
    database: {
        instance: named("aws:rds/instance:Instance", "identifier"),
        subnetGroup: named("aws:rds/subnetGroup:SubnetGroup"),
        parameterGroup: named("aws:rds/parameterGroup:ParameterGroup"),
        finalSnapshot: named("aws:rds/instance:Instance", "finalSnapshotIdentifier", `-${"0f".repeat(FINAL_SNAPSHOT_SUFFIX_BYTES)}`),
    },
    executionRole: { role: ROLE, secretsPolicy: ROLE_POLICY },
    taskRole: { role: ROLE, ecsExecPolicy: ROLE_POLICY },
    backendService: {
        cluster: named("aws:ecs/cluster:Cluster"),
        logGroup: LOG_GROUP,
        taskFamily: named("aws:ecs/taskDefinition:TaskDefinition", "family"),
        service: named("aws:ecs/service:Service"),
        container: named("aws:ecs/taskDefinition:TaskDefinition", "containerDefinitions.0.name"),
    },
    rotation: {
        stateMachine: named("aws:sfn/stateMachine:StateMachine"),
        stateMachineRole: ROLE,
        stateMachinePolicy: ROLE_POLICY,
        rotationSucceededRule: EVENT_RULE,
        eventsRole: ROLE,
        eventsPolicy: ROLE_POLICY,
    },
    monitoring: {
        alarmTopic: named("aws:sns/topic:Topic"),
        unexpectedReadRule: EVENT_RULE,
        secretReadsRule: EVENT_RULE,
        readAuditLogGroup: LOG_GROUP,
        readAuditDeliveryPolicy: named("aws:cloudwatch/logResourcePolicy:LogResourcePolicy", "policyName"),
        frequentReadsAlarm: METRIC_ALARM,
        passwordLeakFilter: METRIC_FILTER,
        passwordLeakAlarm: METRIC_ALARM,
        jwtShapeLeakFilter: METRIC_FILTER,
        jwtShapeLeakAlarm: METRIC_ALARM,
        metricNamespace: named("aws:cloudwatch/logMetricFilter:LogMetricFilter", "metricTransformation.namespace"),
    },
};

export interface PhysicalName extends NameUse {
    /** `<group>.<key>`, e.g. `executionRole.role`. */
    readonly key: string;
    readonly name: string;
}

/** Every name with where it is used, one row each: the list a naming-rules check walks. */
export function physicalNames(names: ResourceNames): PhysicalName[] {
    return (Object.keys(NAME_USES) as NameGroup[]).flatMap((group) => {
        const uses: Record<string, NameUse> = NAME_USES[group];
        const values: Record<string, string> = names[group];
        return Object.entries(uses).map(([key, use]) => ({ key: `${group}.${key}`, name: values[key], ...use }));
    });
}

/** Tags every resource of the stack carries. */
export function standardTags(projectName: string, environment: string): Record<string, string> {
    return { Project: projectName, Environment: environment, ManagedBy: "pulumi" };
}
