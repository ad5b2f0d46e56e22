/**
 * The doctor's target for a stack, read the way the offline preview reads it: `Pulumi.yaml` and
 * `Pulumi.<stack>.yaml` through tools/preview/stack-config.ts, validated by the program's own
 * loader (lib/config.ts), named by lib/naming.ts (doctor/target.ts). The region is `--region`, else
 * the stack's `aws:region`, else the AWS SDK's own (AWS_REGION, the profile's region).
 * Every problem is an InputError (exit 2) that says which file, key or setting.
 */
import { STSClient } from "@aws-sdk/client-sts";
import { AdmaConfigError, CONFIG_NAMESPACE, loadAdmaConfig } from "../lib/config";
import { InputError } from "../policy-pack/lib/cli";
import { loadStackConfig } from "../tools/preview/stack-config";
import { DoctorTarget, TargetOverrides, doctorTarget } from "./target";

export interface StackTargetOptions extends TargetOverrides {
    readonly region?: string;
}

export async function loadDoctorTarget(projectDir: string, stack: string, options: StackTargetOptions = {}): Promise<DoctorTarget> {
    let stackConfig;
    try {
        stackConfig = loadStackConfig(projectDir, stack);
    } catch (error) {
        throw error instanceof InputError ? error : new InputError((error as Error).message);
    }
    const { config, secretKeys } = stackConfig;
    const region = options.region ?? config["aws:region"] ?? await sdkRegion();
    if (region === undefined) {
        throw new InputError(`no AWS region for stack ${stack}: set aws:region in Pulumi.${stack}.yaml, give --region, or set AWS_REGION`);
    }
    let adma;
    try {
        adma = loadAdmaConfig((key) => config[`${CONFIG_NAMESPACE}:${key}`], {
            region,
            isSecret: (key) => secretKeys.includes(`${CONFIG_NAMESPACE}:${key}`),
        });
    } catch (error) {
        if (error instanceof AdmaConfigError) {
            throw new InputError(`Pulumi.${stack}.yaml: invalid stack configuration:\n${error.problems.map((problem) => `  - ${problem}`).join("\n")}`);
        }
        throw error;
    }
    return doctorTarget(stack, region, adma, options);
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
