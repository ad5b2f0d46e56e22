/**
 * RDS PostgreSQL with an RDS-managed master password (`manageMasterUserPassword`; the password
 * never enters the program or its state), TLS forced by a parameter group, in private subnets.
 *
 * Built to be changed while it holds data (docs/operations.md, "Changing a live stack"): the
 * parameter group of each engine family is a resource of its own, so a major upgrade creates the
 * new group, moves the instance and deletes the old group, in that order, in one `pulumi up`; the
 * final snapshot's name is unique to each instance, so the second destroy of a re-created stack
 * does not stop on "snapshot already exists"; the master secret's key is what RDS chose at creation.
 */
import * as pulumi from "@pulumi/pulumi";
import * as rds from "@pulumi/aws/rds";
import * as random from "@pulumi/random";
import { AdmaConfig } from "../lib/config";
import { FINAL_SNAPSHOT_SUFFIX_BYTES, ResourceNames } from "../lib/naming";

export interface DatabaseArgs {
    readonly names: ResourceNames["database"];
    readonly settings: AdmaConfig["database"];
    readonly subnetIds: pulumi.Input<string[]>;
    readonly securityGroupId: pulumi.Input<string>;
    /**
     * Customer-managed key for the master secret; absent: the AWS-managed `aws/secretsmanager` key.
     * Used when the instance is created: RDS never moves the secret to another key afterwards.
     */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /** Pulumi `protect` on the instance (on top of RDS deletion protection). */
    readonly protect: boolean;
    readonly tags: Record<string, string>;
}

export class Database extends pulumi.ComponentResource {
    readonly instanceArn: pulumi.Output<string>;
    readonly identifier: pulumi.Output<string>;
    /** `host:port`. */
    readonly endpoint: pulumi.Output<string>;
    readonly address: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    /** ARN of the RDS-managed master secret (JSON: username, password, ...). */
    readonly masterSecretArn: pulumi.Output<string>;
    /** The key that really encrypts the master secret (`masterUserSecrets[0].kmsKeyId`), whatever the configuration says now. */
    readonly masterSecretKmsKeyId: pulumi.Output<string>;

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("adma:database:Database", name, {}, opts);
        const { names, settings, tags } = args;

        const subnetGroup = new rds.SubnetGroup(`${name}-subnets`, {
            name: names.subnetGroup,
            description: `Private subnets of ${names.instance}`,
            subnetIds: args.subnetIds,
            tags,
        }, { parent: this });

        // The design document's JDBC URL says sslmode=require; the server enforces it too. One logical resource per
        // family: a major upgrade creates the new group before the instance moves to it and deletes the
        // old one after (a family change of one resource would delete the group the instance still uses).
        const parameterGroup = new rds.ParameterGroup(`${name}-parameters-${settings.parameterGroupFamily}`, {
            name: names.parameterGroup,
            family: settings.parameterGroupFamily,
            description: `${names.instance}: TLS required`,
            parameters: [{ name: "rds.force_ssl", value: "1" }],
            tags,
        }, { parent: this, aliases: [{ name: `${name}-parameters` }] });

        // A name per instance: replaced with the instance (the inputs that replace it are the keepers),
        // created anew with a re-created stack.
        const finalSnapshotSuffix = settings.finalSnapshot ? new random.RandomId(`${name}-final-snapshot`, {
            byteLength: FINAL_SNAPSHOT_SUFFIX_BYTES,
            keepers: { dbName: settings.name, username: settings.username },
        }, { parent: this }) : undefined;

        const instance = new rds.Instance(name, {
            identifier: names.instance,
            engine: "postgres",
            engineVersion: settings.engineVersion,
            instanceClass: settings.instanceClass,
            allocatedStorage: settings.allocatedStorageGb,
            storageType: "gp3",
            storageEncrypted: true,
            dbName: settings.name,
            username: settings.username,
            manageMasterUserPassword: true,
            masterUserSecretKmsKeyId: args.kmsKeyArn,
            dbSubnetGroupName: subnetGroup.name,
            vpcSecurityGroupIds: [args.securityGroupId],
            parameterGroupName: parameterGroup.name,
            publiclyAccessible: false,
            backupRetentionPeriod: settings.backupRetentionDays,
            copyTagsToSnapshot: true,
            deletionProtection: settings.deletionProtection,
            skipFinalSnapshot: !settings.finalSnapshot,
            finalSnapshotIdentifier: finalSnapshotSuffix && pulumi.interpolate`${names.finalSnapshot}-${finalSnapshotSuffix.hex}`,
            autoMinorVersionUpgrade: true,
            // A major adma:dbEngineVersion is an upgrade in place (lib/stack-record.ts refuses one without applyImmediately).
            allowMajorVersionUpgrade: true,
            // Without it a modification waits for the maintenance window while `pulumi up` reports success.
            applyImmediately: settings.applyImmediately,
            tags,
        }, { parent: this, protect: args.protect, ignoreChanges: ["masterUserSecretKmsKeyId"] });

        this.instanceArn = instance.arn;
        this.identifier = instance.identifier;
        this.endpoint = instance.endpoint;
        this.address = instance.address;
        this.port = instance.port;
        this.masterSecretArn = instance.masterUserSecrets.apply((secrets) => {
            const arn = secrets?.[0]?.secretArn;
            if (!arn) {
                throw new Error(`RDS instance ${names.instance} reports no master user secret; manageMasterUserPassword must be on`);
            }
            return arn;
        });
        this.masterSecretKmsKeyId = instance.masterUserSecrets.apply((secrets) => secrets[0].kmsKeyId);
        this.registerOutputs({
            instanceArn: this.instanceArn,
            identifier: this.identifier,
            endpoint: this.endpoint,
            masterSecretArn: this.masterSecretArn,
        });
    }
}
