/**
 * `jwt-previous`: the JWT secret has a version labelled `AWSCURRENT` and one labelled `AWSPREVIOUS`,
 * which zero-downtime rotation needs: the backend signs with the first and still accepts tokens
 * signed with the second (`JWT_SECRET_PREVIOUS`, docs/component.md). A secret with one version
 * (the design document's, written once by Terraform) logs every user out at its next rotation, and
 * a task that references AWSPREVIOUS cannot start. Pure: judges the snapshot.
 *
 * Secrets Manager moves AWSPREVIOUS to the version that held AWSCURRENT whenever AWSCURRENT moves
 * (Secrets Manager User Guide, "Secret versions").
 */
import { CheckResult, resultOf } from "../check-result";
import { pulumiUp } from "../fixes";
import { DeploymentSnapshot } from "../snapshot";
import { DoctorTarget } from "../target";

export function checkJwtPrevious(snapshot: DeploymentSnapshot, target: DoctorTarget): CheckResult {
    const name = target.names.jwtSecret.secret;
    const result = (status: "pass" | "fail" | "warn", message: string, fix?: string) => resultOf("jwt-previous", name, [{ status, message, fix }]);
    const secret = snapshot.jwtSecret;
    if (secret.status === "error") {
        return result("warn", `could not read the JWT secret: ${secret.error}`);
    }
    if (secret.status === "not-found") {
        return result("fail", `the JWT secret ${name} does not exist in ${snapshot.region}`, `${pulumiUp(target)} (creates it with two versions)`);
    }
    const stages = Object.entries(secret.value.description.VersionIdsToStages ?? {});
    const holder = (stage: string) => stages.find(([, labels]) => labels.includes(stage))?.[0];
    const current = holder("AWSCURRENT");
    const previous = holder("AWSPREVIOUS");
    const rotate = `pulumi config set --type int adma:jwtSecretGeneration ${target.jwtSecretGeneration + 1} --stack ${target.stack} && ${pulumiUp(target)} ` +
        "(a rotation: the current value becomes AWSPREVIOUS, so signed-in users stay signed in)";
    if (current === undefined) {
        return result("fail", `no version of ${name} is labelled AWSCURRENT: ECS has nothing to inject as JWT_SECRET`, rotate);
    }
    if (previous === undefined) {
        return result("fail", `${name} has no AWSPREVIOUS version (${stages.length} version(s), AWSCURRENT ${current}): ` +
            "the next rotation logs every user out, and a task reading JWT_SECRET_PREVIOUS cannot start", rotate);
    }
    return result("pass", `AWSCURRENT is version ${current}, AWSPREVIOUS is version ${previous}`);
}
