import { createHash } from "crypto";
import { isProviderType } from "../../policy-pack/policies/resource-types";
import type { MonitorRegistration } from "./resource-recorder";
import {
    hasSignature,
    isWireSecret,
    RESOURCE_REFERENCE_SIGNATURE,
    Sealer,
    UNKNOWN_VALUE,
    wireSecret,
} from "./secret-envelope";
import { childUrn, formatUrn, StackIdentity } from "./urn";

/** One resource of a `pulumi stack export` (deployment version 3) document. */
export interface ExportResource {
    urn: string;
    custom: boolean;
    id?: string;
    type: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
    parent?: string;
    protect?: boolean;
    retainOnDelete?: boolean;
    provider?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    additionalSecretOutputs?: string[];
    ignoreChanges?: string[];
    deletedWith?: string;
}

export interface StackExportDocument {
    version: 3;
    deployment: {
        manifest: { time: string; magic: string; version: string };
        resources: ExportResource[];
    };
}

export interface ExportOptions extends StackIdentity {
    /** Wraps each secret value in the export's secret envelope. */
    seal: Sealer;
    /** Stands in for the Pulumi CLI version in the manifest. */
    cliVersion: string;
    time: Date;
    /** The stack's config: a default provider's inputs are its package's keys. */
    config: Record<string, string>;
    secretConfigKeys: string[];
    /** Every secret value of the run (`collectSecretValues`): never to appear in plaintext. */
    secretValues: string[];
}

/** Below this length a secret is only sealed where it is the whole string, not a substring. */
const MIN_SECRET_SUBSTRING_LENGTH = 8;

/**
 * Builds the `pulumi stack export` document of a recorded program run: real URNs, parents,
 * the default providers the engine would create, and every secret in the secret envelope.
 *
 * Secretness follows the engine: a secret input keeps its output secret, as do the resource's
 * `additionalSecretOutputs`. Any string that carries one of the run's secret values is sealed
 * too, so a mock echoing a secret under another name cannot leak it.
 */
export function buildExportDocument(recorded: MonitorRegistration[], options: ExportOptions): StackExportDocument {
    const registered = recorded.filter((record): record is MonitorRegistration & { monitorUrn: string } => record.monitorUrn !== undefined);
    const { ofRecord, ofMonitorUrn } = realUrns(registered, options);
    const mapUrn = (monitorUrn: string) => ofMonitorUrn.get(monitorUrn) ?? monitorUrn;
    const toExport = exportValueConverter(options.secretValues, mapUrn, options.seal);

    const resources: ExportResource[] = [];
    const defaultProviders = new Map<string, string>();
    for (const record of registered) {
        let provider = record.provider && providerReference(record.provider, mapUrn);
        if (record.custom && !provider && !isProviderType(record.type)) {
            const providerResource = defaultProvider(record, options, toExport);
            if (!defaultProviders.has(providerResource.urn)) {
                defaultProviders.set(providerResource.urn, `${providerResource.urn}::${providerResource.id}`);
                resources.push(providerResource);
            }
            provider = defaultProviders.get(providerResource.urn);
        }
        resources.push(
            withoutEmptyFields({
                urn: ofRecord.get(record) as string,
                custom: record.custom,
                id: record.custom ? record.id : undefined,
                type: record.type,
                inputs: toExport(record.inputs) as Record<string, unknown>,
                outputs: toExport(record.custom ? customOutputs(record) : record.outputs ?? {}) as Record<string, unknown>,
                parent: record.parentMonitorUrn && mapUrn(record.parentMonitorUrn),
                protect: record.protect || undefined,
                retainOnDelete: record.retainOnDelete || undefined,
                provider,
                dependencies: unique(record.dependencies.map(mapUrn)),
                propertyDependencies: Object.fromEntries(
                    Object.entries(record.propertyDependencies)
                        .filter(([, deps]) => deps.length > 0)
                        .map(([key, deps]) => [key, unique(deps.map(mapUrn))]),
                ),
                additionalSecretOutputs: record.additionalSecretOutputs,
                ignoreChanges: record.ignoreChanges,
                deletedWith: record.deletedWith && mapUrn(record.deletedWith),
            }),
        );
    }
    return {
        version: 3,
        deployment: {
            manifest: {
                time: options.time.toISOString(),
                // The engine's manifest magic: the SHA-256 of the CLI version.
                magic: createHash("sha256").update(options.cliVersion).digest("hex"),
                version: options.cliVersion,
            },
            resources,
        },
    };
}

/**
 * The mock monitor forms a child's URN from its immediate parent's type only; the engine
 * chains every ancestor's type. Parents register before their children, so one pass suffices.
 * Two resources the engine tells apart can share a mock URN (same-named children of
 * same-typed parents under different ancestors): each record keeps its own real URN, and only
 * a reference to such a shared URN is ambiguous.
 */
