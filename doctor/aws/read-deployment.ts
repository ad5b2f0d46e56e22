/**
 * Reads everything the checks judge from the account, read-only (aws/clients.ts guards every
 * call), into a DeploymentSnapshot. A resource that does not exist is `not-found`; a read that
 * fails (access denied, throttled) is an `error` the check reports as such, so one missing
 * permission of the doctor's own credentials costs one check, not the run.
 *
 * The run cannot start without the service and its task definition: when the cluster or the service
 * does not exist this throws an InputError (exit 2) naming both and the overrides.
 */
import { DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } from "@aws-sdk/client-cloudtrail";
import { DescribeLogGroupsCommand, paginateFilterLogEvents } from "@aws-sdk/client-cloudwatch-logs";
import {
    paginateDescribeNatGateways, paginateDescribeRouteTables, paginateDescribeSecurityGroupRules, paginateDescribeSubnets, paginateDescribeVpcEndpoints,
} from "@aws-sdk/client-ec2";
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand, Service, Task, paginateListTasks } from "@aws-sdk/client-ecs";
import {
    GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, GetRolePolicyCommand, paginateListAttachedRolePolicies, paginateListRolePolicies,
} from "@aws-sdk/client-iam";
import { DescribeKeyCommand } from "@aws-sdk/client-kms";
import { DescribeDBInstancesCommand } from "@aws-sdk/client-rds";
import { DescribeSecretCommand, SecretVersionsListEntry, paginateListSecretVersionIds } from "@aws-sdk/client-secrets-manager";
import { ParameterMetadata, paginateDescribeParameters } from "@aws-sdk/client-ssm";
import { tryParseArn } from "../../policy-pack/lib/arn";
import { InputError } from "../../policy-pack/lib/cli";
import { leakPatterns } from "../checks/log-leaks";
import {
    DeploymentSnapshot, LogPatternMatches, LogSearch, MAX_REPORTED_STREAMS, NetworkView, Read, RolePolicies, RolePolicyDocument, SecretState,
    TrailState, found, notFound, readError,
} from "../snapshot";
import { DoctorTarget } from "../target";
import { taskReferences } from "../task-references";
import { DoctorClients } from "./clients";

/** AWS error names that mean "no such resource" (each service's API Reference, Errors). */
const NOT_FOUND_ERRORS = new Set([
    "ResourceNotFoundException", "DBInstanceNotFoundFault", "NoSuchEntityException", "NotFoundException", "TrailNotFoundException",
    "InvalidSubnetID.NotFound", "ParameterNotFound",
]);

/** At most this many pages of matching log events per pattern (FilterLogEvents returns up to 10,000 events a page). */
const MAX_LOG_PAGES = 10;

/** DescribeTasks takes at most 100 tasks per call (ECS API Reference). */
const DESCRIBE_TASKS_BATCH = 100;

/** DescribeParameters' Name filter takes at most 50 values (Systems Manager API Reference, ParameterStringFilter). */
const PARAMETER_FILTER_BATCH = 50;

/** Runs one read: its value, `not-found` for the services' not-found errors, or the error's name and message. */
export async function attempt<T>(what: string, read: () => Promise<T | undefined>): Promise<Read<T>> {
    try {
        const value = await read();
        return value === undefined ? notFound : found(value);
    } catch (error) {
        const name = (error as { name?: string }).name ?? "Error";
        if (NOT_FOUND_ERRORS.has(name)) {
            return notFound;
        }
        return readError(`${what}: ${name}: ${(error as Error).message}`);
    }
}

