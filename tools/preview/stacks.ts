// The project's one stack list: a stack exists exactly when its `Pulumi.<name>.yaml` config file
// does. The offline gate reads it with `listStacks` and the GitHub workflows with this command, so
// adding a stack is adding its config file, and no second list can drift from the files `pulumi`
// itself reads. A stack is a production stack when its `adma:environment` is prod, whatever its
// name (project-stacks.ts); stack files that would share physical names are refused.
//
//   npm run --silent stacks                      one name a line
//   npm run --silent stacks -- --github-output   `key=value` lines for $GITHUB_OUTPUT
import { defineCommand, EXIT_OK, runMain } from "../../policy-pack/lib/cli";
import { isProductionStack, projectStacks, StackIdentity } from "./project-stacks";
import { findProjectDir } from "./stack-config";

/**
 * The workflow outputs derived from the stack list, as JSON lists of stack names: every stack
 * (previewed on pull requests), the stacks deployed first, and the production stacks, deployed
 * last behind the protected `production` GitHub environment.
 */
export function stackOutputs(stacks: readonly StackIdentity[]): Record<string, string> {
    const names = (selected: readonly StackIdentity[]) => JSON.stringify(selected.map((identity) => identity.stack));
    return {
        "stacks": names(stacks),
        "non-production-stacks": names(stacks.filter((identity) => !isProductionStack(identity))),
        "production-stacks": names(stacks.filter(isProductionStack)),
    };
}

/** The command: the stacks of the project the user is in, one a line, or as workflow outputs. */
export const main = defineCommand(
    { name: "stacks", usage: "npm run --silent stacks [-- --github-output]", options: { "github-output": { type: "boolean" } } },
    ({ values }, io) => {
        const stacks = projectStacks(findProjectDir(io.cwd));
        const lines = values["github-output"] ? Object.entries(stackOutputs(stacks)).map(([key, value]) => `${key}=${value}`) : stacks.map((identity) => identity.stack);
        io.stdout.write(lines.map((line) => `${line}\n`).join(""));
        return EXIT_OK;
    },
);

if (require.main === module) {
    runMain(main);
}
