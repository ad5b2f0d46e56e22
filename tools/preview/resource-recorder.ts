import type {
    RegisterResourceOutputsRequest,
    RegisterResourceRequest,
    RegisterResourceResponse,
} from "@pulumi/pulumi/proto/resource_pb";

/**
 * Every resource registration of a program run, as the SDK sent it to the (mock) resource
 * monitor. Property values stay in the SDK's wire form: secrets as signature objects holding
 * the value, values unknown in preview as the unknown sentinel, resource references as
 * signature objects with a URN. URNs are the mock monitor's; the export recomputes real ones.
 */
export interface MonitorRegistration {
    monitorUrn?: string;
    type: string;
    name: string;
    custom: boolean;
    parentMonitorUrn?: string;
    inputs: Record<string, unknown>;
    /** The (mock) provider's state for custom resources; `registerOutputs` for components. */
    outputs?: Record<string, unknown>;
    id?: string;
    /** An explicit provider reference (`<urn>::<id>`); empty means the default provider. */
    provider?: string;
    /** The version of the provider package that registered the resource. */
    packageVersion?: string;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    additionalSecretOutputs: string[];
    protect: boolean;
    retainOnDelete: boolean;
    ignoreChanges: string[];
    deletedWith?: string;
}

type Callback<T> = (error: Error | null, response?: T) => void;

/** The part of the SDK's resource monitor the recorder intercepts. */
export interface RecordableMonitor {
    registerResource(request: RegisterResourceRequest, callback: Callback<RegisterResourceResponse>): void;
    registerResourceOutputs(request: RegisterResourceOutputsRequest, callback: Callback<unknown>): void;
}

/**
 * Wraps the monitor's registration calls so that every resource, components and the root
 * stack included, is recorded with its parent, options and properties; the mock's own
 * `newResource` hook sees neither parents nor component registrations. Returns the list the
 * records are appended to, in registration order (parents before children).
 */
export function recordRegistrations(monitor: RecordableMonitor): MonitorRegistration[] {
    const recorded: MonitorRegistration[] = [];
    const byMonitorUrn = new Map<string, MonitorRegistration>();
    const registerResource = monitor.registerResource.bind(monitor);
    const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);

    monitor.registerResource = (request, callback) => {
        const record = recordFromRequest(request);
        recorded.push(record);
        registerResource(request, (error, response) => {
            if (response) {
                record.monitorUrn = response.getUrn();
                record.id = response.getId() || undefined;
                if (record.custom) {
                    record.outputs = structToObject(response.getObject());
                }
                byMonitorUrn.set(record.monitorUrn, record);
            }
            callback(error, response);
        });
    };
    monitor.registerResourceOutputs = (request, callback) => {
        const record = byMonitorUrn.get(request.getUrn());
        if (record) {
            record.outputs = structToObject(request.getOutputs());
        }
        registerResourceOutputs(request, callback);
    };
    return recorded;
}

function recordFromRequest(request: RegisterResourceRequest): MonitorRegistration {
    const propertyDependencies: Record<string, string[]> = {};
    request.getPropertydependenciesMap().forEach((dependencies, property) => {
        propertyDependencies[property] = dependencies.getUrnsList();
    });
    return {
        type: request.getType(),
        name: request.getName(),
        custom: request.getCustom(),
        parentMonitorUrn: request.getParent() || undefined,
        inputs: structToObject(request.getObject()),
        provider: request.getProvider() || undefined,
        packageVersion: request.getVersion() || undefined,
        dependencies: request.getDependenciesList(),
        propertyDependencies,
        additionalSecretOutputs: request.getAdditionalsecretoutputsList(),
        protect: request.getProtect() === true,
        retainOnDelete: request.getRetainondelete() === true,
        ignoreChanges: request.getIgnorechangesList(),
        deletedWith: request.getDeletedwith() || undefined,
    };
}

function structToObject(struct: { toJavaScript(): Record<string, unknown> } | undefined): Record<string, unknown> {
    return struct ? struct.toJavaScript() : {};
}