export async function readDeployment(clients: DoctorClients, target: DoctorTarget, now: Date = new Date()): Promise<DeploymentSnapshot> {
    const service = await readService(clients, target);
    const { taskDefinition } = await clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service.taskDefinition }));
    if (taskDefinition === undefined) {
        throw new InputError(`ECS returned no task definition ${service.taskDefinition} for service ${service.serviceName}`);
    }
    const references = taskReferences(taskDefinition).flatMap((reference) => (reference.reference ? [reference.reference] : []));
    const secretArns = references.flatMap((reference) => (reference.kind === "secretsmanager" ? [reference.secretArn] : []));
    const parameterArns = references.flatMap((reference) => (reference.kind === "ssm" ? [reference.parameterArn] : []));

    const database = await attempt("DescribeDBInstances", async () =>
        (await clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: target.names.database.instance }))).DBInstances?.[0]);
    const masterSecret = database.status === "ok" ? database.value.MasterUserSecret?.SecretArn : undefined;

    const [tasks, secrets, parameters, executionRole, network, jwtSecret, logs, trails] = await Promise.all([
        attempt("ListTasks/DescribeTasks", () => readTasks(clients, service)),
        readAll(unique([...secretArns, ...(masterSecret ? [masterSecret] : [])]), (arn) => readSecret(clients, arn)),
        readParameters(clients, unique(parameterArns)),
        taskDefinition.executionRoleArn === undefined ? Promise.resolve(undefined)
            : attempt("IAM role", () => readRole(clients, taskDefinition.executionRoleArn!)),
        attempt("EC2 network", () => readNetwork(clients, service)),
        readSecret(clients, target.names.jwtSecret.secret),
        attempt("CloudWatch Logs", () => readLogs(clients, target, now)),
        attempt("DescribeTrails", () => readTrails(clients, target.region)),
    ]);
    const kmsKeys = await readAll(keyIdsOf(secrets, parameters), (keyId) =>
        attempt("DescribeKey", async () => (await clients.kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata));
    return {
        region: target.region, service, taskDefinition, tasks, secrets, parameters, kmsKeys,
        ...(executionRole !== undefined && { executionRole }),
        network, database, jwtSecret, logs, trails,
    };
}

async function readService(clients: DoctorClients, target: DoctorTarget): Promise<Service & { taskDefinition: string; serviceName: string }> {
    const { cluster, service: serviceName } = target.names.backendService;
    const where = `service ${serviceName} in cluster ${cluster} (${target.region})`;
    const overrides = "deployed under other names? give them with --cluster and --service";
    let services: Service[];
    try {
        services = (await clients.ecs.send(new DescribeServicesCommand({ cluster, services: [serviceName] }))).services ?? [];
    } catch (error) {
        if ((error as Error).name === "ClusterNotFoundException") {
            throw new InputError(`cluster ${cluster} does not exist in ${target.region}: is the stack deployed in this account and region? ${overrides}`);
        }
        throw error;
    }
    const service = services.find((candidate) => candidate.status !== "INACTIVE");
    if (service?.taskDefinition === undefined || service.serviceName === undefined) {
        throw new InputError(`${where} does not exist: is the stack deployed in this account and region? ${overrides}`);
    }
    return service as Service & { taskDefinition: string; serviceName: string };
}

/** The service's running tasks (a service's tasks carry the group `service:<name>`, ECS API Reference, Task.group). */
async function readTasks(clients: DoctorClients, service: Service): Promise<Task[]> {
    const taskArns: string[] = [];
    for await (const page of paginateListTasks({ client: clients.ecs }, { cluster: service.clusterArn, serviceName: service.serviceName, desiredStatus: "RUNNING" })) {
        taskArns.push(...(page.taskArns ?? []));
    }
    const tasks: Task[] = [];
    for (let start = 0; start < taskArns.length; start += DESCRIBE_TASKS_BATCH) {
        const batch = taskArns.slice(start, start + DESCRIBE_TASKS_BATCH);
        tasks.push(...((await clients.ecs.send(new DescribeTasksCommand({ cluster: service.clusterArn, tasks: batch }))).tasks ?? []));
    }
    return tasks.filter((task) => task.group === undefined || task.group === `service:${service.serviceName}`);
}

/** A secret's metadata and versions, by ARN (full or partial) or name: never its value. */
async function readSecret(clients: DoctorClients, secretId: string): Promise<Read<SecretState>> {
    return attempt(`DescribeSecret ${secretId}`, async () => {
        const description = await clients.secretsManager.send(new DescribeSecretCommand({ SecretId: secretId }));
        const versions: SecretVersionsListEntry[] = [];
        for await (const page of paginateListSecretVersionIds({ client: clients.secretsManager }, { SecretId: description.ARN ?? secretId })) {
            versions.push(...(page.Versions ?? []));
        }
        return { description, versions };
    });
}

