// The lint setup knows Pulumi: linting a file with the mistakes it exists for reports them,
// through the project's own eslint.config.mjs and the way `npm run lint` (tools/dev/lint.ts) gives
// its type-aware rules a TypeScript program (the fixture is ignored by `npm run lint`).
import { strict as assert } from "assert";
import * as path from "path";
import { ESLint } from "eslint";
import { eslintWithProgram, projectProgram } from "../../tools/dev/lint";

const ROOT = path.resolve(__dirname, "..", "..");
const FIXTURE_DIR = path.join(__dirname, "..", "fixtures", "lint");
const FIXTURE = path.join(FIXTURE_DIR, "output-in-template.ts");

describe("lint", function () {
    it("reports an Output in a plain template literal and an unawaited promise, and nothing in the correct code", async () => {
        const eslint = eslintWithProgram(projectProgram(path.join(FIXTURE_DIR, "tsconfig.json")), { ignore: false });
        const [report] = await eslint.lintFiles([FIXTURE]);
        const found = report.messages.map((message) => `${message.line} ${message.ruleId}`);
        assert.deepEqual(found, [
            "7 @pulumi/no-output-in-template-literal",
            "15 @typescript-eslint/no-floating-promises",
        ]);
    });

    it("names the tsconfig it cannot read", () => {
        assert.throws(() => projectProgram(path.join(FIXTURE_DIR, "missing.json")), /^Error: cannot read .*missing\.json: /);
    });

    it("ignores the fixture in the project-wide run", async () => {
        assert.equal(await new ESLint({ cwd: ROOT }).isPathIgnored(FIXTURE), true);
    });
});
