import * as assert from "assert";
import { createThrowawaySealer, isSecretEnvelope, plaintextEnvelope, SECRET_SIGNATURE, SIGNATURE_KEY } from "../../tools/preview/secret-envelope";

describe("offline preview: secret envelopes", () => {
    it("seals with real, non-repeating ciphertext in Pulumi's envelope", () => {
        const seal = createThrowawaySealer();
        const first = seal("hunter2-hunter2");
        const second = seal("hunter2-hunter2");
        assert.ok(isSecretEnvelope(first));
        assert.strictEqual(first[SIGNATURE_KEY], SECRET_SIGNATURE);
        assert.match(first.ciphertext, /^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
        assert.notStrictEqual(first.ciphertext, second.ciphertext);
        assert.ok(!JSON.stringify(first).includes("hunter2"));
        assert.ok(!Buffer.from(first.ciphertext.split(":")[2], "base64").toString("latin1").includes("hunter2"));
    });

    it("keeps the JSON of the value in a plaintext envelope (for the in-memory policy document)", () => {
        const envelope = plaintextEnvelope({ password: "p" });
        assert.deepStrictEqual(JSON.parse(envelope.plaintext), { password: "p" });
        assert.ok(!isSecretEnvelope(envelope));
    });
});
