import * as assert from "assert";
import { AuditResource } from "../audit/engine";
import { executionRoleSecretAccess, noBroadManagedPolicyOnEcsRole, separateExecutionAndTaskRole } from "../policies/ecs-roles";
import * as types from "../policies/resource-types";
import {
    AWS_MANAGED_SECRETS_KEY_ARN, Statement, UNKNOWN, advisory, check, container, iamPolicy, mandatory, policyDocument, readSecretStatement, resource, role,
    roleArn, rolePolicy, secretArn, taskDefinition,
} from "./helpers";

const JWT = secretArn("adma/prod/jwt-secret");
const RDS = secretArn("rds!db-0123456789abcdef");
const PARAMETER = "arn:aws:ssm:eu-west-1:123456789012:parameter/adma/prod/app-base-url";
const SECRETS = [
    { name: "JWT_SECRET", valueFrom: JWT },
    { name: "DB_PASSWORD", valueFrom: `${RDS}:password::` },
];
const managedArn = (name: string, partition = "aws") => `arn:${partition}:iam::aws:policy/${name}`;
const EXECUTION_MANAGED = managedArn("service-role/AmazonECSTaskExecutionRolePolicy");

function attachment(roleName: string, policyArn: string, extra: Partial<AuditResource> = {}): AuditResource {
    return resource(types.IAM_ROLE_POLICY_ATTACHMENT, { role: roleName, policyArn }, undefined, extra);
}

/** The JWT secret and the database whose master user secret RDS manages, both with AWS managed keys. */
function storedSecrets(): AuditResource[] {
    return [
        resource(types.SECRET, { name: "adma/prod/jwt-secret", arn: JWT }, "jwt"),
        resource(types.RDS_INSTANCE, { masterUserSecrets: [{ secretArn: RDS, kmsKeyId: AWS_MANAGED_SECRETS_KEY_ARN }] }, "db"),
    ];
}

/** The design document's architecture: separate roles, the execution role reads exactly the two secrets. */
function stack(options: { grant?: Statement[]; secrets?: unknown[]; taskProps?: Record<string, unknown> } = {}): AuditResource[] {
    return [
        role("execution"),
        role("task"),
        attachment("execution", EXECUTION_MANAGED),
        rolePolicy("execution", policyDocument(...(options.grant ?? [readSecretStatement({ Resource: [JWT, RDS] })]))),
        taskDefinition([container({ secrets: options.secrets ?? SECRETS })], options.taskProps),
        ...storedSecrets(),
    ];
}

async function outcome(policy: Parameters<typeof check>[0], resources: AuditResource[], config?: Record<string, unknown>) {
    const violations = await check(policy, resources, config);
    return { mandatory: mandatory(violations), advisory: advisory(violations) };
}

