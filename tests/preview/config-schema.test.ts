// Stack files the Pulumi CLI (or the program, or AWS) would refuse, through the same code path as
// `npm run preview:offline`: each is refused before anything runs, with exit 2, one line per
// mistake naming the key, and nothing set as a secret repeated.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { EXIT_ERROR } from "../../policy-pack/lib/cli";
import { checkStackConfig } from "../../tools/preview/config-schema";
import { awsRegions, providerConfigs } from "../../tools/preview/provider-config";
import { listStacks, loadStackConfig } from "../../tools/preview/stack-config";
import { previewQa, projectWithStack, ROOT, stagingWith } from "./stack-project";

const STAGING = fs.readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8");

/** Asserts the preview refused the stack before running it, with exactly these problem lines (as regular expressions). */
async function assertRefused(stackYaml: string, ...problems: RegExp[]): Promise<string> {
    const { code, stdout, stderr } = await previewQa(stackYaml);
    assert.strictEqual(code, EXIT_ERROR, stderr);
    assert.strictEqual(stdout, "", "nothing ran, so nothing was printed");
    const lines = stderr.trimEnd().split("\n");
    assert.strictEqual(lines[0], "preview:offline: Pulumi.qa.yaml: invalid stack configuration (nothing was created):");
    assert.strictEqual(lines.length - 1, problems.length, stderr);
    problems.forEach((problem, index) => assert.match(lines[index + 1], problem));
    return stderr;
}

