/**
 * The project's stacks as AWS sees them. A stack's physical names all derive from two of its
 * settings, `<project>:projectName` and `<project>:environment` (lib/naming.ts), not from the
 * stack's name, and whether it is a production stack is decided by the second
 * (`PRODUCTION_ENVIRONMENT`, which also gives it prod's data guards). So a stack file copied
 * under a new name (`cp Pulumi.prod.yaml Pulumi.qa.yaml`) is prod again, under prod's names: two
 * stacks that would create, and on destroy delete, the same resources. The offline preview and
 * gate refuse that before anything runs; the stack list the workflows read classifies each stack
 * by its environment.
 */
import { Environment, PRODUCTION_ENVIRONMENT } from "../../lib/config";
import { stackFileName } from "../../lib/config-problems";
import { resourceNames } from "../../lib/naming";
import { InputError } from "../../policy-pack/lib/cli";
import { listStacks, readStackConfig } from "./stack-config";

/** A stack with the settings its physical names derive from, as resolved (stack value, else Pulumi.yaml's default). */
export interface StackIdentity {
    readonly stack: string;
    readonly project: string;
    readonly projectName?: string;
    readonly environment?: string;
}

/** Two or more stacks that resolve to the same physical names, and what to tell the user. */
export interface NameClash {
    readonly stacks: readonly string[];
    readonly message: string;
}

/**
 * A stack's identity, read from its file without the full check. Throws an `InputError` when
 * the project declares an `environment` setting the stack leaves unset: such a stack's
 * names and whether it is production cannot be told.
 */
export function stackIdentity(projectDir: string, stack: string): StackIdentity {
    const { stackConfig, declarations } = readStackConfig(projectDir, stack);
    const { project, config } = stackConfig;
    const environment = config[`${project}:environment`];
    if (environment === undefined && declarations.has("environment")) {
        throw new InputError(`${stackFileName(stack)}: ${project}:environment is not set, so neither the stack's resource names nor whether it is ` +
            `a production stack can be told; set it under \`config:\` (${project}:environment: dev, staging or prod)`);
    }
    return { stack, project, projectName: config[`${project}:projectName`], environment };
}

/** A production stack: its environment is prod (its name does not matter). */
export function isProductionStack(identity: StackIdentity): boolean {
    return identity.environment === PRODUCTION_ENVIRONMENT;
}

/**
 * Every stack of the project with its identity, for the stack list: throws an `InputError` when
 * a stack file cannot be read or classified, or when stacks clash (`nameClashes`).
 */
export function projectStacks(projectDir: string): StackIdentity[] {
    const identities = listStacks(projectDir).map((stack) => {
        try {
            return stackIdentity(projectDir, stack);
        } catch (error) {
            throw error instanceof InputError ? error : new InputError((error as Error).message);
        }
    });
    const clashes = nameClashes(identities);
    if (clashes.length > 0) {
        throw new InputError(clashes.map((clash) => clash.message).join("\n"));
    }
    return identities;
}

/**
 * The stacks of the project that resolve to the same physical names. A stack file that cannot
 * be read is left out: its own preview reports why.
 */
export function projectNameClashes(projectDir: string): NameClash[] {
    const identities: StackIdentity[] = [];
    for (const stack of listStacks(projectDir)) {
        try {
            identities.push(stackIdentity(projectDir, stack));
        } catch {
            // Reported by that stack's own preview.
        }
    }
    return nameClashes(identities);
}

/** Groups of stacks with the same projectName and environment, each with the message naming their files and the fix. */
export function nameClashes(identities: readonly StackIdentity[]): NameClash[] {
    const groups = new Map<string, StackIdentity[]>();
    for (const identity of identities) {
        if (identity.projectName !== undefined && identity.environment !== undefined) {
            const key = JSON.stringify([identity.projectName, identity.environment]);
            groups.set(key, [...(groups.get(key) ?? []), identity]);
        }
    }
    return [...groups.values()].filter((group) => group.length > 1).map((group) => {
        const { project, projectName, environment } = group[0] as Required<StackIdentity>;
        const files = group.map((identity) => stackFileName(identity.stack));
        // The parameter group's family enters none of the names quoted.
        const names = resourceNames({ projectName, environment: environment as Environment, database: { parameterGroupFamily: "" } });
        const copy = group[group.length - 1].stack;
        const message = `${files.slice(0, -1).join(", ")} and ${files[files.length - 1]} resolve to the same physical names ` +
            `(${project}:projectName "${projectName}" with ${project}:environment "${environment}": ${names.namePrefix}-*, ` +
            `${names.jwtSecret.secret}, ${names.database.instance}), so each of these stacks would create, and on destroy delete, ` +
            `the same AWS resources; give each stack but one its own ${project}:projectName (for example \`${project}:projectName: ` +
            `${projectName}-${copy}\` in ${stackFileName(copy)}), as docs/ci.md "Adding a stack" says`;
        return { stacks: group.map((identity) => identity.stack), message };
    });
}
