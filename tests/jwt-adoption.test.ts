/**
 * The JWT secret of a deployment adopted from Terraform (`adma:jwtSecretAdoptedVersionId`, written
 * by `npm run adopt:terraform`): the live value stays the signing key, no value is generated until
 * the first rotation, and rotation then works as in any stack.
 */
import * as assert from "assert";
import { AdmaConfigError } from "../lib/config";
import { STACK_RECORD_OUTPUT, StackRecord } from "../lib/stack-record";
import { SIGNATURE_KEY } from "../policy-pack/lib/pulumi-markers";
import { adoptedSecretValue } from "../testing/aws-mocks";
import { configProblems, deploy } from "./harness";

const PASSWORD = "random:index/randomPassword:RandomPassword";
const SECRET = "aws:secretsmanager/secret:Secret";
const VERSION = "aws:secretsmanager/secretVersion:SecretVersion";
/** The version id Terraform's provider gives a version it writes (its client request token). */
const LIVE_VERSION_ID = "terraform-20261129192331686000000002";

describe("JWT secret adopted from a live deployment", () => {
    it("registers no new value: no RandomPassword, and both versions hold the live version's value", async () => {
        const d = await deploy({ jwtSecretAdoptedVersionId: LIVE_VERSION_ID });
        assert.deepStrictEqual(d.ofType(PASSWORD).map((r) => r.name), [], "a RandomPassword would be a new value");
        const live = adoptedSecretValue(d.one(SECRET).state.arn, LIVE_VERSION_ID);
        for (const suffix of ["-bootstrap", "-current"]) {
            const version = d.one(VERSION, suffix);
            assert.ok(typeof version.inputs.secretString === "object" && SIGNATURE_KEY in version.inputs.secretString, `${suffix}: not a Pulumi secret`);
            assert.strictEqual(version.inputs.secretString.value, live, `${suffix}: not the live version's value`);
        }
    });

    it("keeps the adopted version (imported as the bootstrap) as it is, and writes the current version after it", async () => {
        const d = await deploy({ jwtSecretAdoptedVersionId: LIVE_VERSION_ID });
        const bootstrap = d.one(VERSION, "-bootstrap");
        assert.deepStrictEqual(bootstrap.options.ignoreChanges, ["secretString"], "the adopted version must never be rewritten");
        assert.strictEqual(bootstrap.options.retainOnDelete, true);
        assert.ok(d.one(VERSION, "-current").options.dependencies.includes(bootstrap.options.urn));
    });

    it("rotates from there: generation 2 generates a new value for the current version", async () => {
        const d = await deploy({ jwtSecretAdoptedVersionId: LIVE_VERSION_ID, jwtSecretGeneration: "2" });
        const password = d.one(PASSWORD);
        assert.deepStrictEqual(password.inputs.keepers, { generation: "2" });
        const current = d.one(VERSION, "-current");
        assert.strictEqual(current.inputs.secretString.value, password.state.result);
        assert.notStrictEqual(current.inputs.secretString.value, adoptedSecretValue(d.one(SECRET).state.arn, LIVE_VERSION_ID));
    });

    it("records the adoption in the stack record, and refuses to drop or change it while the stack is at generation 1, naming the setting and the rotation on purpose", async () => {
        const adopted = await deploy({ jwtSecretAdoptedVersionId: LIVE_VERSION_ID });
        assert.strictEqual((adopted.outputs[STACK_RECORD_OUTPUT] as StackRecord).jwtSecretAdoptedVersionId, LIVE_VERSION_ID);
        const refusal = async (values: Record<string, string | undefined>): Promise<string> => {
            const error = await deploy(values, { after: adopted }).then(() => undefined, (e: unknown) => e);
            assert.ok(error instanceof AdmaConfigError, `${JSON.stringify(values)} was not refused: ${String(error)}`);
            return error.message;
        };
        const removed = await refusal({});
        assert.match(removed, new RegExp(`adma:jwtSecretAdoptedVersionId: the stack adopted the JWT secret's version ${LIVE_VERSION_ID}, whose value is generation 1 .*; ` +
            "removing it while adma:jwtSecretGeneration is still 1 would make the program generate a new JWT value and write it as AWSCURRENT, a rotation nobody asked for\\. Nothing was changed\\."));
        assert.match(removed, new RegExp(`Keep it \\(\`pulumi config set adma:jwtSecretAdoptedVersionId ${LIVE_VERSION_ID}\`\\); to rotate the JWT secret on purpose, raise the generation instead \\(\`pulumi config set --type int adma:jwtSecretGeneration 2\``));
        assert.match(await refusal({ jwtSecretAdoptedVersionId: "terraform-20270101000000000000000001" }),
            /changing it to terraform-20270101000000000000000001 while adma:jwtSecretGeneration is still 1 would make the value of that version the JWT secret/);
        // What stays allowed: the same adoption again, and a rotation on purpose, with or without the setting.
        await deploy({ jwtSecretAdoptedVersionId: LIVE_VERSION_ID }, { after: adopted });
        const rotated = await deploy({ jwtSecretGeneration: "2" }, { after: adopted });
        assert.deepStrictEqual(rotated.one(PASSWORD).inputs.keepers, { generation: "2" });
        await deploy({}, { after: await deploy({}) });
    });

    it("leaves a stack that adopted nothing as it was: generation 1 is generated", async () => {
        const d = await deploy();
        assert.strictEqual(d.one(VERSION, "-current").inputs.secretString.value, d.one(PASSWORD).state.result);
    });

    it("refuses a version id Secrets Manager cannot have, naming the key", () => {
        assert.deepStrictEqual(configProblems({ jwtSecretAdoptedVersionId: "AWSCURRENT" }), [
            "adma:jwtSecretAdoptedVersionId: expected a Secrets Manager version id (32 to 64 letters, digits, '-' or '_'), the AWSCURRENT version of the adopted secret, got \"AWSCURRENT\"",
        ]);
        assert.deepStrictEqual(configProblems({ jwtSecretAdoptedVersionId: LIVE_VERSION_ID }), []);
    });
});