function realUrns(registered: Array<MonitorRegistration & { monitorUrn: string }>, identity: StackIdentity) {
    const ofRecord = new Map<MonitorRegistration, string>();
    const ofMonitorUrn = new Map<string, string>();
    for (const record of registered) {
        const parentUrn = record.parentMonitorUrn && ofMonitorUrn.get(record.parentMonitorUrn);
        const urn = childUrn(identity, parentUrn || undefined, record.type, record.name);
        ofRecord.set(record, urn);
        ofMonitorUrn.set(record.monitorUrn, urn);
    }
    return { ofRecord, ofMonitorUrn };
}

/**
 * A custom resource's state: the provider echoes the inputs and adds what it computes. The
 * engine keeps an output secret when the input of the same name was secret, and marks the
 * resource's `additionalSecretOutputs` secret.
 */
function customOutputs(record: MonitorRegistration): Record<string, unknown> {
    const outputs: Record<string, unknown> = { ...record.inputs, ...record.outputs };
    for (const [key, value] of Object.entries(outputs)) {
        const secret = isWireSecret(record.inputs[key]) || record.additionalSecretOutputs.includes(key);
        if (secret && !isWireSecret(value)) {
            outputs[key] = wireSecret(value);
        }
    }
    return outputs;
}

/** The default provider the engine creates for a package: `default_<version>`, config as inputs. */
function defaultProvider(
    record: MonitorRegistration,
    options: ExportOptions,
    toExport: (value: unknown) => unknown,
): ExportResource & { id: string } {
    const pkg = record.type.split(":")[0];
    const version = record.packageVersion;
    const inputs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(options.config)) {
        if (key.startsWith(`${pkg}:`)) {
            const property = key.slice(pkg.length + 1);
            inputs[property] = options.secretConfigKeys.includes(key) ? wireSecret(value) : value;
        }
    }
    if (version) {
        inputs.version = version;
    }
    const exported = toExport(inputs) as Record<string, unknown>;
    const name = version ? `default_${version.replace(/[.+-]/g, "_")}` : "default";
    return {
        urn: formatUrn(options, `pulumi:providers:${pkg}`, name),
        custom: true,
        // A provider the preview has not created yet has no ID.
        id: UNKNOWN_VALUE,
        type: `pulumi:providers:${pkg}`,
        inputs: exported,
        outputs: exported,
    };
}

function providerReference(reference: string, mapUrn: (urn: string) => string): string {
    const separator = reference.lastIndexOf("::");
    return `${mapUrn(reference.slice(0, separator))}${reference.slice(separator)}`;
}

/** Converts a property value from the SDK's wire form to the export's form. */
function exportValueConverter(secrets: string[], mapUrn: (urn: string) => string, seal: Sealer) {
    const carriesSecret = (text: string) =>
        secrets.some((secret) => text === secret || (secret.length >= MIN_SECRET_SUBSTRING_LENGTH && text.includes(secret)));

    const plain = (value: unknown): unknown => {
        if (isWireSecret(value)) {
            return plain(value.value);
        }
        if (hasSignature(value, RESOURCE_REFERENCE_SIGNATURE) && typeof value.urn === "string") {
            return { ...value, urn: mapUrn(value.urn) };
        }
        if (Array.isArray(value)) {
            return value.map(plain);
        }
        if (typeof value === "object" && value !== null) {
            return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plain(inner)]));
        }
        return value;
    };
    const convert = (value: unknown): unknown => {
        if (isWireSecret(value)) {
            return seal(plain(value.value));
        }
        if (typeof value === "string") {
            return carriesSecret(value) ? seal(value) : value;
        }
        if (hasSignature(value, RESOURCE_REFERENCE_SIGNATURE)) {
            return plain(value);
        }
        if (Array.isArray(value)) {
            return value.map(convert);
        }
        if (typeof value === "object" && value !== null) {
            return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, convert(inner)]));
        }
        return value;
    };
    return convert;
}

/**
 * The plaintext of every secret string in the run (secret inputs, outputs the engine would keep
 * secret), plus values known to be secret, e.g. the placeholders for `secure:` config.
 */
export function collectSecretValues(recorded: MonitorRegistration[], knownSecretValues: string[]): string[] {
    const found = new Set(knownSecretValues.filter((value) => value !== ""));
    const collect = (value: unknown, insideSecret: boolean): void => {
        if (typeof value === "string") {
            if (insideSecret && value !== "" && value !== UNKNOWN_VALUE) {
                found.add(value);
            }
        } else if (isWireSecret(value)) {
            collect(value.value, true);
        } else if (typeof value === "object" && value !== null) {
            Object.values(value).forEach((inner) => collect(inner, insideSecret));
        }
    };
    for (const record of recorded) {
        collect(record.inputs, false);
        collect(record.custom ? customOutputs(record) : record.outputs, false);
    }
    return [...found];
}

function unique(values: string[]): string[] {
    return [...new Set(values)];
}

/** Drops undefined, empty-list and empty-map fields, as the engine's JSON does. */
function withoutEmptyFields(resource: ExportResource): ExportResource {
    const isEmpty = (value: unknown) =>
        value === undefined ||
        value === "" ||
        (Array.isArray(value) && value.length === 0) ||
        (typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0);
    const kept = Object.entries(resource).filter(([key, value]) => key === "inputs" || key === "outputs" || !isEmpty(value));
    return Object.fromEntries(kept) as unknown as ExportResource;
}
