/**
 * KMS keys as ECS meets them when it injects a secret: how a secret or parameter names its key,
 * which keys AWS manages, and what a key policy says of one role's use of a key. Pure: no Pulumi
 * calls.
 *
 * The AWS facts:
 * - ECS needs `kms:Decrypt` on the key only when a customer managed key encrypts the value ("Required
 *   only if your key uses a custom KMS key and not the default key"; ECS Developer Guide, "Amazon ECS
 *   task execution IAM role", sections "Required IAM permissions for Amazon ECS secrets":
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html).
 *   Secrets Manager and Parameter Store call KMS on ECS's behalf, with the execution role's
 *   credentials, so the request carries `kms:ViaService` `secretsmanager.<region>.amazonaws.com`
 *   or `ssm.<region>.amazonaws.com` (KMS Developer Guide, "AWS KMS condition keys", kms:ViaService:
 *   https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
 * - A value store names its key by key ARN, key ID, alias ARN or alias name (`alias/<name>`);
 *   without one it uses the AWS managed key `aws/secretsmanager` or `aws/ssm`, whose key policy
 *   lets every principal of the account use it through that service (Secrets Manager User Guide,
 *   "Secret encryption and decryption"; Systems Manager User Guide, "How AWS Systems Manager
 *   Parameter Store uses AWS KMS"). AWS managed keys have the aliases `alias/aws/<service>`
 *   (KMS Developer Guide, "AWS managed keys").
 * - IAM policies name a key by its key ARN only, never by an alias (KMS Developer Guide,
 *   "Specifying KMS keys in IAM policy statements":
 *   https://docs.aws.amazon.com/kms/latest/developerguide/cmks-in-iam-policies.html).
 * - "Unless the key policy explicitly allows it, you cannot use IAM policies to allow access to a
 *   KMS key"; the default key policy's statement for the account (`Principal` the account,
 *   `arn:<partition>:iam::<account>:root`) is what enables them, and a key created without a
 *   policy gets that default (KMS Developer Guide, "Key policies in AWS KMS" and "Default key
 *   policy": https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html,
 *   https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html). A key policy
 *   statement naming the role itself grants it without any IAM policy.
 */
import { Arn, tryParseArn } from "./arn";
import { PolicyDocument, PolicyStatement, Principals, RequestContext, conditionHolds, coversAction } from "./iam-document";

/** The action ECS needs on a customer managed key that encrypts a value it injects. */
export const KMS_DECRYPT = "kms:Decrypt";

/** How a value store names a KMS key (AWS KMS API Reference, `KeyId` parameters). */
export type KeyReference =
    | { readonly kind: "key-arn"; readonly arn: string; readonly keyId: string }
    | { readonly kind: "key-id"; readonly keyId: string }
    | { readonly kind: "alias"; readonly aliasName: string; readonly arn?: string };

const KEY_ID = /^(?:mrk-)?[0-9a-f]{32}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ALIAS_NAME = /^alias\/[A-Za-z0-9/_-]+$/;

/** Reads a key reference; undefined for a string that is none of the four forms. */
export function parseKeyReference(value: string): KeyReference | undefined {
    const arn = tryParseArn(value);
    if (arn !== undefined) {
        if (arn.service !== "kms") {
            return undefined;
        }
        if (arn.resource.startsWith("key/")) {
            return { kind: "key-arn", arn: value, keyId: arn.resource.slice("key/".length) };
        }
        return ALIAS_NAME.test(arn.resource) ? { kind: "alias", aliasName: arn.resource, arn: value } : undefined;
    }
    if (ALIAS_NAME.test(value)) {
        return { kind: "alias", aliasName: value };
    }
    return KEY_ID.test(value) ? { kind: "key-id", keyId: value } : undefined;
}

/** Whether an alias is one AWS gives its managed keys (`alias/aws/secretsmanager`, `alias/aws/ssm`). */
export function isAwsManagedAlias(aliasName: string): boolean {
    return aliasName.startsWith("alias/aws/");
}

/** The service that stores a value ECS injects, and so decrypts it with KMS on ECS's behalf. */
export type ValueStore = "secretsmanager" | "ssm";

