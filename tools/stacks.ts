// The project's one stack list: a stack exists exactly when its `Pulumi.<name>.yaml` config file
// does. The offline gate and the GitHub workflows both read it from here, so adding a stack is
// adding its config file, and no second list can drift from the files `pulumi` itself reads.
//
//   npm run --silent stacks                      one name a line
//   npm run --silent stacks -- --github-output   `key=value` lines for $GITHUB_OUTPUT
import * as path from "path";
import { listStacks } from "./stack-config";

export { listStacks };

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

function main(argv: readonly string[]): number {
    const unknown = argv.filter((arg) => arg !== "--github-output");
    if (unknown.length > 0) {
        process.stderr.write(`stacks: unknown argument ${unknown[0]}; the only option is --github-output\n`);
        return 2;
    }
    const stacks = listStacks(path.resolve(__dirname, ".."));
    const lines = argv.includes("--github-output")
        ? Object.entries(stackOutputs(stacks)).map(([key, value]) => `${key}=${value}`)
        : stacks;
    process.stdout.write(lines.map((line) => `${line}\n`).join(""));
    return 0;
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
