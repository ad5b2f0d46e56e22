/**
 * The program's own check of a stack's settings (lib/config.ts's `loadAdmaConfig`, what the
 * program runs first under `pulumi preview` and `up`), run offline on the stack file's values,
 * so that the offline preview and the doctor list its problems together with the stack file's
 * (config-schema.ts), in one pass. Only for this program's project (Pulumi.yaml `name: adma`,
 * the namespace the program reads); other projects (the tests' fixtures) run their own programs.
 */
import { AdmaConfig, AdmaConfigError, CONFIG_NAMESPACE, loadAdmaConfig } from "../../lib/config";
import type { StackConfig } from "./stack-config";

export interface ProgramConfigCheck {
    /** Each one sentence starting with the key, as the program words them. */
    readonly problems: readonly string[];
    /** The typed settings, when there is no problem and the project is this program's. */
    readonly config?: AdmaConfig;
}

/**
 * The program's problems with the stack's settings. `region`: the one the AWS provider would
 * use, ARNs are checked against it (the stack's `aws:region`, else the provider's environment
 * variables AWS_REGION and AWS_DEFAULT_REGION, as @pulumi/aws's `config.region` reads them).
 * Keys the project does not declare are left to the stack file's check, which names them.
 */
export function checkProgramConfig(stackConfig: StackConfig, region = stackRegion(stackConfig)): ProgramConfigCheck {
    if (stackConfig.project !== CONFIG_NAMESPACE) {
        return { problems: [] };
    }
    const key = (name: string) => `${CONFIG_NAMESPACE}:${name}`;
    try {
        const config = loadAdmaConfig((name) => stackConfig.config[key(name)], {
            region,
            isSecret: (name) => stackConfig.secretKeys.includes(key(name)),
            stack: stackConfig.stack,
        });
        return { problems: [], config };
    } catch (error) {
        if (error instanceof AdmaConfigError) {
            return { problems: error.problems };
        }
        throw error;
    }
}

function stackRegion(stackConfig: StackConfig, env: NodeJS.ProcessEnv = process.env): string | undefined {
    return stackConfig.config["aws:region"] ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined);
}