/**
 * The `kms:ViaService` of the store's KMS calls for a value whose ARN is `value`, or undefined
 * where it cannot be known (the region is not, or the partition is not `aws`, whose service
 * domain `amazonaws.com` the ViaService table lists).
 */
export function viaService(store: ValueStore, value: Arn | undefined): string | undefined {
    return value !== undefined && value.partition === "aws" && /^[a-z0-9-]+$/.test(value.region)
        ? `${store}.${value.region}.amazonaws.com`
        : undefined;
}

/** The key ARN of a key ID in the region and account of another ARN (a store's keys are in its region; other accounts' are named by ARN). */
export function keyArnIn(keyId: string, where: Arn): string {
    return `arn:${where.partition}:kms:${where.region}:${where.account}:key/${keyId}`;
}

/** The request context of a store's `kms:Decrypt` call for a role, as far as it is known. */
export function decryptContext(store: ValueStore, value: Arn | undefined, roleAccount: string | undefined): RequestContext {
    const context = new Map<string, string>();
    const service = viaService(store, value);
    if (service !== undefined) {
        context.set("kms:viaservice", service);
    }
    if (roleAccount !== undefined) {
        context.set("kms:calleraccount", roleAccount);
    }
    return context;
}

/** What a key policy says of one role's use of an action on its key. */
export interface KeyPolicyVerdict {
    /** A statement allows the role itself (by its ARN, or everyone). */
    readonly grantsRole: boolean;
    /** A statement allows the role's account, which lets the account's IAM policies allow it. */
    readonly enablesIamPolicies: boolean;
    /** A Deny applies to the role (by its ARN, its account, or everyone). */
    readonly denies: boolean;
    /** Some part of the policy cannot be read: what is not granted may still be. */
    readonly incomplete: boolean;
}

/**
 * Judges a key policy (statements of `parsePolicyDocument`) for `action` by the role whose ARN
 * and account are given: Resource is not compared (a key policy's Resource is its own key, `"*"`),
 * conditions are judged against `context` as `allowsAction` judges them. An unknown role ARN
 * matches no principal by ARN.
 */
export function judgeKeyPolicy(document: PolicyDocument, role: { readonly arn?: string; readonly account?: string },
    action: string, context: RequestContext): KeyPolicyVerdict {
    let grantsRole = false;
    let enablesIamPolicies = false;
    let denies = false;
    let incomplete = document.opaquePaths.length > 0;
    for (const statement of document.statements) {
        if (!coversAction(statement, action)) {
            continue;
        }
        const holds = conditionHolds(statement, context);
        const names = principalOf(statement, role);
        if (statement.effect === "Deny") {
            denies = denies || (holds === true && names !== "none");
        } else if (statement.effect === "Allow" && holds !== false) {
            grantsRole = grantsRole || names === "role";
            enablesIamPolicies = enablesIamPolicies || names === "account";
        } else if (statement.effect === undefined) {
            incomplete = true;
        }
    }
    return { grantsRole, enablesIamPolicies, denies, incomplete };
}

/** Whom a statement names as far as the role is concerned: the role itself, its account, or neither. */
function principalOf(statement: PolicyStatement, role: { readonly arn?: string; readonly account?: string }): "role" | "account" | "none" {
    const isAccount = (name: string) => role.account !== undefined && (name === role.account || isAccountRoot(name, role.account));
    if (statement.notPrincipal !== undefined) {
        // Everyone but those named.
        return statement.notPrincipal.aws.some((name) => name === role.arn || isAccount(name)) ? "none" : "role";
    }
    const named: Principals = statement.principal ?? { aws: [], others: false };
    if (named.aws.some((name) => name === "*" || (role.arn !== undefined && name === role.arn))) {
        return "role";
    }
    return named.aws.some(isAccount) ? "account" : "none";
}

function isAccountRoot(name: string, account: string): boolean {
    const arn = tryParseArn(name);
    return arn !== undefined && arn.service === "iam" && arn.account === account && arn.resource === "root";
}
