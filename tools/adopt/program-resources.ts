/**
 * What the program registers under a given stack configuration: the offline preview's run
 * (tools/preview/offline-run.ts) of the project's program with the configuration adoption
 * derived, under the project's AWS mocks. Its stack export gives every resource with its real
 * URN, parent, type, inputs and options; secret values stay sealed (throwaway ciphertext), so no
 * secret the program handles reaches what adoption reads.
 */
import * as fs from "fs";
import * as path from "path";
import { dump } from "js-yaml";
import type { ExportResource } from "../preview/export-document";
import { previewOffline } from "../preview/offline-run";
import { createThrowawaySealer } from "../preview/secret-envelope";
import { parseUrn } from "../preview/urn";
import { AwsMocks } from "../../testing/aws-mocks";

/** A resource the program registers, as its stack export holds it. */
export interface ProgramResource extends ExportResource {
    /** Its logical name (the resource name the program gives, the last part of its URN). */
    readonly name: string;
}

export interface ProgramRunOptions {
    /** The folder of the project's Pulumi.yaml. */
    readonly projectDir: string;
    readonly stack: string;
    /** The stack file's `config:` mapping, as it will be written (`adma:key` -> value). */
    readonly config: Readonly<Record<string, unknown>>;
    /** The account the mocks answer for (the live deployment's). */
    readonly accountId?: string;
}

/**
 * Runs the program for `stack` with `config`, checked as `npm run preview:offline` checks a stack
 * file (undeclared or mistyped keys, the program's own validation), and returns what it registers.
 * Throws the program's or the check's error, naming the keys.
 */
export async function programResources(options: ProgramRunOptions): Promise<ProgramResource[]> {
    const projectFile = path.join(options.projectDir, "Pulumi.yaml");
    // Inside the project, so that the check finds the project's package.json and its providers' keys.
    const folder = fs.mkdtempSync(path.join(options.projectDir, ".adopt-terraform-"));
    try {
        fs.copyFileSync(projectFile, path.join(folder, "Pulumi.yaml"));
        fs.writeFileSync(path.join(folder, `Pulumi.${options.stack}.yaml`), stackFileText(options.config));
        const region = typeof options.config["aws:region"] === "string" ? options.config["aws:region"] : undefined;
        const preview = await previewOffline({
            projectDir: folder,
            stack: options.stack,
            programPath: path.join(options.projectDir, "index.ts"),
            mocks: new AwsMocks({ region, accountId: options.accountId }),
        });
        return preview.exportDocument(createThrowawaySealer()).deployment.resources.map((resource) => ({ ...resource, name: parseUrn(resource.urn).name }));
    } finally {
        fs.rmSync(folder, { recursive: true, force: true });
    }
}

/** A `Pulumi.<stack>.yaml` holding `config`, with a header saying where it comes from. */
export function stackFileText(config: Readonly<Record<string, unknown>>, header: readonly string[] = []): string {
    return `${header.map((line) => `# ${line}\n`).join("")}${dump({ config }, { lineWidth: -1, noRefs: true })}`;
}