/** The parameters' metadata (DescribeParameters: never a value), by ARN. */
async function readParameters(clients: DoctorClients, arns: readonly string[]): Promise<ReadonlyMap<string, Read<ParameterMetadata>>> {
    const names = new Map(arns.map((arn) => [parameterName(arn), arn]));
    const result = new Map<string, Read<ParameterMetadata>>();
    const all = [...names.keys()];
    for (let start = 0; start < all.length; start += PARAMETER_FILTER_BATCH) {
        const batch = all.slice(start, start + PARAMETER_FILTER_BATCH);
        const read = await attempt("DescribeParameters", async () => {
            const metadata: ParameterMetadata[] = [];
            for await (const page of paginateDescribeParameters({ client: clients.ssm }, { ParameterFilters: [{ Key: "Name", Option: "Equals", Values: batch }] })) {
                metadata.push(...(page.Parameters ?? []));
            }
            return metadata;
        });
        for (const name of batch) {
            const arn = names.get(name)!;
            if (read.status !== "ok") {
                result.set(arn, read);
            } else {
                const parameter = read.value.find((candidate) => candidate.Name === name);
                result.set(arn, parameter === undefined ? notFound : found(parameter));
            }
        }
    }
    return result;
}

/** `arn:...:parameter/a/b` is `/a/b`; `arn:...:parameter/b` is `b` (Systems Manager User Guide, "Parameter ARNs"). */
function parameterName(arn: string): string {
    const resource = tryParseArn(arn)?.resource ?? "";
    const path = resource.slice("parameter".length);
    return path.split("/").length > 2 ? path : path.slice(1);
}

/** The role and its identity policies (IAM returns documents URL-encoded, RFC 3986). */
async function readRole(clients: DoctorClients, roleArn: string): Promise<RolePolicies> {
    const roleName = roleArn.split("/").pop()!;
    const { Role: role } = await clients.iam.send(new GetRoleCommand({ RoleName: roleName }));
    if (role === undefined) {
        throw Object.assign(new Error(`role ${roleName}`), { name: "NoSuchEntityException" });
    }
    const inline: RolePolicyDocument[] = [];
    for await (const page of paginateListRolePolicies({ client: clients.iam }, { RoleName: roleName })) {
        for (const policyName of page.PolicyNames ?? []) {
            const { PolicyDocument } = await clients.iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }));
            inline.push({ source: policyName, document: decodeURIComponent(PolicyDocument ?? "") });
        }
    }
    const attached: RolePolicyDocument[] = [];
    for await (const page of paginateListAttachedRolePolicies({ client: clients.iam }, { RoleName: roleName })) {
        for (const policy of page.AttachedPolicies ?? []) {
            attached.push(await managedPolicy(clients, policy.PolicyArn!));
        }
    }
    const boundaryArn = role.PermissionsBoundary?.PermissionsBoundaryArn;
    return { role, inline, attached, ...(boundaryArn !== undefined && { boundary: await managedPolicy(clients, boundaryArn) }) };
}

async function managedPolicy(clients: DoctorClients, policyArn: string): Promise<RolePolicyDocument> {
    const { Policy } = await clients.iam.send(new GetPolicyCommand({ PolicyArn: policyArn }));
    const { PolicyVersion } = await clients.iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: Policy?.DefaultVersionId }));
    return { source: policyArn, document: decodeURIComponent(PolicyVersion?.Document ?? "") };
}

async function readNetwork(clients: DoctorClients, service: Service): Promise<NetworkView | undefined> {
    const awsvpc = service.networkConfiguration?.awsvpcConfiguration;
    if (awsvpc?.subnets === undefined || awsvpc.subnets.length === 0) {
        return { subnets: [], routeTables: [], natGateways: [], endpoints: [], securityGroupRules: [] };
    }
    const serviceSubnets = await collect(paginateDescribeSubnets({ client: clients.ec2 }, { SubnetIds: awsvpc.subnets }), (page) => page.Subnets);
    const vpcIds = unique(serviceSubnets.flatMap((subnet) => (subnet.VpcId ? [subnet.VpcId] : [])));
    if (vpcIds.length === 0) {
        return undefined;
    }
    const inVpcs = [{ Name: "vpc-id", Values: vpcIds }];
    const [subnets, routeTables, natGateways, endpoints] = await Promise.all([
        collect(paginateDescribeSubnets({ client: clients.ec2 }, { Filters: inVpcs }), (page) => page.Subnets),
        collect(paginateDescribeRouteTables({ client: clients.ec2 }, { Filters: inVpcs }), (page) => page.RouteTables),
        collect(paginateDescribeNatGateways({ client: clients.ec2 }, { Filter: inVpcs }), (page) => page.NatGateways),
        collect(paginateDescribeVpcEndpoints({ client: clients.ec2 }, { Filters: inVpcs }), (page) => page.VpcEndpoints),
    ]);
    const groups = unique([...(awsvpc.securityGroups ?? []), ...endpoints.flatMap((endpoint) => (endpoint.Groups ?? []).flatMap((group) => (group.GroupId ? [group.GroupId] : [])))]);
    const securityGroupRules = groups.length === 0 ? []
        : await collect(paginateDescribeSecurityGroupRules({ client: clients.ec2 }, { Filters: [{ Name: "group-id", Values: groups }] }), (page) => page.SecurityGroupRules);
    return { subnets, routeTables, natGateways, endpoints, securityGroupRules };
}