describe("execution-role-secret-access", () => {
    it("passes an execution role that reads exactly the referenced secrets", async () => {
        const result = await outcome(executionRoleSecretAccess, stack());
        assert.deepStrictEqual([...result.mandatory, ...result.advisory], []);
    });

    it("fails a referenced secret the role cannot read (unable to pull secrets)", async () => {
        const { mandatory: [violation, ...rest] } = await outcome(executionRoleSecretAccess, stack({ grant: [readSecretStatement({ Resource: [JWT] })] }));
        assert.deepStrictEqual(rest, []);
        assert.match(violation.message, /DB_PASSWORD.*not allowed secretsmanager:GetSecretValue on /);
        assert.doesNotMatch(violation.message, /DescribeSecret/);
        assert.match(violation.urn, /TaskDefinition/);
    });

    // Issue 13, item 1: ECS calls only GetSecretValue; demanding DescribeSecret was a false alarm.
    it("passes a grant of GetSecretValue alone, all that ECS calls", async () => {
        const result = await outcome(executionRoleSecretAccess, stack({ grant: [readSecretStatement({ Action: "secretsmanager:GetSecretValue", Resource: [JWT, RDS] })] }));
        assert.deepStrictEqual([...result.mandatory, ...result.advisory], []);
    });

    it("fails when an unconditional Deny removes the grant", async () => {
        const grant = [readSecretStatement({ Resource: [JWT, RDS] }), { Effect: "Deny", Action: "secretsmanager:GetSecretValue", Resource: RDS }];
        assert.strictEqual((await outcome(executionRoleSecretAccess, stack({ grant }))).mandatory.length, 1);
    });

    it("fails a role that can read other secrets, on the resource that grants it", async () => {
        const cases: Statement[] = [
            readSecretStatement({ Resource: [JWT, RDS, secretArn("other")] }),
            readSecretStatement({ Resource: "*" }),
            readSecretStatement({ Resource: [JWT, RDS, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:adma/*"] }),
            readSecretStatement({ Resource: undefined, NotResource: secretArn("other") }),
        ];
        for (const extra of cases) {
            const { mandatory: violations } = await outcome(executionRoleSecretAccess, stack({ grant: [readSecretStatement({ Resource: [JWT, RDS] }), extra] }));
            assert.strictEqual(violations.length, 1, JSON.stringify(extra));
            assert.match(violations[0].urn, /RolePolicy/);
        }
    });

    it("ignores grants on other services in a secret-reading statement", async () => {
        const grant = [readSecretStatement({ Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "kms:Decrypt"], Resource: [JWT, RDS, "arn:aws:kms:eu-west-1:123456789012:key/abc"] })];
        assert.deepStrictEqual((await outcome(executionRoleSecretAccess, stack({ grant }))).mandatory, []);
    });

    it("finds grants in inline policies and attached customer policies", async () => {
        const document = JSON.stringify(policyDocument(readSecretStatement({ Resource: [JWT, RDS] })));
        const inline = [role("execution", { inlinePolicies: [{ name: "secrets", policy: document }] }), role("task"), taskDefinition([container({ secrets: SECRETS })])];
        assert.deepStrictEqual((await outcome(executionRoleSecretAccess, inline)).mandatory, []);
        const policyArn = "arn:aws:iam::123456789012:policy/execution-secrets";
        const policy = iamPolicy(document, "execution-secrets");
        policy.props.arn = policyArn;
        const attached = [role("execution"), policy, attachment("execution", policyArn), taskDefinition([container({ secrets: SECRETS })])];
        assert.deepStrictEqual((await outcome(executionRoleSecretAccess, attached)).mandatory, []);
    });

    it("connects resources by property dependencies while ARNs are unknown (preview)", async () => {
        const execution = role("execution", { arn: UNKNOWN, name: UNKNOWN });
        const policy = iamPolicy(policyDocument(readSecretStatement({ Resource: [JWT, RDS] })), "p");
        const resources = [
            execution, policy,
            attachment(UNKNOWN, UNKNOWN, { propertyDependencies: { role: [execution.urn], policyArn: [policy.urn] } }),
            taskDefinition([container({ secrets: SECRETS })], { executionRoleArn: UNKNOWN }, undefined, { propertyDependencies: { executionRoleArn: [execution.urn] } }),
            ...storedSecrets(),
        ];
        const result = await outcome(executionRoleSecretAccess, resources);
        assert.deepStrictEqual([...result.mandatory, ...result.advisory], []);
        resources[1] = iamPolicy(policyDocument(readSecretStatement({ Resource: [JWT] })), "p");
        resources[2].propertyDependencies = { role: [execution.urn], policyArn: [resources[1].urn] };
        assert.strictEqual((await outcome(executionRoleSecretAccess, resources)).mandatory.length, 1);
    });

    it("reports unknown secrets or grants as not fully checked, without a false failure", async () => {
        const unknownSecrets = await outcome(executionRoleSecretAccess, stack({ secrets: [{ name: "JWT_SECRET", valueFrom: UNKNOWN }] }));
        assert.strictEqual(unknownSecrets.advisory.length, 1);
        const resources = stack();
        resources[3] = resource(types.IAM_ROLE_POLICY, { role: "execution", policy: UNKNOWN });
        const unknownGrant = await outcome(executionRoleSecretAccess, resources);
        assert.deepStrictEqual(unknownGrant.mandatory, []);
        assert.strictEqual(unknownGrant.advisory.length, 1);
    });

    it("does not claim a missing grant when a policy outside the stack is attached", async () => {
        const resources = [...stack({ grant: [readSecretStatement({ Resource: [JWT] })] }), attachment("execution", "arn:aws:iam::123456789012:policy/shared-secrets")];
        assert.deepStrictEqual((await outcome(executionRoleSecretAccess, resources)).mandatory, []);
    });

    it("fails secrets without an execution role", async () => {
        const { mandatory: [violation] } = await outcome(executionRoleSecretAccess, stack({ taskProps: { executionRoleArn: undefined } }));
        assert.match(violation.message, /no executionRoleArn/);
    });

    it("leaves an execution role from outside the stack alone", async () => {
        const result = await outcome(executionRoleSecretAccess, stack({ taskProps: { executionRoleArn: roleArn("shared-execution") } }));
        assert.deepStrictEqual([...result.mandatory, ...result.advisory], []);
    });

    // Issue 13, item 2: a parameter name is a valueFrom ECS accepts; what it cannot resolve is reported.
    it("fails a valueFrom ECS cannot resolve", async () => {
        const { mandatory: [violation] } = await outcome(executionRoleSecretAccess, stack({ secrets: [...SECRETS, { name: "X", valueFrom: "adma prod x" }] }));
        assert.match(violation.message, /"X".*neither an ARN nor an SSM parameter name.*ECS cannot resolve it/);
    });

    it("checks SSM parameter references against ssm:GetParameters", async () => {
        const secrets = [...SECRETS, { name: "APP_BASE_URL", valueFrom: PARAMETER }];
        assert.strictEqual((await outcome(executionRoleSecretAccess, stack({ secrets }))).mandatory.length, 1);
        const grant = [readSecretStatement({ Resource: [JWT, RDS] }), { Effect: "Allow", Action: "ssm:GetParameters", Resource: PARAMETER }];
        assert.deepStrictEqual((await outcome(executionRoleSecretAccess, stack({ secrets, grant }))).mandatory, []);
    });

    it("lets task definitions that share an execution role read what each references", async () => {
        const resources = [...stack({ secrets: [SECRETS[0]] }), taskDefinition([container({ secrets: [SECRETS[1]] })], {}, "migrate")];
        assert.deepStrictEqual((await outcome(executionRoleSecretAccess, resources)).mandatory, []);
    });
});

describe("execution-role-secret-access: kms:Decrypt where a customer managed key encrypts the value", () => {
    const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
    const KEY = `arn:aws:kms:eu-west-1:123456789012:key/${KEY_ID}`;
    const SECRETS_MANAGER = "secretsmanager.eu-west-1.amazonaws.com";
    const viaService = (service: string | string[], operator = "StringEquals") => ({ [operator]: { "kms:ViaService": service } });
    const decrypt = (condition?: Record<string, unknown>, keyArn = KEY): Statement =>
        ({ Sid: "DecryptSecrets", Effect: "Allow", Action: "kms:Decrypt", Resource: keyArn, ...(condition && { Condition: condition }) });
    const readOnly = [readSecretStatement({ Resource: [JWT, RDS] })];
    /** This project's grant: kms:Decrypt on the key, only through Secrets Manager. */
    const programGrant = [...readOnly, decrypt(viaService(SECRETS_MANAGER))];
    const keyPolicy = (...statements: Statement[]) => JSON.stringify(policyDocument(...statements));
    const accountStatement = { Sid: "EnableIamPolicies", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" };
    const toRole = (effect: string, principal: unknown = roleArn("execution")) => ({ Effect: effect, Principal: { AWS: principal }, Action: ["kms:Decrypt"], Resource: "*" });

    /** The prod design: the JWT secret encrypted with a key of the stack (created without a key policy: AWS's default). */
    function keyStack(options: { grant?: Statement[]; kmsKeyId?: unknown; keyProps?: Record<string, unknown>; extra?: AuditResource[] } = {}): AuditResource[] {
        const resources = stack({ grant: options.grant ?? programGrant });
        const secret = resources.find((r) => r.type === types.SECRET)!;
        secret.props = { ...secret.props, kmsKeyId: "kmsKeyId" in options ? options.kmsKeyId : KEY };
        return [...resources, resource(types.KMS_KEY, { arn: KEY, keyId: KEY_ID, enableKeyRotation: true, ...options.keyProps }, "secrets-key"), ...options.extra ?? []];
    }

    const clean = async (resources: AuditResource[]) => {
        const result = await outcome(executionRoleSecretAccess, resources);
        assert.deepStrictEqual([...result.mandatory, ...result.advisory].map((v) => v.message), []);
    };
    const violation = async (resources: AuditResource[]) => {
        const result = await outcome(executionRoleSecretAccess, resources);
        assert.strictEqual(result.mandatory.length, 1, result.mandatory.map((v) => v.message).join("\n"));
        return result.mandatory[0];
    };
    const onlyAdvisory = async (resources: AuditResource[]) => {
        const result = await outcome(executionRoleSecretAccess, resources);
        assert.deepStrictEqual(result.mandatory.map((v) => v.message), []);
        assert.strictEqual(result.advisory.length, 1);
        return result.advisory[0].message;
    };

    it("passes a role allowed kms:Decrypt on the key, through Secrets Manager (kms:ViaService) as this project grants it, or unconditionally", async () => {
        await clean(keyStack());
        await clean(keyStack({ grant: [...readOnly, decrypt()] }));
    });

    it("fails a role that may not decrypt the key, naming the reference, the secret, the key and the role", async () => {
        const { message, urn } = await violation(keyStack({ grant: readOnly }));
        assert.match(message, /^containerDefinitions\[0\]\.secrets\[0\] \("JWT_SECRET"\) references /);
        assert.match(message, /the secret "adma\/prod\/jwt-secret" \(Pulumi resource jwt\) is encrypted with customer managed KMS key arn:aws:kms:eu-west-1:123456789012:key\/1234abcd-12ab-34cd-56ef-1234567890ab \(Pulumi resource secrets-key\)/);
        assert.match(message, /execution role "execution" \(Pulumi resource execution\) may not use it \(neither its IAM policies nor the key policy allow kms:Decrypt on it\)/);
        assert.match(message, /unable to pull secrets.*allow kms:Decrypt on arn:aws:kms:eu-west-1:123456789012:key\/1234abcd-12ab-34cd-56ef-1234567890ab .*kms:ViaService secretsmanager\.eu-west-1\.amazonaws\.com/);
        assert.match(urn, /TaskDefinition/);
        assert.match((await violation(keyStack({ grant: [...readOnly, decrypt(undefined, `${KEY}0`)] }))).message, /"JWT_SECRET"/, "a grant on another key");
        assert.match((await violation(keyStack({ grant: [...programGrant, { Effect: "Deny", Action: "kms:*", Resource: KEY }] }))).message, /an IAM policy of the role denies/);
    });

    it("judges a kms:ViaService condition: the right service passes, another fails; other conditions get the benefit of the doubt", async () => {
        await clean(keyStack({ grant: [...readOnly, decrypt(viaService(["ssm.eu-west-1.amazonaws.com", SECRETS_MANAGER]))] }));
        await clean(keyStack({ grant: [...readOnly, decrypt(viaService("secretsmanager.*.amazonaws.com", "StringLike"))] }));
        await clean(keyStack({ grant: [...readOnly, decrypt(viaService("SecretsManager.EU-WEST-1.amazonaws.com", "StringEqualsIgnoreCase"))] }));
        await clean(keyStack({ grant: [...readOnly, decrypt({ StringEquals: { "aws:SourceVpce": "vpce-0123456789abcdef0" } })] }));
        await violation(keyStack({ grant: [...readOnly, decrypt(viaService("ssm.eu-west-1.amazonaws.com"))] }));
        await violation(keyStack({ grant: [...readOnly, decrypt(viaService("secretsmanager.us-east-1.amazonaws.com"))] }));
        await violation(keyStack({ grant: [...readOnly, decrypt(viaService(SECRETS_MANAGER, "StringNotEquals"))] }));
    });

    it("passes a key policy that grants the role itself, in the key, a KeyPolicy resource or a KMS grant, with no IAM policy", async () => {
        await clean(keyStack({ grant: readOnly, keyProps: { policy: keyPolicy(accountStatement, toRole("Allow")) } }));
        await clean(keyStack({ grant: readOnly, keyProps: { policy: keyPolicy(accountStatement, toRole("Allow", [roleArn("other"), roleArn("execution")])) } }));
        await clean(keyStack({ grant: readOnly, extra: [resource(types.KMS_KEY_POLICY, { keyId: KEY_ID, policy: keyPolicy(accountStatement, toRole("Allow")) })] }));
        await clean(keyStack({ grant: readOnly, extra: [resource(types.KMS_GRANT, { keyId: KEY, granteePrincipal: roleArn("execution"), operations: ["Decrypt"] })] }));
        await violation(keyStack({ grant: readOnly, extra: [resource(types.KMS_GRANT, { keyId: KEY, granteePrincipal: roleArn("execution"), operations: ["Encrypt"] })] }));
    });

    it("fails an IAM grant that the key policy leaves without effect, and a Deny in the key policy", async () => {
        const noAccount = await violation(keyStack({ keyProps: { policy: keyPolicy(toRole("Allow", roleArn("key-admin"))) } }));
        assert.match(noAccount.message, /the key policy neither grants the role kms:Decrypt nor lets IAM policies grant it \(it has no statement for account 123456789012\), so the IAM policy that allows it has no effect/);
        const replaced = await violation(keyStack({ extra: [resource(types.KMS_KEY_POLICY, { keyId: KEY, policy: keyPolicy(toRole("Allow", roleArn("key-admin"))) })] }));
        assert.match(replaced.message, /has no effect/, "a KeyPolicy resource replaces the key's policy");
        const denied = await violation(keyStack({ keyProps: { policy: keyPolicy(accountStatement, toRole("Deny")) } }));
        assert.match(denied.message, /its key policy denies kms:Decrypt to the role/);
    });

    it("needs nothing for an AWS managed key: no kmsKeyId, or an alias/aws/ alias", async () => {
        for (const kmsKeyId of [undefined, "", "alias/aws/secretsmanager", "arn:aws:kms:eu-west-1:123456789012:alias/aws/secretsmanager"]) {
            await clean(keyStack({ grant: readOnly, kmsKeyId }));
        }
    });

    it("follows a key named by its ID, or by an alias of the stack (name or ARN)", async () => {
        await violation(keyStack({ grant: readOnly, kmsKeyId: KEY_ID }));
        await clean(keyStack({ kmsKeyId: KEY_ID }));
        const alias = resource(types.KMS_ALIAS, { name: "alias/adma-secrets", targetKeyId: KEY_ID, arn: "arn:aws:kms:eu-west-1:123456789012:alias/adma-secrets" });
        for (const kmsKeyId of ["alias/adma-secrets", "arn:aws:kms:eu-west-1:123456789012:alias/adma-secrets"]) {
            assert.match((await violation(keyStack({ grant: readOnly, kmsKeyId, extra: [alias] }))).message, /key\/1234abcd-12ab-34cd-56ef-1234567890ab \(Pulumi resource secrets-key\)/);
            await clean(keyStack({ kmsKeyId, extra: [alias] }));
        }
    });

    it("follows the key an RDS-managed master secret really uses", async () => {
        const database = (props: Record<string, unknown>) => (resources: AuditResource[]) =>
            resources.map((r) => (r.type === types.RDS_INSTANCE ? { ...r, props: { ...r.props, ...props } } : r));
        const onKey = database({ masterUserSecretKmsKeyId: KEY, masterUserSecrets: [{ secretArn: RDS, kmsKeyId: KEY }] });
        const { message } = await violation(onKey(keyStack({ grant: readOnly, kmsKeyId: undefined })));
        assert.match(message, /"DB_PASSWORD".*the master user secret RDS manages for db is encrypted with customer managed KMS key .*secrets-key/);
        await clean(onKey(keyStack()));
        // The key asked for no longer matches the one the secret keeps (RDS cannot move it): the secret's key counts.
        const moved = database({ masterUserSecretKmsKeyId: undefined, masterUserSecrets: [{ secretArn: RDS, kmsKeyId: KEY }] });
        await violation(moved(keyStack({ kmsKeyId: undefined, grant: readOnly })));
    });

    it("checks a SecureString parameter's key through Parameter Store; a String parameter needs none", async () => {
        const secrets = [...SECRETS, { name: "APP_BASE_URL", valueFrom: PARAMETER }];
        const parameter = (props: Record<string, unknown>) => resource(types.SSM_PARAMETER, { name: "/adma/prod/app-base-url", arn: PARAMETER, ...props }, "base-url");
        const read = { Effect: "Allow", Action: "ssm:GetParameters", Resource: PARAMETER };
        const withParameter = (grant: Statement[], props: Record<string, unknown>) => [
            ...keyStack({ grant, kmsKeyId: undefined }).map((r) => (r.type === types.ECS_TASK_DEFINITION ? taskDefinition([container({ secrets })]) : r)),
            parameter(props),
        ];
        await clean(withParameter([...readOnly, read], { type: "String" }));
        await clean(withParameter([...readOnly, read], { type: "SecureString", keyId: "alias/aws/ssm" }));
        await clean(withParameter([...readOnly, read, decrypt(viaService("ssm.eu-west-1.amazonaws.com"))], { type: "SecureString", keyId: KEY }));
        const { message } = await violation(withParameter([...readOnly, read, decrypt(viaService(SECRETS_MANAGER))], { type: "SecureString", keyId: KEY }));
        assert.match(message, /"APP_BASE_URL".*the SecureString parameter "\/adma\/prod\/app-base-url" \(Pulumi resource base-url\).*kms:ViaService ssm\.eu-west-1\.amazonaws\.com/);
    });

    it("judges aws-native secrets and keys alike", async () => {
        const resources = keyStack({ grant: readOnly }).map((r) => {
            if (r.type === types.SECRET) {
                return resource(types.NATIVE_SECRET, { name: "adma/prod/jwt-secret", awsId: JWT, kmsKeyId: KEY }, "jwt");
            }
            return r.type === types.KMS_KEY ? resource(types.NATIVE_KMS_KEY, { arn: KEY, keyId: KEY_ID, keyPolicy: policyDocument(accountStatement) }, "secrets-key") : r;
        });
        await violation(resources);
        const granted = resources.map((r) => (r.type === types.NATIVE_KMS_KEY ? { ...r, props: { ...r.props, keyPolicy: policyDocument(accountStatement, toRole("Allow")) } } : r));
        await clean(granted);
    });

    it("reports what it cannot know as an advisory naming it, never as a violation or a pass", async () => {
        const outside = "arn:aws:kms:eu-west-1:123456789012:key/0000aaaa-12ab-34cd-56ef-1234567890ab";
        assert.match(await onlyAdvisory(keyStack({ grant: readOnly, kmsKeyId: outside })),
            /kms:Decrypt for containerDefinitions\[0\]\.secrets\[0\] \("JWT_SECRET"\): the secret .* is encrypted with customer managed KMS key arn:aws:kms:eu-west-1:123456789012:key\/0000aaaa-12ab-34cd-56ef-1234567890ab, which is not in this stack: its key policy may grant the role kms:Decrypt; the role's IAM policies do not/);
        await clean(keyStack({ grant: [...readOnly, decrypt(undefined, outside)], kmsKeyId: outside }));
        assert.match(await onlyAdvisory(keyStack({ grant: readOnly, kmsKeyId: "alias/shared-secrets" })), /by the alias alias\/shared-secrets, which no KMS alias of this stack defines/);
        assert.match(await onlyAdvisory(keyStack({ grant: readOnly, kmsKeyId: UNKNOWN })), /r\d+ kmsKeyId|kmsKeyId cannot be read yet/);
        assert.match(await onlyAdvisory(keyStack({ grant: readOnly, keyProps: { policy: UNKNOWN } })), /secrets-key policy cannot be read yet/);
        await clean(keyStack({ keyProps: { policy: UNKNOWN } }));
    });

    it("says nothing about a referenced value outside the stack (its key cannot be seen, now or later), unless a value of the stack is still unnamed", async () => {
        const elsewhere = stack({ grant: readOnly }).filter((r) => r.type !== types.SECRET);
        await clean(elsewhere);
        const newSecret = resource(types.SECRET, { name: "adma/prod/other-secret", arn: UNKNOWN, kmsKeyId: KEY }, "other");
        assert.match(await onlyAdvisory([...elsewhere, newSecret]), /other arn cannot be read yet/);
    });

    it("connects a secret to its key by dependency while the key's ARN is unknown (preview)", async () => {
        const resources = keyStack({ grant: readOnly, kmsKeyId: UNKNOWN });
        const key = resources.find((r) => r.type === types.KMS_KEY)!;
        const secret = resources.find((r) => r.type === types.SECRET)!;
        secret.propertyDependencies = { kmsKeyId: [key.urn] };
        assert.match((await violation(resources)).message, /secrets-key/, "the key's ARN is known: judged");
        key.props = { ...key.props, arn: UNKNOWN, keyId: UNKNOWN };
        assert.match(await onlyAdvisory(resources), /secrets-key arn cannot be read yet/);
    });
});

describe("separate-execution-and-task-role", () => {
    it("passes different roles", async () => {
        assert.deepStrictEqual((await outcome(separateExecutionAndTaskRole, stack())).mandatory, []);
    });

    it("fails the same role ARN", async () => {
        assert.strictEqual((await outcome(separateExecutionAndTaskRole, stack({ taskProps: { taskRoleArn: roleArn("execution") } }))).mandatory.length, 1);
    });

    it("passes a task definition without a task role", async () => {
        assert.deepStrictEqual((await outcome(separateExecutionAndTaskRole, stack({ taskProps: { taskRoleArn: undefined } }))).mandatory, []);
    });

    it("judges unknown ARNs by their dependencies", async () => {
        const execution = role("execution", { arn: UNKNOWN });
        const task = role("task", { arn: UNKNOWN });
        const definition = (taskRole: AuditResource) => taskDefinition([container()], { executionRoleArn: UNKNOWN, taskRoleArn: UNKNOWN }, undefined,
            { propertyDependencies: { executionRoleArn: [execution.urn], taskRoleArn: [taskRole.urn] } });
        assert.strictEqual((await outcome(separateExecutionAndTaskRole, [execution, task, definition(execution)])).mandatory.length, 1);
        const different = await outcome(separateExecutionAndTaskRole, [execution, task, definition(task)]);
        assert.deepStrictEqual([...different.mandatory, ...different.advisory], []);
        const noDependencies = await outcome(separateExecutionAndTaskRole, [taskDefinition([container()], { executionRoleArn: UNKNOWN, taskRoleArn: UNKNOWN })]);
        assert.strictEqual(noDependencies.advisory.length, 1);
    });

    it("checks awsx components", async () => {
        const awsx = (taskRole: string) => resource(types.AWSX_FARGATE_SERVICE, {
            taskDefinitionArgs: { container: container(), executionRole: { roleArn: roleArn("execution") }, taskRole: { roleArn: taskRole } },
        });
        assert.strictEqual((await outcome(separateExecutionAndTaskRole, [awsx(roleArn("execution"))])).mandatory.length, 1);
        assert.deepStrictEqual((await outcome(separateExecutionAndTaskRole, [awsx(roleArn("task"))])).mandatory, []);
    });
});

describe("no-broad-managed-policy-on-ecs-role", () => {
    it("passes the ECS task execution managed policy", async () => {
        assert.deepStrictEqual((await outcome(noBroadManagedPolicyOnEcsRole, stack())).mandatory, []);
    });

    for (const name of ["AdministratorAccess", "PowerUserAccess", "SecretsManagerReadWrite"]) {
        it(`fails ${name} attached to an ECS role`, async () => {
            const { mandatory: [violation] } = await outcome(noBroadManagedPolicyOnEcsRole, [...stack(), attachment("task", managedArn(name))]);
            assert.match(violation.message, new RegExp(name));
            assert.match(violation.urn, /RolePolicyAttachment/);
        });
    }

    it("finds the policy through managedPolicyArns, PolicyAttachment, exclusive attachments and other partitions", async () => {
        const cases: AuditResource[][] = [
            [role("execution", { managedPolicyArns: [EXECUTION_MANAGED, managedArn("AdministratorAccess")] })],
            [role("execution"), resource(types.IAM_POLICY_ATTACHMENT, { roles: ["other", "execution"], policyArn: managedArn("PowerUserAccess") })],
            [role("execution"), resource(types.IAM_ROLE_POLICY_ATTACHMENTS_EXCLUSIVE, { roleName: "execution", policyArns: [managedArn("SecretsManagerReadWrite")] })],
            [role("execution"), attachment("execution", managedArn("AdministratorAccess", "aws-cn"))],
        ];
        for (const resources of cases) {
            assert.strictEqual((await outcome(noBroadManagedPolicyOnEcsRole, resources)).mandatory.length, 1, resources.map((r) => r.type).join());
        }
    });

    it("treats a role used by a task definition as an ECS role, whatever its trust policy", async () => {
        const app = role("app", { assumeRolePolicy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "sts:AssumeRole" }] }) });
        const resources = [app, attachment("app", managedArn("AdministratorAccess")), taskDefinition([container()], { taskRoleArn: roleArn("app") })];
        assert.strictEqual((await outcome(noBroadManagedPolicyOnEcsRole, resources)).mandatory.length, 1);
        assert.deepStrictEqual((await outcome(noBroadManagedPolicyOnEcsRole, resources.slice(0, 2))).mandatory, []);
    });

    it("passes a customer policy that merely shares the name", async () => {
        assert.deepStrictEqual((await outcome(noBroadManagedPolicyOnEcsRole, [...stack(), attachment("task", "arn:aws:iam::123456789012:policy/AdministratorAccess")])).mandatory, []);
    });

    it("takes forbiddenManagedPolicies from the config", async () => {
        const resources = [...stack(), attachment("task", managedArn("AmazonS3FullAccess"))];
        assert.deepStrictEqual((await outcome(noBroadManagedPolicyOnEcsRole, resources)).mandatory, []);
        const config = { "no-broad-managed-policy-on-ecs-role": { forbiddenManagedPolicies: ["AmazonS3FullAccess"] } };
        assert.strictEqual((await outcome(noBroadManagedPolicyOnEcsRole, resources, config)).mandatory.length, 1);
    });

    it("reports an unknown policy ARN on an ECS role as not fully checked", async () => {
        const result = await outcome(noBroadManagedPolicyOnEcsRole, [...stack(), attachment("task", UNKNOWN)]);
        assert.strictEqual(result.advisory.length, 1);
    });
});
