/**
 * ECS roles, checked across the stack (they connect task definitions, roles, inline and attached
 * policies): the execution role reads exactly the secrets its containers reference, it is not
 * the task role, and no ECS role carries a broad AWS managed policy.
 *
 * Roles and policies are connected the way Pulumi programs connect them: by the value of the
 * referencing property (role name, role ARN, policy ARN), or, while those values are unknown
 * during preview, by the property's dependency on the resource that produces it.
 */
import { tryParseArn } from "../lib/arn";
import { SecretEntry } from "../lib/containers";
import {
    PolicyDocumentError, PolicyStatement, allowsAction, coversAction, describeStatement, isAnyResourcePattern,
    matchesPattern, parsePolicyDocument, patternsOverlap, resourceMatches, trustsServicePrincipal,
} from "../lib/iam-document";
import type { InputTerms } from "../lib/input-terms";
import { KMS_DECRYPT, viaService } from "../lib/kms-key";
import { OpaquePaths, isOpaque, isSet } from "../lib/unknowns";
import { ArnContext, ECS_READ_ACTION, RequiredGrant, SecretReferenceError, parseValueFrom, requiredGrants } from "../lib/value-from";
import { carriedByAwsxAncestor, containersOf } from "./containers";
import { policyDocumentsOf } from "./iam";
import * as types from "./resource-types";
import { DecryptVerdict, EncryptionKeyIndex, KEY_RESOURCE_TYPES, RoleAccess } from "./secret-keys";
import { StackResource, stackPolicy } from "./support";

const ECS_TASKS_PRINCIPAL = "ecs-tasks.amazonaws.com";

/** A managed policy attached to a role, and the resource that attaches it. */
interface Attachment {
    readonly policyArn: unknown;
    readonly source: StackResource;
    /** The customer managed policy of this stack the ARN comes from, when known (by dependency, or being it). */
    readonly policyUrn?: string;
    readonly where: string;
}

/** The IAM side of a stack: roles and everything that grants them permissions. */
class IamIndex {
    readonly roles: StackResource[] = [];
    /** Roles by URN, and by the values that name them (ARN, name). */
    private readonly rolesByUrn = new Map<string, StackResource>();
    private readonly rolesByReference = new Map<unknown, StackResource>();
    private readonly policiesByUrn = new Map<string, StackResource>();
    private readonly policiesByArn = new Map<unknown, StackResource>();
    private readonly inlineByRole = new Map<string, StackResource[]>();
    private readonly attachmentsByRole = new Map<string, Attachment[]>();

    constructor(resources: readonly StackResource[]) {
        for (const resource of resources) {
            const role = types.ROLES.get(resource.type);
            const policyArn = types.MANAGED_POLICY_ARN.get(resource.type);
            if (role !== undefined) {
                this.roles.push(resource);
                this.rolesByUrn.set(resource.urn, resource);
                for (const reference of role.references.map((property) => resource.props[property])) {
                    if (typeof reference === "string" && !isOpaque(reference)) {
                        this.rolesByReference.set(reference, resource);
                    }
                }
            } else if (policyArn !== undefined) {
                this.policiesByUrn.set(resource.urn, resource);
                const arn = resource.props[policyArn];
                if (isSet(arn) && !isOpaque(arn)) {
                    this.policiesByArn.set(arn, resource);
                }
            }
        }
        for (const resource of resources) {
            const { props } = resource;
            const inlinePolicyRole = types.ROLE_POLICY_ROLE.get(resource.type);
            if (inlinePolicyRole !== undefined) {
                this.rolesOf(resource, inlinePolicyRole).forEach((role) => push(this.inlineByRole, role.urn, resource));
                continue;
            }
            switch (resource.type) {
                case types.IAM_ROLE:
                case types.NATIVE_IAM_ROLE: {
                    const arns = props.managedPolicyArns;
                    if (Array.isArray(arns)) {
                        arns.forEach((policyArn, i) => this.attach(resource, { policyArn, source: resource, where: `managedPolicyArns[${i}]` }));
                    }
                    break;
                }
                case types.NATIVE_IAM_MANAGED_POLICY:
                    // AWS::IAM::ManagedPolicy attaches itself to the roles it names.
                    for (const role of this.rolesOf(resource, "roles")) {
                        this.attach(role, { policyArn: props.policyArn, source: resource, where: "roles", policyUrn: resource.urn });
                    }
                    break;
                case types.IAM_ROLE_POLICY_ATTACHMENT:
                case types.IAM_POLICY_ATTACHMENT: {
                    const property = resource.type === types.IAM_POLICY_ATTACHMENT ? "roles" : "role";
                    const policyUrn = this.policyDependency(resource, "policyArn");
                    for (const role of this.rolesOf(resource, property)) {
                        this.attach(role, { policyArn: props.policyArn, source: resource, where: "policyArn", ...(policyUrn && { policyUrn }) });
                    }
                    break;
                }
                case types.IAM_ROLE_POLICY_ATTACHMENTS_EXCLUSIVE: {
                    const arns = props.policyArns;
                    for (const role of this.rolesOf(resource, "roleName")) {
                        (Array.isArray(arns) ? arns : []).forEach((policyArn, i) =>
                            this.attach(role, { policyArn, source: resource, where: `policyArns[${i}]` }));
                    }
                    break;
                }
            }
        }
    }

