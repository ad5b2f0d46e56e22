/**
 * The configuration the Pulumi providers a project depends on declare, read from the provider
 * packages themselves (never a hand-kept list), so that a misspelt `aws:profle` or a plaintext
 * `aws:secretKey` is caught before anything runs.
 *
 * A provider is a dependency of the project's package.json whose own package.json says
 * `"pulumi": {"resource": true, "name": <namespace>}` (the Pulumi Node.js SDK's plugin
 * discovery reads the same field). For each one, from the package's generated code:
 * - its configuration keys and their types: `config/vars.d.ts` (`export declare const <key>: <type>`,
 *   one per configuration variable of the provider's schema); a package without it declares none;
 * - its secret keys: `provider.js`, where the generated `Provider` wraps exactly the inputs the
 *   schema marks secret in `pulumi.secret(...)` (for @pulumi/aws: accessKey, secretKey, token).
 *
 * The AWS regions are the `Region` enum the AWS provider package ships (`types/enums/index.d.ts`),
 * read as text: requiring the module would load every enum submodule with it (about 45 ms).
 */
import * as fs from "fs";
import * as path from "path";

/** A configuration value's type as a provider declares it; `other` for structured ones (checked by the provider). */
export type ProviderKeyType = "string" | "number" | "boolean" | "string[]" | "other";

export interface ProviderConfig {
    /** The configuration namespace, e.g. `aws`. */
    readonly namespace: string;
    /** The package and its version, e.g. `@pulumi/aws 7.48.0`, for messages. */
    readonly packageLabel: string;
    /** The package's folder. */
    readonly packageDir: string;
    readonly keys: ReadonlyMap<string, ProviderKeyType>;
    readonly secretKeys: ReadonlySet<string>;
}

/** The nearest package.json at or above `folder` (the project's own package), or undefined. */
function projectPackageFile(folder: string): string | undefined {
    for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
        const file = path.join(dir, "package.json");
        if (fs.existsSync(file)) {
            return file;
        }
        if (path.dirname(dir) === dir) {
            return undefined;
        }
    }
}

/** The providers among the `dependencies` of the project's package.json, with what each declares. */
export function providerConfigs(projectDir: string): ProviderConfig[] {
    const packageFile = projectPackageFile(projectDir);
    if (packageFile === undefined) {
        return [];
    }
    const dependencies = Object.keys((JSON.parse(fs.readFileSync(packageFile, "utf8")) as { dependencies?: Record<string, string> }).dependencies ?? {});
    const providers: ProviderConfig[] = [];
    for (const name of dependencies.sort()) {
        let manifestFile: string;
        try {
            manifestFile = require.resolve(`${name}/package.json`, { paths: [path.dirname(packageFile)] });
        } catch {
            continue; // Not installed: `npm ci` reports that, not this.
        }
        const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { version?: string; pulumi?: { resource?: boolean; name?: string } };
        if (manifest.pulumi?.resource !== true) {
            continue;
        }
        const packageDir = path.dirname(manifestFile);
        providers.push({
            namespace: manifest.pulumi.name ?? name.replace(/^@pulumi\//, ""),
            packageLabel: `${name} ${manifest.version ?? ""}`.trim(),
            packageDir,
            keys: declaredKeys(packageDir),
            secretKeys: secretKeys(packageDir),
        });
    }
    return providers;
}

function readIfExists(file: string): string | undefined {
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        return undefined;
    }
}

const DECLARED_CONST = /^export declare const (\w+): (.+);$/gm;

function declaredKeys(packageDir: string): Map<string, ProviderKeyType> {
    const keys = new Map<string, ProviderKeyType>();
    for (const [, key, type] of (readIfExists(path.join(packageDir, "config", "vars.d.ts")) ?? "").matchAll(DECLARED_CONST)) {
        keys.set(key, keyType(type.replace(/ \| undefined$/, "")));
    }
    return keys;
}

function keyType(declared: string): ProviderKeyType {
    return declared === "string" || declared === "number" || declared === "boolean" || declared === "string[]" ? declared : "other";
}

const SECRET_INPUT = /resourceInputs\["(\w+)"\] = args\?\.\1 \? pulumi\.secret\(args\.\1\)/g;

function secretKeys(packageDir: string): Set<string> {
    return new Set([...(readIfExists(path.join(packageDir, "provider.js")) ?? "").matchAll(SECRET_INPUT)].map(([, key]) => key));
}

/** The AWS regions the AWS provider package (in `packageDir`) knows: its `Region` enum. */
export function awsRegions(packageDir: string): string[] {
    const enums = readIfExists(path.join(packageDir, "types", "enums", "index.d.ts")) ?? "";
    const block = /export declare const Region: \{([^}]*)\}/.exec(enums)?.[1] ?? "";
    return [...block.matchAll(/readonly \w+: "([a-z0-9-]+)";/g)].map(([, region]) => region);
}
