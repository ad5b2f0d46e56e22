/** The thin adapter between `pulumi.Config` and the pure loader in config.ts. */
import * as pulumi from "@pulumi/pulumi";
import { AdmaConfig, CONFIG_NAMESPACE, loadAdmaConfig } from "./config";

/** Reads and validates the current stack's `adma:*` configuration; throws before any resource exists. */
export function readStackConfig(): AdmaConfig {
    const config = new pulumi.Config(CONFIG_NAMESPACE);
    return loadAdmaConfig((key) => config.get(key));
}
