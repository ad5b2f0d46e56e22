/**
 * `network-path`: the service's subnets reach every AWS API ECS calls for it at task launch:
 * Secrets Manager and SSM for the references, ECR (its API, its registry and S3 for the image
 * layers) for an ECR image, CloudWatch Logs for the awslogs driver (Amazon ECS Developer Guide,
 * "Amazon ECS interface VPC endpoints": Fargate tasks in private subnets need interface endpoints or
 * a NAT gateway). The design document's "VPC endpoint not configured" and "security group blocks
 * egress to VPC endpoint". Pure: judges the snapshot.
 *
 * An available interface endpoint with private DNS takes over the service's hostname for the whole
 * VPC (Amazon VPC User Guide, "Private DNS for interface endpoints"), so then the endpoint is the
 * path, NAT or not: its security groups must admit HTTPS from the service's security groups, and
 * those must allow HTTPS out to it. Without one the path is a default route to an available NAT
 * gateway (or to an internet gateway for tasks with a public IP) and HTTPS egress to the internet.
 * S3 may also be reached through a gateway endpoint on the subnets' route tables.
 */
import type { NetworkConfiguration, TaskDefinition } from "@aws-sdk/client-ecs";
import type { RouteTable, SecurityGroupRule, Subnet, VpcEndpoint } from "@aws-sdk/client-ec2";
import { Address4 } from "ip-address";
import { CheckResult, Finding, resultOf } from "../check-result";
import { pulumiUp } from "../fixes";
import { DeploymentSnapshot, NetworkView } from "../snapshot";
import { DoctorTarget } from "../target";
import { taskReferences } from "../task-references";

const HTTPS = 443;
const ANYWHERE = "0.0.0.0/0";

/** An AWS service the tasks must reach, and which part of the task definition needs it. */
export interface RequiredService {
    /** The endpoint service suffix: `secretsmanager`, `ssm`, `logs`, `ecr.api`, `ecr.dkr`, `s3`. */
    readonly service: string;
    readonly neededBy: string;
}

const ECR_IMAGE = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//;

/** The services the task definition makes ECS call at launch, in a stable order. */
export function requiredServices(taskDefinition: TaskDefinition): RequiredService[] {
    const required: RequiredService[] = [];
    const references = taskReferences(taskDefinition).flatMap((reference) => (reference.reference ? [reference.reference] : []));
    if (references.some((reference) => reference.kind === "secretsmanager")) {
        required.push({ service: "secretsmanager", neededBy: "the secrets" });
    }
    if (references.some((reference) => reference.kind === "ssm")) {
        required.push({ service: "ssm", neededBy: "the parameters" });
    }
    const containers = taskDefinition.containerDefinitions ?? [];
    if (containers.some((container) => ECR_IMAGE.test(container.image ?? ""))) {
        required.push(
            { service: "ecr.api", neededBy: "the ECR image" },
            { service: "ecr.dkr", neededBy: "the ECR image" },
            { service: "s3", neededBy: "the ECR image's layers" },
        );
    }
    if (containers.some((container) => container.logConfiguration?.logDriver === "awslogs")) {
        required.push({ service: "logs", neededBy: "the awslogs driver" });
    }
    return required;
}

export function checkNetworkPath(snapshot: DeploymentSnapshot, target: DoctorTarget): CheckResult {
    const awsvpc = awsvpcOf(snapshot.service.networkConfiguration);
    const resource = awsvpc ? `subnets ${awsvpc.subnets.join(", ")}` : snapshot.service.serviceArn ?? target.names.backendService.service;
    if (awsvpc === undefined) {
        return resultOf("network-path", resource, [{ status: "skip", message: "the service has no awsvpc network configuration" }]);
    }
    const required = requiredServices(snapshot.taskDefinition);
    if (required.length === 0) {
        return resultOf("network-path", resource, [{ status: "skip", message: "the task definition needs no AWS API at launch" }]);
    }
    if (snapshot.network.status !== "ok") {
        const why = snapshot.network.status === "error" ? snapshot.network.error : "the subnets do not exist";
        return resultOf("network-path", resource, [{ status: snapshot.network.status === "error" ? "warn" : "fail", message: `could not read the network: ${why}` }]);
    }
    const network = new Network(snapshot.network.value, awsvpc);
    const vpcs = [...new Set(network.serviceSubnets.map((subnet) => subnet.VpcId))].join(", ");
    const routes = required.map((need) => network.pathTo(need, snapshot.region, target));
    return resultOf("network-path", `${vpcs} (${resource})`, groupRoutes(routes));
}

