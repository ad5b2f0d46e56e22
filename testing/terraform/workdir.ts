/**
 * Terraform against a moto server, isolated from the user's Terraform and AWS settings: a
 * temporary copy of a configuration with a `moto_override.tf` that points the AWS provider at
 * moto, and a Terraform CLI configuration of its own that installs providers only from a local
 * filesystem mirror (no network). The user's `~/.terraformrc`, `TF_*` and `AWS_*` variables are
 * never read.
 *
 * Terraform facts used here: override files (`*_override.tf`) merge into the configuration's
 * blocks, a nested block such as `endpoints` replacing the original's (Terraform docs, "Override
 * Files"); `TF_CLI_CONFIG_FILE` names the CLI configuration and `provider_installation {
 * filesystem_mirror { path, include } }` restricts installation to the mirror (Terraform docs,
 * "CLI Configuration File"); `CHECKPOINT_DISABLE` stops the version check call, `TF_IN_AUTOMATION`
 * and `TF_INPUT=0` make it non-interactive ("Environment Variables"). Provider settings:
 * hashicorp/aws docs, "Custom Service Endpoints" and the provider's `skip_*` arguments.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MotoServer } from "../moto-server";

/** The directory Terraform's releases use for the running platform, e.g. `linux_amd64`. */
export function terraformPlatform(): string {
    const arch = ({ x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" } as Record<string, string>)[process.arch] ?? process.arch;
    return `${process.platform === "win32" ? "windows" : process.platform}_${arch}`;
}

/** The exact `hashicorp/aws` version a configuration's `required_providers` pins, read from its `versions.tf`. */
export function requiredAwsProviderVersion(configDir: string): string {
    const text = fs.readFileSync(path.join(configDir, "versions.tf"), "utf8");
    const match = /aws\s*=\s*\{[^}]*source\s*=\s*"hashicorp\/aws"[^}]*version\s*=\s*"(\d+\.\d+\.\d+)"/.exec(text);
    if (!match) {
        throw new Error(`${configDir}/versions.tf does not pin hashicorp/aws to an exact version`);
    }
    return match[1];
}

/**
 * Whether the filesystem mirror at `mirror` holds `hashicorp/aws` `version` for this platform,
 * unpacked (`<host>/<namespace>/<type>/<version>/<platform>/`) or packed
 * (`<host>/<namespace>/<type>/terraform-provider-<type>_<version>_<platform>.zip`), the two
 * layouts Terraform's filesystem_mirror reads.
 */
export function mirrorHasAwsProvider(mirror: string, version: string): boolean {
    const base = path.join(mirror, "registry.terraform.io", "hashicorp", "aws");
    return fs.existsSync(path.join(base, version, terraformPlatform())) ||
        fs.existsSync(path.join(base, `terraform-provider-aws_${version}_${terraformPlatform()}.zip`));
}

/** The AWS provider's endpoint settings for every service the fixture's resources and data sources call. */
const MOTO_SERVICES = ["ec2", "ecs", "iam", "logs", "rds", "secretsmanager", "ssm", "sts"] as const;

/** `moto_override.tf`: the configuration's `provider "aws"` block, pointed at moto with its fake credentials. */
export function motoProviderOverride(server: MotoServer): string {
    const endpoints = MOTO_SERVICES.map((service) => `    ${service.padEnd(14)} = ${hclString(server.endpoint)}`).join("\n");
    return `# Written by the fixture script: the AWS provider talks to moto (${server.endpoint}) only.
provider "aws" {
  region     = ${hclString(server.region)}
  access_key = ${hclString(server.clientConfig.credentials.accessKeyId)}
  secret_key = ${hclString(server.clientConfig.credentials.secretAccessKey)}

  # No instance metadata, no region list check; credentials are checked and the account id read
  # through moto's STS (moto's account, ${server.accountId}, appears in every ARN).
  skip_metadata_api_check     = true
  skip_region_validation      = true
  skip_credentials_validation = false
  skip_requesting_account_id  = false

  endpoints {
${endpoints}
  }
}
`;
}

/** The CLI configuration: providers come only from the filesystem mirror. */
export function cliConfiguration(mirror: string): string {
    return `provider_installation {
  filesystem_mirror {
    path    = ${hclString(mirror)}
    include = ["registry.terraform.io/hashicorp/*"]
  }
}
`;
}

function hclString(value: string): string {
    return JSON.stringify(value).replace(/\$\{/g, "$${").replace(/%\{/g, "%%{");
}

export class TerraformError extends Error {
    constructor(args: readonly string[], status: number | null, output: string) {
        const tail = output.trimEnd().split("\n").slice(-40).join("\n");
        super(`terraform ${args.join(" ")} failed (exit ${status}):\n${tail}`);
        this.name = "TerraformError";
    }
}

export interface TerraformWorkdirOptions {
    /** The configuration to copy: its `.tf` files and subfolders (modules); nothing else. */
    readonly configDir: string;
    readonly pluginMirror: string;
    readonly moto: MotoServer;
    /** `terraform` executable. Default: found on the PATH. */
    readonly terraform?: string;
}

/** A temporary copy of a configuration, wired to moto, in which Terraform commands run. */
export class TerraformWorkdir {
    private constructor(readonly dir: string, private readonly terraform: string, private readonly env: NodeJS.ProcessEnv) {}

    static create(options: TerraformWorkdirOptions): TerraformWorkdir {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "terraform-fixture-"));
        fs.cpSync(options.configDir, dir, {
            recursive: true,
            filter: (source) => fs.statSync(source).isDirectory() ? !/^(\.terraform|generated)$/.test(path.basename(source)) : source.endsWith(".tf"),
        });
        fs.writeFileSync(path.join(dir, "moto_override.tf"), motoProviderOverride(options.moto));
        const cliConfig = path.join(dir, ".terraformrc");
        fs.writeFileSync(cliConfig, cliConfiguration(options.pluginMirror));
        return new TerraformWorkdir(dir, options.terraform ?? "terraform", {
            ...isolatedEnvironment(process.env),
            ...options.moto.environment,
            TF_CLI_CONFIG_FILE: cliConfig,
            CHECKPOINT_DISABLE: "1",
            TF_IN_AUTOMATION: "1",
            TF_INPUT: "0",
        });
    }

    /** Writes `values` as `<name>.tfvars.json` in the work directory; returns its file name for `-var-file`. */
    writeVariables(name: string, values: Readonly<Record<string, unknown>>): string {
        const file = `${name}.tfvars.json`;
        fs.writeFileSync(path.join(this.dir, file), JSON.stringify(values, null, 2));
        return file;
    }

    /** Runs `terraform <args>` here; resolves with its stdout. @throws TerraformError with the end of its output. */
    run(args: readonly string[]): Promise<string> {
        return new Promise((resolve, reject) => {
            const child = spawn(this.terraform, [...args], { cwd: this.dir, env: this.env, stdio: ["ignore", "pipe", "pipe"] });
            let stdout = "";
            let output = "";
            child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
                stdout += chunk;
                output += chunk;
            });
            child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
            child.on("error", (error) => reject(new Error(`cannot run ${this.terraform}: ${error.message}`)));
            child.on("close", (status) => (status === 0 ? resolve(stdout) : reject(new TerraformError(args, status, output))));
        });
    }

    /** The contents of a file Terraform wrote here. */
    read(file: string): string {
        return fs.readFileSync(path.join(this.dir, file), "utf8");
    }

    remove(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

/** `env` without anything that configures Terraform or AWS: nothing of the user's reaches the run. */
export function isolatedEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    return Object.fromEntries(Object.entries(env).filter(([name]) => !/^(TF_|AWS_)/.test(name) && name !== "CHECKPOINT_DISABLE"));
}