    private attach(role: StackResource, attachment: Attachment): void {
        push(this.attachmentsByRole, role.urn, attachment);
    }

    /** The roles a property names, by value (name, ARN) or, when unknown, by dependency. */
    rolesOf(resource: StackResource, property: string): StackResource[] {
        const value = resource.props[property];
        const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string" && !isOpaque(v));
        const byValue = values.flatMap((value) => this.rolesByReference.get(value) ?? []);
        if (byValue.length > 0) {
            return byValue;
        }
        return (resource.propertyDependencies[property] ?? []).flatMap((urn) => this.rolesByUrn.get(urn) ?? []);
    }

    private policyDependency(resource: StackResource, property: string): string | undefined {
        return (resource.propertyDependencies[property] ?? []).find((urn) => this.policiesByUrn.has(urn));
    }

    attachments(role: StackResource): readonly Attachment[] {
        return this.attachmentsByRole.get(role.urn) ?? [];
    }

    /** The customer managed policy of this stack an attachment refers to. */
    attachedPolicy(attachment: Attachment): StackResource | undefined {
        if (attachment.policyUrn !== undefined) {
            return this.policiesByUrn.get(attachment.policyUrn);
        }
        return this.policiesByArn.get(attachment.policyArn);
    }

    inlinePolicies(role: StackResource): readonly StackResource[] {
        return this.inlineByRole.get(role.urn) ?? [];
    }
}

/**
 * `"adma-prod-execution" (Pulumi resource execution)`: a role by its IAM name (its name property,
 * or the last part of its ARN) and by the resource that declares it, in the input's terms.
 */
function describeRole(role: StackResource, terms: InputTerms): string {
    const name = role.props[types.ROLES.get(role.type)!.nameProperty];
    const arn = typeof role.props.arn === "string" ? tryParseArn(role.props.arn) : undefined;
    const iamName = typeof name === "string" && name !== "" && !isOpaque(name) ? name : arn?.resource.split("/").pop();
    return iamName === undefined ? `(${terms.resource(role.name)}; its IAM name is not known yet)` : `"${iamName}" (${terms.resource(role.name)})`;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
    const list = map.get(key);
    if (list === undefined) {
        map.set(key, [value]);
    } else {
        list.push(value);
    }
}

/** AWS managed policies known to grant no Secrets Manager or SSM parameter access. */
const AWS_MANAGED_WITHOUT_SECRET_ACCESS = new Set(["AmazonECSTaskExecutionRolePolicy"]);

function awsManagedPolicyName(arn: unknown): string | undefined {
    const parsed = typeof arn === "string" ? tryParseArn(arn) : undefined;
    return parsed && parsed.service === "iam" && parsed.account === "aws" && parsed.resource.startsWith("policy/")
        ? parsed.resource.split("/").pop()
        : undefined;
}

interface Grant {
    readonly statement: PolicyStatement;
    /** The resource whose document holds the statement, and where in it. */
    readonly source: StackResource;
    readonly where: string;
}

/** Everything a role is granted, as far as the stack shows it. */
interface RoleGrants {
    readonly grants: Grant[];
    /** Attached policies whose content the stack does not hold (customer policies of other stacks, most AWS managed ones). */
    readonly unseen: string[];
    /** Whether some document of the role cannot be read yet. */
    readonly incomplete: boolean;
}