/**
 * Counts the log group's events in the window that match each leak pattern, and the streams they
 * are in. The events' text is dropped page by page, never kept.
 */
async function readLogs(clients: DoctorClients, target: DoctorTarget, now: Date): Promise<LogSearch | undefined> {
    const logGroupName = target.names.backendService.logGroup;
    const { logGroups } = await clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroupName }));
    if (!logGroups?.some((group) => group.logGroupName === logGroupName)) {
        return undefined;
    }
    const startTime = new Date(now.getTime() - target.logWindowHours * 3_600_000);
    const matches: LogPatternMatches[] = [];
    for (const { pattern } of leakPatterns(target)) {
        let events = 0;
        let pages = 0;
        let truncated = false;
        const streams = new Set<string>();
        const search = paginateFilterLogEvents({ client: clients.logs }, { logGroupName, filterPattern: pattern, startTime: startTime.getTime(), endTime: now.getTime() });
        for await (const page of search) {
            for (const event of page.events ?? []) {
                events += 1;
                if (event.logStreamName !== undefined && streams.size < MAX_REPORTED_STREAMS) {
                    streams.add(event.logStreamName);
                }
            }
            pages += 1;
            if (pages >= MAX_LOG_PAGES && page.nextToken !== undefined) {
                truncated = true;
                break;
            }
        }
        matches.push({ pattern, events, streams: [...streams], truncated });
    }
    return { logGroupName, startTime, endTime: now, matches };
}

/** The trails that apply to the region: multi-region trails and the region's own (shadow trails included). */
async function readTrails(clients: DoctorClients, region: string): Promise<TrailState[]> {
    const { trailList } = await clients.cloudTrail.send(new DescribeTrailsCommand({ includeShadowTrails: true }));
    const applicable = (trailList ?? []).filter((trail) => trail.IsMultiRegionTrail === true || trail.HomeRegion === region);
    return Promise.all(applicable.map(async (trail): Promise<TrailState> => {
        const name = trail.TrailARN ?? trail.Name!;
        const status = await attempt(`GetTrailStatus ${name}`, () => clients.cloudTrail.send(new GetTrailStatusCommand({ Name: name })));
        if (trail.HasCustomEventSelectors !== true) {
            return { trail, status };
        }
        const selectors = await attempt(`GetEventSelectors ${name}`, () => clients.cloudTrail.send(new GetEventSelectorsCommand({ TrailName: name })));
        return { trail, status, selectors };
    }));
}

function keyIdsOf(secrets: ReadonlyMap<string, Read<SecretState>>, parameters: ReadonlyMap<string, Read<ParameterMetadata>>): string[] {
    const fromSecrets = [...secrets.values()].flatMap((secret) => (secret.status === "ok" && secret.value.description.KmsKeyId ? [secret.value.description.KmsKeyId] : []));
    const fromParameters = [...parameters.values()].flatMap((parameter) =>
        (parameter.status === "ok" && parameter.value.Type === "SecureString" && parameter.value.KeyId && parameter.value.KeyId !== "alias/aws/ssm" ? [parameter.value.KeyId] : []));
    return unique([...fromSecrets, ...fromParameters]);
}

async function readAll<T>(keys: readonly string[], read: (key: string) => Promise<Read<T>>): Promise<ReadonlyMap<string, Read<T>>> {
    return new Map(await Promise.all(keys.map(async (key) => [key, await read(key)] as const)));
}

async function collect<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[] | undefined): Promise<T[]> {
    const all: T[] = [];
    for await (const page of pages) {
        all.push(...(items(page) ?? []));
    }
    return all;
}

function unique<T>(values: readonly T[]): T[] {
    return [...new Set(values)];
}
