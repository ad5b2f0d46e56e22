/**
 * What an existing VPC (`adma:vpcId`, `adma:privateSubnetIds`) must provide, checked against what AWS
 * reports for it before anything is created, so a VPC the stack cannot use is refused with the setting
 * to change instead of failing halfway through `pulumi up`. Pure: no Pulumi calls; lib/pulumi-config.ts
 * reads the facts (`ec2:DescribeVpcs`, `ec2:DescribeVpcAttribute`, `ec2:DescribeSubnets`).
 */
import type { AdmaConfig } from "./config";

export interface ExistingNetworkFacts {
    readonly vpc: { readonly id: string; readonly enableDnsSupport: boolean; readonly enableDnsHostnames: boolean };
    readonly subnets: readonly { readonly id: string; readonly vpcId: string; readonly availabilityZone: string }[];
}

const key = (name: string) => `adma:${name}`;

/** One problem per requirement the VPC or its subnets do not meet, each naming the setting and the way forward. */
export function existingNetworkProblems(network: AdmaConfig["network"], facts: ExistingNetworkFacts): string[] {
    const problems: string[] = [];
    const { vpc, subnets } = facts;
    const foreign = subnets.filter((subnet) => subnet.vpcId !== vpc.id);
    if (foreign.length > 0) {
        problems.push(`${key("privateSubnetIds")}: ${foreign.map((subnet) => `${subnet.id} is in ${subnet.vpcId}`).join(", ")}, not in ${key("vpcId")} ${vpc.id}; list subnets of that VPC`);
    }
    const zones = new Set(subnets.map((subnet) => subnet.availabilityZone));
    if (zones.size < 2) {
        problems.push(`${key("privateSubnetIds")}: every subnet is in ${[...zones].join(", ") || "no Availability Zone"}; the RDS DB subnet group needs subnets in at least two Availability Zones (Amazon RDS User Guide, "Working with a DB instance in a VPC")`);
    }
    const interfaceEndpoints = [
        ...(network.createSecretsManagerEndpoint ? [key("createSecretsManagerEndpoint")] : []),
        ...(network.createTaskEndpoints ? [key("createTaskEndpoints")] : []),
    ];
    if (interfaceEndpoints.length === 0) {
        return problems;
    }
    const missingDns = [
        ...(vpc.enableDnsSupport ? [] : ["enableDnsSupport"]),
        ...(vpc.enableDnsHostnames ? [] : ["enableDnsHostnames"]),
    ];
    if (missingDns.length > 0) {
        problems.push(`${key("vpcId")}: ${vpc.id} has ${missingDns.join(" and ")} off, which the interface endpoints' private DNS needs (${interfaceEndpoints.join(", ")}; AWS PrivateLink Guide, "DNS attributes for your VPC"): turn ${missingDns.length > 1 ? "them" : "it"} on (${missingDns.map((attribute) => `aws ec2 modify-vpc-attribute --vpc-id ${vpc.id} --${attribute === "enableDnsSupport" ? "enable-dns-support" : "enable-dns-hostnames"}`).join("; ")}), or set ${interfaceEndpoints.join(" and ")} to false if the VPC reaches those services another way`);
    }
    const byZone = new Map<string, string[]>();
    for (const subnet of subnets) {
        byZone.set(subnet.availabilityZone, [...byZone.get(subnet.availabilityZone) ?? [], subnet.id]);
    }
    const shared = [...byZone.entries()].filter(([, ids]) => ids.length > 1);
    if (shared.length > 0) {
        problems.push(`${key("privateSubnetIds")}: ${shared.map(([zone, ids]) => `${ids.join(" and ")} are both in ${zone}`).join("; ")}, and an interface endpoint takes one subnet per Availability Zone (${interfaceEndpoints.join(", ")}; AWS PrivateLink Guide, "Create an interface endpoint"); list one subnet per zone`);
    }
    return problems;
}
