/**
 * `--verify`: confirms, read-only, that every import ID names a live resource of the account, with
 * the AWS SDK for JavaScript v3 (default credential chain; `AWS_ENDPOINT_URL` is honoured by the
 * SDK itself, so this runs against moto in tests and against AWS for real). One Describe/Get/List
 * call per resource, none of which returns a secret value (DescribeSecret and
 * ListSecretVersionIds, never GetSecretValue; DescribeParameters, never GetParameter). It also
 * reads what the state cannot say: the ids of inline security group rules the program imports,
 * and whether the JWT version adoption keeps is still the one AWSCURRENT points to.
 */
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeSecurityGroupRulesCommand, DescribeSecurityGroupsCommand, DescribeVpcEndpointsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from "@aws-sdk/client-ecs";
import { GetRoleCommand, GetRolePolicyCommand, IAMClient, ListAttachedRolePoliciesCommand } from "@aws-sdk/client-iam";
import { DescribeKeyCommand, KMSClient, ListAliasesCommand } from "@aws-sdk/client-kms";
import { DescribeDBInstancesCommand, DescribeDBParameterGroupsCommand, DescribeDBSubnetGroupsCommand, RDSClient } from "@aws-sdk/client-rds";
import { DescribeSecretCommand, ListSecretVersionIdsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { DescribeParametersCommand, SSMClient } from "@aws-sdk/client-ssm";
import type { SecurityGroupRuleToImport } from "./security-group-rules";

/** One import ID to check. */
export interface ImportIdCheck {
    readonly address: string;
    readonly type: string;
    readonly importId: string;
}

export interface VerifiedImportId extends ImportIdCheck {
    /** Undefined when the ID names a live resource; else why not, in words. */
    readonly problem?: string;
}

/** The SDK clients, created once per service, in the region of the deployment. */
class Clients {
    private readonly made = new Map<string, unknown>();
    constructor(private readonly region: string) { }

    get<C>(make: new (config: { region: string }) => C): C {
        const client = this.made.get(make.name) ?? new make({ region: this.region });
        this.made.set(make.name, client);
        return client as C;
    }
}

/** The error AWS answered with, by name and message (an SDK error carries no secret). */
function awsError(error: unknown): string {
    const { name, message } = error as { name?: string; message?: string };
    return `${name ?? "Error"}${message ? `: ${message}` : ""}`;
}

type Check = (clients: Clients, importId: string) => Promise<string | undefined>;

const split = (id: string, separator: string): [string, string] => {
    const at = id.indexOf(separator);
    return at < 0 ? [id, ""] : [id.slice(0, at), id.slice(at + 1)];
};

/** Per Pulumi type: undefined when `importId` names a live resource, else what is wrong. Keyed like IMPORT_ID_FORMS. */
const CHECKS: Readonly<Record<string, Check>> = {
    "aws:secretsmanager/secret:Secret": async (c, id) => {
        const secret = await c.get(SecretsManagerClient).send(new DescribeSecretCommand({ SecretId: id }));
        return secret.ARN === id ? (secret.DeletedDate ? "the secret is scheduled for deletion" : undefined) : `DescribeSecret answers ${secret.ARN}`;
    },
    "aws:secretsmanager/secretVersion:SecretVersion": async (c, id) => {
        const [secretId, versionId] = split(id, "|");
        const versions = [];
        let token: string | undefined;
        do {
            const page = await c.get(SecretsManagerClient).send(new ListSecretVersionIdsCommand({ SecretId: secretId, NextToken: token, IncludeDeprecated: true }));
            versions.push(...(page.Versions ?? []));
            token = page.NextToken;
        } while (token);
        const version = versions.find((candidate) => candidate.VersionId === versionId);
        if (version === undefined) {
            return `the secret has no version ${versionId}`;
        }
        if (!(version.VersionStages ?? []).includes("AWSCURRENT")) {
            const current = versions.find((candidate) => (candidate.VersionStages ?? []).includes("AWSCURRENT"));
            return `version ${versionId} is not AWSCURRENT (it is ${(version.VersionStages ?? []).join(", ") || "unlabelled"}); the value in use is version ${current?.VersionId ?? "?"}, ` +
                "written outside Terraform: refresh the state (terraform apply -refresh-only does not pick it up either), or set adma:jwtSecretAdoptedVersionId to it and import that version";
        }
        return undefined;
    },
    "aws:ssm/parameter:Parameter": async (c, id) => {
        const { Parameters } = await c.get(SSMClient).send(new DescribeParametersCommand({ ParameterFilters: [{ Key: "Name", Option: "Equals", Values: [id] }] }));
        return (Parameters ?? []).some((parameter) => parameter.Name === id) ? undefined : "no such parameter";
    },
    "aws:ec2/securityGroup:SecurityGroup": async (c, id) => {
        const { SecurityGroups } = await c.get(EC2Client).send(new DescribeSecurityGroupsCommand({ GroupIds: [id] }));
        return SecurityGroups?.[0]?.GroupId === id ? undefined : "no such security group";
    },
    "aws:ec2/vpcEndpoint:VpcEndpoint": async (c, id) => {
        const { VpcEndpoints } = await c.get(EC2Client).send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [id] }));
        return VpcEndpoints?.[0]?.VpcEndpointId === id ? undefined : "no such VPC endpoint";
    },
    "aws:rds/subnetGroup:SubnetGroup": async (c, id) => {
        const { DBSubnetGroups } = await c.get(RDSClient).send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: id }));
        return DBSubnetGroups?.[0]?.DBSubnetGroupName === id ? undefined : "no such DB subnet group";
    },
    "aws:rds/parameterGroup:ParameterGroup": async (c, id) => {
        const { DBParameterGroups } = await c.get(RDSClient).send(new DescribeDBParameterGroupsCommand({ DBParameterGroupName: id }));
        return DBParameterGroups?.[0]?.DBParameterGroupName === id ? undefined : "no such DB parameter group";
    },
    "aws:rds/instance:Instance": async (c, id) => {
        const { DBInstances } = await c.get(RDSClient).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
        return DBInstances?.[0]?.DBInstanceIdentifier === id ? undefined : "no such DB instance";
    },
    "aws:iam/role:Role": async (c, id) => {
        const { Role } = await c.get(IAMClient).send(new GetRoleCommand({ RoleName: id }));
        return Role?.RoleName === id ? undefined : "no such role";
    },
    "aws:iam/rolePolicy:RolePolicy": async (c, id) => {
        const [RoleName, PolicyName] = split(id, ":");
        const policy = await c.get(IAMClient).send(new GetRolePolicyCommand({ RoleName, PolicyName }));
        return policy.PolicyName === PolicyName ? undefined : "no such inline policy";
    },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": async (c, id) => {
        const [RoleName, policyArn] = split(id, "/");
        const { AttachedPolicies } = await c.get(IAMClient).send(new ListAttachedRolePoliciesCommand({ RoleName }));
        return (AttachedPolicies ?? []).some((policy) => policy.PolicyArn === policyArn) ? undefined : `${policyArn} is not attached to role ${RoleName}`;
    },
    "aws:ecs/cluster:Cluster": async (c, id) => {
        const { clusters } = await c.get(ECSClient).send(new DescribeClustersCommand({ clusters: [id] }));
        const cluster = clusters?.find((candidate) => candidate.clusterName === id);
        return cluster === undefined ? "no such cluster" : cluster.status === "ACTIVE" ? undefined : `the cluster is ${cluster.status}`;
    },
    "aws:ecs/taskDefinition:TaskDefinition": async (c, id) => {
        const { taskDefinition } = await c.get(ECSClient).send(new DescribeTaskDefinitionCommand({ taskDefinition: id }));
        return taskDefinition?.taskDefinitionArn === id ? undefined : "no such task definition";
    },
    "aws:ecs/service:Service": async (c, id) => {
        const [cluster, name] = split(id, "/");
        const { services } = await c.get(ECSClient).send(new DescribeServicesCommand({ cluster, services: [name] }));
        const service = services?.find((candidate) => candidate.serviceName === name);
        return service === undefined ? `no service ${name} in cluster ${cluster}` : service.status === "ACTIVE" ? undefined : `the service is ${service.status}`;
    },
    "aws:cloudwatch/logGroup:LogGroup": async (c, id) => {
        const { logGroups } = await c.get(CloudWatchLogsClient).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: id }));
        return (logGroups ?? []).some((group) => group.logGroupName === id) ? undefined : "no such log group";
    },
    "aws:kms/key:Key": async (c, id) => {
        const { KeyMetadata } = await c.get(KMSClient).send(new DescribeKeyCommand({ KeyId: id }));
        return KeyMetadata?.KeyId === id ? (KeyMetadata.KeyState === "Enabled" ? undefined : `the key is ${KeyMetadata.KeyState}`) : "no such key";
    },
    "aws:kms/alias:Alias": async (c, id) => {
        const { Aliases } = await c.get(KMSClient).send(new ListAliasesCommand({}));
        return (Aliases ?? []).some((alias) => alias.AliasName === id) ? undefined : "no such alias";
    },
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": async (c, id) => ruleExists(c, id),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": async (c, id) => ruleExists(c, id),
};

