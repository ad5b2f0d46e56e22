// The synthetic program of target 4: BENCH_TENANTS instances of AdmaBackend (one per tenant) with
// the stack's validated config, each under its own project name so physical names differ.
import { AdmaBackend } from "../../components/backend";
import { readStackConfig } from "../../lib/pulumi-config";

const tenants = Number(process.env.BENCH_TENANTS ?? "1");
const config = readStackConfig();
export const namePrefixes = Array.from({ length: tenants }, (_, i) => new AdmaBackend(`tenant${i}`, { ...config, projectName: `t${i}` }).namePrefix);
