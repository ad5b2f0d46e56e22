/**
 * AWS's rules for the physical names this program builds, one row per resource type and input
 * property that carries a name (the `NameUse`s of lib/naming.ts), each with its source. The
 * configuration check (lib/config.ts) runs every name of the stack through its row when the
 * configuration is read, so a name AWS would reject fails there, naming the setting, instead of
 * halfway through `pulumi up`. Pure: no Pulumi calls.
 */
import { NameUse, PhysicalName } from "./naming";

export interface NamingRule {
    readonly minLength: number;
    readonly maxLength: number;
    /** Every character of the name is in this class (a single-character regex). */
    readonly characters: RegExp;
    /** The allowed characters, as the source says them. */
    readonly charactersDescription: string;
    /** What the whole name must also satisfy, each a test and the rule it checks. */
    readonly shape?: readonly { readonly test: (name: string) => boolean; readonly rule: string }[];
    /** The AWS document (API reference or user guide) that states the rule. */
    readonly source: string;
}

const startsWithLetter = { test: (name: string) => /^[A-Za-z]/.test(name), rule: "must start with a letter" };
const noDoubleHyphen = { test: (name: string) => !name.includes("--"), rule: "must not contain two consecutive hyphens" };
const noTrailingHyphen = { test: (name: string) => !name.endsWith("-"), rule: "must not end with a hyphen" };
const RDS_IDENTIFIER_SHAPE = [startsWithLetter, noDoubleHyphen, noTrailingHyphen];

const IAM_NAME = /[\w+=,.@-]/;
const ECS_NAME = /[A-Za-z0-9_-]/;
const EC2_TAG_VALUE = /[\p{L}\p{N}\s_.:/=+\-@]/u;