function roleGrants(role: StackResource, index: IamIndex, opaque: (urn: string) => OpaquePaths): RoleGrants {
    const grants: Grant[] = [];
    const unseen: string[] = [];
    let incomplete = false;
    const addDocuments = (source: StackResource) => {
        const paths = opaque(source.urn);
        for (const { where, document } of policyDocumentsOf(source, paths)) {
            if (paths.check(document, where)) {
                incomplete = true;
                continue;
            }
            try {
                const parsed = parsePolicyDocument(document);
                parsed.opaquePaths.forEach((path) => paths.add(`${where} ${path}`));
                incomplete = incomplete || parsed.opaquePaths.length > 0;
                parsed.statements.forEach((statement) => grants.push({ statement, source, where }));
            } catch (error) {
                if (!(error instanceof PolicyDocumentError)) {
                    throw error;
                }
                // no-secretsmanager-wildcard and no-wildcard-resource report unparseable documents.
            }
        }
    };
    addDocuments(role);
    index.inlinePolicies(role).forEach(addDocuments);
    for (const attachment of index.attachments(role)) {
        const policy = index.attachedPolicy(attachment);
        if (policy !== undefined) {
            addDocuments(policy);
        } else if (opaque(attachment.source.urn).check(attachment.policyArn, attachment.where)) {
            incomplete = true;
        } else if (!AWS_MANAGED_WITHOUT_SECRET_ACCESS.has(awsManagedPolicyName(attachment.policyArn) ?? "")) {
            unseen.push(String(attachment.policyArn));
        }
    }
    return { grants, unseen, incomplete };
}

/** The role a task definition property names, recording an unknown reference it cannot resolve. */
function referencedRole(taskDefinition: StackResource, property: string, index: IamIndex, opaque: OpaquePaths): StackResource | undefined {
    const [role] = index.rolesOf(taskDefinition, property);
    if (role === undefined && isOpaque(taskDefinition.props[property])) {
        opaque.add(property);
    }
    return role;
}

/** A secret reference of a task definition and what ECS needs IAM to allow for it. */
interface TaskReference {
    readonly entry: SecretEntry;
    readonly grants: readonly RequiredGrant[];
}

interface TaskSecrets {
    readonly taskDefinition: StackResource;
    readonly references: TaskReference[];
    /** False when some container could not be read (unknown, encrypted): its references are not all known. */
    readonly complete: boolean;
}

/** `containerDefinitions[0].secrets[1] ("DB_PASSWORD")`: how messages name a reference of a task definition, in the input's terms. */
function describeReference(entry: SecretEntry, taskDefinition: StackResource, terms: InputTerms): string {
    const path = terms.path(taskDefinition.type, entry.path);
    return entry.name === undefined ? path : `${path} ("${entry.name}")`;
}

/** The partition, region and account a task definition's references resolve in, as far as the stack shows them. */
function arnContext(taskDefinition: StackResource, executionRole: StackResource | undefined): ArnContext {
    const { props } = taskDefinition;
    const ownArn = props.arn ?? props.taskDefinitionArn;
    const own = typeof ownArn === "string" ? tryParseArn(ownArn) : undefined;
    const roleArn = [props.executionRoleArn, executionRole?.props.arn].find((value) => typeof value === "string" && tryParseArn(value) !== undefined);
    const role = roleArn === undefined ? undefined : tryParseArn(roleArn as string);
    const region = typeof props.region === "string" && !isOpaque(props.region) && props.region !== "" ? props.region : own?.region;
    const partition = own?.partition ?? role?.partition;
    const account = own?.account ?? role?.account;
    return { ...(partition !== undefined && { partition }), ...(region && { region }), ...(account && { account }) };
}

/** The secret references of a task definition; reports those ECS would reject. */
function taskSecrets(
    taskDefinition: StackResource, context: ArnContext, report: (message: string, urn: string) => void, opaque: OpaquePaths, terms: InputTerms,
): TaskSecrets {
    const containers = containersOf(taskDefinition);
    const references: TaskReference[] = [];
    if (containers === undefined) {
        return { taskDefinition, references, complete: true };
    }
    opaque.adopt(containers.opaque);
    for (const entry of containers.containers.flatMap((container) => container.secrets)) {
        if (entry.valueFrom === undefined) {
            continue;
        }
        try {
            references.push({ entry, grants: requiredGrants(parseValueFrom(entry.valueFrom, entry.use), context) });
        } catch (error) {
            if (!(error instanceof SecretReferenceError)) {
                throw error;
            }
            report(`${describeReference(entry, taskDefinition, terms)}: ${error.message}; ECS cannot resolve it, so the task cannot start`, taskDefinition.urn);
        }
    }
    return { taskDefinition, references, complete: containers.opaque.paths.length === 0 && containers.opaque.encrypted.length === 0 };
}

