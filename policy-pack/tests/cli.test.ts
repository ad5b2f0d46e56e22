import * as assert from "assert";
import { mkdirSync, mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { Readable } from "stream";
import {
    CliIo, cliIo, defineCommand, EXIT_ERROR, EXIT_FAILED, EXIT_OK, InputError, parseCommandLine, readUserJson, resolveUserPath, runMain,
    UsageError, userFolder, writableUserPath,
} from "../lib/cli";

const SPEC = {
    name: "preview:offline",
    usage: "npm run preview:offline -- --stack <name> [--out FILE] [--json]",
    help: "  --stack  the stack",
    options: {
        stack: { type: "string", short: "s" },
        out: { type: "string" },
        json: { type: "boolean" },
        tag: { type: "string", multiple: true },
    },
} as const;
const NO_NPM = {};

/** The UsageError parsing `argv` by SPEC throws, as `UsageError: <message>`. */
function usageError(argv: string[], spec: typeof SPEC & { positionals?: boolean } = SPEC, env: NodeJS.ProcessEnv = NO_NPM): string {
    try {
        parseCommandLine(spec, argv, env);
    } catch (error) {
        assert.ok(error instanceof UsageError, String(error));
        return `${error.name}: ${error.message}`;
    }
    return assert.fail(`${argv.join(" ")} was accepted`);
}

/** A test's CliIo: stdin from `input`, stdout and stderr collected. */
function capture(input = "", cwd = process.cwd()) {
    const written = { stdout: "", stderr: "" };
    const io: CliIo = {
        stdin: Readable.from([input]),
        stdout: { write: (text: string) => (written.stdout += text) },
        stderr: { write: (text: string) => (written.stderr += text) },
        cwd,
    };
    return { io, written };
}

describe("the CLI kit (policy-pack/lib/cli)", () => {
    describe("parseCommandLine", () => {
        it("gives the options' values, typed, and the operands", () => {
            const line = parseCommandLine({ ...SPEC, positionals: true }, ["-s", "prod", "--json", "--tag", "a", "--tag=b", "file.json", "--", "--out"], NO_NPM);
            assert.deepStrictEqual(line.values, { stack: "prod", json: true, tag: ["a", "b"] });
            assert.deepStrictEqual(line.positionals, ["file.json", "--out"]);
        });

        it("names an unknown option, with the closest known one when it is a likely misspelling", () => {
            assert.strictEqual(usageError(["--stak", "prod"]), "UsageError: unknown option --stak; did you mean --stack?");
            assert.strictEqual(usageError(["--yaml"]), "UsageError: unknown option --yaml");
            assert.strictEqual(usageError(["-x"]), "UsageError: unknown option -x");
        });

        it("names an option without its value, or a flag given one", () => {
            assert.strictEqual(usageError(["--stack"]), "UsageError: --stack needs a value");
            assert.strictEqual(usageError(["--stack", "--json"]),
                "UsageError: --stack needs a value (got the option --json; write --stack=--json if that is the value)");
            assert.strictEqual(usageError(["--json=yes"]), "UsageError: --json takes no value");
        });

        it("names an operand the command does not take", () => {
            assert.strictEqual(usageError(["--stack", "prod", "extra"]), "UsageError: unexpected argument extra: the command takes only options");
        });

        it("catches options npm took for its own (`npm run x --stack prod`, without `--`) and gives the command that works", () => {
            const env = { npm_lifecycle_event: "preview:offline", npm_config_stack: "true", npm_config_json: "true" };
            assert.strictEqual(usageError(["prod"], SPEC, env),
                "UsageError: npm took --stack, --json for its own settings, so the command never got them; " +
                "put the command's arguments after `--`: npm run preview:offline -- --stack prod --json");
            assert.match(usageError([], SPEC, { npm_lifecycle_event: "preview:offline", npm_config_out: "my export.json" }),
                /: npm run preview:offline -- --out 'my export\.json'$/);
            // Another script's settings (npm test running this command) are not this command's.
            assert.deepStrictEqual(parseCommandLine(SPEC, [], { npm_lifecycle_event: "test", npm_config_json: "true" }).values, {});
        });
    });

    describe("defineCommand", () => {
        const ran: string[] = [];
        const command = defineCommand(SPEC, ({ values }) => {
            ran.push(String(values.stack));
            if (values.stack === "bad-input") {
                throw new InputError("Pulumi.bad-input.yaml: not a mapping");
            }
            if (values.stack === "crash") {
                throw new TypeError("x is undefined");
            }
            return values.stack === "violating" ? EXIT_FAILED : EXIT_OK;
        });
        const debugCommand = defineCommand({ ...SPEC, options: { ...SPEC.options, debug: { type: "boolean" } } }, () => {
            throw new Error("program failed");
        });

        it("resolves to what the command returns: 0 ok, 1 its failed verdict", async () => {
            assert.strictEqual(await command(["--stack", "prod"], capture().io), EXIT_OK);
            assert.strictEqual(await command(["--stack", "violating"], capture().io), EXIT_FAILED);
        });

        it("reports a usage error with the usage line, exit 2, before running anything", async () => {
            ran.length = 0;
            const { io, written } = capture();
            assert.strictEqual(await command(["--stak", "prod"], io), EXIT_ERROR);
            assert.strictEqual(written.stderr, `preview:offline: unknown option --stak; did you mean --stack?\nusage: ${SPEC.usage}\n`);
            assert.strictEqual(written.stdout, "");
            assert.deepStrictEqual(ran, []);
        });

        it("reports bad input and any other error by its message alone, exit 2", async () => {
            const input = capture();
            assert.strictEqual(await command(["--stack", "bad-input"], input.io), EXIT_ERROR);
            assert.strictEqual(input.written.stderr, "preview:offline: Pulumi.bad-input.yaml: not a mapping\n");
            const crash = capture();
            assert.strictEqual(await command(["--stack", "crash"], crash.io), EXIT_ERROR);
            assert.strictEqual(crash.written.stderr, "preview:offline: x is undefined\n");
        });

        it("adds the stack trace when the command has a --debug option and it is given", async () => {
            const plain = capture();
            assert.strictEqual(await debugCommand([], plain.io), EXIT_ERROR);
            assert.strictEqual(plain.written.stderr, "preview:offline: program failed\n");
            const debug = capture();
            assert.strictEqual(await debugCommand(["--debug"], debug.io), EXIT_ERROR);
            assert.match(debug.written.stderr, /^preview:offline: Error: program failed\n {4}at /);
        });

        it("answers --help and -h with the usage and the arguments on stdout, exit 0", async () => {
            for (const flag of ["--help", "-h"]) {
                const { io, written } = capture();
                assert.strictEqual(await command(["--stak", flag], io), EXIT_OK);
                assert.strictEqual(written.stdout, `usage: ${SPEC.usage}\n${SPEC.help}\n`);
            }
        });
    });

    describe("the user's folder and paths", () => {
        const dir = mkdtempSync(path.join(tmpdir(), "cli-kit-"));

        it("takes the user's folder from npm's INIT_CWD, else the process's folder", () => {
            assert.strictEqual(userFolder({ INIT_CWD: dir }), dir);
            assert.strictEqual(userFolder({}), process.cwd());
            assert.strictEqual(cliIo({ cwd: dir }).cwd, dir);
            assert.strictEqual(cliIo().stdout, process.stdout);
        });

        it("resolves a path the user gave against the user's folder", () => {
            assert.strictEqual(resolveUserPath({ cwd: dir }, "../x.json"), path.join(path.dirname(dir), "x.json"));
            assert.strictEqual(resolveUserPath({ cwd: dir }, "/abs/x.json"), path.resolve("/abs/x.json"));
        });

        it("reads a JSON file from the user's folder or stdin, naming the resolved path when it cannot", async () => {
            writeFileSync(path.join(dir, "config.json"), '{"a": 1}');
            writeFileSync(path.join(dir, "broken.json"), "{oops");
            assert.deepStrictEqual(await readUserJson(capture("", dir).io, "config.json", "policy config"), { a: 1 });
            assert.deepStrictEqual(await readUserJson(capture("[2]", dir).io, "-", "policy config"), [2]);
            await assert.rejects(readUserJson(capture("", dir).io, "missing.json", "policy config"),
                new InputError(`cannot read policy config ${path.join(dir, "missing.json")}: no such file or directory`));
            await assert.rejects(readUserJson(capture("", dir).io, "broken.json", "policy config"),
                (error: Error) => error instanceof InputError && error.message.startsWith(`cannot read policy config ${path.join(dir, "broken.json")}: not valid JSON: `));
            await assert.rejects(readUserJson(capture("{", dir).io, "-", "input"), /^InputError: cannot read input on stdin: not valid JSON: /);
        });

        it("checks a file to be written before any work: its folder must exist and it must not be a folder", () => {
            mkdirSync(path.join(dir, "sub"), { recursive: true });
            assert.strictEqual(writableUserPath({ cwd: dir }, "out.json", "stack export"), path.join(dir, "out.json"));
            assert.throws(() => writableUserPath({ cwd: dir }, "no-such-folder/out.json", "stack export"),
                new InputError(`cannot write stack export ${path.join(dir, "no-such-folder", "out.json")}: no such file or directory`));
            assert.throws(() => writableUserPath({ cwd: dir }, "sub", "stack export"),
                new InputError(`cannot write stack export ${path.join(dir, "sub")}: is a directory`));
            assert.throws(() => writableUserPath({ cwd: dir }, "config.json/out.json", "stack export"), /config\.json[\\/]out\.json: a part of the path is not a directory$/);
        });
    });

    describe("runMain", () => {
        it("runs the command with the process's arguments and makes its exit code the process's", async () => {
            const [argv, exitCode] = [process.argv, process.exitCode];
            let seen: readonly string[] = [];
            try {
                process.argv = [process.execPath, "script.ts", "--stack", "prod"];
                await new Promise<void>((resolve) => runMain(async (args) => {
                    seen = args;
                    setImmediate(resolve);
                    return 3;
                }));
                assert.deepStrictEqual(seen, ["--stack", "prod"]);
                assert.strictEqual(process.exitCode, 3);
            } finally {
                [process.argv, process.exitCode] = [argv, exitCode];
            }
        });
    });
});
