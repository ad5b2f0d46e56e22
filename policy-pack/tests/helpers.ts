/**
 * Test resources for the policy pack, built from small helpers: a compliant baseline per
 * resource kind, and mutations of it per case.
 */
import type { Policy } from "@pulumi/policy";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { Readable } from "stream";
import { runAuditCli } from "../audit/cli";
import { AuditResource, PolicyConfig, Violation, runPolicySet } from "../audit/engine";
import { SECRET_SIGNATURE, SIGNATURE_KEY, UNKNOWN_VALUE } from "../lib/pulumi-markers";
import * as types from "../policies/resource-types";

export const UNKNOWN = UNKNOWN_VALUE;
export const ACCOUNT = "123456789012";
export const REGION = "eu-west-1";

export function encrypted(): Record<string, string> {
    return { [SIGNATURE_KEY]: SECRET_SIGNATURE, ciphertext: "AAABAGVuY3J5cHRlZA==" };
}

export function plaintextSecret(value: unknown): Record<string, string> {
    return { [SIGNATURE_KEY]: SECRET_SIGNATURE, plaintext: JSON.stringify(value) };
}

export function secretArn(name: string): string {
    return `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`;
}

export function roleArn(name: string): string {
    return `arn:aws:iam::${ACCOUNT}:role/${name}`;
}

let counter = 0;

/** A resource of `type` named `name` (unique by default). */
export function resource(type: string, props: Record<string, unknown>, name = `r${++counter}`,
    extra: Partial<AuditResource> = {}): AuditResource {
    return { urn: `urn:pulumi:test::adma::${type}::${name}`, type, name, props, ...extra };
}

export type Statement = Record<string, unknown>;

/** The least-privilege read of one secret: the compliant baseline statement. */
export function readSecretStatement(overrides: Statement = {}): Statement {
    return {
        Sid: "ReadOnlyRequiredSecrets",
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
        Resource: [secretArn("adma/prod/jwt-secret")],
        ...overrides,
    };
}

/** Removes keys whose value is undefined, so overrides can delete elements. */
function compact(statement: Statement): Statement {
    return Object.fromEntries(Object.entries(statement).filter(([, value]) => value !== undefined));
}

export function policyDocument(...statements: Statement[]): Record<string, unknown> {
    return { Version: "2012-10-17", Statement: statements.map(compact) };
}

export function iamPolicy(document: unknown, name?: string, extra: Partial<AuditResource> = {}): AuditResource {
    return resource(types.IAM_POLICY, { policy: typeof document === "string" ? document : JSON.stringify(document) }, name, extra);
}

export const ECS_TRUST = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

export function role(name: string, props: Record<string, unknown> = {}): AuditResource {
    return resource(types.IAM_ROLE, { assumeRolePolicy: ECS_TRUST, name, arn: roleArn(name), ...props }, name);
}

export function rolePolicy(roleName: string, document: unknown, extra: Partial<AuditResource> = {}): AuditResource {
    return resource(types.IAM_ROLE_POLICY, { role: roleName, policy: JSON.stringify(document) }, undefined, extra);
}

export interface ContainerSpec {
    name?: string;
    environment?: unknown;
    secrets?: unknown;
}

export function container(spec: ContainerSpec = {}): Record<string, unknown> {
    return {
        name: spec.name ?? "backend",
        image: "example.com/backend:1",
        essential: true,
        environment: spec.environment ?? [{ name: "DB_HOST", value: "db.internal" }],
        secrets: spec.secrets ?? [{ name: "JWT_SECRET", valueFrom: secretArn("adma/prod/jwt-secret") }],
    };
}

export function taskDefinition(containers: unknown, props: Record<string, unknown> = {}, name?: string,
    extra: Partial<AuditResource> = {}): AuditResource {
    return resource(types.ECS_TASK_DEFINITION, {
        family: "adma-backend",
        containerDefinitions: typeof containers === "string" ? containers : JSON.stringify(containers),
        executionRoleArn: roleArn("execution"),
        taskRoleArn: roleArn("task"),
        ...props,
    }, name, extra);
}