/** How the tasks reach one service: through what (`via`: endpoint ids, a gateway), and what was found. */
interface Route {
    readonly status: "pass" | "fail";
    readonly service: string;
    /** What needs the service, said where there is no path to it. */
    readonly neededBy?: string;
    /** `endpoint`, `gateway endpoint`, or empty when `ids` say it all (a NAT gateway) or there is no path. */
    readonly kind: string;
    readonly ids: readonly string[];
    readonly detail: string;
    readonly fix?: string;
}

/**
 * Services reached the same way with the same outcome share one finding (five endpoints behind one
 * closed group are one problem), with the fixes of its services; so each endpoint and gateway is
 * named once, and the subnets, which the check's resource names, not at all unless some of them differ.
 */
function groupRoutes(routes: readonly Route[]): Finding[] {
    const groups = new Map<string, { route: Route; services: Route[]; ids: string[]; fixes: Set<string> }>();
    for (const route of routes) {
        const key = JSON.stringify([route.status, route.kind, route.detail]);
        const group = groups.get(key) ?? { route, services: [], ids: [], fixes: new Set<string>() };
        group.services.push(route);
        group.ids.push(...route.ids);
        if (route.fix !== undefined) {
            group.fixes.add(route.fix);
        }
        groups.set(key, group);
    }
    return [...groups.values()].map(({ route, services, ids, fixes }) => {
        const via = route.kind === "" ? ids.join(", ") : `${route.kind}${ids.length > 1 ? "s" : ""} ${ids.join(", ")}`;
        const message = `${serviceList(services)}: ${[via, route.detail].filter(Boolean).join(" ")}`;
        return { status: route.status, message, ...(fixes.size > 0 && { fix: [...fixes].join("; ") }) };
    });
}

/** `ssm (for the parameters), ecr.api, ecr.dkr (for the ECR image)`: what needs each service, said once per run of services that share it. */
function serviceList(routes: readonly Route[]): string {
    return routes.map((route, i) => {
        const next = routes[i + 1];
        return route.neededBy === undefined || next?.neededBy === route.neededBy ? route.service : `${route.service} (for ${route.neededBy})`;
    }).join(", ");
}

interface Awsvpc {
    readonly subnets: readonly string[];
    readonly securityGroups: readonly string[];
    readonly publicIp: boolean;
}

function awsvpcOf(configuration: NetworkConfiguration | undefined): Awsvpc | undefined {
    const awsvpc = configuration?.awsvpcConfiguration;
    if (awsvpc?.subnets === undefined || awsvpc.subnets.length === 0) {
        return undefined;
    }
    return { subnets: awsvpc.subnets, securityGroups: awsvpc.securityGroups ?? [], publicIp: awsvpc.assignPublicIp === "ENABLED" };
}

class Network {
    readonly serviceSubnets: Subnet[];

    constructor(private readonly view: NetworkView, private readonly awsvpc: Awsvpc) {
        this.serviceSubnets = view.subnets.filter((subnet) => awsvpc.subnets.includes(subnet.SubnetId ?? ""));
    }

    pathTo(need: RequiredService, region: string, target: DoctorTarget): Route {
        const serviceName = `com.amazonaws.${region}.${need.service}`;
        const endpoints = this.view.endpoints.filter((endpoint) =>
            endpoint.ServiceName === serviceName && endpoint.State?.toLowerCase() === "available"
            && this.serviceSubnets.some((subnet) => subnet.VpcId === endpoint.VpcId));
        const privateDns = endpoints.find((endpoint) => endpoint.VpcEndpointType === "Interface" && endpoint.PrivateDnsEnabled === true);
        if (privateDns !== undefined) {
            return this.throughEndpoint(need, privateDns, target);
        }
        const gateway = endpoints.find((endpoint) => endpoint.VpcEndpointType === "Gateway");
        if (gateway !== undefined && this.serviceSubnets.every((subnet) => gateway.RouteTableIds?.includes(this.routeTableOf(subnet)?.RouteTableId ?? ""))) {
            return { status: "pass", service: need.service, kind: "gateway endpoint", ids: [gateway.VpcEndpointId ?? ""], detail: "on the subnets' route tables" };
        }
        return this.throughInternet(need, serviceName, endpoints, target);
    }