const SECRET_READ_ACTION = ECS_READ_ACTION.secretsmanager;

/** Whether a Resource pattern can name a Secrets Manager secret at all (its service field allows it). */
function mayNameSecret(pattern: string): boolean {
    const service = pattern.split(":")[2];
    return service === undefined || matchesPattern(service, "secretsmanager", true);
}

/** The role's ARN and account, and its IAM statements, for the KMS key check. */
function roleAccess(role: StackResource, grants: readonly Grant[]): RoleAccess {
    const arn = typeof role.props.arn === "string" && !isOpaque(role.props.arn) ? role.props.arn : undefined;
    const account = arn === undefined ? undefined : tryParseArn(arn)?.account;
    return { ...(arn !== undefined && { arn }), ...(account !== undefined && { account }), statements: grants.map(({ statement }) => statement) };
}

/** Reports what the KMS key check found for one reference: a missing `kms:Decrypt`, or what it could not verify. */
function reportDecrypt(verdict: DecryptVerdict, entry: SecretEntry, grant: RequiredGrant, role: StackResource, taskDefinition: StackResource,
    canSeeEverything: boolean, report: (message: string, urn: string) => void, opaque: OpaquePaths, terms: InputTerms): void {
    if (verdict.status === "missing" && (canSeeEverything || !verdict.byIamOnly)) {
        const via = viaService(grant.valueStore!, tryParseArn(grant.resource));
        report(`${describeReference(entry, taskDefinition, terms)} references ${entry.valueFrom}: ${verdict.value} is encrypted with ${verdict.key.description}, ` +
            `and execution role ${describeRole(role, terms)} may not use it (${verdict.why}): the task will fail with "unable to pull secrets"; ` +
            `allow ${KMS_DECRYPT} on ${verdict.key.arn ?? "the key"} to the role, in an IAM policy${via === undefined ? "" : ` (it may require kms:ViaService ${via})`} ` +
            "or in the key policy", taskDefinition.urn);
    } else if (verdict.status === "unknown" && verdict.because !== undefined) {
        opaque.addUnverifiable(`that execution role ${describeRole(role, terms)} may call ${KMS_DECRYPT} for ${describeReference(entry, taskDefinition, terms)}: ${verdict.because}`);
    }
}

