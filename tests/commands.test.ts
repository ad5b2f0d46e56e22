// The commands the README and docs give, run as a user runs them: through npm, from the folder
// the docs name (or a subfolder of the project). Each is a real npm process, started when this
// file loads so that it runs beside the in-process tests.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EXIT_ERROR, EXIT_FAILED } from "../policy-pack/lib/cli";
import { startEarly } from "../policy-pack/tests/early-process";

const ROOT = path.resolve(__dirname, "..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "commands-"));

/** A stack export with one resource the pack refuses (mandatory): a secret deleted without recovery. */
const exportFile = path.join(work, "stack-export.json");
fs.writeFileSync(exportFile, JSON.stringify({
    version: 3,
    deployment: {
        resources: [{
            urn: "urn:pulumi:dev::p::aws:secretsmanager/secret:Secret::s", custom: true, type: "aws:secretsmanager/secret:Secret",
            inputs: { recoveryWindowInDays: 0 }, outputs: { recoveryWindowInDays: 0 },
        }],
    },
}));
const configFile = path.join(work, "cfg.json");
fs.writeFileSync(configFile, "{}");

/** The README's machine-readable audit command, its operands replaced by this test's files, given relative to `folder`. */
function readmeAuditCommand(folder: string): string[] {
    const line = /^(npm run [^\n#]*policy:audit -- --json[^\n#]*?)\s*#/m.exec(README)?.[1];
    assert.ok(line, "README shows the machine-readable audit command");
    return line.split(/\s+/).map((word) => (word === "cfg.json" ? path.relative(folder, configFile) : word === "-" ? path.relative(folder, exportFile) : word));
}

const docsFolder = path.join(ROOT, "docs");
const readmeAudit = startEarly(readmeAuditCommand(docsFolder), { cwd: docsFolder });
const packFolder = path.join(ROOT, "policy-pack");
const auditInPack = startEarly(["npm", "run", "--silent", "policy:audit", "--", path.relative(packFolder, exportFile)], { cwd: packFolder });
const previewInPack = startEarly(["npm", "run", "preview:offline", "--", "--stack", "prod"], { cwd: packFolder });
const doctorInPack = startEarly(["npm", "run", "doctor", "--", "--stack", "prod"], { cwd: packFolder });
const stacksInPack = startEarly(["npm", "run", "--silent", "stacks"], { cwd: packFolder });
// Lists the tests `npm test` runs in policy-pack/ without running them (mocha's --dry-run).
const packTests = startEarly(["npm", "--silent", "test", "--", "--dry-run", "--reporter", "json"], { cwd: packFolder });

describe("the documented commands, through npm", function () {
    it("the README's machine-readable audit writes only the JSON document on stdout, from a subfolder with paths relative to it", async () => {
        const run = await readmeAudit.result;
        assert.strictEqual(run.status, EXIT_FAILED, run.stderr);
        const report = JSON.parse(run.stdout) as Array<{ policyName: string; enforcementLevel: string }>;
        assert.deepStrictEqual(report.map((violation) => [violation.policyName, violation.enforcementLevel]), [["secret-recovery-window", "mandatory"]]);
    });

    it("in policy-pack/, where the docs send users to publish: the audit runs, the preview says where it runs", async () => {
        const audit = await auditInPack.result;
        assert.strictEqual(audit.status, EXIT_FAILED, audit.stderr);
        assert.match(audit.stdout, /secret-recovery-window/);
        const preview = await previewInPack.result;
        assert.strictEqual(preview.status, EXIT_ERROR);
        assert.match(preview.stderr, /preview:offline previews a stack of the Pulumi project, whose folder holds Pulumi\.yaml: run it there \(cd \.\. && npm run preview:offline -- --stack <name>\)/);
        // npm adds its own lines after a script that fails in a workspace folder; the message comes first.
        const doctor = await doctorInPack.result;
        assert.strictEqual(doctor.status, EXIT_ERROR);
        assert.match(doctor.stderr, /^doctor checks a deployed stack of the Pulumi project, whose folder holds Pulumi\.yaml: run it there \(cd \.\. && npm run doctor -- --stack <name>\)\n/);
        const stacks = await stacksInPack.result;
        assert.strictEqual(stacks.status, EXIT_ERROR);
        assert.match(stacks.stderr, /^stacks lists the stacks of the Pulumi project, whose folder holds Pulumi\.yaml: run it there \(cd \.\. && npm run --silent stacks\)\n/);
    });

    it("in policy-pack/, `npm test` runs the pack's own tests and no other", async () => {
        const run = await packTests.result;
        assert.strictEqual(run.status, 0, run.stderr);
        const files = new Set((JSON.parse(run.stdout) as { tests: Array<{ file: string }> }).tests.map((test) => path.relative(packFolder, test.file)));
        const packTestFiles = fs.readdirSync(path.join(packFolder, "tests")).filter((file) => file.endsWith(".test.ts")).map((file) => path.join("tests", file));
        assert.deepStrictEqual([...files].sort(), packTestFiles.sort());
    });
});
