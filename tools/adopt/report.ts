/**
 * What adoption tells the team: the report (what is adopted and how, what the program will
 * create, what stays in Terraform, the settings and where each comes from) and the Terraform
 * `removed` blocks that make Terraform let go of what Pulumi now manages without destroying it.
 * Names, ids and addresses only: no secret value reaches anything here (LiveResource carries none).
 * Pure: no Pulumi calls.
 */
import { baseAddress } from "../../policy-pack/audit/formats/terraform-resources";
import type { AdoptionPlan, LiveResourceLeft } from "./adoption-plan";
import type { LiveResource } from "./live-deployment";
import type { SecurityGroupRuleToImport } from "./security-group-rules";
import type { DerivedSetting } from "./stack-settings";

/** One `removed` block and where it goes. */
export interface RemovedBlock {
    /** `""` for the root module's configuration, else the module call whose configuration holds the block, e.g. `module.iam`. */
    readonly module: string;
    readonly from: string;
}

/**
 * The `removed { from = ... lifecycle { destroy = false } }` blocks for `released` addresses (Terraform
 * 1.7+: "replace the resource block with a removed block"; `from` takes no instance keys, so every
 * instance of a resource must be released; developer.hashicorp.com/terraform/language/state/remove).
 * A module every resource of which is released is removed whole, from the root module; a resource
 * of a module some of whose resources stay is removed in that module's own configuration.
 */
export function removedBlocks(released: readonly LiveResource[], all: readonly LiveResource[]): { blocks: RemovedBlock[]; partial: string[] } {
    const releasedAddresses = new Set(released.map((resource) => resource.address));
    const byBase = new Map<string, LiveResource[]>();
    all.forEach((resource) => byBase.set(baseAddress(resource.address), [...(byBase.get(baseAddress(resource.address)) ?? []), resource]));
    const partial: string[] = [];
    const wholeResources = [...byBase].filter(([base, instances]) => {
        const count = instances.filter((instance) => releasedAddresses.has(instance.address)).length;
        if (count > 0 && count < instances.length) {
            partial.push(base);
        }
        return count > 0 && count === instances.length;
    }).map(([base]) => base);
    const moduleOf = (address: string) => /^((?:module\.[^.]+\.)*)/.exec(address)![1].replace(/\.$/, "");
    const topModule = (address: string) => /^(module\.[^.]+)/.exec(address)?.[1];
    const modules = new Set(all.map((resource) => topModule(baseAddress(resource.address))).filter((module): module is string => module !== undefined));
    const wholeModules = [...modules].filter((module) => all.filter((resource) => topModule(baseAddress(resource.address)) === module)
        .every((resource) => releasedAddresses.has(resource.address)));
    const blocks: RemovedBlock[] = wholeModules.map((module) => ({ module: "", from: module }));
    for (const base of wholeResources) {
        if (!wholeModules.includes(topModule(base) ?? "")) {
            const module = moduleOf(base);
            blocks.push({ module, from: module === "" ? base : base.slice(module.length + 1) });
        }
    }
    return { blocks: blocks.sort((a, b) => `${a.module}${a.from}`.localeCompare(`${b.module}${b.from}`)), partial };
}

/** The blocks as HCL, grouped by the configuration each belongs to. */
export function removedBlocksText(blocks: readonly RemovedBlock[]): string {
    const groups = new Map<string, RemovedBlock[]>();
    blocks.forEach((block) => groups.set(block.module, [...(groups.get(block.module) ?? []), block]));
    return [...groups].map(([module, group]) => [
        `# In ${module === "" ? "the root module" : `the configuration of ${module}`}; remove the resource${module === "" ? " and module" : ""} blocks these replace.`,
        ...group.map((block) => `removed {\n  from = ${block.from}\n\n  lifecycle {\n    destroy = false\n  }\n}\n`),
    ].join("\n")).join("\n");
}

export interface ReportInput {
    readonly stack: string;
    readonly stateFile: string;
    readonly plan: AdoptionPlan;
    readonly settings: readonly DerivedSetting[];
    readonly notes: readonly string[];
    readonly rules: readonly SecurityGroupRuleToImport[];
    /** Inline rules of adopted groups nobody manages after the move. */
    readonly unmanagedRules: readonly string[];
    readonly removed: readonly RemovedBlock[];
    readonly partial: readonly string[];
    /** True when --verify resolved every import ID in the account. */
    readonly verified: boolean;
}

/** The report, as Markdown. */
export function reportText(input: ReportInput): string {
    const { plan } = input;
    const cell = (text: string) => text.replace(/\|/g, "\\|");
    const lines = [
        `# Adopting ${input.stateFile} into stack ${input.stack}`,
        "",
        `${plan.adopted.length} resource(s) adopted, ${plan.created.length} created by the program, ${plan.staysInTerraform.length} staying in Terraform` +
            `${plan.released.length > 0 ? `, ${plan.released.length} released by Terraform without import` : ""}. ` +
            (input.verified ? "Every import ID resolved in the account (--verify)." : "Import IDs not checked against the account (run again with --verify)."),
        "",
        "## Adopted (import.json)",
        "",
        "| Terraform address | Pulumi resource | Import ID |",
        "| --- | --- | --- |",
        ...plan.adopted.map(({ live, program, importId }) => `| \`${live.address}\` | \`${program.type}\` \`${program.name}\` | \`${cell(importId)}\` |`),
        ...input.rules.map((rule) => `| (inline rule of \`${rule.securityGroup}\`) | \`${rule.program.type}\` \`${rule.program.name}\` | ${rule.ruleId === undefined ? "not in the state: resolved by --verify" : `\`${rule.ruleId}\``} |`),
        "",
        "## Created by the program on the first `pulumi up`",
        "",
        ...plan.created.filter((resource) => !input.rules.some((rule) => rule.program === resource))
            .map((resource) => `- \`${resource.type}\` \`${resource.name}\``),
        "",
        "## Stays in Terraform",
        "",
        ...left(plan.staysInTerraform),
        ...(input.unmanagedRules.length > 0 ? ["", "## Left in place, managed by nobody after the move",
            "", "Inline rules of adopted security groups that the program does not declare (it declares its rules as separate resources); " +
            "delete them once the program's own rules are in place (docs/migration.md, step 9), or keep them on purpose:", "",
            ...input.unmanagedRules.map((rule) => `- ${rule}`)] : []),
        ...(plan.released.length > 0 ? ["", "## Released by Terraform, not imported", "", ...left(plan.released)] : []),
        "",
        "## Stack configuration (Pulumi.<stack>.yaml)",
        "",
        "| Key | Value | From |",
        "| --- | --- | --- |",
        ...input.settings.map((setting) => `| \`${setting.key}\` | \`${cell(JSON.stringify(setting.value))}\` | \`${setting.source}\` |`),
        "",
        "Every other key keeps the program's default; compare with your existing stack file before replacing it.",
        ...input.notes.map((note) => `- ${note}`),
        "",
        "## Terraform lets go (removed.tf)",
        "",
        "```hcl",
        removedBlocksText(input.removed).trimEnd(),
        "```",
        ...(input.partial.length > 0 ? ["", `Not released whole, so no removed block (release every instance or keep them in Terraform): ${input.partial.join(", ")}`] : []),
        "",
        "Next: docs/migration.md, from step 3 (`pulumi import --file import.json`).",
        "",
    ];
    return lines.join("\n");
}

function left(resources: readonly LiveResourceLeft[]): string[] {
    return resources.length === 0 ? ["(none)"] : resources.map(({ live, reason }) => `- \`${live.address}\`: ${reason}`);
}
