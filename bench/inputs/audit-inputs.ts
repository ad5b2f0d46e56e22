// Inputs for target 5, generated at run time into bench/.work (never committed):
// - synthetic stack exports of N resources, made of renamed copies of the prod stack's own
//   export (what the pack really sees: task definitions, roles, inline policies, secrets);
// - the 1,523 AWS managed policies of ../shared/corpus as aws.iam.Policy resources.
import * as fs from "fs";
import * as path from "path";
import type { ExportResource, StackExportDocument } from "../../tools/preview/export-document";
import { corpusDir, workDir } from "../lib/paths";

const STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * Copy number `copy` of the template's resources with every URN and every occurrence of the
 * stack's name prefix made unique, so copies neither collide nor share ARNs (a stack policy
 * that joins resources by ARN must not see 250 look-alikes of one role). References to URNs
 * outside the copy (the stack resource) are left as they are.
 */
export function renamedCopy(resources: readonly ExportResource[], copy: number, namePrefix: string): ExportResource[] {
    const suffix = `-c${String(copy).padStart(4, "0")}`;
    const copied = new Set(resources.map((r) => r.urn));
    const kept: string[] = [];
    // A URN string is a resource's URN, or a provider reference "<urn>::<id>".
    const text = JSON.stringify(resources).replace(/"(urn:pulumi:[^"]*)"/g, (_, value: string) => {
        const separator = value.lastIndexOf("::");
        const urn = copied.has(value) ? value : separator > 0 && copied.has(value.slice(0, separator)) ? value.slice(0, separator) : undefined;
        if (urn === undefined) {
            kept.push(value);
            return `"@@kept-${kept.length - 1}@@"`;
        }
        return `"${urn}${suffix}${value.slice(urn.length)}"`;
    });
    const renamed = text
        .split(namePrefix)
        .join(`${namePrefix}${suffix}`)
        .replace(/"@@kept-(\d+)@@"/g, (_, index: string) => JSON.stringify(kept[Number(index)]));
    return JSON.parse(renamed) as ExportResource[];
}

/** A v3 export of exactly `count` resources: the template's stack resource plus renamed copies of the rest. */
export function syntheticExport(template: StackExportDocument, count: number, namePrefix: string): StackExportDocument {
    const stack = template.deployment.resources.filter((r) => r.type === STACK_TYPE);
    const body = template.deployment.resources.filter((r) => r.type !== STACK_TYPE);
    if (body.length === 0) {
        throw new Error("syntheticExport: the template export has no resources besides the stack");
    }
    const resources: ExportResource[] = [...stack];
    for (let copy = 0; resources.length < count; copy++) {
        resources.push(...renamedCopy(body, copy, namePrefix).slice(0, count - resources.length));
    }
    return { version: 3, deployment: { ...template.deployment, resources } };
}

/** The AWS managed policies corpus (name to policy document) as aws.iam.Policy resources in a v3 export. */
export function managedPoliciesExport(corpus: Record<string, unknown>, manifest: StackExportDocument["deployment"]["manifest"]): StackExportDocument {
    const resources: ExportResource[] = Object.entries(corpus).map(([name, document]) => {
        const inputs = { name, path: "/", policy: JSON.stringify(document) };
        return {
            urn: `urn:pulumi:bench::managed-policies::aws:iam/policy:Policy::${name}`,
            custom: true,
            id: name,
            type: "aws:iam/policy:Policy",
            inputs,
            outputs: { ...inputs, arn: `arn:aws:iam::aws:policy/${name}` },
        };
    });
    return { version: 3, deployment: { manifest, resources } };
}

export interface AuditInput {
    readonly file: string;
    readonly resources: number;
    readonly bytes: number;
}

function write(name: string, document: StackExportDocument): AuditInput {
    fs.mkdirSync(workDir, { recursive: true });
    const file = path.join(workDir, name);
    const text = JSON.stringify(document);
    fs.writeFileSync(file, text);
    return { file, resources: document.deployment.resources.length, bytes: Buffer.byteLength(text) };
}

/** Writes synthetic exports of the given sizes from the prod export at `templateFile`. */
export function writeSyntheticExports(templateFile: string, sizes: readonly number[], namePrefix: string): AuditInput[] {
    const template = JSON.parse(fs.readFileSync(templateFile, "utf8")) as StackExportDocument;
    return sizes.map((size) => write(`synthetic-${size}.json`, syntheticExport(template, size, namePrefix)));
}

export function writeManagedPoliciesExport(): AuditInput {
    const corpusFile = path.join(corpusDir, "aws-managed-policies.json");
    const corpus = JSON.parse(fs.readFileSync(corpusFile, "utf8")) as Record<string, unknown>;
    const manifest = { time: new Date(0).toISOString(), magic: "bench", version: "bench" };
    return write("managed-policies.json", managedPoliciesExport(corpus, manifest));
}
