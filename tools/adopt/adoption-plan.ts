/**
 * Which live resource becomes which resource of the program: each Terraform resource is matched
 * to the resource of the AdmaBackend tree that plays its part, by Pulumi type and physical name
 * (the property lib/naming.ts says carries the name, read on both sides), never by Terraform
 * address. What the program registers and nothing live matches, it will create; what is live and
 * nothing in the program matches stays in Terraform, unless it is a `random_password`, which
 * Terraform lets go of without anything to import (its import ID would be its value). Pure.
 */
import { isProviderType } from "../../policy-pack/policies/resource-types";
import { NAME_USES, NameGroup } from "../../lib/naming";
import { LiveResource, propertyAt } from "./live-deployment";
import { importIdOf } from "./import-ids";
import type { ImportTarget } from "./import-file";
import type { ProgramResource } from "./program-resources";
import type { LiveRoles } from "./stack-settings";

export interface Adoption extends ImportTarget {
    readonly live: LiveResource;
}

export interface LiveResourceLeft {
    readonly live: LiveResource;
    /** Why, in words. */
    readonly reason: string;
}

export interface AdoptionPlan {
    readonly adopted: readonly Adoption[];
    /** Custom resources of the program that nothing live matches: the first `pulumi up` creates them. */
    readonly created: readonly ProgramResource[];
    /** Live resources Terraform keeps managing. */
    readonly staysInTerraform: readonly LiveResourceLeft[];
    /** Live resources Terraform lets go of that are not imported (nothing in the cloud to adopt). */
    readonly released: readonly LiveResourceLeft[];
    /** Live resources that play a part of the program but cannot be imported as they are. */
    readonly problems: readonly string[];
}

/** The property naming a resource of each type: the first use of that type in NAME_USES. */
const NAMING_PROPERTY: ReadonlyMap<string, string> = (() => {
    const byType = new Map<string, string>();
    for (const group of Object.keys(NAME_USES) as NameGroup[]) {
        for (const use of Object.values(NAME_USES[group]) as { resourceType: string; property: string }[]) {
            if (!byType.has(use.resourceType)) {
                byType.set(use.resourceType, use.property);
            }
        }
    }
    return byType;
})();

const SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";

/** The physical name of a resource whose type has a naming property (undefined for others). */
export function physicalName(type: string, props: Record<string, unknown>): string | undefined {
    const property = NAMING_PROPERTY.get(type);
    const value = property === undefined ? undefined : propertyAt(props, property);
    return typeof value === "string" && value !== "" ? value : undefined;
}

/** Program and live resources that are the same resource, per type. */
function sameResource(program: ProgramResource, live: LiveResource, adoptedSecrets: ReadonlyMap<string, ProgramResource>): boolean {
    if (program.type !== live.type) {
        return false;
    }
    const inputs = program.inputs;
    switch (program.type) {
        case SECRET_VERSION: {
            // The live AWSCURRENT version is the program's version that is never rewritten (the bootstrap).
            const secret = adoptedSecrets.get(String(propertyAt(live.props, "arn")));
            return secret !== undefined && program.parent === secret.parent && (program.ignoreChanges ?? []).includes("secretString")
                && (propertyAt(live.props, "versionStages") as unknown[] | undefined ?? []).includes("AWSCURRENT");
        }
        case ROLE_POLICY:
            return inputs.name === live.props.name && inputs.role === live.props.role;
        case ROLE_POLICY_ATTACHMENT:
            return inputs.role === live.props.role && inputs.policyArn === live.props.policyArn;
        default: {
            const name = physicalName(program.type, inputs);
            return name !== undefined && name === physicalName(program.type, live.props);
        }
    }
}

/**
 * Matches `live` to `program`. `roles` are the live resources the settings were read from; the
 * VPC and subnets the settings name stay in Terraform, used by id.
 */
export function planAdoption(live: readonly LiveResource[], program: readonly ProgramResource[], usedById: ReadonlySet<string>, roles: LiveRoles): AdoptionPlan {
    const custom = program.filter((resource) => resource.custom && !isProviderType(resource.type));
    const adopted: Adoption[] = [];
    const problems: string[] = [];
    const taken = new Set<ProgramResource>();
    const adoptedSecrets = new Map<string, ProgramResource>();
    // Secrets first: a version is matched through its secret.
    const ordered = [...live].sort((a, b) => Number(a.type === SECRET_VERSION) - Number(b.type === SECRET_VERSION));
    const unmatched: LiveResource[] = [];
    for (const resource of ordered) {
        const candidates = custom.filter((candidate) => !taken.has(candidate) && sameResource(candidate, resource, adoptedSecrets));
        if (candidates.length === 0) {
            unmatched.push(resource);
            continue;
        }
        const [match] = candidates;
        const importId = importIdOf(resource);
        if (importId === undefined) {
            problems.push(`${resource.address} plays the part of ${match.name} (${match.type}), but the state lacks what its import ID is made of`);
            continue;
        }
        taken.add(match);
        adopted.push({ live: resource, program: match, importId });
        if (typeof resource.props.arn === "string" && resource.type === "aws:secretsmanager/secret:Secret") {
            adoptedSecrets.set(resource.props.arn, match);
        }
    }
    const staysInTerraform: LiveResourceLeft[] = [];
    const released: LiveResourceLeft[] = [];
    for (const resource of unmatched) {
        if (resource.terraformType === "random_password") {
            released.push({ live: resource, reason: "not imported: the import ID of a random_password is its value; the program reads the JWT value from the adopted secret version instead" });
        } else if (resource.id !== undefined && usedById.has(resource.id)) {
            staysInTerraform.push({ live: resource, reason: "the program uses it by id (adma:vpcId, adma:privateSubnetIds)" });
        } else if (isPartOfTheProgram(resource, roles)) {
            problems.push(`${resource.address} plays a part of the program but matches none of its resources by type and name: the program would create another beside it`);
        } else {
            staysInTerraform.push({ live: resource, reason: "the program has no resource that plays its part" });
        }
    }
    const order = (a: Adoption, b: Adoption) => a.live.address.localeCompare(b.live.address);
    return {
        adopted: adopted.sort(order),
        created: custom.filter((resource) => !taken.has(resource)),
        staysInTerraform,
        released,
        problems,
    };
}

function isPartOfTheProgram(resource: LiveResource, roles: LiveRoles): boolean {
    return Object.values(roles).some((role) => role === resource);
}
