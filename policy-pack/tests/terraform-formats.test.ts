/**
 * The audit's Terraform adapters on small documents of each form: a plan (`terraform show -json`
 * of a plan file), a state shown as JSON and a state file. The generated artefacts of the design's
 * real deployment are audited by the root's tests (tests/terraform-audit.test.ts).
 */
import * as assert from "assert";
import { runPolicies } from "../audit/engine";
import { readAuditDocument } from "../audit/reader";
import { jsonReport, tableReport } from "../audit/reports";
import { terraformPath } from "../audit/formats/terraform-terms";
import { TERRAFORM_TYPES, pulumiProperties, pulumiPropertyName } from "../audit/formats/terraform-types";
import { isUnknown } from "../lib/unknowns";
import * as types from "../policies/resource-types";
import { ECS_TRUST, advisory, mandatory, policyDocument, readSecretStatement, roleArn, secretArn } from "./helpers";

const PASSWORD = "FAKE-password-from-a-plan-0123456789";

interface Change {
    address: string;
    type: string;
    after: Record<string, unknown> | null;
    actions?: string[];
    unknown?: Record<string, unknown>;
    sensitive?: Record<string, unknown>;
    mode?: string;
}

/** `terraform show -json` of a plan holding `changes`, with an optional `configuration`. */
function plan(changes: Change[], configuration?: Record<string, unknown>): Record<string, unknown> {
    return {
        format_version: "1.2",
        terraform_version: "1.11.4",
        variables: { db_password: { value: PASSWORD } },
        resource_changes: changes.map((change) => ({
            address: change.address,
            mode: change.mode ?? "managed",
            type: change.type,
            name: change.address.split(".").pop(),
            change: {
                actions: change.actions ?? ["create"],
                before: null,
                after: change.after,
                after_unknown: change.unknown ?? {},
                after_sensitive: change.sensitive ?? {},
            },
        })),
        ...(configuration && { configuration }),
    };
}

const wildcardPolicy = JSON.stringify(policyDocument(readSecretStatement({ Action: "secretsmanager:*" })));
const compliantPolicy = JSON.stringify(policyDocument(readSecretStatement()));

