// The project's one stack list: a stack exists exactly when its `Pulumi.<name>.yaml` config file
// does. The offline gate reads it with `listStacks` and the GitHub workflows with this command, so
// adding a stack is adding its config file, and no second list can drift from the files `pulumi`
// itself reads.
//
//   npm run --silent stacks                      one name a line
//   npm run --silent stacks -- --github-output   `key=value` lines for $GITHUB_OUTPUT
import { defineCommand, EXIT_OK, runMain } from "../../policy-pack/lib/cli";
import { findProjectDir, listStacks } from "./stack-config";

/** The stack whose `pulumi up` runs behind the protected `production` GitHub environment. */
export const PRODUCTION_STACK = "prod";

/**
 * The workflow outputs derived from the stack list: every stack (previewed on pull requests),
 * the stacks deployed before production, and the production stack ("" when it has no config).
 */
export function stackOutputs(stacks: readonly string[]): Record<string, string> {
    return {
        "stacks": JSON.stringify(stacks),
        "non-production-stacks": JSON.stringify(stacks.filter((stack) => stack !== PRODUCTION_STACK)),
        "production-stack": stacks.includes(PRODUCTION_STACK) ? PRODUCTION_STACK : "",
    };
}

/** The command: the stacks of the project the user is in, one a line, or as workflow outputs. */
export const main = defineCommand(
    { name: "stacks", usage: "npm run --silent stacks [-- --github-output]", options: { "github-output": { type: "boolean" } } },
    ({ values }, io) => {
        const stacks = listStacks(findProjectDir(io.cwd));
        const lines = values["github-output"] ? Object.entries(stackOutputs(stacks)).map(([key, value]) => `${key}=${value}`) : stacks;
        io.stdout.write(lines.map((line) => `${line}\n`).join(""));
        return EXIT_OK;
    },
);

if (require.main === module) {
    runMain(main);
}