describe("offline preview: stack configuration checked against the project's and providers' declarations", function () {
    it("accepts this project's stacks, and an integer written as a string as the Pulumi CLI does (pulumi config set writes one)", () => {
        for (const stack of listStacks(ROOT)) {
            assert.ok(loadStackConfig(ROOT, stack));
        }
        assert.strictEqual(loadStackConfig(projectWithStack(stagingWith('adma:dbAllocatedStorage: "30"')), "qa").config["adma:dbAllocatedStorage"], "30");
    });

    it("refuses a key the project does not declare (wrong case, misspelt), naming the closest declared key", async () => {
        await assertRefused(stagingWith("adma:backendTaskCPU: 1024", "adma:dbDeletionProtecton: false"),
            /^ {2}- adma:backendTaskCPU: not a setting of this project \(Pulumi\.yaml declares no such key\); did you mean adma:backendTaskCpu\?$/,
            /^ {2}- adma:dbDeletionProtecton: not a setting of this project .*; did you mean adma:dbDeletionProtection\?$/);
    });

    it("refuses an unknown namespace and a key its provider does not declare, with the closest known key", async () => {
        await assertRefused(stagingWith("amda:backendTaskCpu: 1024", "aws:profle: adma", "random:seed: 4"),
            /^ {2}- amda:backendTaskCpu: unknown namespace "amda", neither this project's nor a provider's it uses \(adma, aws, awsx, random\); did you mean adma:backendTaskCpu\?$/,
            /^ {2}- aws:profle: not a configuration key of the aws provider \(@pulumi\/aws [\d.]+\); did you mean aws:profile\?$/,
            /^ {2}- random:seed: not a configuration key of the random provider .*; the random provider declares no configuration$/);
    });

    it("refuses an aws:region that is not an AWS region, unless the stack skips the provider's region validation", async () => {
        const stack = STAGING.replace("aws:region: eu-west-1", "aws:region: eu-wst-1");
        await assertRefused(stack, /^ {2}- aws:region: "eu-wst-1" is not an AWS region \(@pulumi\/aws [\d.]+ knows \d+\); did you mean eu-west-1\? /);
        assert.ok(loadStackConfig(projectWithStack(`${stack.trimEnd()}\n  aws:skipRegionValidation: true\n`), "qa"));
    });

    it("refuses a value of another type than Pulumi.yaml or the provider declares, integers unquoted in the message", async () => {
        await assertRefused(stagingWith("adma:dbAllocatedStorage: 20GiB", "adma:monitoring: yes", "adma:privateSubnetIds: subnet-0123456789abcdef0", "aws:maxRetries: often"),
            /^ {2}- adma:dbAllocatedStorage: must be an integer, got "20GiB" \(Pulumi\.yaml: Storage in GiB \(20-65536\)\)$/,
            /^ {2}- adma:monitoring: must be true or false, got "yes" \(Pulumi\.yaml: Alarms on /,
            /^ {2}- adma:privateSubnetIds: must be a list of strings, got "subnet-0123456789abcdef0" \(Pulumi\.yaml: Private subnets/,
            /^ {2}- aws:maxRetries: must be a number \(the aws provider declares it so\), got "often"$/,
            /^ {2}- adma:vpcId and adma:privateSubnetIds go together: set both to use an existing VPC, or neither to create one$/);
    });

    it("names every required key an empty stack file lacks, with the command that sets it", async () => {
        const keys = ["appBaseUrl", "backendImageTag", "backendRepositoryUrl", "environment"];
        await assertRefused("", ...keys.map((key) =>
            new RegExp(`^ {2}- adma:${key}: required \\(Pulumi\\.yaml declares it without a default\\) and not set; set it with \`pulumi config set adma:${key} <value> --stack qa\`$`)));
        await assertRefused("# nothing yet\nconfig:\n", ...keys.map((key) => new RegExp(`^ {2}- adma:${key}: required`)));
    });

    it("lists every problem at once, the stack file's and the program's, each key once", async () => {
        const yaml = STAGING.replace("adma:backendTaskMemory: 1024", 'adma:backendTaskMemory: "lots"')
            .replace("adma:enableEcsExec: true", "adma:enableEcsExec: yes please")
            .replace("adma:natGateways: Single", "adma:natGateways: OnePerAZ");
        await assertRefused(yaml,
            /^ {2}- adma:backendTaskMemory: must be an integer, got "lots" \(Pulumi\.yaml: /,
            /^ {2}- adma:enableEcsExec: must be true or false, got "yes please"/,
            /^ {2}- adma:natGateways: expected one of Single, OnePerAz, None, got "OnePerAZ"; did you mean OnePerAz\?$/);
    });

    it("says settings written outside `config:` belong under it, instead of calling them not set", async () => {
        const flat = STAGING.replace(/^config:\n/m, "").replace(/^ {2}/gm, "");
        await assertRefused(flat,
            /^ {2}- aws:region, adma:environment, adma:appBaseUrl, .*, adma:jwtSecretRecoveryWindowDays: at the top level of Pulumi\.qa\.yaml, where the Pulumi CLI reads no setting; stack settings belong under `config:` \(a `config:` line, then each setting indented under it\)$/);
        const oneKey = STAGING.replace("  adma:environment: staging\n", "").replace("config:\n", "adma:environment: staging\nconfig:\n");
        await assertRefused(oneKey, /^ {2}- adma:environment: at the top level of Pulumi\.qa\.yaml, .*belong under `config:`/);
        await assertRefused(`${STAGING}secretprovider: passphrase\n`, /^ {2}- secretprovider: not an attribute of a stack file \(config, environment, secretsprovider, encryptedkey, encryptionsalt\)$/);
    });

    it("refuses a provider credential in plaintext, with the `pulumi config set --secret` fix, never repeating it", async () => {
        const stderr = await assertRefused(stagingWith("aws:accessKey: AKIAEXAMPLEEXAMPLE12", "aws:secretKey: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            /^ {2}- aws:accessKey: a credential set in plaintext, .*`pulumi config set --secret aws:accessKey <value> --stack qa`/,
            /^ {2}- aws:secretKey: a credential set in plaintext, .*`pulumi config set --secret aws:secretKey <value> --stack qa`/);
        assert.ok(!stderr.includes("AKIAEXAMPLE") && !stderr.includes("wJalrXUtnFEMI"), stderr);
        assert.ok(loadStackConfig(projectWithStack(stagingWith("aws:secretKey:", "  secure: v1:AAAA:ZmFrZQ==")), "qa"));
    });

    it("never repeats a secure value nor the file's text: a YAML error gives the line and column only", async () => {
        const { code, stderr } = await previewQa(stagingWith("adma:appBaseUrl: {secure: v1:c2VjcmV0LWNpcGhlcnRleHQ=", "aws:token: hunter2-session-token"));
        assert.strictEqual(code, EXIT_ERROR);
        assert.match(stderr, /^preview:offline: cannot read .*Pulumi\.qa\.yaml: .+ \(\d+:\d+\)\n$/);
        assert.ok(!stderr.includes("c2VjcmV0") && !stderr.includes("hunter2"), stderr);
    });
});

describe("provider configuration, read from the provider packages", () => {
    const providers = providerConfigs(ROOT);
    const aws = providers.find((provider) => provider.namespace === "aws");

    it("finds the providers this project depends on and what each declares", () => {
        assert.deepStrictEqual(providers.map((provider) => provider.namespace), ["aws", "awsx", "random"]);
        assert.ok(aws);
        for (const key of ["region", "profile", "accessKey", "secretKey", "token", "assumeRoles", "defaultTags", "skipRegionValidation"]) {
            assert.ok(aws.keys.has(key), key);
        }
        assert.strictEqual(aws.keys.get("maxRetries"), "number");
        assert.strictEqual(aws.keys.get("insecure"), "boolean");
        assert.deepStrictEqual([...aws.secretKeys].sort(), ["accessKey", "secretKey", "token"]);
    });

    it("knows the AWS regions of every partition the provider lists", () => {
        assert.ok(aws);
        const regions = awsRegions(aws.packageDir);
        for (const region of ["eu-west-1", "us-east-1", "cn-north-1", "us-gov-west-1", "ap-southeast-7"]) {
            assert.ok(regions.includes(region), region);
        }
        assert.ok(regions.every((region) => /^[a-z]{2,4}(-[a-z]+)+-\d$/.test(region)), regions.join(" "));
    });

    it("checks a project declared `secret: true` is set encrypted, without repeating its value", () => {
        const problems = checkStackConfig({
            project: "p", stack: "dev", providers: [],
            declarations: new Map([["token", { type: "string", hasDefault: false, secret: true }]]),
            values: new Map([["p:token", { value: "plain-token-value", secure: false }]]),
        });
        assert.deepStrictEqual(problems, ["p:token: Pulumi.yaml declares it secret, but it is set in plaintext; set it encrypted with `pulumi config set --secret p:token <value> --stack dev`"]);
    });
});