/** Runs the given policies (all by default: the caller passes the pack's list) over resources. */
export async function violationsOf(policies: Policy[], resources: AuditResource[], config?: PolicyConfig): Promise<Violation[]> {
    return runPolicySet(policies, resources, config);
}

/** Runs one policy over resources and returns its violations' levels and messages. */
export async function check(policy: Policy, resources: AuditResource | AuditResource[], config?: PolicyConfig): Promise<Violation[]> {
    return runPolicySet([policy], Array.isArray(resources) ? resources : [resources], config);
}

export function mandatory(violations: Violation[]): Violation[] {
    return violations.filter((v) => v.enforcementLevel === "mandatory");
}

export function advisory(violations: Violation[]): Violation[] {
    return violations.filter((v) => v.enforcementLevel === "advisory");
}

// ---------------------------------------------------------------------------------------------
// Stack exports (what `pulumi stack export` writes), for the audit's tests

export const STACK_URN_PREFIX = "urn:pulumi:prod::adma";
export const STACK_RESOURCE_URN = `${STACK_URN_PREFIX}::pulumi:pulumi:Stack::adma-prod`;
export const stateUrn = (type: string, name: string) => `${STACK_URN_PREFIX}::${type}::${name}`;

/** One resource's state, before it is written into an export. */
export interface StateSpec { type: string; name: string; inputs: Record<string, unknown>; outputs?: Record<string, unknown>; propertyDependencies?: Record<string, string[]> }

/** A version 3 stack export of the states, each a child of the stack resource. */
export function stackExport(states: StateSpec[]): { version: 3; deployment: { manifest: Record<string, string>; resources: Record<string, unknown>[] } } {
    return {
        version: 3,
        deployment: {
            manifest: { time: "2026-11-28T00:00:00Z", version: "v3.200.0" },
            resources: [
                { urn: STACK_RESOURCE_URN, custom: false, type: "pulumi:pulumi:Stack" },
                ...states.map((s) => ({
                    urn: stateUrn(s.type, s.name), custom: true, id: s.name, type: s.type, inputs: s.inputs, outputs: { ...s.inputs, ...s.outputs },
                    parent: STACK_RESOURCE_URN, ...(s.propertyDependencies && { propertyDependencies: s.propertyDependencies }),
                })),
            ],
        },
    };
}

