import * as assert from "assert";
import { AuditResource } from "../audit/engine";
import { executionRoleSecretAccess, noBroadManagedPolicyOnEcsRole, separateExecutionAndTaskRole } from "../policies/ecs-roles";
import * as types from "../policies/resource-types";
import {
    Statement, UNKNOWN, advisory, check, container, iamPolicy, mandatory, policyDocument, readSecretStatement, resource, role,
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

/** The seed's architecture: separate roles, the execution role reads exactly the two secrets. */
function stack(options: { grant?: Statement[]; secrets?: unknown[]; taskProps?: Record<string, unknown> } = {}): AuditResource[] {
    return [
        role("execution"),
        role("task"),
        attachment("execution", EXECUTION_MANAGED),
        rolePolicy("execution", policyDocument(...(options.grant ?? [readSecretStatement({ Resource: [JWT, RDS] })]))),
        taskDefinition([container({ secrets: options.secrets ?? SECRETS })], options.taskProps),
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
