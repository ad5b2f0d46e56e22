import { strict as assert } from "assert";
import * as path from "path";
import { EXIT_ERROR, EXIT_OK } from "../../policy-pack/lib/cli";
import { main as stacksCommand, PRODUCTION_STACK, stackOutputs } from "../../tools/preview/stacks";

const FIXTURE_PROJECT = path.join(__dirname, "..", "fixtures", "violating-project");

describe("the one stack list (tools/preview/stacks)", () => {
    it("gives the workflows every stack, the stacks before production, and production", () => {
        assert.deepEqual(stackOutputs(["dev", "prod", "staging"]), {
            "stacks": '["dev","prod","staging"]',
            "non-production-stacks": '["dev","staging"]',
            "production-stack": PRODUCTION_STACK,
        });
        assert.deepEqual(stackOutputs(["dev"]), { "stacks": '["dev"]', "non-production-stacks": '["dev"]', "production-stack": "" });
    });

    it("as a command, prints the stacks of the user's project, one a line or as workflow outputs", async () => {
        const run = async (argv: string[]) => {
            const written = { stdout: "", stderr: "" };
            const code = await stacksCommand(argv, {
                cwd: FIXTURE_PROJECT,
                stdout: { write: (text: string) => (written.stdout += text) },
                stderr: { write: (text: string) => (written.stderr += text) },
            });
            return { code, ...written };
        };
        assert.deepEqual(await run([]), { code: EXIT_OK, stdout: "compliant\nviolating\n", stderr: "" });
        assert.equal((await run(["--github-output"])).stdout,
            'stacks=["compliant","violating"]\nnon-production-stacks=["compliant","violating"]\nproduction-stack=\n');
        assert.deepEqual(await run(["--github"]), {
            code: EXIT_ERROR, stdout: "", stderr: "stacks: unknown option --github\nusage: npm run --silent stacks [-- --github-output]\n",
        });
    });
});
