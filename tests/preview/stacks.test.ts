import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { EXIT_ERROR, EXIT_OK } from "../../policy-pack/lib/cli";
import { main as stacksCommand, stackOutputs } from "../../tools/preview/stacks";
import { projectWithStack, ROOT } from "./stack-project";

const FIXTURE_PROJECT = path.join(__dirname, "..", "fixtures", "violating-project");

const run = async (argv: string[], cwd = FIXTURE_PROJECT) => {
    const written = { stdout: "", stderr: "" };
    const code = await stacksCommand(argv, {
        cwd,
        stdout: { write: (text: string) => (written.stdout += text) },
        stderr: { write: (text: string) => (written.stderr += text) },
    });
    return { code, ...written };
};

const prodFile = () => fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8");

describe("the one stack list (tools/preview/stacks)", () => {
    it("gives the workflows every stack, the stacks before production, and the production stacks, by their environment", () => {
        const stack = (name: string, environment?: string) => ({ stack: name, project: "adma", projectName: "adma", environment });
        assert.deepEqual(stackOutputs([stack("dev", "dev"), stack("live", "prod"), stack("prod", "staging")]), {
            "stacks": '["dev","live","prod"]',
            "non-production-stacks": '["dev","prod"]',
            "production-stacks": '["live"]',
        });
        assert.deepEqual(stackOutputs([stack("dev", "dev")]), { "stacks": '["dev"]', "non-production-stacks": '["dev"]', "production-stacks": "[]" });
    });

    it("lists this project's prod stack as production", async () => {
        assert.equal((await run(["--github-output"], ROOT)).stdout,
            'stacks=["dev","prod","staging"]\nnon-production-stacks=["dev","staging"]\nproduction-stacks=["prod"]\n');
    });

    it("takes a stack whose environment is prod for a production stack, whatever its name", async () => {
        const qa = projectWithStack(prodFile().replace("adma:environment: prod", "adma:environment: prod\n  adma:projectName: adma-qa"), { keepStacks: true });
        assert.match((await run(["--github-output"], qa)).stdout, /^production-stacks=\["prod","qa"\]$/m);
    });

    it("refuses a stack file copied from another, which would deploy over the other's resources", async () => {
        const copied = await run(["--github-output"], projectWithStack(prodFile(), { keepStacks: true }));
        assert.equal(copied.code, EXIT_ERROR);
        assert.equal(copied.stdout, "");
        assert.match(copied.stderr, /^stacks: Pulumi\.prod\.yaml and Pulumi\.qa\.yaml resolve to the same physical names \(adma:projectName "adma" with adma:environment "prod": adma-prod-\*, \/adma\/prod\/jwt-secret, adma-prod-postgres\).*`adma:projectName: adma-qa` in Pulumi\.qa\.yaml/);
    });

    it("refuses a stack whose environment is not set: whether it is production cannot be told", async () => {
        const unset = await run([], projectWithStack(prodFile().replace("  adma:environment: prod\n", ""), { keepStacks: true }));
        assert.equal(unset.code, EXIT_ERROR);
        assert.match(unset.stderr, /^stacks: Pulumi\.qa\.yaml: adma:environment is not set, so neither .* production stack can be told/);
    });

    it("as a command, prints the stacks of the user's project, one a line or as workflow outputs", async () => {
        assert.deepEqual(await run([]), { code: EXIT_OK, stdout: "compliant\nviolating\n", stderr: "" });
        assert.equal((await run(["--github-output"])).stdout,
            'stacks=["compliant","violating"]\nnon-production-stacks=["compliant","violating"]\nproduction-stacks=[]\n');
        assert.deepEqual(await run(["--github"]), {
            code: EXIT_ERROR, stdout: "", stderr: "stacks: unknown option --github\nusage: npm run --silent stacks [-- --github-output]\n",
        });
    });
});