export const executionRoleSecretAccess = stackPolicy({
    name: "execution-role-secret-access",
    description: "Every secret an ECS task definition references (secrets, log secretOptions, registry credentials) must be readable by its execution role " +
        "(kms:Decrypt too, where a customer managed key encrypts it), and the execution role must read no other secret.",
    enforcementLevel: "mandatory",
    resourceTypes: [
        ...types.TASK_DEFINITIONS, ...types.ROLES.keys(), ...types.ROLE_POLICY_ROLE.keys(), ...types.MANAGED_POLICY_ARN.keys(),
        types.IAM_ROLE_POLICY_ATTACHMENT, types.IAM_POLICY_ATTACHMENT, types.IAM_ROLE_POLICY_ATTACHMENTS_EXCLUSIVE, ...KEY_RESOURCE_TYPES,
    ],
    check: (resources, _config, report, opaque, terms) => {
        const index = new IamIndex(resources);
        const keys = new EncryptionKeyIndex(resources, opaque, terms);
        // Tasks sharing an execution role may together read what each of them references.
        const tasksByRole = new Map<StackResource, TaskSecrets[]>();
        for (const taskDefinition of resources.filter((r) => types.TASK_DEFINITIONS.includes(r.type))) {
            const paths = opaque(taskDefinition.urn);
            const role = referencedRole(taskDefinition, "executionRoleArn", index, paths);
            const secrets = taskSecrets(taskDefinition, arnContext(taskDefinition, role), report, paths, terms);
            if (role !== undefined) {
                push(tasksByRole, role, secrets);
            } else if (secrets.references.length > 0 && !isSet(taskDefinition.props.executionRoleArn)) {
                report(`containers reference secrets but the task definition has no ${terms.path(taskDefinition.type, "executionRoleArn")}: ECS cannot pull them ` +
                    "(ResourceInitializationError: unable to pull secrets)", taskDefinition.urn);
            }
            // An execution role from outside the stack cannot be seen here; it is not checked.
        }
        for (const [role, tasks] of tasksByRole) {
            const { grants, unseen, incomplete } = roleGrants(role, index, opaque);
            const canSeeEverything = unseen.length === 0 && !incomplete;
            const access = roleAccess(role, grants);
            for (const { taskDefinition, references } of tasks) {
                for (const { entry, grants: needed } of references) {
                    for (const grant of needed) {
                        if (grant.valueStore !== undefined) {
                            reportDecrypt(keys.decrypt(grant, access), entry, grant, role, taskDefinition, canSeeEverything, report, opaque(taskDefinition.urn), terms);
                        }
                        const status = grantStatus(grants, grant);
                        if (status === "missing" && canSeeEverything) {
                            report(`${describeReference(entry, taskDefinition, terms)} references ${entry.valueFrom}, but execution role ${describeRole(role, terms)} is not allowed ` +
                                `${grant.action} on ${grant.resource}: the task will fail with "unable to pull secrets"; grant exactly this action on this ARN`,
                                taskDefinition.urn);
                        } else if (status === "unknown") {
                            opaque(taskDefinition.urn).addUnverifiable(
                                `that execution role ${describeRole(role, terms)} may call ${grant.action} for ${describeReference(entry, taskDefinition, terms)}: ${grant.unknownBecause}`);
                        }
                    }
                }
            }
            // What an unreadable container references is unknown: a grant cannot be called excess then.
            if (!tasks.every((task) => task.complete)) {
                continue;
            }
            const referenced = tasks.flatMap((task) => task.references.flatMap((reference) => reference.grants))
                .filter((grant) => grant.action === SECRET_READ_ACTION);
            for (const { statement, source, where } of grants) {
                if (statement.effect !== "Allow" || !coversAction(statement, SECRET_READ_ACTION)) {
                    continue;
                }
                const excess = excessSecretGrant(statement, referenced);
                if (excess !== undefined) {
                    report(`${terms.path(source.type, where)}: ${describeStatement(statement)} lets execution role ${describeRole(role, terms)} read ${excess}; ` +
                        "an execution role should read only the secrets its task definitions reference (list their exact ARNs)", source.urn);
                }
            }
        }
    },
});

/**
 * Whether the role's grants allow what ECS needs: "granted" or "missing" for an exact ARN; for an
 * ARN known only as a pattern, "missing" when no Allow statement can name it and "unknown" otherwise.
 */
function grantStatus(grants: readonly Grant[], needed: RequiredGrant): "granted" | "missing" | "unknown" {
    if (needed.unknownBecause === undefined) {
        return allowsAction(grants.map(({ statement }) => statement), needed.action, needed.resource) ? "granted" : "missing";
    }
    const mayGrant = grants.some(({ statement }) => statement.effect === "Allow" && coversAction(statement, needed.action)
        && (statement.resource === undefined || statement.resource.some((pattern) => patternsOverlap(pattern, needed.resource))));
    return mayGrant ? "unknown" : "missing";
}

/** What a secret-reading statement grants beyond the referenced secrets, or undefined. */
function excessSecretGrant(statement: PolicyStatement, referenced: readonly RequiredGrant[]): string | undefined {
    if (statement.notResource !== undefined) {
        return `every secret except ${JSON.stringify(statement.notResource)} (NotResource)`;
    }
    for (const pattern of statement.resource ?? []) {
        if (!mayNameSecret(pattern)) {
            continue;
        }
        if (isAnyResourcePattern(pattern)) {
            return `every secret (Resource "${pattern}")`;
        }
        const names = ({ resource, unknownBecause }: RequiredGrant) =>
            (unknownBecause === undefined ? resourceMatches(pattern, resource) : patternsOverlap(pattern, resource));
        if (!referenced.some(names)) {
            return `${pattern}, which no container of its task definitions references`;
        }
        if (pattern.includes("*")) {
            return `every secret matching ${pattern}`;
        }
    }
    return undefined;
}

/** The execution and task role references of a task definition or awsx component. */
function roleReferences(resource: StackResource): { execution: unknown; task: unknown } {
    if (types.TASK_DEFINITIONS.includes(resource.type)) {
        return { execution: resource.props.executionRoleArn, task: resource.props.taskRoleArn };
    }
    const args = resource.props.taskDefinitionArgs;
    const source = typeof args === "object" && args !== null && !isOpaque(args) ? args as Record<string, unknown> : resource.props;
    const roleArn = (role: unknown) => (typeof role === "object" && role !== null ? (role as Record<string, unknown>).roleArn : role);
    return { execution: roleArn(source.executionRole), task: roleArn(source.taskRole) };
}