async function ruleExists(clients: Clients, id: string): Promise<string | undefined> {
    const { SecurityGroupRules } = await clients.get(EC2Client).send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [id] }));
    return SecurityGroupRules?.[0]?.SecurityGroupRuleId === id ? undefined : "no such security group rule";
}

/** Checks every import ID, one call each (in sequence: a few dozen calls, within any API rate). */
export async function verifyImportIds(checks: readonly ImportIdCheck[], region: string): Promise<VerifiedImportId[]> {
    const clients = new Clients(region);
    const results: VerifiedImportId[] = [];
    for (const check of checks) {
        const verify = CHECKS[check.type];
        let problem: string | undefined;
        try {
            problem = verify === undefined ? "adoption has no check for this type" : await verify(clients, check.importId);
        } catch (error) {
            problem = awsError(error);
        }
        results.push({ ...check, ...(problem !== undefined && { problem }) });
    }
    return results;
}

/** The live ids of the inline rules the program imports (DescribeSecurityGroupRules of their group). */
export async function resolveRuleIds(rules: readonly SecurityGroupRuleToImport[], region: string): Promise<SecurityGroupRuleToImport[]> {
    const clients = new Clients(region);
    const resolved: SecurityGroupRuleToImport[] = [];
    for (const rule of rules) {
        const { SecurityGroupRules } = await clients.get(EC2Client).send(new DescribeSecurityGroupRulesCommand({
            Filters: [{ Name: "group-id", Values: [rule.securityGroupId] }],
        }));
        const { key } = rule;
        const match = (SecurityGroupRules ?? []).find((candidate) => candidate.IsEgress === key.egress && candidate.IpProtocol === key.protocol
            && candidate.FromPort === key.fromPort && candidate.ToPort === key.toPort
            && (key.cidrIpv4 !== undefined ? candidate.CidrIpv4 === key.cidrIpv4 : candidate.ReferencedGroupInfo?.GroupId === key.referencedGroupId));
        resolved.push({ ...rule, ...(match?.SecurityGroupRuleId !== undefined && { ruleId: match.SecurityGroupRuleId }) });
    }
    return resolved;
}
