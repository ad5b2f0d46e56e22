/**
 * The JWT signing secret (the design document's random_password + aws_secretsmanager_secret + _secret_version)
 * and the optional customer-managed KMS key for the stack's secrets.
 *
 * Rotation: bump `generation` (config `adma:jwtSecretGeneration`) and `pulumi up`. The new value
 * becomes a new secret version; Secrets Manager moves AWSCURRENT to it and AWSPREVIOUS to the
 * version it replaces. Both versions are `retainOnDelete`: when Pulumi replaces a SecretVersion it
 * deletes the old one, and the AWS provider's delete removes every staging label it recorded for
 * that version except AWSCURRENT, which could strip AWSPREVIOUS from the key users still hold.
 *
 * First deployment: a secret with a single version has no AWSPREVIOUS, and ECS cannot start a task
 * whose JWT_SECRET_PREVIOUS reference does not resolve. So a bootstrap version holding the same
 * first value is written before the current one; writing the current version then moves
 * AWSPREVIOUS onto the bootstrap. The bootstrap ignores later value changes and is never rewritten.
 *
 * Adopted secret (`adoptedVersionId`, set by `npm run adopt:terraform`): the live secret and its
 * AWSCURRENT version are imported as the secret and the bootstrap, and generation 1 is the value
 * of that version, read from Secrets Manager (`getSecretVersion`) instead of generated: the first
 * `pulumi up` writes the current version with the same value, so the value users' tokens are signed
 * with stays AWSCURRENT, the live version becomes AWSPREVIOUS, and nobody is logged out. No value
 * is generated until the first rotation (generation 2), which then works as in any stack. The value
 * read is a Pulumi secret, encrypted in the state like a generated one.
 */
import * as pulumi from "@pulumi/pulumi";
import * as kms from "@pulumi/aws/kms";
import * as secretsmanager from "@pulumi/aws/secretsmanager";
import { getSecretVersionOutput } from "@pulumi/aws/secretsmanager/getSecretVersion";
import * as random from "@pulumi/random";
import { AdmaConfig } from "../lib/config";
import { ResourceNames } from "../lib/naming";

/** The design document's special characters: no quotes, spaces or `$` that would need shell escaping. */
export const JWT_SPECIAL_CHARACTERS = "_-+=@#%";

export interface JwtSecretArgs {
    readonly names: ResourceNames["jwtSecret"];
    readonly description: string;
    /** The value's length, the rotation generation (a new value replaces the password), the recovery window and the adopted version. */
    readonly settings: AdmaConfig["jwt"];
    /** Customer-managed key; absent: the AWS-managed `aws/secretsmanager` key. */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /** `protect` + `retainOnDelete` on the secret container. */
    readonly protect: boolean;
    readonly tags: Record<string, string>;
}

export class JwtSecret extends pulumi.ComponentResource {
    readonly secretArn: pulumi.Output<string>;
    readonly secretName: pulumi.Output<string>;
    /** Version id of the value this program wrote last (AWSCURRENT); changes on every rotation. */
    readonly currentVersionId: pulumi.Output<string>;

    constructor(name: string, args: JwtSecretArgs, opts?: pulumi.ComponentResourceOptions) {
        super("adma:secrets:JwtSecret", name, {}, opts);
        const { adoptedVersionId, generation } = args.settings;

        // Generation 1 of an adopted secret is its live value, read once the secret is known (below).
        const generated = adoptedVersionId !== undefined && generation === 1 ? undefined : new random.RandomPassword(`${name}-value`, {
            length: args.settings.length,
            special: true,
            overrideSpecial: JWT_SPECIAL_CHARACTERS,
            keepers: { generation: String(generation) },
        }, {
            parent: this,
            // A config edit must never silently invalidate every token; rotation is explicit.
            ignoreChanges: ["length", "special", "overrideSpecial"],
        }).result;

        const secret = new secretsmanager.Secret(name, {
            name: args.names.secret,
            description: args.description,
            recoveryWindowInDays: args.settings.recoveryWindowDays,
            kmsKeyId: args.kmsKeyArn,
            tags: args.tags,
        }, { parent: this, protect: args.protect, retainOnDelete: args.protect });

        const value = pulumi.secret(generated ?? getSecretVersionOutput({ secretId: secret.arn, versionId: adoptedVersionId }, { parent: this }).secretString);
        const bootstrap = new secretsmanager.SecretVersion(`${name}-bootstrap`, {
            secretId: secret.id,
            secretString: value,
        }, { parent: this, retainOnDelete: true, ignoreChanges: ["secretString"] });

        const current = new secretsmanager.SecretVersion(`${name}-current`, {
            secretId: secret.id,
            secretString: value,
        }, { parent: this, retainOnDelete: true, dependsOn: [bootstrap] });

        this.secretArn = secret.arn;
        this.secretName = secret.name;
        this.currentVersionId = current.versionId;
        this.registerOutputs({
            secretArn: this.secretArn,
            secretName: this.secretName,
            currentVersionId: this.currentVersionId,
        });
    }
}

export interface SecretsKmsKeyArgs {
    readonly names: ResourceNames["secretsKmsKey"];
    readonly description: string;
    readonly protect: boolean;
    readonly tags: Record<string, string>;
}

/** A customer-managed key with yearly rotation, for the JWT secret and the RDS master secret. */
export class SecretsKmsKey extends pulumi.ComponentResource {
    readonly keyArn: pulumi.Output<string>;
    readonly aliasName: pulumi.Output<string>;

    constructor(name: string, args: SecretsKmsKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("adma:secrets:SecretsKmsKey", name, {}, opts);
        const key = new kms.Key(name, {
            description: args.description,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            tags: args.tags,
        }, { parent: this, protect: args.protect });
        const alias = new kms.Alias(`${name}-alias`, {
            name: args.names.alias,
            targetKeyId: key.keyId,
        }, { parent: this });

        this.keyArn = key.arn;
        this.aliasName = alias.name;
        this.registerOutputs({ keyArn: this.keyArn, aliasName: this.aliasName });
    }
}