describe("Terraform adapters", () => {
    describe("a plan", () => {
        it("reads each change's after with Pulumi's type and property names, named by address", async () => {
            const document = readAuditDocument(plan([
                { address: "module.iam.aws_iam_role_policy.secrets", type: "aws_iam_role_policy", after: { name: "p", role: "exec", policy: wildcardPolicy } },
            ]));
            assert.strictEqual(document.format, "terraform-plan");
            const [resource] = document.resources;
            assert.deepStrictEqual([resource.urn, resource.name, resource.type], ["module.iam.aws_iam_role_policy.secrets", "module.iam.aws_iam_role_policy.secrets", types.IAM_ROLE_POLICY]);
            const violations = await runPolicies(document.resources);
            assert.deepStrictEqual(mandatory(violations).map((v) => [v.policyName, v.urn]), [["no-secretsmanager-wildcard", "module.iam.aws_iam_role_policy.secrets"]]);
        });

        it("skips changes that only delete or forget, data sources and deposed objects; keeps replacements and no-ops", () => {
            const policy = (address: string, actions: string[], extra: Partial<Change> = {}): Change =>
                ({ address, type: "aws_iam_role_policy", after: actions.includes("create") || actions.includes("no-op") ? { policy: compliantPolicy } : null, actions, ...extra });
            const document = plan([
                policy("aws_iam_role_policy.deleted", ["delete"]),
                policy("aws_iam_role_policy.forgotten", ["forget"]),
                policy("aws_iam_role_policy.replaced", ["delete", "create"]),
                policy("aws_iam_role_policy.kept", ["no-op"]),
                policy("data.aws_iam_policy_document.read", ["read"], { mode: "data", type: "aws_iam_policy_document", after: {} }),
            ]);
            (document.resource_changes as Record<string, unknown>[]).push({ ...(document.resource_changes as Record<string, unknown>[])[2], deposed: "00000001", change: { actions: ["delete"], after: null } });
            assert.deepStrictEqual(readAuditDocument(document).resources.map((r) => r.urn), ["aws_iam_role_policy.replaced", "aws_iam_role_policy.kept"]);
        });

        it("checks what is known and reports what is unknown as not checked yet, never as a pass or a violation", async () => {
            const document = readAuditDocument(plan([
                { address: "aws_iam_role_policy.secrets", type: "aws_iam_role_policy", after: { name: "p" }, unknown: { policy: true, role: true } },
            ], { root_module: { resources: [{ address: "aws_iam_role_policy.secrets", mode: "managed", type: "aws_iam_role_policy", expressions: { policy: { references: ["data.aws_iam_policy_document.x.json"] }, role: {} } }] } }));
            assert.ok(isUnknown(document.resources[0].props.policy));
            const violations = await runPolicies(document.resources);
            assert.deepStrictEqual(mandatory(violations), []);
            const unknown = advisory(violations).filter((v) => v.urn === "aws_iam_role_policy.secrets");
            assert.deepStrictEqual(unknown.map((v) => v.policyName).sort(), ["no-secretsmanager-wildcard", "no-wildcard-resource"]);
            assert.ok(unknown.every((v) => /policy cannot be read yet/.test(v.message)), JSON.stringify(unknown));
        });

        it("leaves out what the provider computes and the configuration does not set, keeping a role's ARN and name", () => {
            const configuration = { root_module: { resources: [{ address: "aws_iam_role.exec", mode: "managed", type: "aws_iam_role", expressions: { name: { constant_value: "exec" }, assume_role_policy: {} } }] } };
            const [role] = readAuditDocument(plan([
                { address: "aws_iam_role.exec", type: "aws_iam_role", after: { name: "exec", assume_role_policy: ECS_TRUST }, unknown: { arn: true, inline_policy: true, unique_id: true } },
            ], configuration)).resources;
            assert.deepStrictEqual(Object.keys(role.props).sort(), ["arn", "assumeRolePolicy", "name"]);
            assert.ok(isUnknown(role.props.arn));
        });

        it("reads sensitive values like secrets: checked, and never in the output", async () => {
            const document = readAuditDocument(plan([
                { address: "module.rds.aws_db_instance.this", type: "aws_db_instance", after: { identifier: "db", password: PASSWORD }, sensitive: { password: true } },
            ]));
            const violations = await runPolicies(document.resources);
            assert.deepStrictEqual(mandatory(violations).map((v) => v.policyName), ["no-plaintext-db-password"]);
            for (const output of [tableReport(violations, document), jsonReport(violations, document)]) {
                assert.ok(!output.includes(PASSWORD), "a sensitive value was printed");
            }
        });

        it("connects a task definition to its roles through module variables and outputs while their ARNs are unknown", async () => {
            const role = (name: string): Change => ({ address: `module.iam.aws_iam_role.${name}`, type: "aws_iam_role", after: { name: "same", assume_role_policy: ECS_TRUST }, unknown: { arn: true } });
            const configuration = {
                root_module: {
                    module_calls: {
                        iam: { module: {
                            resources: [{ address: "aws_iam_role.shared", mode: "managed", type: "aws_iam_role", expressions: { name: { constant_value: "same" } } }],
                            outputs: { role_arn: { expression: { references: ["aws_iam_role.shared.arn", "aws_iam_role.shared"] } } },
                        } },
                        ecs: {
                            expressions: { execution_role_arn: { references: ["module.iam.role_arn", "module.iam"] }, task_role_arn: { references: ["module.iam.role_arn", "module.iam"] } },
                            module: { resources: [{ address: "aws_ecs_task_definition.backend", mode: "managed", type: "aws_ecs_task_definition", expressions: {
                                execution_role_arn: { references: ["var.execution_role_arn"] }, task_role_arn: { references: ["var.task_role_arn"] },
                            } }] },
                        },
                    },
                },
            };
            const document = readAuditDocument(plan([
                role("shared"),
                { address: "module.ecs.aws_ecs_task_definition.backend", type: "aws_ecs_task_definition", after: { family: "f", container_definitions: "[]" }, unknown: { execution_role_arn: true, task_role_arn: true, arn: true } },
            ], configuration));
            const task = document.resources[1];
            assert.deepStrictEqual(task.propertyDependencies, { executionRoleArn: ["module.iam.aws_iam_role.shared"], taskRoleArn: ["module.iam.aws_iam_role.shared"] });
            const violations = mandatory(await runPolicies(document.resources));
            assert.deepStrictEqual(violations.map((v) => [v.policyName, v.urn]), [["separate-execution-and-task-role", "module.ecs.aws_ecs_task_definition.backend"]]);
        });

        it("judges each inline policy once: a role's refreshed inline_policy repeats its aws_iam_role_policy", async () => {
            const document = readAuditDocument(plan([
                { address: "aws_iam_role.exec", type: "aws_iam_role", actions: ["no-op"], after: { name: "exec", arn: roleArn("exec"), assume_role_policy: ECS_TRUST, inline_policy: [{ name: "secrets", policy: wildcardPolicy }, { name: "other", policy: wildcardPolicy }] } },
                { address: "aws_iam_role_policy.secrets", type: "aws_iam_role_policy", actions: ["update"], after: { name: "secrets", role: "exec", policy: wildcardPolicy } },
            ]));
            const wildcard = mandatory(await runPolicies(document.resources)).filter((v) => v.policyName === "no-secretsmanager-wildcard");
            assert.deepStrictEqual(wildcard.map((v) => [v.urn, v.message.split(":")[0]]), [
                ["aws_iam_role.exec", "inlinePolicies[0].policy"],
                ["aws_iam_role_policy.secrets", "policy"],
            ]);
        });
    });

    describe("a state", () => {
        const shownState = {
            format_version: "1.0",
            terraform_version: "1.11.4",
            values: {
                root_module: {
                    resources: [
                        { address: "aws_secretsmanager_secret.jwt", mode: "managed", type: "aws_secretsmanager_secret", name: "jwt", values: { name: "/adma/prod/jwt-secret", recovery_window_in_days: 0 }, sensitive_values: {} },
                        { address: "data.aws_region.current", mode: "data", type: "aws_region", name: "current", values: { name: "eu-west-1" } },
                    ],
                    child_modules: [{
                        address: "module.rds",
                        resources: [{ address: "module.rds.aws_db_instance.this", mode: "managed", type: "aws_db_instance", name: "this", values: { identifier: "db", password: PASSWORD }, sensitive_values: { password: true } }],
                    }],
                },
            },
        };

        it("reads `terraform show -json` of a state: managed resources of every module", async () => {
            const document = readAuditDocument(shownState);
            assert.strictEqual(document.format, "terraform-state");
            assert.deepStrictEqual(document.resources.map((r) => [r.urn, r.type]), [
                ["aws_secretsmanager_secret.jwt", types.SECRET],
                ["module.rds.aws_db_instance.this", types.RDS_INSTANCE],
            ]);
            const violations = mandatory(await runPolicies(document.resources));
            assert.deepStrictEqual(violations.map((v) => v.policyName).sort(), ["no-plaintext-db-password", "secret-recovery-window"]);
            assert.ok(!tableReport(violations, document).includes(PASSWORD));
        });

        it("reads an empty state", () => {
            assert.deepStrictEqual(readAuditDocument({ format_version: "1.0" }).resources, []);
        });

        it("reads the state file (version 4): instance keys in the address, sensitive attributes as secrets", async () => {
            const stateFile = {
                version: 4,
                terraform_version: "1.11.4",
                serial: 3,
                lineage: "l",
                resources: [
                    { mode: "managed", type: "aws_subnet", name: "private", instances: [{ index_key: 0, attributes: { id: "subnet-1" } }, { index_key: 1, attributes: { id: "subnet-2" } }] },
                    { module: "module.rds", mode: "managed", type: "aws_db_instance", name: "this", instances: [{ attributes: { identifier: "db", password: PASSWORD }, sensitive_attributes: [[{ type: "get_attr", value: "password" }]] }] },
                    { mode: "data", type: "aws_region", name: "current", instances: [{ attributes: {} }] },
                    { mode: "managed", type: "aws_ssm_parameter", name: "p", instances: [{ index_key: "a", attributes: { name: "/p", value: "v" } }] },
                ],
            };
            const document = readAuditDocument(stateFile);
            assert.strictEqual(document.format, "terraform-state");
            assert.deepStrictEqual(document.resources.map((r) => r.urn), ["aws_subnet.private[0]", "aws_subnet.private[1]", "module.rds.aws_db_instance.this", "aws_ssm_parameter.p[\"a\"]"]);
            assert.notStrictEqual(document.resources[2].props.password, PASSWORD, "the password is wrapped as a secret");
            assert.deepStrictEqual(mandatory(await runPolicies(document.resources)).map((v) => v.policyName), ["no-plaintext-db-password"]);
        });

        it("is not taken for a Pulumi export (both have a version) and names an unsupported state version", () => {
            assert.throws(() => readAuditDocument({ version: 3, terraform_version: "0.11.0", resources: [] }), /unsupported Terraform state file version 3: expected 4/);
        });
    });

    describe("the mapping onto Pulumi's names", () => {
        const encoding = { unknown: "?", sensitive: (value: unknown) => ({ secret: value }) };

        it("flattens blocks of one element, renames plural blocks, keeps map keys, drops id and timeouts", () => {
            const props = pulumiProperties("aws_lambda_function", {
                id: "f", function_name: "f", timeouts: null,
                environment: [{ variables: { JWT_SECRET: "x", db_host: "h" } }],
                vpc_config: [{ subnet_ids: ["s"], security_group_ids: ["g"] }],
                tags: { Cost_Center: "a" },
            }, {}, encoding);
            assert.deepStrictEqual(props, {
                name: "f",
                environment: { variables: { JWT_SECRET: "x", db_host: "h" } },
                vpcConfig: { subnetIds: ["s"], securityGroupIds: ["g"] },
                tags: { Cost_Center: "a" },
            });
        });

        it("encodes unknown and sensitive parts where the marks say, inside lists and blocks too", () => {
            const props = pulumiProperties("aws_db_instance", { identifier: "db", master_user_secret: [{ kms_key_id: "k" }], password: "p" },
                { unknown: { master_user_secret: [{ secret_arn: true }] }, sensitive: { password: true } }, encoding);
            assert.deepStrictEqual(props, { identifier: "db", masterUserSecrets: [{ kmsKeyId: "k", secretArn: "?" }], password: { secret: "p" } });
        });

        it("keeps a type it does not know as Terraform names it", async () => {
            const document = readAuditDocument(plan([{ address: "aws_sns_topic.t", type: "aws_sns_topic", after: { name: "t", kms_master_key_id: "k" } }]));
            assert.deepStrictEqual([document.resources[0].type, document.resources[0].props], ["aws_sns_topic", { name: "t", kms_master_key_id: "k" }]);
            assert.deepStrictEqual(await runPolicies(document.resources), []);
        });

        it("catches a plain JWT_SECRET in a Lambda function's environment block", async () => {
            const document = readAuditDocument(plan([{ address: "aws_lambda_function.f", type: "aws_lambda_function", after: { function_name: "f", environment: [{ variables: { JWT_SECRET: "x" } }] } }]));
            assert.deepStrictEqual(mandatory(await runPolicies(document.resources)).map((v) => v.policyName), ["no-jwt-secret-in-environment"]);
        });
    });

    describe("names what it cannot read, never a value", () => {
        const unusable: [string, Record<string, unknown>, RegExp][] = [
            ["changes that are not a list", { format_version: "1.2", resource_changes: {} }, /resource_changes must be a list/],
            ["a change without a type", { format_version: "1.2", resource_changes: [{ address: "a.b", change: {} }] }, /resource_changes\[0\] has no address, type or change/],
            ["actions that are not a list", { format_version: "1.2", resource_changes: [{ address: "a.b", type: "a", change: { actions: "create" } }] }, /resource_changes\[0\]\.change\.actions must be a list/],
            ["a state without a root module", { format_version: "1.0", values: {} }, /values\.root_module must be an object/],
            ["a state resource without values", { format_version: "1.0", values: { root_module: { resources: [{ address: "a.b", type: "a" }] } } }, /values\.root_module\.resources\[0\] has no address, type or values/],
            ["a state file resource without instances", { version: 4, terraform_version: "1.11.4", resources: [{ type: "a", name: "b" }] }, /resources\[0\] has no type, name or instances/],
        ];
        for (const [what, document, message] of unusable) {
            it(`rejects ${what}`, () => {
                assert.throws(() => readAuditDocument(document), message);
            });
        }
    });

    describe("kms:Decrypt on the customer managed key of a referenced secret", () => {
        const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const JWT = secretArn("app/jwt");
        const read = { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: JWT };
        const managed = (address: string, type: string, values: Record<string, unknown>) => ({ address, mode: "managed", type, values });
        const state = (...extra: Record<string, unknown>[]) => ({
            format_version: "1.0",
            values: { root_module: { resources: [
                managed("aws_kms_key.secrets", "aws_kms_key", { arn: KEY, key_id: "1234abcd-12ab-34cd-56ef-1234567890ab", enable_key_rotation: true,
                    policy: JSON.stringify(policyDocument({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" })) }),
                managed("aws_secretsmanager_secret.jwt", "aws_secretsmanager_secret", { name: "app/jwt", arn: JWT, kms_key_id: KEY, recovery_window_in_days: 7 }),
                managed("aws_iam_role.exec", "aws_iam_role", { name: "exec", arn: roleArn("exec"), assume_role_policy: ECS_TRUST, inline_policy: [], managed_policy_arns: [] }),
                managed("aws_ecs_task_definition.t", "aws_ecs_task_definition", {
                    arn: "arn:aws:ecs:eu-west-1:123456789012:task-definition/t:1", execution_role_arn: roleArn("exec"),
                    container_definitions: JSON.stringify([{ name: "c", image: "x", secrets: [{ name: "JWT_SECRET", valueFrom: JWT }] }]),
                }),
                ...extra,
            ] } },
        });
        const grant = (...statements: Record<string, unknown>[]) =>
            managed("aws_iam_role_policy.secrets", "aws_iam_role_policy", { name: "s", role: "exec", policy: JSON.stringify(policyDocument(read, ...statements)) });
        const accessViolations = async (document: Record<string, unknown>) => {
            const { resources, terms } = readAuditDocument(document);
            return (await runPolicies(resources, undefined, terms)).filter((v) => v.policyName === "execution-role-secret-access");
        };

        it("reads kms_key_id, the key and its policy through the mapping: a missing grant names the key, the secret and the role", async () => {
            const [violation, ...rest] = await accessViolations(state(grant()));
            assert.deepStrictEqual([rest, violation.enforcementLevel, violation.urn], [[], "mandatory", "aws_ecs_task_definition.t"]);
            assert.match(violation.message, /the secret "app\/jwt" \(Terraform resource aws_secretsmanager_secret\.jwt\) is encrypted with customer managed KMS key arn:aws:kms:eu-west-1:123456789012:key\/1234abcd-12ab-34cd-56ef-1234567890ab \(Terraform resource aws_kms_key\.secrets\), and execution role "exec" \(Terraform resource aws_iam_role\.exec\) may not use it/);
            const viaSecretsManager = { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } };
            assert.deepStrictEqual(await accessViolations(state(grant({ Effect: "Allow", Action: "kms:Decrypt", Resource: KEY, Condition: viaSecretsManager }))), []);
        });

        it("takes an aws_kms_key_policy or an aws_kms_grant for the key's own grant", async () => {
            const keyPolicy = managed("aws_kms_key_policy.secrets", "aws_kms_key_policy", { key_id: "1234abcd-12ab-34cd-56ef-1234567890ab", policy: JSON.stringify(policyDocument(
                { Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" },
                { Effect: "Allow", Principal: { AWS: roleArn("exec") }, Action: "kms:Decrypt", Resource: "*" })) });
            assert.deepStrictEqual(await accessViolations(state(grant(), keyPolicy)), []);
            const kmsGrant = managed("aws_kms_grant.exec", "aws_kms_grant", { key_id: KEY, grantee_principal: roleArn("exec"), operations: ["Decrypt"],
                constraints: [{ encryption_context_equals: { SecretARN: JWT }, encryption_context_subset: null }] });
            const [resource] = readAuditDocument(state(kmsGrant)).resources.filter((r) => r.type === types.KMS_GRANT);
            assert.deepStrictEqual(resource.props.constraints, [{ encryptionContextEquals: { SecretARN: JWT }, encryptionContextSubset: null }], "a map's keys are kept");
            assert.deepStrictEqual(await accessViolations(state(grant(), kmsGrant)), []);
        });

        it("connects kms_key_id to its key by the plan's configuration while the key's ARN is unknown: advisory, not a violation", async () => {
            const configuration = { root_module: { resources: [{ address: "aws_secretsmanager_secret.jwt", mode: "managed", type: "aws_secretsmanager_secret",
                expressions: { name: { constant_value: "app/jwt" }, kms_key_id: { references: ["aws_kms_key.secrets.arn", "aws_kms_key.secrets"] } } }] } };
            const [key, secret, role, task, policy] = state(grant()).values.root_module.resources as { address: string; type: string; values: Record<string, unknown> }[];
            const planned = plan([
                { address: key.address, type: key.type, after: { enable_key_rotation: true }, unknown: { arn: true, key_id: true } },
                { address: secret.address, type: secret.type, actions: ["update"], after: { ...secret.values, kms_key_id: undefined }, unknown: { kms_key_id: true } },
                ...[role, task, policy].map((r) => ({ address: r.address, type: r.type, actions: ["no-op"], after: r.values })),
            ], configuration);
            assert.deepStrictEqual(readAuditDocument(planned).resources.find((r) => r.urn === secret.address)!.propertyDependencies, { kmsKeyId: [key.address] });
            const violations = await accessViolations(planned);
            assert.deepStrictEqual(violations.map((v) => v.enforcementLevel), ["advisory"]);
            assert.match(violations[0].message, /aws_kms_key\.secrets arn cannot be read yet/);
        });
    });

    it("checks a secret's recovery window and an execution role's grant on a state like any stack", async () => {
        const state = {
            format_version: "1.0",
            values: { root_module: { resources: [
                { address: "aws_iam_role.exec", mode: "managed", type: "aws_iam_role", values: { name: "exec", arn: roleArn("exec"), assume_role_policy: ECS_TRUST, inline_policy: [], managed_policy_arns: [] } },
                { address: "aws_iam_role_policy.secrets", mode: "managed", type: "aws_iam_role_policy", values: { name: "s", role: "exec", policy: compliantPolicy } },
                { address: "aws_ecs_task_definition.t", mode: "managed", type: "aws_ecs_task_definition", values: {
                    arn: "arn:aws:ecs:eu-west-1:123456789012:task-definition/t:1", execution_role_arn: roleArn("exec"),
                    container_definitions: JSON.stringify([{ name: "c", secrets: [{ name: "OTHER", valueFrom: secretArn("other") }] }]),
                } },
            ] } },
        };
        const violations = mandatory(await runPolicies(readAuditDocument(state).resources));
        assert.ok(violations.some((v) => v.policyName === "execution-role-secret-access" && v.urn === "aws_ecs_task_definition.t"), JSON.stringify(violations));
    });

    describe("messages in Terraform's terms: the mapping table read backwards", () => {
        const audit = async (document: Record<string, unknown>) => {
            const read = readAuditDocument(document);
            return { document: read, violations: await runPolicies(read.resources, undefined, read.terms) };
        };
        /** Pulumi's words a message about Terraform input must not use. */
        const PULUMI_WORDS = /Pulumi|pulumi up|during preview|manageMasterUserPassword|enableKeyRotation|rotationPeriodInDays|recoveryWindowInDays|inlinePolicies|containerDefinitions|executionRoleArn|--policy-pack-config/;

        it("names attributes, settings, the state and the policy configuration as Terraform users know them", async () => {
            const { violations } = await audit(plan([
                { address: "aws_db_instance.db", type: "aws_db_instance", after: { engine: "postgres", password: PASSWORD }, sensitive: { password: true } },
                { address: "aws_kms_key.k", type: "aws_kms_key", after: { enable_key_rotation: false } },
                { address: "aws_secretsmanager_secret.s", type: "aws_secretsmanager_secret", after: { name: "s", recovery_window_in_days: 0 } },
                { address: "aws_iam_role.r", type: "aws_iam_role", after: { name: "r", assume_role_policy: ECS_TRUST, inline_policy: [{ name: "i", policy: wildcardPolicy }] } },
                { address: "aws_lambda_function.f", type: "aws_lambda_function", after: { function_name: "f", environment: [{ variables: { JWT_SECRET: "x" } }] } },
            ]));
            const messages = new Map(mandatory(violations).map((v) => [v.urn, v.message]));
            assert.strictEqual(messages.get("aws_db_instance.db"), "password is set: a configuration-supplied master password is kept in the Terraform state; " +
                "remove it and set manage_master_user_password = true so RDS generates the password, keeps it in Secrets Manager and can rotate it");
            assert.strictEqual(messages.get("aws_kms_key.k"), "enable_key_rotation is not true: this symmetric customer managed key never rotates its key material; " +
                "set enable_key_rotation = true (and rotation_period_in_days if a year is too long)");
            assert.match(messages.get("aws_secretsmanager_secret.s")!, /^recovery_window_in_days is 0: .* allow it in the audit's policy configuration for that deployment \(`npm run policy:audit -- --config <file>`\)/);
            assert.match(messages.get("aws_iam_role.r")!, /^inline_policy\[0\]\.policy: Statement\[0\] .* allows every Secrets Manager action/);
            assert.match(messages.get("aws_lambda_function.f")!, /^environment\[0\]\.variables\.JWT_SECRET sets "JWT_SECRET" as a plain environment variable/);
            for (const message of messages.values()) {
                assert.doesNotMatch(message, PULUMI_WORDS);
            }
        });

        it("says what a plan cannot know yet, and how to check it, in a plan's terms", async () => {
            const { violations } = await audit(plan([
                { address: "aws_ecs_task_definition.t", type: "aws_ecs_task_definition", after: { family: "t" }, unknown: { container_definitions: true } },
            ]));
            const [jwt] = advisory(violations).filter((v) => v.policyName === "no-jwt-secret-in-environment");
            assert.strictEqual(jwt.message, "policy 'no-jwt-secret-in-environment' could not check everything in this plan: only the known values were checked: " +
                "container_definitions cannot be read yet (unknown until apply: a plan of a new deployment cannot know them); " +
                "to check them, audit a plan of a change to the live deployment, or the state after `terraform apply`");
            assert.ok(advisory(violations).every((v) => !PULUMI_WORDS.test(v.message)), JSON.stringify(violations));
        });

        it("names resources by address in the stack checks, and paths inside a JSON document by the document's own names", async () => {
            const { violations } = await audit(plan([
                { address: "aws_iam_role.exec", type: "aws_iam_role", after: { name: "exec", arn: roleArn("exec"), assume_role_policy: ECS_TRUST } },
                { address: "aws_ecs_task_definition.t", type: "aws_ecs_task_definition", after: {
                    family: "t", execution_role_arn: roleArn("exec"),
                    container_definitions: JSON.stringify([{ name: "c", image: "x", secrets: [{ name: "JWT_SECRET", valueFrom: secretArn("jwt") }] }]),
                } },
            ]));
            const [missing] = mandatory(violations).filter((v) => v.policyName === "execution-role-secret-access");
            assert.match(missing.message, /^container_definitions\[0\]\.secrets\[0\] \("JWT_SECRET"\) references .*, but execution role "exec" \(Terraform resource aws_iam_role\.exec\) is not allowed/);
        });

        it("turns every attribute the table renames, and the paths the policies name, back into the Terraform attribute", () => {
            for (const [terraformType, mapping] of Object.entries(TERRAFORM_TYPES)) {
                for (const attribute of Object.keys(mapping.renamed ?? {})) {
                    assert.strictEqual(terraformPath(mapping.pulumiType, pulumiPropertyName(terraformType, attribute)!), attribute, `${terraformType}.${attribute}`);
                }
            }
            assert.strictEqual(terraformPath(types.RDS_INSTANCE, "masterUserSecrets[0].kmsKeyId"), "master_user_secret[0].kms_key_id");
            assert.strictEqual(terraformPath(types.ECS_TASK_DEFINITION, "containerDefinitions[1].logConfiguration.secretOptions[0]"), "container_definitions[1].logConfiguration.secretOptions[0]");
            assert.strictEqual(terraformPath(types.IAM_ROLE, "inlinePolicies[2].policy Statement[0].Effect"), "inline_policy[2].policy Statement[0].Effect");
            assert.strictEqual(terraformPath(types.SECRET, "tags.CostCentre"), "tags.CostCentre");
            assert.strictEqual(terraformPath("aws_unknown_type", "someAttribute"), "someAttribute");
        });

        it("gives each finding's resource in the JSON output under `resource` and `address`, never `urn`", async () => {
            const { document, violations } = await audit(plan([
                { address: "aws_db_instance.db", type: "aws_db_instance", after: { engine: "postgres", password: PASSWORD }, sensitive: { password: true } },
            ]));
            const [finding] = JSON.parse(jsonReport(violations, document)) as Record<string, unknown>[];
            assert.deepStrictEqual(Object.keys(finding), ["policyName", "resource", "address", "message", "enforcementLevel"]);
            assert.deepStrictEqual([finding.resource, finding.address], ["aws_db_instance.db", "aws_db_instance.db"]);
        });
    });
});