const RULES: Readonly<Record<string, NamingRule>> = {
    "aws:secretsmanager/secret:Secret name": {
        minLength: 1, maxLength: 512, characters: /[A-Za-z0-9/_+=.@-]/, charactersDescription: "ASCII letters, digits and /_+=.@-",
        source: "Secrets Manager API Reference, CreateSecret, Name",
    },
    "aws:kms/alias:Alias name": {
        minLength: 7, maxLength: 256, characters: /[A-Za-z0-9/_-]/, charactersDescription: "letters, digits, /, _ and -",
        shape: [
            { test: (name) => name.startsWith("alias/"), rule: "must start with alias/" },
            { test: (name) => !name.startsWith("alias/aws/"), rule: "must not start with alias/aws/ (reserved for AWS managed keys)" },
        ],
        source: "AWS KMS API Reference, CreateAlias, AliasName",
    },
    "aws:ssm/parameter:Parameter name": {
        minLength: 1, maxLength: 1011, characters: /[A-Za-z0-9_./-]/, charactersDescription: "letters, digits and _.-/",
        shape: [
            { test: (name) => !/^\/?(aws|ssm)/i.test(name), rule: "must not begin with aws or ssm (any case)" },
            { test: (name) => name.split("/").length - 1 <= 15, rule: "must have at most 15 levels" },
        ],
        source: "AWS Systems Manager User Guide, Parameter Store, 'Requirements and constraints for parameter names'",
    },
    "awsx:ec2:Vpc tags.Name": {
        minLength: 0, maxLength: 256, characters: EC2_TAG_VALUE, charactersDescription: "letters, digits, spaces and _.:/=+-@",
        source: "Amazon EC2 User Guide, 'Tag restrictions' (tag values)",
    },
    "aws:ec2/vpcEndpoint:VpcEndpoint tags.Name": {
        minLength: 0, maxLength: 256, characters: EC2_TAG_VALUE, charactersDescription: "letters, digits, spaces and _.:/=+-@",
        source: "Amazon EC2 User Guide, 'Tag restrictions' (tag values)",
    },
    "aws:ec2/securityGroup:SecurityGroup name": {
        minLength: 1, maxLength: 255, characters: /[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]/,
        charactersDescription: "a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*",
        shape: [{ test: (name) => !name.toLowerCase().startsWith("sg-"), rule: "must not start with sg-" }],
        source: "Amazon EC2 API Reference, CreateSecurityGroup, GroupName (VPC security groups)",
    },
    "aws:rds/instance:Instance identifier": {
        minLength: 1, maxLength: 63, characters: /[A-Za-z0-9-]/, charactersDescription: "letters, digits and hyphens",
        shape: RDS_IDENTIFIER_SHAPE, source: "Amazon RDS API Reference, CreateDBInstance, DBInstanceIdentifier",
    },
    "aws:rds/instance:Instance finalSnapshotIdentifier": {
        minLength: 1, maxLength: 255, characters: /[A-Za-z0-9-]/, charactersDescription: "letters, digits and hyphens",
        shape: RDS_IDENTIFIER_SHAPE, source: "Amazon RDS API Reference, DeleteDBInstance, FinalDBSnapshotIdentifier",
    },
    "aws:rds/subnetGroup:SubnetGroup name": {
        // The AWS provider accepts lowercase only (terraform-provider-aws, rds validSubnetGroupName).
        minLength: 1, maxLength: 255, characters: /[a-z0-9._ -]/, charactersDescription: "lowercase letters, digits, periods, underscores, spaces and hyphens",
        shape: [{ test: (name) => name !== "default", rule: "must not be default" }],
        source: "Amazon RDS API Reference, CreateDBSubnetGroup, DBSubnetGroupName",
    },
    "aws:rds/parameterGroup:ParameterGroup name": {
        // Lowercase only in the AWS provider (terraform-provider-aws, rds validParamGroupName).
        minLength: 1, maxLength: 255, characters: /[a-z0-9-]/, charactersDescription: "lowercase letters, digits and hyphens",
        shape: RDS_IDENTIFIER_SHAPE, source: "Amazon RDS API Reference, CreateDBParameterGroup, DBParameterGroupName",
    },
    "aws:iam/role:Role name": {
        minLength: 1, maxLength: 64, characters: IAM_NAME, charactersDescription: "letters, digits and _+=,.@-",
        source: "IAM API Reference, CreateRole, RoleName",
    },
    "aws:iam/rolePolicy:RolePolicy name": {
        minLength: 1, maxLength: 128, characters: IAM_NAME, charactersDescription: "letters, digits and _+=,.@-",
        source: "IAM API Reference, PutRolePolicy, PolicyName",
    },
    "aws:ecs/cluster:Cluster name": {
        minLength: 1, maxLength: 255, characters: ECS_NAME, charactersDescription: "letters, digits, underscores and hyphens",
        source: "Amazon ECS API Reference, CreateCluster, clusterName",
    },
    "aws:ecs/taskDefinition:TaskDefinition family": {
        minLength: 1, maxLength: 255, characters: ECS_NAME, charactersDescription: "letters, digits, underscores and hyphens",
        source: "Amazon ECS API Reference, RegisterTaskDefinition, family",
    },
    "aws:ecs/taskDefinition:TaskDefinition containerDefinitions.0.name": {
        minLength: 1, maxLength: 255, characters: ECS_NAME, charactersDescription: "letters, digits, underscores and hyphens",
        source: "Amazon ECS API Reference, ContainerDefinition, name",
    },
    "aws:ecs/service:Service name": {
        minLength: 1, maxLength: 255, characters: ECS_NAME, charactersDescription: "letters, digits, underscores and hyphens",
        source: "Amazon ECS API Reference, CreateService, serviceName",
    },
    "aws:cloudwatch/logGroup:LogGroup name": {
        minLength: 1, maxLength: 512, characters: /[A-Za-z0-9._\-/#]/, charactersDescription: "letters, digits and ._-/#",
        shape: [{ test: (name) => !name.startsWith("aws/"), rule: "must not start with aws/" }],
        source: "Amazon CloudWatch Logs API Reference, CreateLogGroup, logGroupName",
    },
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy policyName": {
        minLength: 1, maxLength: 255, characters: /[^:*]/, charactersDescription: "any character but : and *",
        shape: [{ test: (name) => /^([^:*/]+\/?)*[^:*/]+$/.test(name), rule: "must not start or end with / or hold //" }],
        source: "AWS CloudFormation, AWS::Logs::ResourcePolicy, PolicyName",
    },
    "aws:cloudwatch/logMetricFilter:LogMetricFilter name": {
        minLength: 1, maxLength: 512, characters: /[^:*]/, charactersDescription: "any character but : and *",
        source: "Amazon CloudWatch Logs API Reference, PutMetricFilter, filterName",
    },
    "aws:cloudwatch/logMetricFilter:LogMetricFilter metricTransformation.namespace": {
        minLength: 1, maxLength: 255, characters: /[^:*$]/, charactersDescription: "any character but :, * and $",
        shape: [{ test: (name) => !name.startsWith("AWS/"), rule: "must not start with AWS/ (reserved for AWS services)" }],
        source: "Amazon CloudWatch Logs API Reference, MetricTransformation, metricNamespace; CloudWatch API Reference, PutMetricData, Namespace",
    },
    "aws:cloudwatch/metricAlarm:MetricAlarm name": {
        // "UTF-8 characters, and can't contain ASCII control characters".
        minLength: 1, maxLength: 255, characters: /[^\u0000-\u001f\u007f]/, charactersDescription: "UTF-8 characters, no ASCII control characters",
        source: "Amazon CloudWatch API Reference, PutMetricAlarm, AlarmName",
    },
    "aws:cloudwatch/eventRule:EventRule name": {
        minLength: 1, maxLength: 64, characters: /[A-Za-z0-9._-]/, charactersDescription: "letters, digits and .-_",
        source: "Amazon EventBridge API Reference, PutRule, Name",
    },
    "aws:sfn/stateMachine:StateMachine name": {
        // No whitespace, brackets, wildcards, special characters or control characters.
        minLength: 1, maxLength: 80, characters: /[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/,
        charactersDescription: "no whitespace, < > { } [ ], ? *, \" # % \\ ^ | ~ ` $ & , ; : / or control characters",
        source: "AWS Step Functions API Reference, CreateStateMachine, name",
    },
    "aws:sns/topic:Topic name": {
        minLength: 1, maxLength: 256, characters: /[A-Za-z0-9_-]/, charactersDescription: "letters, digits, underscores and hyphens",
        source: "Amazon SNS API Reference, CreateTopic, Name",
    },
};

/** The rule for a use, or undefined when none is listed (a test keeps every `NameUse` listed). */
export function namingRuleFor(use: NameUse): NamingRule | undefined {
    return RULES[`${use.resourceType} ${use.property}`];
}

/** Every listed use, `<resource type> <property>`. */
export const NAMING_RULE_USES: readonly string[] = Object.keys(RULES);

/** What is wrong with one name under its rule, one sentence each; empty when AWS accepts it. */
export function namingViolations(name: string, rule: NamingRule): string[] {
    const violations: string[] = [];
    if (name.length < rule.minLength || name.length > rule.maxLength) {
        violations.push(`is ${name.length} characters long; AWS allows ${rule.minLength} to ${rule.maxLength}`);
    }
    const badCharacters = [...new Set([...name].filter((character) => !rule.characters.test(character)))];
    if (badCharacters.length > 0) {
        violations.push(`contains ${badCharacters.map((c) => JSON.stringify(c)).join(", ")}; AWS allows ${rule.charactersDescription}`);
    }
    for (const { test, rule: shapeRule } of rule.shape ?? []) {
        if (!test(name)) {
            violations.push(shapeRule);
        }
    }
    return violations;
}

/**
 * One problem per physical name AWS would reject, e.g. `the RDS instance identifier (database.instance)
 * "a--prod-postgres" must not contain two consecutive hyphens (Amazon RDS API Reference, ...)`.
 * Throws when a name's use has no rule: a new name must come with its rule.
 */
export function physicalNameProblems(names: readonly PhysicalName[]): string[] {
    return names.flatMap((physical) => {
        const rule = namingRuleFor(physical);
        if (rule === undefined) {
            throw new Error(`lib/naming-rules.ts has no rule for ${physical.resourceType} ${physical.property} (${physical.key})`);
        }
        const name = physical.name + (physical.generatedSuffix ?? "");
        const violations = namingViolations(name, rule);
        return violations.length === 0 ? [] : [`${physical.key} "${name}" (${physical.resourceType} ${physical.property}) ${violations.join("; ")} (${rule.source})`];
    });
}