const JWT_SECRET_ARN = secretArn("adma/prod/jwt-secret");
const RDS_SECRET_ARN = secretArn("rds!db-0123456789abcdef");
/** The ARN RDS shows for the AWS managed key `aws/secretsmanager`, which encrypts a master user secret by default. */
export const AWS_MANAGED_SECRETS_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`;

/** The design document's architecture as Pulumi state entries: compliant with every policy of the pack. */
export function compliantStates(): StateSpec[] {
    return [
        { type: types.IAM_ROLE, name: "execution", inputs: { assumeRolePolicy: ECS_TRUST }, outputs: { arn: roleArn("execution"), name: "execution" } },
        { type: types.IAM_ROLE, name: "task", inputs: { assumeRolePolicy: ECS_TRUST }, outputs: { arn: roleArn("task"), name: "task" } },
        {
            type: types.IAM_ROLE_POLICY, name: "execution-secrets",
            inputs: { role: "execution", policy: JSON.stringify(policyDocument(readSecretStatement({ Resource: [JWT_SECRET_ARN, RDS_SECRET_ARN] }))) },
        },
        { type: types.SECRET, name: "jwt", inputs: { name: "/adma/prod/jwt-secret", recoveryWindowInDays: 7 }, outputs: { arn: JWT_SECRET_ARN } },
        {
            type: types.RDS_INSTANCE, name: "db", inputs: { engine: "postgres", username: "appuser", manageMasterUserPassword: true },
            outputs: { masterUserSecrets: [{ secretArn: RDS_SECRET_ARN, kmsKeyId: AWS_MANAGED_SECRETS_KEY_ARN, secretStatus: "active" }] },
        },
        { type: types.KMS_KEY, name: "secrets", inputs: { enableKeyRotation: true } },
        {
            type: types.ECS_TASK_DEFINITION, name: "backend",
            inputs: {
                executionRoleArn: roleArn("execution"), taskRoleArn: roleArn("task"),
                containerDefinitions: JSON.stringify([container({ secrets: [
                    { name: "JWT_SECRET", valueFrom: JWT_SECRET_ARN }, { name: "DB_PASSWORD", valueFrom: `${RDS_SECRET_ARN}:password::` },
                ] })]),
            },
        },
    ];
}

/** Resources that break most of the pack's policies, resource and stack ones (nine policies in all). */
export function violatingStates(): StateSpec[] {
    return [
        {
            type: types.IAM_ROLE, name: "shared",
            inputs: { assumeRolePolicy: ECS_TRUST, managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] },
            outputs: { arn: roleArn("shared"), name: "shared" },
        },
        {
            type: types.IAM_ROLE_POLICY, name: "wide",
            inputs: { role: "shared", policy: JSON.stringify(policyDocument(readSecretStatement({ Action: "secretsmanager:*", Resource: "*" }))) },
        },
        { type: types.IAM_POLICY, name: "unparsable", inputs: { policy: "{not json" }, outputs: { arn: `arn:aws:iam::${ACCOUNT}:policy/unparsable` } },
        { type: types.SECRET, name: "jwt", inputs: { name: "/adma/prod/jwt-secret", recoveryWindowInDays: 0 }, outputs: { arn: JWT_SECRET_ARN } },
        { type: types.RDS_INSTANCE, name: "db", inputs: { engine: "postgres", username: "app", password: encrypted() } },
        { type: types.KMS_KEY, name: "key", inputs: { enableKeyRotation: false, description: "a path ending in a backslash: C:\\" } },
        {
            type: types.ECS_TASK_DEFINITION, name: "backend",
            inputs: {
                executionRoleArn: roleArn("shared"), taskRoleArn: roleArn("shared"),
                containerDefinitions: JSON.stringify([container({
                    secrets: [{ name: "JWT_SECRET", valueFrom: JWT_SECRET_ARN }, { name: "OTHER", valueFrom: secretArn("other") }],
                    environment: [{ name: "JWT_SECRET", value: "inline" }],
                })]),
            },
        },
    ];
}

/** A copy of `states` with the one named `name` changed by `change`. */
export function withState(states: StateSpec[], name: string, change: (s: StateSpec) => void): StateSpec[] {
    const copy = states.map((s) => ({ ...s, inputs: { ...s.inputs } }));
    change(copy.find((s) => s.name === name)!);
    return copy;
}

/** `pulumi preview --json` output creating the states, and deleting one resource more. */
export function previewJson(states: StateSpec[]): { config: object; steps: Record<string, unknown>[]; changeSummary: object } {
    const gone = stateUrn(types.IAM_POLICY, "gone");
    return {
        config: {},
        steps: [
            ...states.map((s) => ({ op: "create", urn: stateUrn(s.type, s.name), newState: { urn: stateUrn(s.type, s.name), type: s.type, inputs: s.inputs, outputs: s.outputs ?? {} } })),
            { op: "delete", urn: gone, oldState: { urn: gone, type: types.IAM_POLICY, inputs: { policy: "x" } } },
        ],
        changeSummary: { create: states.length, delete: 1 },
    };
}

// ---------------------------------------------------------------------------------------------
// The audit command, in-process

/** A fresh folder for a test's files: `file(name, content)` writes one (content as JSON unless a string) and returns its path. */
export function scratchFolder(prefix: string): { dir: string; file(name: string, content: unknown): string } {
    const dir = mkdtempSync(path.join(tmpdir(), prefix));
    return {
        dir,
        file: (name, content) => {
            const target = path.join(dir, name);
            writeFileSync(target, typeof content === "string" ? content : JSON.stringify(content));
            return target;
        },
    };
}

/** `npm run policy:audit` in-process, with `input` on its stdin (and run from `cwd`, when given): its exit status and output. */
export async function runAudit(args: string[], input = "", cwd?: string): Promise<{ status: number; stdout: string; stderr: string }> {
    const output = { stdout: "", stderr: "" };
    const status = await runAuditCli(args, {
        stdin: Readable.from([input]),
        stdout: { write: (text: string) => (output.stdout += text) },
        stderr: { write: (text: string) => (output.stderr += text) },
        ...(cwd !== undefined && { cwd }),
    });
    return { status, ...output };
}