export const separateExecutionAndTaskRole = stackPolicy({
    name: "separate-execution-and-task-role",
    description: "An ECS task definition's execution role (used by ECS to pull images and secrets) and task role (used by the application) must be different roles.",
    enforcementLevel: "mandatory",
    resourceTypes: [...types.TASK_DEFINITIONS, ...types.AWSX_CONTAINER_COMPONENTS, ...types.ROLES.keys()],
    check: (resources, _config, report, opaque) => {
        const index = new IamIndex(resources);
        for (const resource of resources.filter((r) => !types.ROLES.has(r.type) && !carriedByAwsxAncestor(r.urn))) {
            const { execution, task } = roleReferences(resource);
            if (!isSet(execution) || !isSet(task)) {
                continue;
            }
            let same = !isOpaque(execution) && !isOpaque(task) && execution === task;
            if (!same && types.TASK_DEFINITIONS.includes(resource.type) && (isOpaque(execution) || isOpaque(task))) {
                const paths = opaque(resource.urn);
                const executionRole = referencedRole(resource, "executionRoleArn", index, paths);
                const taskRole = referencedRole(resource, "taskRoleArn", index, paths);
                same = executionRole !== undefined && executionRole === taskRole;
            } else if (!same && (isOpaque(execution) || isOpaque(task))) {
                opaque(resource.urn).add("executionRole/taskRole");
            }
            if (same) {
                report("the execution role and the task role are the same role: the application would hold the permissions " +
                    "ECS uses to pull secrets and images; give the task its own role", resource.urn);
            }
        }
    },
});

export interface BroadManagedPolicyConfig {
    forbiddenManagedPolicies: string[];
}

const BROAD_MANAGED_POLICIES = ["AdministratorAccess", "PowerUserAccess", "SecretsManagerReadWrite"];

export const noBroadManagedPolicyOnEcsRole = stackPolicy<BroadManagedPolicyConfig>({
    name: "no-broad-managed-policy-on-ecs-role",
    description: "No broad AWS managed policy (AdministratorAccess, PowerUserAccess, SecretsManagerReadWrite) may be attached to an ECS task or execution role.",
    enforcementLevel: "mandatory",
    resourceTypes: [
        ...types.ROLES.keys(), ...types.TASK_DEFINITIONS, types.IAM_ROLE_POLICY_ATTACHMENT, types.IAM_POLICY_ATTACHMENT,
        types.IAM_ROLE_POLICY_ATTACHMENTS_EXCLUSIVE,
    ],
    config: {
        schema: {
            forbiddenManagedPolicies: {
                type: "array",
                items: { type: "string" },
                description: "Names of AWS managed policies (arn:<partition>:iam::aws:policy/<name>) no ECS role may carry.",
                default: BROAD_MANAGED_POLICIES,
            },
        },
        defaults: { forbiddenManagedPolicies: BROAD_MANAGED_POLICIES },
    },
    check: (resources, config, report, opaque, terms) => {
        const index = new IamIndex(resources);
        const forbidden = new Set(config.forbiddenManagedPolicies);
        const ecsRoles = new Set(index.roles.filter((role) =>
            trustsServicePrincipal(role.props[types.ROLES.get(role.type)!.trustPolicy], ECS_TASKS_PRINCIPAL)));
        for (const taskDefinition of resources.filter((r) => types.TASK_DEFINITIONS.includes(r.type))) {
            for (const property of ["executionRoleArn", "taskRoleArn"]) {
                index.rolesOf(taskDefinition, property).forEach((role) => ecsRoles.add(role));
            }
        }
        for (const role of ecsRoles) {
            for (const attachment of index.attachments(role)) {
                if (opaque(attachment.source.urn).check(attachment.policyArn, attachment.where)) {
                    continue;
                }
                const name = awsManagedPolicyName(attachment.policyArn);
                if (name !== undefined && forbidden.has(name)) {
                    report(`${terms.path(attachment.source.type, attachment.where)} attaches the AWS managed policy ${name} to ECS role ${describeRole(role, terms)}: ` +
                        "far more than a task needs (it can read every secret); attach a policy granting only the needed actions on named resources",
                        attachment.source.urn);
                }
            }
        }
    },
});

export const ecsRolePolicies = [executionRoleSecretAccess, separateExecutionAndTaskRole, noBroadManagedPolicyOnEcsRole];
