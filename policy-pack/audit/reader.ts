/**
 * The one reader of the audit's input: it recognises which format a parsed JSON document is in
 * and hands it to that format's adapter (`formats/*.ts`), which turns it into the resources the
 * policies run on. To read another format, add its adapter beside the others and register it
 * in INPUT_FORMATS; the engine, the CLI and the outputs take any AuditDocument as it is.
 */
import type { InputTerms } from "../lib/input-terms";
import { describeJson, isRecord } from "../lib/unknowns";
import type { AuditResource } from "./engine";
import { pulumiPreview } from "./formats/pulumi-preview";
import { pulumiStackExport } from "./formats/pulumi-stack-export";
import { terraformPlan } from "./formats/terraform-plan";
import { terraformState } from "./formats/terraform-state";

/** What the audit reads out of one input document, whatever its format. */
export interface AuditDocument {
    /** The name of the input format the document is in (InputFormat.name), e.g. "pulumi-stack-export". */
    readonly format: string;
    /** The resources the policies run on, in the document's order. */
    readonly resources: AuditResource[];
    /**
     * True when a secret value of some resource is present only encrypted: the policies see it as
     * an EncryptedValue (set, unreadable), so checks of its content stay incomplete.
     */
    readonly secretsEncrypted: boolean;
    /** The URN of the stack the document describes, when the document holds it. */
    readonly stackUrn?: string;
    /**
     * The words of the document's tool, which the policies' messages use (runPolicies' `terms`):
     * property names, settings, resources, when unknown values are known.
     */
    readonly terms: InputTerms;
}

/** One input format: how to recognise its documents and read them. */
export interface InputFormat {
    /** Names the format in an AuditDocument, e.g. "pulumi-stack-export". */
    readonly name: string;
    /** The format as an error names it, e.g. "a `pulumi stack export` document ({version: 3, ...})". */
    readonly description: string;
    /** The top-level property whose presence marks the format, for the error on a document of none. */
    readonly marker: string;
    /** True when `document` is in this format; `read` then owns every error about it. */
    matches(document: Record<string, unknown>): boolean;
    /** The document's content; throws an Error naming the first part that cannot be read. */
    read(document: Record<string, unknown>): Omit<AuditDocument, "format">;
}

/** Every format the audit reads; the first whose `matches` accepts a document reads it. */
export const INPUT_FORMATS: readonly InputFormat[] = [pulumiStackExport, pulumiPreview, terraformPlan, terraformState];

/**
 * Reads a parsed JSON document in any of INPUT_FORMATS. Throws an Error saying which formats are
 * expected when it is in none, or the adapter's error naming what cannot be read.
 */
export function readAuditDocument(document: unknown): AuditDocument {
    const expected = INPUT_FORMATS.map((format) => format.description).join(" or ");
    if (!isRecord(document)) {
        throw new Error(`expected ${expected}, got ${describeJson(document)}`);
    }
    const format = INPUT_FORMATS.find((candidate) => candidate.matches(document));
    if (format === undefined) {
        const markers = INPUT_FORMATS.map((candidate) => `\`${candidate.marker}\``);
        const found = markers.length === 2 ? `neither ${markers[0]} nor ${markers[1]}` : `none of ${markers.join(", ")}`;
        throw new Error(`expected ${expected}; found ${found}`);
    }
    return { format: format.name, ...format.read(document) };
}
