// The lint setup knows Pulumi: linting a file with the mistakes it exists for reports them,
// through the project's own eslint.config.mjs (the fixture is ignored by `npm run lint`).
import { strict as assert } from "assert";
import * as path from "path";
import { ESLint } from "eslint";

const ROOT = path.resolve(__dirname, "..");
const FIXTURE = path.join(__dirname, "fixtures", "lint", "output-in-template.ts");

describe("lint", function () {
    // The Pulumi rules need the TypeScript program (the project service loads @pulumi/pulumi's types).
    this.timeout(120_000);

    it("reports an Output in a plain template literal and an unawaited promise, and nothing in the correct code", async () => {
        const eslint = new ESLint({ cwd: ROOT, ignore: false });
        const [report] = await eslint.lintFiles([FIXTURE]);
        const found = report.messages.map((message) => `${message.line} ${message.ruleId}`);
        assert.deepEqual(found, [
            "6 @pulumi/no-output-in-template-literal",
            "14 @typescript-eslint/no-floating-promises",
        ]);
    });

    it("ignores the fixture in the project-wide run", async () => {
        assert.equal(await new ESLint({ cwd: ROOT }).isPathIgnored(FIXTURE), true);
    });
});
