/**
 * Pulumi's resource state (`apitype.ResourceV3`: urn, type, inputs, outputs, parent,
 * dependencies, propertyDependencies), as a stack export lists it and a preview step's
 * `newState` holds it: what both Pulumi formats' adapters read.
 */
import { PULUMI_TERMS } from "../../lib/input-terms";
import { holdsEncryptedSecret } from "../../lib/secret-envelopes";
import { isRecord } from "../../lib/unknowns";
import * as types from "../../policies/resource-types";
import type { AuditResource } from "../engine";
import type { AuditDocument } from "../reader";


/**
 * Outputs the stack policies need to connect resources (a role's ARN and name, a policy's ARN, in
 * @pulumi/aws and @pulumi/aws-native alike; the ARN of a secret, a parameter or the master user
 * secret RDS manages, and of the KMS key that encrypts it) or to build the ARNs a task
 * definition's parameter names resolve to (its ARN and region), which inputs rarely hold; other
 * resources keep their inputs object as it is. An output object fills in the properties its input
 * object lacks (aws-native's `masterUserSecret` takes `kmsKeyId` as input and adds `secretArn`).
 */
const IDENTIFYING_OUTPUTS: ReadonlyMap<string, readonly string[]> = new Map([
    [types.IAM_ROLE, ["arn", "name"]],
    [types.IAM_POLICY, ["arn", "name"]],
    [types.ECS_TASK_DEFINITION, ["arn", "region"]],
    [types.SECRET, ["arn"]],
    [types.SSM_PARAMETER, ["arn"]],
    [types.RDS_INSTANCE, ["masterUserSecrets"]],
    [types.RDS_CLUSTER, ["masterUserSecrets"]],
    [types.KMS_KEY, ["arn", "keyId"]],
    [types.KMS_ALIAS, ["arn", "targetKeyArn"]],
    [types.NATIVE_IAM_ROLE, ["arn", "roleName"]],
    [types.NATIVE_IAM_MANAGED_POLICY, ["policyArn"]],
    [types.NATIVE_ECS_TASK_DEFINITION, ["taskDefinitionArn"]],
    [types.NATIVE_SECRET, ["awsId"]],
    [types.NATIVE_RDS_DB_INSTANCE, ["masterUserSecret"]],
    [types.NATIVE_RDS_DB_CLUSTER, ["masterUserSecret"]],
    [types.NATIVE_KMS_KEY, ["arn", "keyId"]],
]);

/**
 * The resource of one state; `where` names it in errors ("deployment.resources[3]"), `stepUrn`
 * is the URN a preview step gives when its state has none. Throws when it has no URN or type.
 */
export function resourceFromState(state: unknown, where: string, stepUrn?: unknown): AuditResource {
    if (!isRecord(state)) {
        throw new Error(`${where} is not an object`);
    }
    const urn = typeof state.urn === "string" ? state.urn : typeof stepUrn === "string" ? stepUrn : undefined;
    if (urn === undefined || typeof state.type !== "string") {
        throw new Error(`${where} has no urn or type`);
    }
    let props = isRecord(state.inputs) ? state.inputs : {};
    const outputs = state.outputs;
    const identifying = IDENTIFYING_OUTPUTS.get(state.type);
    if (identifying !== undefined && isRecord(outputs)) {
        const missing = identifying.filter((key) => outputs[key] !== undefined && (props[key] === undefined || (isRecord(props[key]) && isRecord(outputs[key]))));
        if (missing.length > 0) {
            props = { ...props };
            for (const key of missing) {
                const [input, output] = [props[key], outputs[key]];
                props[key] = isRecord(input) && isRecord(output) ? { ...output, ...input } : output;
            }
        }
    }
    const resource: AuditResource = { urn, type: state.type, name: nameFromUrn(urn), props };
    if (typeof state.parent === "string" && state.parent !== "") {
        resource.parent = state.parent;
    }
    if (Array.isArray(state.dependencies)) {
        resource.dependencies = state.dependencies as string[];
    }
    if (isRecord(state.propertyDependencies)) {
        resource.propertyDependencies = state.propertyDependencies as Record<string, string[]>;
    }
    return resource;
}

/** urn:pulumi:stack::project::type$type::name: the name is everything after the last "::". */
function nameFromUrn(urn: string): string {
    const at = urn.lastIndexOf("::");
    return at === -1 ? urn : urn.slice(at + 2);
}

/** What a Pulumi document says beside its resources: encrypted secrets (in what the policies read) and the stack. */
export function pulumiDocument(resources: AuditResource[]): Omit<AuditDocument, "format"> {
    const stack = resources.find((resource) => resource.type === types.STACK);
    return {
        resources,
        secretsEncrypted: resources.some((resource) => holdsEncryptedSecret(resource.props)),
        ...(stack !== undefined && { stackUrn: stack.urn }),
        terms: PULUMI_TERMS,
    };
}
