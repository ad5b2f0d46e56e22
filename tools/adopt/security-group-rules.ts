/**
 * Security group rules the program manages as resources of their own
 * (`aws.vpc.SecurityGroupEgressRule`/`IngressRule`) that already exist on an adopted group as a rule
 * Terraform declared inline (`egress`/`ingress` of `aws_security_group`). Creating such a rule again
 * fails (EC2 AuthorizeSecurityGroupEgress: `InvalidPermission.Duplicate`), so it must be imported;
 * its import ID is the rule's id (`sgr-...`), which the state does not hold for inline rules: the
 * live account does (DescribeSecurityGroupRules), and `--verify` reads it. Pure.
 */
import { isRecord } from "../../policy-pack/lib/unknowns";
import type { Adoption } from "./adoption-plan";
import type { ProgramResource } from "./program-resources";

const EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

/** What identifies a rule on its group, as DescribeSecurityGroupRules reports it. */
export interface RuleKey {
    readonly egress: boolean;
    readonly protocol: string;
    readonly fromPort: number;
    readonly toPort: number;
    readonly cidrIpv4?: string;
    /** The live id of the group the rule allows traffic to or from. */
    readonly referencedGroupId?: string;
}

export interface SecurityGroupRuleToImport {
    readonly program: ProgramResource;
    /** The Terraform address of the adopted group that holds the rule inline. */
    readonly securityGroup: string;
    readonly securityGroupId: string;
    readonly key: RuleKey;
    /** Its `sgr-` id once read from the account (--verify). */
    readonly ruleId?: string;
}

/** The program's rules that duplicate an inline rule of an adopted security group. */
export function rulesToImport(adopted: readonly Adoption[], program: readonly ProgramResource[]): SecurityGroupRuleToImport[] {
    // The program's groups by their (mocked) id, to the adopted live groups.
    const liveGroup = new Map(adopted.filter((a) => a.program.type === "aws:ec2/securityGroup:SecurityGroup" && a.program.id !== undefined)
        .map((a) => [a.program.id!, a]));
    const found: SecurityGroupRuleToImport[] = [];
    for (const rule of program.filter((resource) => resource.type === EGRESS_RULE || resource.type === INGRESS_RULE)) {
        const group = liveGroup.get(String(rule.inputs.securityGroupId));
        if (group === undefined || group.live.id === undefined) {
            continue;
        }
        const referenced = rule.inputs.referencedSecurityGroupId === undefined ? undefined : liveGroup.get(String(rule.inputs.referencedSecurityGroupId))?.live.id;
        const key: RuleKey = {
            egress: rule.type === EGRESS_RULE,
            protocol: String(rule.inputs.ipProtocol),
            fromPort: Number(rule.inputs.fromPort),
            toPort: Number(rule.inputs.toPort),
            ...(typeof rule.inputs.cidrIpv4 === "string" && { cidrIpv4: rule.inputs.cidrIpv4 }),
            ...(referenced !== undefined && { referencedGroupId: referenced }),
        };
        const inline = group.live.props[key.egress ? "egress" : "ingress"];
        if (Array.isArray(inline) && inline.some((entry) => isRecord(entry) && sameRule(entry, key))) {
            found.push({ program: rule, securityGroup: group.live.address, securityGroupId: group.live.id, key });
        }
    }
    return found;
}

/**
 * The inline rules of adopted groups that the program neither imports nor declares: after the move
 * nobody manages them (the program's groups declare their rules as separate resources, and an
 * adopted group's inline rules it does not declare are left as they are). One line each, for the report.
 */
export function unmanagedInlineRules(adopted: readonly Adoption[], imported: readonly SecurityGroupRuleToImport[]): string[] {
    const lines: string[] = [];
    for (const group of adopted.filter((a) => a.program.type === "aws:ec2/securityGroup:SecurityGroup")) {
        const declaresRules = group.program.inputs.egress !== undefined || group.program.inputs.ingress !== undefined;
        for (const direction of ["egress", "ingress"] as const) {
            const inline = group.live.props[direction];
            for (const entry of Array.isArray(inline) ? inline.filter(isRecord) : []) {
                const keys = imported.filter((rule) => rule.securityGroup === group.live.address && rule.key.egress === (direction === "egress"));
                if (declaresRules || keys.some((rule) => sameRule(entry, rule.key))) {
                    continue;
                }
                const to = [...(Array.isArray(entry.cidrBlocks) ? entry.cidrBlocks : []), ...(Array.isArray(entry.securityGroups) ? entry.securityGroups : [])].join(", ");
                lines.push(`${group.live.address}: ${direction} ${String(entry.protocol)} ${String(entry.fromPort)}-${String(entry.toPort)} ${direction === "egress" ? "to" : "from"} ${to}`);
            }
        }
    }
    return lines;
}

/** An inline rule of the state (`protocol`, `fromPort`, `toPort`, `cidrBlocks`, `securityGroups`) that includes `key`. */
function sameRule(entry: Record<string, unknown>, key: RuleKey): boolean {
    const list = (value: unknown) => (Array.isArray(value) ? value : []);
    return entry.protocol === key.protocol && entry.fromPort === key.fromPort && entry.toPort === key.toPort
        && (key.cidrIpv4 !== undefined ? list(entry.cidrBlocks).includes(key.cidrIpv4) : list(entry.securityGroups).includes(key.referencedGroupId));
}
