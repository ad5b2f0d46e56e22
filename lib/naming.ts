/**
 * Every physical name the stack creates, in one place, derived from the seed's
 * `name_prefix = "${project_name}-${environment}"`. Pure: no Pulumi calls.
 */
export interface ResourceNames {
    readonly namePrefix: string;
    readonly jwtSecret: string;
    readonly appBaseUrlParameter: string;
    readonly dbIdentifier: string;
    readonly dbSubnetGroup: string;
    readonly dbFinalSnapshot: string;
    readonly executionRole: string;
    readonly executionSecretsPolicy: string;
    readonly taskRole: string;
    readonly cluster: string;
    readonly logGroup: string;
    readonly taskFamily: string;
    readonly service: string;
    readonly kmsAlias: string;
    readonly containerName: string;
}

export function namePrefix(projectName: string, environment: string): string {
    return `${projectName}-${environment}`;
}

export function resourceNames(projectName: string, environment: string): ResourceNames {
    const prefix = namePrefix(projectName, environment);
    return {
        namePrefix: prefix,
        jwtSecret: `/${projectName}/${environment}/jwt-secret`,
        appBaseUrlParameter: `/${projectName}/${environment}/app-base-url`,
        dbIdentifier: `${prefix}-postgres`,
        dbSubnetGroup: `${prefix}-postgres`,
        dbFinalSnapshot: `${prefix}-postgres-final`,
        executionRole: `${prefix}-ecs-execution-role`,
        executionSecretsPolicy: `${prefix}-ecs-execution-secrets`,
        taskRole: `${prefix}-backend-task`,
        cluster: `${prefix}-ecs`,
        logGroup: `/ecs/${prefix}-backend`,
        taskFamily: `${prefix}-backend`,
        service: `${prefix}-backend`,
        kmsAlias: `alias/${prefix}-secrets`,
        containerName: "backend",
    };
}

/** Tags every resource of the stack carries. */
export function standardTags(projectName: string, environment: string): Record<string, string> {
    return { Project: projectName, Environment: environment, ManagedBy: "pulumi" };
}
