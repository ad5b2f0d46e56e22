/**
 * A healthy prod deployment as the doctor reads it (AWS API responses, built by hand), and the
 * target the prod stack's configuration gives. Tests mutate a fresh copy per fault.
 */
import { leakPatterns } from "../../doctor/checks/log-leaks";
import type { DeploymentSnapshot, SecretState } from "../../doctor/snapshot";
import { found } from "../../doctor/snapshot";
import { DoctorTarget, doctorTarget } from "../../doctor/target";
import { loadAdmaConfig } from "../../lib/config";

export const REGION = "eu-west-1";
export const ACCOUNT = "123456789012";
export const JWT = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:/adma/prod/jwt-secret-AbCdEf`;
export const RDS = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:rds!db-0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9-GhIjKl`;
export const OTHER_RDS = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:rds!db-99999999-4b5a-6978-8695-a4b3c2d1e0f9-ZzYyXx`;
export const PARAM = `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/adma/prod/app-base-url`;
export const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/adma-prod-ecs-execution-role`;
export const TASK_DEFINITION = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/adma-prod-backend:7`;
export const SERVICE = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/adma-prod-ecs/adma-prod-backend`;
export const SERVICE_GROUP = "sg-0aaaaaaaaaaaaaaa1";
export const ENDPOINT_GROUP = "sg-0bbbbbbbbbbbbbbb2";
export const SUBNETS = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"];
export const VPC = "vpc-0ccccccccccccccc3";
export const NAT = "nat-0ddddddddddddddd4";

const T0 = new Date("2026-11-01T00:00:00Z");
const hoursAfter = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
export const TASK_STARTED = hoursAfter(48);
export const READ_AT = hoursAfter(72);

