/**
 * `pulumi preview --json` (`{steps: [{op, urn, oldState?, newState?}, ...], ...}`): the resources
 * the update would leave, each step's `newState`. A replacement shows the same resource in
 * several steps, and the last new state is what will exist; a delete leaves nothing to check.
 */
import { isRecord } from "../../lib/unknowns";
import type { AuditResource } from "../engine";
import type { InputFormat } from "../reader";
import { pulumiDocument, resourceFromState } from "./pulumi-resource-state";

export const pulumiPreview: InputFormat = {
    name: "pulumi-preview",
    description: "`pulumi preview --json` output ({steps: [...]})",
    marker: "steps",
    matches: (document) => Array.isArray(document.steps),
    read(document) {
        const byUrn = new Map<string, AuditResource>();
        (document.steps as unknown[]).forEach((step, index) => {
            if (!isRecord(step)) {
                throw new Error(`preview document: steps[${index}] is not an object`);
            }
            if (isRecord(step.newState)) {
                const resource = resourceFromState(step.newState, `steps[${index}].newState`, step.urn);
                byUrn.set(resource.urn, resource);
            }
        });
        return pulumiDocument([...byUrn.values()]);
    },
};
