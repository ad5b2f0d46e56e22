/**
 * The doctor's target for a stack, read the way the offline preview reads it: `Pulumi.yaml` and
 * `Pulumi.<stack>.yaml` through tools/preview/stack-config.ts, which checks them with the program's
 * own loader (lib/config.ts) in the same pass, named by lib/naming.ts (doctor/target.ts). The region is `--region`, else
 * the stack's `aws:region`, else the AWS SDK's own (AWS_REGION, the profile's region).
 * Every problem is an InputError (exit 2) that says which file, key or setting.
 */
import { STSClient } from "@aws-sdk/client-sts";
import { CONFIG_NAMESPACE } from "../lib/config";
import { InputError } from "../policy-pack/lib/cli";
import { loadStackConfig } from "../tools/preview/stack-config";
import { DoctorTarget, TargetOverrides, doctorTarget } from "./target";

export interface StackTargetOptions extends TargetOverrides {
    readonly region?: string;
}

export async function loadDoctorTarget(projectDir: string, stack: string, options: StackTargetOptions = {}): Promise<DoctorTarget> {
    let stackConfig;
    try {
        stackConfig = loadStackConfig(projectDir, stack, { region: options.region });
    } catch (error) {
        throw error instanceof InputError ? error : new InputError((error as Error).message);
    }
    const region = options.region ?? stackConfig.config["aws:region"] ?? await sdkRegion();
    if (region === undefined) {
        throw new InputError(`no AWS region for stack ${stack}: set aws:region in Pulumi.${stack}.yaml, give --region, or set AWS_REGION`);
    }
    if (stackConfig.program === undefined) {
        throw new InputError(`${projectDir} is not this program's project: its Pulumi.yaml names the project ${stackConfig.project}, not ${CONFIG_NAMESPACE}`);
    }
    return doctorTarget(stack, region, stackConfig.program, options);
}

/** The region the AWS SDK's default chain gives (environment, then the shared config file's profile), if any. */
async function sdkRegion(): Promise<string | undefined> {
    const client = new STSClient({});
    try {
        return await client.config.region();
    } catch {
        return undefined;
    } finally {
        client.destroy();
    }
}