    private throughEndpoint(need: RequiredService, endpoint: VpcEndpoint, target: DoctorTarget): Route {
        const endpointGroups = (endpoint.Groups ?? []).flatMap((group) => (group.GroupId ? [group.GroupId] : []));
        const serviceGroups = this.awsvpc.securityGroups;
        const admitted = this.rules(endpointGroups, false).some((rule) =>
            (rule.ReferencedGroupInfo?.GroupId !== undefined && serviceGroups.includes(rule.ReferencedGroupInfo.GroupId))
            || (rule.CidrIpv4 !== undefined && this.serviceSubnets.every((subnet) => cidrContains(rule.CidrIpv4!, subnet.CidrBlock))));
        const endpointSubnets = this.view.subnets.filter((subnet) => endpoint.SubnetIds?.includes(subnet.SubnetId ?? ""));
        const egress = this.rules(serviceGroups, true).some((rule) =>
            (rule.ReferencedGroupInfo?.GroupId !== undefined && endpointGroups.includes(rule.ReferencedGroupInfo.GroupId))
            || (rule.CidrIpv4 !== undefined && endpointSubnets.length > 0 && endpointSubnets.every((subnet) => cidrContains(rule.CidrIpv4!, subnet.CidrBlock))));
        const route = { service: need.service, kind: "endpoint", ids: [endpoint.VpcEndpointId ?? ""] };
        if (!admitted) {
            return {
                ...route,
                status: "fail",
                detail: `(private DNS): security groups ${endpointGroups.join(", ") || "(none)"} admit no HTTPS (${HTTPS}) from the service's security groups ${serviceGroups.join(", ")}`,
                fix: `${pulumiUp(target)} (restores the endpoint group's rule), or: aws ec2 authorize-security-group-ingress --region ${target.region} ` +
                    `--group-id ${endpointGroups[0] ?? "<endpoint group>"} --protocol tcp --port ${HTTPS} --source-group ${serviceGroups[0] ?? "<service group>"}`,
            };
        }
        if (!egress) {
            return {
                ...route,
                status: "fail",
                detail: `(private DNS): the service's security groups ${serviceGroups.join(", ")} allow no HTTPS (${HTTPS}) egress to it`,
                fix: `${pulumiUp(target)} (restores the service group's HTTPS egress rule)`,
            };
        }
        return { ...route, status: "pass", detail: "(private DNS), admitting HTTPS from the service" };
    }

    private throughInternet(need: RequiredService, serviceName: string, endpoints: readonly VpcEndpoint[], target: DoctorTarget): Route {
        const unrouted = this.serviceSubnets.filter((subnet) => this.defaultRoute(subnet) === undefined);
        const missingSubnets = this.awsvpc.subnets.filter((id) => !this.serviceSubnets.some((subnet) => subnet.SubnetId === id));
        const withoutDns = endpoints.find((endpoint) => endpoint.VpcEndpointType === "Interface");
        if (unrouted.length > 0 || missingSubnets.length > 0 || this.serviceSubnets.length === 0) {
            const subnets = [...unrouted.map((subnet) => subnet.SubnetId ?? ""), ...missingSubnets];
            // The check's resource names the service's subnets: name them here only when some of them are meant.
            const from = subnets.length === this.awsvpc.subnets.length ? "the subnets" : `subnet${subnets.length > 1 ? "s" : ""} ${subnets.join(", ")}`;
            const noRoute = `no default route to an available NAT gateway from ${from}`;
            return {
                status: "fail", service: need.service, neededBy: need.neededBy,
                ...(withoutDns === undefined
                    ? { kind: "", ids: [], detail: `no interface endpoint with private DNS, and ${noRoute}` }
                    : { kind: "endpoint", ids: [withoutDns.VpcEndpointId ?? ""], detail: `has private DNS off, and ${noRoute}` }),
                fix: this.endpointFix(need, serviceName, target),
            };
        }
        const egressToInternet = this.rules(this.awsvpc.securityGroups, true).some((rule) => rule.CidrIpv4 === ANYWHERE);
        if (!egressToInternet) {
            return {
                status: "fail", service: need.service, kind: "", ids: [],
                detail: `reached through the internet, but the service's security groups ${this.awsvpc.securityGroups.join(", ")} allow no HTTPS egress to ${ANYWHERE}`,
                fix: `${pulumiUp(target)} (restores the service group's HTTPS egress rule)`,
            };
        }
        const vias = [...new Set(this.serviceSubnets.flatMap((subnet) => this.defaultRoute(subnet) ?? []))];
        return { status: "pass", service: need.service, kind: "", ids: vias, detail: "" };
    }

