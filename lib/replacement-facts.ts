/**
 * Which input properties of the resources that hold data make the AWS provider replace the resource
 * (delete it and create a new one) instead of changing it in place, and which AWS refuses to change
 * at all, each with its source. One place: the check of a change to a live stack (lib/stack-record.ts)
 * and docs/operations.md ("Changing a live stack") read it. Pure: no Pulumi calls.
 *
 * What an unset property means (`computedWhenUnset`, `defaults`) is read from the same schemas; adoption
 * (tools/adopt/replacement-check.ts) compares a live resource with what the program registers with it.
 * Property names are the Pulumi ones (camelCase) of @pulumi/aws 7, which is built from
 * terraform-provider-aws 6: a Terraform attribute with `ForceNew: true` is a replacement in Pulumi.
 */

export const RDS_INSTANCE = "aws:rds/instance:Instance";
export const SECRETS_MANAGER_SECRET = "aws:secretsmanager/secret:Secret";
export const KMS_KEY = "aws:kms/key:Key";
export const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

export interface ReplacementFacts {
    /** What the resource is, in words. */
    readonly resource: string;
    /** Input properties whose change replaces the resource. */
    readonly forcesReplacement: readonly string[];
    /** Input properties AWS does not change once the resource exists, with what AWS says. */
    readonly fixedAtCreation: Readonly<Record<string, string>>;
    /**
     * Of `forcesReplacement`, those the provider computes when a program leaves them unset
     * (`Optional` and `Computed` in the schema): unset, the live value stays. The others, unset,
     * mean their `defaults` value (`Default:` in the schema), or none.
     */
    readonly computedWhenUnset: readonly string[];
    readonly defaults: Readonly<Record<string, string | boolean>>;
    /** What happens to the data when the resource is replaced. */
    readonly onReplacement: string;
    readonly source: string;
}

export const REPLACEMENT_FACTS: Readonly<Record<string, ReplacementFacts>> = {
    [RDS_INSTANCE]: {
        resource: "RDS DB instance",
        forcesReplacement: [
            "availabilityZone", "backupTarget", "characterSetName", "customIamInstanceProfile", "dbName", "engine", "identifierPrefix",
            "kmsKeyId", "ncharCharacterSetName", "restoreToPointInTime", "snapshotIdentifier", "storageEncrypted", "timezone", "username",
        ],
        computedWhenUnset: [
            "availabilityZone", "backupTarget", "characterSetName", "dbName", "engine", "identifierPrefix", "kmsKeyId", "ncharCharacterSetName",
            "snapshotIdentifier", "timezone", "username",
        ],
        defaults: { storageEncrypted: false },
        fixedAtCreation: {
            masterUserSecretKmsKeyId: "if the DB instance already manages the master user password in Secrets Manager, you can't change the KMS key that is used to encrypt the secret (RDS API Reference, ModifyDBInstance, MasterUserSecretKmsKeyId)",
        },
        onReplacement: "the instance is deleted (a final snapshot at best) and an empty one is created under the same identifier, delete first because the identifier is set explicitly",
        source: "terraform-provider-aws internal/service/rds/instance.go, resourceInstance schema (ForceNew attributes; identifier is updated in place with ModifyDBInstance NewDBInstanceIdentifier)",
    },
    [SECRETS_MANAGER_SECRET]: {
        resource: "Secrets Manager secret",
        forcesReplacement: ["name", "namePrefix"],
        computedWhenUnset: ["name", "namePrefix"],
        defaults: {},
        fixedAtCreation: {},
        onReplacement: "the secret and its versions are deleted (restorable for the recovery window, its name taken meanwhile) and an empty secret is created",
        source: "terraform-provider-aws internal/service/secretsmanager/secret.go, resourceSecret schema (kmsKeyId is updated in place with UpdateSecret)",
    },
    [KMS_KEY]: {
        resource: "KMS key",
        forcesReplacement: ["customKeyStoreId", "customerMasterKeySpec", "keyUsage", "multiRegion", "xksKeyId"],
        computedWhenUnset: ["multiRegion"],
        defaults: { customerMasterKeySpec: "SYMMETRIC_DEFAULT", keyUsage: "ENCRYPT_DECRYPT" },
        fixedAtCreation: {},
        onReplacement: "the key is scheduled for deletion; whatever it encrypts becomes unreadable when the deletion window ends",
        source: "terraform-provider-aws internal/service/kms/key.go, resourceKey schema",
    },
    [LOG_GROUP]: {
        resource: "CloudWatch Logs log group",
        forcesReplacement: ["logGroupClass", "name", "namePrefix"],
        computedWhenUnset: ["logGroupClass", "name", "namePrefix"],
        defaults: {},
        fixedAtCreation: {},
        onReplacement: "the log group is deleted with every log event in it",
        source: "terraform-provider-aws internal/service/logs/group.go, resourceGroup schema (kmsKeyId and retentionInDays are updated in place)",
    },
};

/** The facts for a resource type; throws for a type not listed (a data-bearing resource must come with its facts). */
export function replacementFacts(resourceType: string): ReplacementFacts {
    const facts = REPLACEMENT_FACTS[resourceType];
    if (facts === undefined) {
        throw new Error(`lib/replacement-facts.ts lists no replacement facts for ${resourceType}`);
    }
    return facts;
}
