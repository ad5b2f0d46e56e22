/** `npm run policy:audit`: arguments, input and config files, output, exit status and errors. */
import * as assert from "assert";
import * as path from "path";
import * as types from "../policies/resource-types";
import { startEarly } from "./early-process";
import { compliantStates, encrypted, previewJson, runAudit, scratchFolder, stackExport, stateUrn, withState } from "./helpers";

const urn = stateUrn;

describe("policy:audit CLI", () => {
    const { dir, file } = scratchFolder("policy-audit-");
    const audit = (args: string[], input = "") => runAudit(args, input);

    const failing = withState(compliantStates(), "db", (s) => { s.inputs.password = encrypted(); });

    // One real process proves the wiring: process arguments, streams and exit status. Started
    // with the file (./early-process.ts), so it runs beside the other tests; with the TypeScript
    // hook `npm run policy:audit` uses.
    const auditRun = startEarly([process.execPath, "-r", "tsx/cjs", "audit/cli.ts", file("bad-spawned.json", stackExport(failing))],
        { cwd: path.resolve(__dirname, "..") });
    it("runs as a command: exits 1 on a mandatory violation and prints the table", async function () {
        this.timeout(60_000);
        const result = await auditRun.result;
        assert.strictEqual(result.status, 1, result.stderr);
        assert.match(result.stdout, /mandatory\s+no-plaintext-db-password\s+aws:rds\/instance:Instance::db/);
    });

    // Its reader gone before it writes (`npm run --silent policy:audit -- --json FILE | head -c 0`).
    const closedPipeRun = startEarly([process.execPath, "-r", "tsx/cjs", "audit/cli.ts", "--json", file("bad-piped.json", stackExport(failing))],
        { cwd: path.resolve(__dirname, "..") });
    closedPipeRun.child.stdout!.destroy();
    it("stops quietly with its verdict when the reader of its output has gone (a closed pipe)", async function () {
        this.timeout(60_000);
        const result = await closedPipeRun.result;
        assert.strictEqual(result.stderr, "");
        assert.strictEqual(result.status, 1);
    });

    it("exits 0 on a compliant export and prints a table", async () => {
        const result = await audit([file("ok.json", stackExport(compliantStates()))]);
        assert.strictEqual(result.status, 0, result.stderr);
        assert.match(result.stdout, /No policy violations in 8 resources\./);
    });

    it("counts the resources as `pulumi preview` does, and says how many providers the export adds", async () => {
        const provider = (name: string) => ({ urn: `urn:pulumi:prod::adma::pulumi:providers:${name}::default`, custom: true, id: "id", type: `pulumi:providers:${name}` });
        const exported = stackExport(compliantStates());
        exported.deployment.resources.push(provider("aws"), provider("random"));
        const withProviders = await audit([file("providers.json", exported)]);
        assert.match(withProviders.stdout, /^No policy violations in 10 resources \(8 \+ 2 providers\)\.$/m);
        const one = stackExport([]);
        one.deployment.resources.push(provider("aws"));
        assert.match((await audit([file("one.json", one)])).stdout, /^No policy violations in 2 resources \(1 \+ 1 provider\)\.$/m);
        assert.match((await audit([file("stack-only.json", stackExport([]))])).stdout, /^No policy violations in 1 resource\.$/m);
    });

    it("exits 1 on a mandatory violation; --json prints exactly one array", async () => {
        const result = await audit(["--json", file("bad.json", stackExport(failing))]);
        assert.strictEqual(result.status, 1, result.stderr);
        const violations = JSON.parse(result.stdout);
        assert.deepStrictEqual(violations, [{
            policyName: "no-plaintext-db-password", resource: urn(types.RDS_INSTANCE, "db"), urn: urn(types.RDS_INSTANCE, "db"),
            message: violations[0].message, enforcementLevel: "mandatory",
        }]);
    });

    it("reads a UTF-8 export with non-ASCII names exactly", async () => {
        const renamed = failing.map((s) => (s.name === "db" ? { ...s, name: "db-é€😀" } : s));
        const result = await audit(["--json", file("bad-utf8.json", stackExport(renamed))]);
        assert.strictEqual(result.status, 1, result.stderr);
        assert.deepStrictEqual(JSON.parse(result.stdout).map((v: { urn: string }) => v.urn), [urn(types.RDS_INSTANCE, "db-é€😀")]);
    });

    it("reads a preview document from stdin and a policy config file", async () => {
        const config = file("config.json", { "no-plaintext-db-password": { enforcementLevel: "advisory" } });
        const result = await audit(["--config", config, "--json", "-"], JSON.stringify(previewJson(failing)));
        assert.strictEqual(result.status, 0, result.stderr);
        assert.deepStrictEqual(JSON.parse(result.stdout).map((v: { enforcementLevel: string }) => v.enforcementLevel), ["advisory"]);
    });

    it("prints the violation table", async () => {
        const result = await audit([file("bad2.json", stackExport(failing))]);
        assert.strictEqual(result.status, 1);
        assert.match(result.stdout, /LEVEL\s+POLICY\s+RESOURCE\s+MESSAGE/);
        assert.match(result.stdout, /mandatory\s+no-plaintext-db-password\s+aws:rds\/instance:Instance::db/);
    });

    const unreadable: [string, string[], RegExp][] = [
        ["a missing file", [path.join(dir, "missing.json")], /cannot read input/],
        ["invalid JSON", [file("broken.json", "{")], /cannot read input .*broken\.json: not valid JSON/],
        ["invalid JSON on stdin", ["-"], /cannot read input on stdin: not valid JSON: Expected property name or '}' in JSON at position 1 \(line 1, column 2\)$/m],
        ["a truncated export", [file("truncated.json", '{"version":3,"deployment":{"resources":[{"urn":"u","type":"t"},{"urn"')],
            /cannot read input .*truncated\.json: not valid JSON: Expected ':' after property name in JSON at position 69 \(line 1, column 70\)$/m],
        ["invalid JSON on a later line", [file("lines.json", '{\n  "version": 3,\n  "deployment": {]\n}')], /not valid JSON: .* \(line 3, column 18\)$/m],
        ["an empty input", [file("empty.json", "  ")], /cannot read input .*empty\.json: not valid JSON: Unexpected end of JSON input$/m],
        ["invalid JSON next to a secret value, without quoting it", [file("secret.json", '{"secretString":"s3cr3t-value","v":x}')],
            /cannot read input .*secret\.json: not valid JSON: Unexpected token 'x'$/m],
        ["an older export version", [file("v2.json", { version: 2, deployment: { resources: [] } })], /unsupported stack export version 2/],
        ["an unknown format", [file("other.json", { hello: 1 })], /found none of `deployment`, `steps`, `resource_changes`, `values`/],
        ["an invalid config", ["--config", file("badconfig.json", { nope: "advisory" }), file("ok2.json", stackExport([]))], /unknown policy "nope"/],
        ["no input", [], /^policy:audit: no input file given; to read the document from standard input \(`\.\.\. < export\.json`, a pipe\), give - as the file\nusage: /],
        ["an unknown option", ["--yaml", "x"], /unknown option --yaml/],
    ];
    for (const [what, args, message] of unreadable) {
        it(`exits 2 with a clear error on ${what}`, async () => {
            const result = await audit(args, "{");
            assert.strictEqual(result.status, 2, result.stdout);
            assert.match(result.stderr, message);
            assert.doesNotMatch(result.stderr, /s3cr3t/);
            assert.strictEqual(result.stdout, "");
        });
    }
});
