/**
 * The ADMA backend stack: validated stack configuration in, one AdmaBackend, names and ARNs out
 * (AdmaBackend.outputs(): never a secret value). Invalid configuration throws here, before any
 * resource is registered.
 */
import { AdmaBackend } from "./components/backend";
import { readStackConfig } from "./lib/pulumi-config";

const backend = new AdmaBackend("adma", readStackConfig());

export = backend.outputs();
