/**
 * `secret-references`: every reference ECS resolves at task launch exists as written (the design
 * document's "unable to pull secrets" with a wrong secret ARN, and "password authentication
 * failed" with a wrong JSON key). Pure: judges the snapshot.
 *
 * ECS resolves a Secrets Manager reference `<arn>:<json-key>:<version-stage>:<version-id>` by
 * reading the version with that stage (default AWSCURRENT) or id, then the JSON key of its value
 * (Amazon ECS Developer Guide, "Pass Secrets Manager secrets through Amazon ECS environment
 * variables"). A secret scheduled for deletion cannot be read (Secrets Manager API Reference,
 * DeleteSecret: "you can't use the secret during the recovery window"). The keys of a value are
 * only knowable by reading it, which the doctor never does; an RDS-managed secret's keys are known.
 */
import { SecretsManagerReference } from "../../policy-pack/lib/value-from";
import { RDS_MANAGED_SECRET_KEYS, isRdsManagedSecretArn } from "../../policy-pack/lib/rds-managed-secret";
import { CheckResult, Finding, resultOf } from "../check-result";
import { forceNewDeployment, pulumiUp } from "../fixes";
import { DeploymentSnapshot, Read, SecretState } from "../snapshot";
import { DoctorTarget } from "../target";
import { TaskReference, describeReference, taskReferences } from "../task-references";

const DEFAULT_STAGE = "AWSCURRENT";

export function checkSecretReferences(snapshot: DeploymentSnapshot, target: DoctorTarget): CheckResult {
    const { family, revision } = snapshot.taskDefinition;
    const resource = `${family ?? target.names.backendService.taskFamily}:${revision ?? "?"}`;
    const references = taskReferences(snapshot.taskDefinition);
    if (references.length === 0) {
        return resultOf("secret-references", resource, [{ status: "skip", message: "the task definition references no secret or parameter" }]);
    }
    const findings = references.map((reference) => judge(reference, snapshot, target));
    const failing = findings.filter((finding) => finding.status !== "pass");
    if (failing.length === 0) {
        const names = references.map(describeReference).join(", ");
        return resultOf("secret-references", resource, [{ status: "pass", message: `${references.length} references resolve (${names})` }]);
    }
    return resultOf("secret-references", resource, failing);
}

function judge(reference: TaskReference, snapshot: DeploymentSnapshot, target: DoctorTarget): Finding {
    const what = describeReference(reference);
    if (reference.reference === undefined) {
        return { status: "fail", message: `${what}: ${reference.problem}`, fix: `correct the reference in the program and run ${pulumiUp(target)}` };
    }
    if (reference.reference.kind === "ssm") {
        const arn = reference.reference.parameterArn;
        return fromRead(snapshot.parameters.get(arn), what, `parameter ${arn}`, target, () => ({ status: "pass", message: `${what}: parameter exists` }));
    }
    const secretReference = reference.reference;
    return fromRead(snapshot.secrets.get(secretReference.secretArn), what, `secret ${secretReference.secretArn}`, target,
        (secret) => judgeSecret(what, secretReference, secret, target));
}

function fromRead<T>(read: Read<T> | undefined, what: string, name: string, target: DoctorTarget, judgeFound: (value: T) => Finding): Finding {
    if (read === undefined || read.status === "error") {
        return { status: "warn", message: `${what}: could not read ${name}: ${read?.error ?? "not read"}` };
    }
    if (read.status === "not-found") {
        return {
            status: "fail",
            message: `${what}: ${name} does not exist (deleted, or the reference is wrong)`,
            fix: `${pulumiUp(target)} (recreates it or points the task definition at the one that exists)`,
        };
    }
    return judgeFound(read.value);
}

function judgeSecret(what: string, reference: SecretsManagerReference, secret: SecretState, target: DoctorTarget): Finding {
    const { description } = secret;
    const name = description.Name ?? reference.secretArn;
    if (description.DeletedDate !== undefined) {
        return {
            status: "fail",
            message: `${what}: secret ${name} is scheduled for deletion on ${description.DeletedDate.toISOString()} and cannot be read`,
            fix: `aws secretsmanager restore-secret --region ${target.region} --secret-id ${description.ARN ?? reference.secretArn}, then ${forceNewDeployment(target)}`,
        };
    }
    const stages = description.VersionIdsToStages ?? {};
    if (reference.versionId !== undefined) {
        if (!(reference.versionId in stages)) {
            return {
                status: "fail",
                message: `${what}: secret ${name} has no version ${reference.versionId}`,
                fix: `reference an existing version (or a stage) and run ${pulumiUp(target)}`,
            };
        }
    } else {
        const stage = reference.versionStage ?? DEFAULT_STAGE;
        if (!Object.values(stages).some((labels) => labels.includes(stage))) {
            return {
                status: "fail",
                message: `${what}: no version of secret ${name} has the stage ${stage}`,
                fix: stage === "AWSPREVIOUS"
                    ? "rotate the secret once so the current version becomes AWSPREVIOUS (see jwt-previous)"
                    : `reference a stage the secret has and run ${pulumiUp(target)}`,
            };
        }
    }
    if (reference.jsonKey !== undefined && isRdsManagedSecret(reference.secretArn, secret)) {
        if (!RDS_MANAGED_SECRET_KEYS.includes(reference.jsonKey)) {
            const keys = RDS_MANAGED_SECRET_KEYS.map((key) => `"${key}"`).join(" and ");
            return {
                status: "fail",
                message: `${what}: selects JSON key "${reference.jsonKey}" of the RDS-managed secret ${name}, which holds only ${keys}`,
                fix: `select ":password::" (the program's DB_PASSWORD reference) and run ${pulumiUp(target)}`,
            };
        }
    }
    return { status: "pass", message: `${what}: resolves` };
}

function isRdsManagedSecret(secretArn: string, secret: SecretState): boolean {
    return secret.description.OwningService === "rds" || isRdsManagedSecretArn(secretArn);
}