    private endpointFix(need: RequiredService, serviceName: string, target: DoctorTarget): string {
        if (need.service === "secretsmanager") {
            return target.createsSecretsManagerEndpoint
                ? `${pulumiUp(target)} (recreates the ${serviceName} endpoint with private DNS)`
                : `pulumi config set adma:createSecretsManagerEndpoint true --stack ${target.stack} && ${pulumiUp(target)}`;
        }
        return target.createsTaskEndpoints
            ? `${pulumiUp(target)} (recreates the endpoints the task needs)`
            : `pulumi config set adma:createTaskEndpoints true --stack ${target.stack} && ${pulumiUp(target)} (creates the endpoints the task needs), or give the subnets a default route to a NAT gateway`;
    }

    /** The NAT gateway (or internet gateway, for tasks with a public IP) the subnet's default route leads to. */
    private defaultRoute(subnet: Subnet): string | undefined {
        const route = this.routeTableOf(subnet)?.Routes?.find((r) => r.DestinationCidrBlock === ANYWHERE && r.State !== "blackhole");
        if (route?.NatGatewayId !== undefined) {
            const nat = this.view.natGateways.find((gateway) => gateway.NatGatewayId === route.NatGatewayId);
            return nat?.State === "available" ? `NAT gateway ${route.NatGatewayId}` : undefined;
        }
        if (route?.GatewayId?.startsWith("igw-") && this.awsvpc.publicIp) {
            return `internet gateway ${route.GatewayId} (public IP)`;
        }
        return undefined;
    }

    /** The subnet's explicitly associated route table, else its VPC's main table (Amazon VPC User Guide, "Route tables"). */
    private routeTableOf(subnet: Subnet): RouteTable | undefined {
        const tables = this.view.routeTables.filter((table) => table.VpcId === subnet.VpcId);
        return tables.find((table) => table.Associations?.some((association) => association.SubnetId === subnet.SubnetId))
            ?? tables.find((table) => table.Associations?.some((association) => association.Main === true));
    }

    /** Rules of the groups, in one direction, that let HTTPS through. */
    private rules(groups: readonly string[], egress: boolean): SecurityGroupRule[] {
        return this.view.securityGroupRules.filter((rule) =>
            groups.includes(rule.GroupId ?? "") && rule.IsEgress === egress && allowsHttps(rule));
    }
}

function allowsHttps(rule: SecurityGroupRule): boolean {
    if (rule.IpProtocol === "-1") {
        return true;
    }
    if (rule.IpProtocol !== "tcp" && rule.IpProtocol !== "6") {
        return false;
    }
    return (rule.FromPort ?? -1) <= HTTPS && HTTPS <= (rule.ToPort ?? -1);
}

/** Whether IPv4 block `outer` contains block `inner` (both `a.b.c.d/n`); false when either is malformed. */
export function cidrContains(outer: string, inner: string | undefined): boolean {
    if (inner === undefined || !Address4.isValid(outer) || !Address4.isValid(inner)) {
        return false;
    }
    return new Address4(inner).isInSubnet(new Address4(outer));
}
