/**
 * How a problem of a stack's configuration reads, wherever it is found: by the program itself
 * (lib/config.ts, under `pulumi preview` and `up`) or, before anything runs, by the offline
 * preview and the doctor (tools/preview/stack-config.ts). Every problem is one sentence that
 * starts with the key it is about (`<namespace>:<key>: ...`); the checks both sides make are here.
 * Pure: no Pulumi calls.
 */
import { closestName } from "../policy-pack/lib/closest-name";

/** The stack file of a stack, as the Pulumi CLI names it. */
export function stackFileName(stack: string): string {
    return `Pulumi.${stack}.yaml`;
}

/** The one wording of an invalid configuration: the stack file, then every problem, one a line. */
export function invalidStackConfiguration(stackFile: string, problems: readonly string[]): string {
    return `${stackFile}: invalid stack configuration (nothing was created):\n${problems.map((problem) => `  - ${problem}`).join("\n")}`;
}

/**
 * A key set in the project's namespace that the project does not declare (Pulumi.yaml), with
 * the closest of `knownKeys` (fully qualified) as the likely intended one. The Pulumi CLI passes
 * such a key through to the program, which never reads it: the default would silently stay.
 */
export function undeclaredKeyProblem(key: string, knownKeys: readonly string[]): string {
    const near = closestName(key, knownKeys);
    return `${key}: not a setting of this project (Pulumi.yaml declares no such key)${near === undefined ? "" : `; did you mean ${near}?`}`;
}

/** The key a problem is about: its leading `<namespace>:<key>`. */
export function problemKey(problem: string): string | undefined {
    return /^([^\s:]+:[^\s:]+):/.exec(problem)?.[1];
}
