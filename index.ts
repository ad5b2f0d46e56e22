/**
 * The ADMA backend stack: validated stack configuration in, checked against what the stack deployed
 * last, one AdmaBackend, names, ARNs and the stack record out (AdmaBackend.outputs(): never a secret value). Invalid
 * configuration or a refused change throws here, before any resource is registered.
 */
import { AdmaBackend } from "./components/backend";
import { readDeploymentArgs } from "./lib/pulumi-config";

export = readDeploymentArgs().then((args) => new AdmaBackend("adma", args).outputs());
