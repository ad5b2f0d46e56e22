/**
 * `stale-tasks`: no running task of the service started before the current version of a secret or
 * parameter it injects was created. ECS resolves `valueFrom` only when it starts a task (Amazon ECS
 * Developer Guide, "Pass sensitive data to an Amazon ECS container": "If a secret is updated, the
 * task doesn't receive the new value until it's restarted"), so such a task runs with the previous
 * value: the design document's "RDS password rotated but ECS task not restarted" and invalid JWTs
 * after a rotation. Pure: judges the snapshot.
 *
 * A reference pinned to a version id never goes stale. The references judged are those of the
 * service's current task definition; a stage moved back to an older version is not detected.
 */
import type { Task } from "@aws-sdk/client-ecs";
import { CheckResult, Finding, resultOf } from "../check-result";
import { forceNewDeployment } from "../fixes";
import { DeploymentSnapshot } from "../snapshot";
import { DoctorTarget } from "../target";
import { describeReference, taskReferences } from "../task-references";

/** When the value a reference resolves to today came into being. */
interface CurrentVersion {
    readonly user: string;
    readonly createdAt: Date;
}

export function checkStaleTasks(snapshot: DeploymentSnapshot, target: DoctorTarget): CheckResult {
    const resource = `${target.names.backendService.cluster}/${snapshot.service.serviceName ?? target.names.backendService.service}`;
    const finish = (findings: Finding[]) => resultOf("stale-tasks", resource, findings);
    if (snapshot.tasks.status !== "ok") {
        return finish([{ status: "warn", message: `could not list the service's running tasks: ${snapshot.tasks.status === "error" ? snapshot.tasks.error : "not found"}` }]);
    }
    // The tasks ECS keeps running (ListTasks desiredStatus RUNNING); only those that have started have a startedAt.
    const running = snapshot.tasks.value.filter((task) => task.desiredStatus === undefined || task.desiredStatus === "RUNNING");
    if (running.length === 0) {
        return finish([{ status: "skip", message: "the service has no running task" }]);
    }
    const dated = running.filter((task): task is Task & { startedAt: Date } => task.startedAt !== undefined);
    if (dated.length === 0) {
        return finish([{
            status: "skip",
            message: `ECS reported no start time (startedAt) for the ${running.length} running task(s), so they cannot be compared with the secrets' versions`,
        }]);
    }
    const versions = currentVersions(snapshot);
    const findings: Finding[] = [];
    for (const task of dated) {
        const newer = versions.filter((version) => version.createdAt > task.startedAt);
        if (newer.length > 0) {
            const latest = new Date(Math.max(...newer.map((version) => version.createdAt.getTime())));
            findings.push({
                status: "fail",
                message: `task ${taskId(task)} started ${task.startedAt.toISOString()} and still holds the previous ${newer.map((v) => v.user).join(", ")} ` +
                    `(a new version was created ${latest.toISOString()})`,
                fix: forceNewDeployment(target),
            });
        }
    }
    if (findings.length === 0) {
        findings.push({ status: "pass", message: `all ${dated.length} running task(s) started after the current version of each of ${versions.length} references` });
    }
    return finish(findings);
}

function currentVersions(snapshot: DeploymentSnapshot): CurrentVersion[] {
    const versions: CurrentVersion[] = [];
    for (const reference of taskReferences(snapshot.taskDefinition)) {
        const parsed = reference.reference;
        const user = describeReference(reference);
        if (parsed?.kind === "secretsmanager" && parsed.versionId === undefined) {
            const secret = snapshot.secrets.get(parsed.secretArn);
            const stage = parsed.versionStage ?? "AWSCURRENT";
            const version = secret?.status === "ok" ? secret.value.versions.find((v) => v.VersionStages?.includes(stage)) : undefined;
            if (version?.CreatedDate !== undefined) {
                versions.push({ user, createdAt: version.CreatedDate });
            }
        } else if (parsed?.kind === "ssm") {
            const parameter = snapshot.parameters.get(parsed.parameterArn);
            if (parameter?.status === "ok" && parameter.value.LastModifiedDate !== undefined) {
                versions.push({ user, createdAt: parameter.value.LastModifiedDate });
            }
        }
    }
    return versions;
}

function taskId(task: Task): string {
    return task.taskArn?.split("/").pop() ?? "(unknown task)";
}
