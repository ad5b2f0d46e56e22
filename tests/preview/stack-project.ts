// A copy of this project with one more stack, `qa`, for tests of what the offline preview says
// about a stack file: the project's Pulumi.yaml and package.json, its node_modules and program
// linked in, and the stack file the test gives. The repository's own stack files stay untouched.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CliIo } from "../../policy-pack/lib/cli";
import { main } from "../../tools/preview/preview-offline";

export const ROOT = path.resolve(__dirname, "..", "..");
const PROGRAM = ["index.ts", "components", "lib", "policy-pack"];

/** Staging's settings with `lines` added under `config:` (a valid stack plus the mistake under test). */
export function stagingWith(...lines: string[]): string {
    const staging = fs.readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8");
    return `${staging.trimEnd()}\n${lines.map((line) => `  ${line}`).join("\n")}\n`;
}

/**
 * A project folder like this one with a stack `qa` whose file is `stackYaml`: its only stack, or
 * with `keepStacks`, one more beside this project's own.
 */
export function projectWithStack(stackYaml: string, { keepStacks = false } = {}): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qa-stack-"));
    const files = keepStacks ? fs.readdirSync(ROOT).filter((file) => /^Pulumi\..+\.yaml$/.test(file)) : [];
    for (const file of ["Pulumi.yaml", ...files]) {
        fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
    }
    fs.copyFileSync(path.join(ROOT, "package.json"), path.join(dir, "package.json"));
    for (const entry of ["node_modules", ...PROGRAM]) {
        fs.symlinkSync(path.join(ROOT, entry), path.join(dir, entry));
    }
    fs.writeFileSync(path.join(dir, "Pulumi.qa.yaml"), stackYaml);
    return dir;
}

/** `npm run preview:offline -- --stack qa --no-policy` in a project whose qa stack file is `stackYaml`. */
export async function previewQa(stackYaml: string): Promise<{ code: number; stdout: string; stderr: string }> {
    const written = { stdout: "", stderr: "" };
    const io: Partial<CliIo> = {
        stdout: { write: (text: string) => (written.stdout += text) },
        stderr: { write: (text: string) => (written.stderr += text) },
    };
    const code = await main(["--stack", "qa", "--cwd", projectWithStack(stackYaml), "--no-policy"], io);
    return { code, ...written };
}
