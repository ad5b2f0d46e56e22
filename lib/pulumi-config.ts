/** The thin adapter between `pulumi.Config` and the pure loader in config.ts. */
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { region } from "@pulumi/aws/config/vars";
import { AdmaConfig, CONFIG_NAMESPACE, loadAdmaConfig } from "./config";

/**
 * The SDK's own test of whether a key is set as a secret (the keys the engine passes as secret).
 * It is marked internal in the SDK's typings, so it is looked up here; without it every key is
 * treated as secret, so that no message can repeat a secret value.
 */
const isConfigSecret = (runtimeConfig as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret ?? (() => true);

/**
 * Reads and validates the current stack's `adma:*` configuration; throws before any resource
 * exists. ARNs are checked against the region the AWS provider will use: `aws:region`, else its
 * environment variables (@pulumi/aws's own `config.region`).
 */
export function readStackConfig(): AdmaConfig {
    const config = new pulumi.Config(CONFIG_NAMESPACE);
    return loadAdmaConfig((key) => config.get(key), {
        region,
        isSecret: (key) => isConfigSecret(`${CONFIG_NAMESPACE}:${key}`),
    });
}
