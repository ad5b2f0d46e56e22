/**
 * The remedies the checks suggest, in this project's terms: the design document's commands with
 * the stack's own names. Pure: text only.
 */
import { DoctorTarget } from "./target";

/** `pulumi up` for the stack: restores whatever the program declares. */
export function pulumiUp(target: DoctorTarget): string {
    return `pulumi up --stack ${target.stack}`;
}

/** The design document's redeploy, so new tasks resolve the secrets afresh. */
export function forceNewDeployment(target: DoctorTarget): string {
    return `aws ecs update-service --region ${target.region} --cluster ${target.names.backendService.cluster} ` +
        `--service ${target.names.backendService.service} --force-new-deployment`;
}
