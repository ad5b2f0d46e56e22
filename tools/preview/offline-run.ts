import * as path from "path";
import type * as pulumi from "@pulumi/pulumi";
import type { Violation } from "../../policy-pack/audit/engine";
import { buildExportDocument, collectSecretValues, StackExportDocument } from "./export-document";
import { InputError } from "../../policy-pack/lib/cli";
import { projectNameClashes } from "./project-stacks";
import type { MonitorRegistration } from "./resource-recorder";
import { plaintextEnvelope, Sealer } from "./secret-envelope";
import { loadStackConfig, securePlaceholder, StackConfig, withPlaceholderNote } from "./stack-config";

export interface OfflinePreviewOptions {
    /** The directory holding Pulumi.yaml and the Pulumi.<stack>.yaml files. */
    projectDir: string;
    stack: string;
    /** The program's entry module; defaults to Pulumi.yaml's `main`, else `index.ts`. */
    programPath?: string;
    /** Defaults to the project's realistic AWS mocks (`testing/aws-mocks.ts`) for the stack's region. */
    mocks?: pulumi.runtime.Mocks;
}

/** A finished offline run of one stack: its config, its resources, and what is secret in them. */
export interface OfflinePreview {
    stackConfig: StackConfig;
    recorded: MonitorRegistration[];
    /** The plaintext of every secret of the run: never to be printed or written. */
    secretValues: string[];
    /** The run as a `pulumi stack export` document, secrets wrapped by `seal`. */
    exportDocument(seal: Sealer): StackExportDocument;
}

/**
 * Reads the stack's config and runs the program under mocks in preview mode. Throws an
 * `InputError` before anything runs when the stack's configuration is invalid, or when another
 * stack file of the project resolves to the same physical names (project-stacks.ts).
 */
export async function previewOffline(options: OfflinePreviewOptions): Promise<OfflinePreview> {
    const stackConfig = loadStackConfig(options.projectDir, options.stack);
    const clash = projectNameClashes(options.projectDir).find((found) => found.stacks.includes(options.stack));
    if (clash !== undefined) {
        throw new InputError(clash.message);
    }
    const programPath = options.programPath ?? path.resolve(options.projectDir, stackConfig.main ?? "index.ts");
    // Loaded only now, so that a bad stack name is reported before the SDK is loaded.
    const { runProgramUnderMocks } = await import("./program-runner");
    const recorded = await runProgramUnderMocks({
        programPath,
        project: stackConfig.project,
        stack: stackConfig.stack,
        config: stackConfig.config,
        secretKeys: stackConfig.secretKeys,
        mocks: options.mocks ?? (await projectMocks(stackConfig)),
    }).catch((error: unknown) => {
        if (error instanceof Error) {
            error.message = withPlaceholderNote(error.message, stackConfig.placeholderKeys);
        }
        throw error;
    });
    const placeholders = stackConfig.placeholderKeys.map(securePlaceholder);
    const secretValues = collectSecretValues(recorded, placeholders);
    const { version: sdkVersion } = await import("@pulumi/pulumi/version");
    return {
        stackConfig,
        recorded,
        secretValues,
        exportDocument: (seal) =>
            buildExportDocument(recorded, {
                project: stackConfig.project,
                stack: stackConfig.stack,
                seal,
                // No CLI runs here; the manifest says which SDK produced the document, and how.
                cliVersion: `v${sdkVersion}+offline-preview`,
                time: new Date(),
                config: stackConfig.config,
                secretConfigKeys: stackConfig.secretKeys,
                secretValues,
            }),
    };
}

/**
 * Runs the policy pack's resource and stack policies over the preview, through the pack's own
 * audit engine (the same code `npm run policy:audit` uses on an export file). The document the
 * policies read holds secrets as plaintext envelopes, in memory only: during a real
 * `pulumi preview --policy-pack`, CrossGuard's policies also see secret values.
 */
export async function checkPolicies(preview: OfflinePreview, policyConfig?: Record<string, unknown>): Promise<Violation[]> {
    const [engine, reader] = await Promise.all([import("../../policy-pack/audit/engine"), import("../../policy-pack/audit/reader")]);
    const { resources } = reader.readAuditDocument(preview.exportDocument(plaintextEnvelope));
    return engine.runPolicies(resources, policyConfig);
}

async function projectMocks(stackConfig: StackConfig): Promise<pulumi.runtime.Mocks> {
    const { AwsMocks } = await import("../../testing/aws-mocks");
    return new AwsMocks({ region: stackConfig.config["aws:region"] });
}
