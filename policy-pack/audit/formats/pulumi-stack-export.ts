/**
 * `pulumi stack export` (`apitype.UntypedDeployment` of version 3: `{version: 3, deployment:
 * {manifest, secrets_providers, resources: [ResourceV3, ...]}}`): every resource of the stack's
 * state, its secrets encrypted unless exported with `--show-secrets`.
 */
import { isRecord } from "../../lib/unknowns";
import type { InputFormat } from "../reader";
import { pulumiDocument, resourceFromState } from "./pulumi-resource-state";

export const pulumiStackExport: InputFormat = {
    name: "pulumi-stack-export",
    description: "a `pulumi stack export` document ({version: 3, deployment: {resources: [...]}})",
    marker: "deployment",
    // A Terraform state file has a `version` too, beside its `terraform_version`.
    matches: (document) => "deployment" in document || ("version" in document && !("terraform_version" in document)),
    read(document) {
        if (document.version !== 3) {
            throw new Error(`unsupported stack export version ${JSON.stringify(document.version)}: expected a version 3 \`pulumi stack export\` document`);
        }
        const deployment = document.deployment;
        const resources = isRecord(deployment) ? deployment.resources ?? [] : undefined;
        if (!Array.isArray(resources)) {
            throw new Error("stack export: deployment.resources must be a list");
        }
        return pulumiDocument(resources.map((state, index) => resourceFromState(state, `deployment.resources[${index}]`)));
    },
};
