/**
 * The JWT secret of a deployment adopted from Terraform (`adma:jwtSecretAdoptedVersionId`, written
 * by `npm run adopt:terraform`): the live value stays the signing key, no value is generated until
 * the first rotation, and rotation then works as in any stack.
 */
import * as assert from "assert";
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