export function prodTarget(overrides: Parameters<typeof doctorTarget>[3] = {}): DoctorTarget {
    const config = loadAdmaConfig((key) => ({
        environment: "prod",
        appBaseUrl: "https://adma.example.com",
        backendRepositoryUrl: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/adma-backend`,
        backendImageTag: "1.0.0",
        createSecretsKmsKey: "true",
    } as Record<string, string>)[key]);
    return doctorTarget("prod", REGION, config, overrides);
}

export function executionPolicy(resources = [JWT, RDS]): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Sid: "ReadOnlyRequiredSecrets", Effect: "Allow", Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], Resource: resources },
            { Sid: "ReadOnlyRequiredParameters", Effect: "Allow", Action: ["ssm:GetParameters"], Resource: [PARAM] },
            {
                Sid: "DecryptSecretsWithCustomerKey", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [KEY],
                Condition: { StringEquals: { "kms:ViaService": [`secretsmanager.${REGION}.amazonaws.com`] } },
            },
        ],
    });
}

const MANAGED_EXECUTION_POLICY = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{
        Effect: "Allow",
        Action: ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: "*",
    }],
});

export function secretState(arn: string, name: string, versions: Array<{ id: string; stages: string[]; created: Date }>, extra: Partial<SecretState["description"]> = {}): SecretState {
    return {
        description: {
            ARN: arn, Name: name, KmsKeyId: KEY, CreatedDate: T0,
            VersionIdsToStages: Object.fromEntries(versions.map((v) => [v.id, v.stages])),
            ...extra,
        },
        versions: versions.map((v) => ({ VersionId: v.id, VersionStages: v.stages, CreatedDate: v.created })),
    };
}

export const JWT_VERSIONS = [
    { id: "11111111-1111-1111-1111-111111111111", stages: ["AWSPREVIOUS"], created: T0 },
    { id: "22222222-2222-2222-2222-222222222222", stages: ["AWSCURRENT"], created: hoursAfter(1) },
];

export function jwtState(): SecretState {
    return secretState(JWT, "/adma/prod/jwt-secret", JWT_VERSIONS);
}

export function rdsState(arn = RDS): SecretState {
    return secretState(arn, arn.split(":secret:")[1].slice(0, -7), [
        { id: "33333333-3333-3333-3333-333333333333", stages: ["AWSPREVIOUS"], created: T0 },
        { id: "44444444-4444-4444-4444-444444444444", stages: ["AWSCURRENT"], created: hoursAfter(2) },
    ], {
        OwningService: "rds",
        RotationEnabled: true,
        RotationRules: { AutomaticallyAfterDays: 30 },
        NextRotationDate: hoursAfter(24 * 30),
        Tags: [{ Key: "aws:rds:primaryDBInstanceArn", Value: `arn:aws:rds:${REGION}:${ACCOUNT}:db:adma-prod-postgres` }],
    });
}

export function backendSecrets(dbSecret = RDS, dbKey = "password"): Array<{ name: string; valueFrom: string }> {
    return [
        { name: "DB_PASSWORD", valueFrom: `${dbSecret}:${dbKey}::` },
        { name: "JWT_SECRET", valueFrom: JWT },
        { name: "JWT_SECRET_PREVIOUS", valueFrom: `${JWT}::AWSPREVIOUS:` },
        { name: "APP_BASE_URL", valueFrom: PARAM },
    ];
}

/** A deep copy of the healthy prod deployment: every check passes on it. */
export function healthySnapshot(): DeploymentSnapshot {
    return {
        region: REGION,
        service: {
            serviceArn: SERVICE,
            serviceName: "adma-prod-backend",
            taskDefinition: TASK_DEFINITION,
            networkConfiguration: { awsvpcConfiguration: { subnets: [...SUBNETS], securityGroups: [SERVICE_GROUP], assignPublicIp: "DISABLED" } },
        },
        taskDefinition: {
            taskDefinitionArn: TASK_DEFINITION,
            family: "adma-prod-backend",
            revision: 7,
            executionRoleArn: ROLE,
            containerDefinitions: [{
                name: "backend",
                image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/adma-backend:1.0.0`,
                logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/adma-prod-backend", "awslogs-region": REGION } },
                environment: [{ name: "DB_HOST", value: "adma-prod-postgres.abc.eu-west-1.rds.amazonaws.com" }],
                secrets: backendSecrets(),
            }],
        },
        tasks: found([{ taskArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task/adma-prod-ecs/0123456789abcdef0123456789abcdef`, lastStatus: "RUNNING", startedAt: TASK_STARTED, group: "service:adma-prod-backend" }]),
        secrets: new Map([[JWT, found(jwtState())], [RDS, found(rdsState())]]),
        parameters: new Map([[PARAM, found({ Name: "/adma/prod/app-base-url", Type: "String", LastModifiedDate: T0 })]]),
        kmsKeys: new Map([[KEY, found({ KeyId: KEY.split("/")[1], Arn: KEY, KeyManager: "CUSTOMER" })]]),
        executionRole: found({
            role: { RoleName: "adma-prod-ecs-execution-role", Arn: ROLE, Path: "/", RoleId: "AROAEXAMPLE", CreateDate: T0 },
            inline: [{ source: "adma-prod-ecs-execution-secrets", document: executionPolicy() }],
            attached: [{ source: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy", document: MANAGED_EXECUTION_POLICY }],
        }),
        network: found({
            subnets: [
                { SubnetId: SUBNETS[0], VpcId: VPC, CidrBlock: "10.0.128.0/20" },
                { SubnetId: SUBNETS[1], VpcId: VPC, CidrBlock: "10.0.144.0/20" },
            ],
            routeTables: [
                { RouteTableId: "rtb-main", VpcId: VPC, Associations: [{ Main: true }], Routes: [{ DestinationCidrBlock: "10.0.0.0/16", GatewayId: "local" }] },
                ...SUBNETS.map((subnet, i) => ({
                    RouteTableId: `rtb-private-${i}`, VpcId: VPC, Associations: [{ SubnetId: subnet, Main: false }],
                    Routes: [{ DestinationCidrBlock: "10.0.0.0/16", GatewayId: "local" }, { DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: NAT, State: "active" as const }],
                })),
            ],
            natGateways: [{ NatGatewayId: NAT, VpcId: VPC, State: "available" }],
            endpoints: [{
                VpcEndpointId: "vpce-0eeeeeeeeeeeeeee5", VpcEndpointType: "Interface", VpcId: VPC, ServiceName: `com.amazonaws.${REGION}.secretsmanager`,
                State: "Available", PrivateDnsEnabled: true, SubnetIds: [...SUBNETS], Groups: [{ GroupId: ENDPOINT_GROUP, GroupName: "adma-prod-secretsmanager-endpoint" }],
            }],
            securityGroupRules: [
                { SecurityGroupRuleId: "sgr-1", GroupId: ENDPOINT_GROUP, IsEgress: false, IpProtocol: "tcp", FromPort: 443, ToPort: 443, ReferencedGroupInfo: { GroupId: SERVICE_GROUP } },
                { SecurityGroupRuleId: "sgr-2", GroupId: SERVICE_GROUP, IsEgress: true, IpProtocol: "tcp", FromPort: 443, ToPort: 443, CidrIpv4: "0.0.0.0/0" },
                { SecurityGroupRuleId: "sgr-3", GroupId: SERVICE_GROUP, IsEgress: true, IpProtocol: "tcp", FromPort: 5432, ToPort: 5432, ReferencedGroupInfo: { GroupId: "sg-0fffffffffffffff6" } },
            ],
        }),
        database: found({ DBInstanceIdentifier: "adma-prod-postgres", MasterUserSecret: { SecretArn: RDS, SecretStatus: "active", KmsKeyId: KEY } }),
        jwtSecret: found(jwtState()),
        logs: found({
            logGroupName: "/ecs/adma-prod-backend",
            startTime: new Date(READ_AT.getTime() - 24 * 3_600_000),
            endTime: READ_AT,
            matches: leakPatterns(prodTarget()).map(({ pattern }) => ({ pattern, events: 0, streams: [], truncated: false })),
        }),
        trails: found([{
            trail: { Name: "org-trail", TrailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org-trail`, HomeRegion: "us-east-1", IsMultiRegionTrail: true, HasCustomEventSelectors: false },
            status: found({ IsLogging: true }),
        }]),
    };
}
