/**
 * What the doctor checks: the deployed stack's names and settings, from the stack's configuration
 * through the program's own loader and naming (lib/config.ts, lib/naming.ts), with the command
 * line's overrides for deployments named otherwise. Pure: no AWS calls.
 */
import { AdmaConfig } from "../lib/config";
import { ResourceNames, resourceNames } from "../lib/naming";
import { RotationSchedule } from "../lib/rotation-schedule";

export const DEFAULT_LOG_WINDOW_HOURS = 24;

export interface DoctorTarget {
    readonly stack: string;
    readonly region: string;
    readonly names: ResourceNames;
    /** The RDS master secret's rotation schedule the stack configures. */
    readonly rdsSchedule: RotationSchedule;
    /** Length of the JWT secret, for the leak pattern of its shape. */
    readonly jwtSecretLength: number;
    /** `adma:jwtSecretGeneration`: the next rotation sets it one higher. */
    readonly jwtSecretGeneration: number;
    /** Whether the stack creates the Secrets Manager interface endpoint (for the fix it suggests). */
    readonly createsSecretsManagerEndpoint: boolean;
    /** Whether the stack creates the other endpoints a task needs (`adma:createTaskEndpoints`, lib/vpc-endpoints.ts). */
    readonly createsTaskEndpoints: boolean;
    /** How far back log-leaks searches, in hours. */
    readonly logWindowHours: number;
}

export interface TargetOverrides {
    readonly cluster?: string;
    readonly service?: string;
    readonly logWindowHours?: number;
}

export function doctorTarget(stack: string, region: string, config: AdmaConfig, overrides: TargetOverrides = {}): DoctorTarget {
    const names = resourceNames(config);
    const { backendService } = names;
    return {
        stack,
        region,
        names: {
            ...names,
            backendService: { ...backendService, cluster: overrides.cluster ?? backendService.cluster, service: overrides.service ?? backendService.service },
        },
        rdsSchedule: config.rotation.rdsSchedule,
        jwtSecretLength: config.jwt.length,
        jwtSecretGeneration: config.jwt.generation,
        createsSecretsManagerEndpoint: config.network.createSecretsManagerEndpoint,
        createsTaskEndpoints: config.network.createTaskEndpoints,
        logWindowHours: overrides.logWindowHours ?? DEFAULT_LOG_WINDOW_HOURS,
    };
}
