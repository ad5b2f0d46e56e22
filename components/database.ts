/**
 * RDS PostgreSQL with an RDS-managed master password (`manageMasterUserPassword`; the password
 * never enters the program or its state), TLS forced by a parameter group, in private subnets.
 */
import * as pulumi from "@pulumi/pulumi";
import * as rds from "@pulumi/aws/rds";
import { AdmaConfig } from "../lib/config";
import { ResourceNames } from "../lib/naming";

export interface DatabaseArgs {
    readonly names: ResourceNames["database"];
    readonly settings: AdmaConfig["database"];
    readonly subnetIds: pulumi.Input<string[]>;
    readonly securityGroupId: pulumi.Input<string>;
    /** Customer-managed key for the master secret; absent: the AWS-managed `aws/secretsmanager` key. */
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

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("adma:database:Database", name, {}, opts);
        const { names, settings, tags } = args;

        const subnetGroup = new rds.SubnetGroup(`${name}-subnets`, {
            name: names.subnetGroup,
            description: `Private subnets of ${names.instance}`,
            subnetIds: args.subnetIds,
            tags,
        }, { parent: this });

        // The seed's JDBC URL says sslmode=require; the server enforces it too.
        const parameterGroup = new rds.ParameterGroup(`${name}-parameters`, {
            name: names.parameterGroup,
            family: settings.parameterGroupFamily,
            description: `${names.instance}: TLS required`,
            parameters: [{ name: "rds.force_ssl", value: "1" }],
            tags,
        }, { parent: this });

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
            finalSnapshotIdentifier: settings.finalSnapshot ? names.finalSnapshot : undefined,
            autoMinorVersionUpgrade: true,
            // Without it a modification waits for the maintenance window while `pulumi up` reports success.
            applyImmediately: settings.applyImmediately,
            tags,
        }, { parent: this, protect: args.protect });

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
        this.registerOutputs({
            instanceArn: this.instanceArn,
            identifier: this.identifier,
            endpoint: this.endpoint,
            masterSecretArn: this.masterSecretArn,
        });
    }
}
