import * as assert from "assert";
import { kmsKeyRotation } from "../policies/kms";
import * as types from "../policies/resource-types";
import { secretRecoveryWindow } from "../policies/secrets";
import { UNKNOWN, check, resource } from "./helpers";

async function levels(policy: Parameters<typeof check>[0], type: string, props: Record<string, unknown>, config?: Record<string, unknown>): Promise<string[]> {
    return (await check(policy, resource(type, props), config)).map((v) => v.enforcementLevel);
}

describe("secret-recovery-window", () => {
    const secret = (props: Record<string, unknown>) => levels(secretRecoveryWindow, types.SECRET, { name: "/adma/prod/jwt-secret", ...props });

    it("passes 7 days, 30 days and the AWS default (unset)", async () => {
        assert.deepStrictEqual(await secret({ recoveryWindowInDays: 7 }), []);
        assert.deepStrictEqual(await secret({ recoveryWindowInDays: 30 }), []);
        assert.deepStrictEqual(await secret({}), []);
    });

    it("fails 0 (delete without recovery) and windows under 7 days", async () => {
        assert.deepStrictEqual(await secret({ recoveryWindowInDays: 0 }), ["mandatory"]);
        assert.deepStrictEqual(await secret({ recoveryWindowInDays: 6 }), ["mandatory"]);
    });

    it("takes minimumDays from the config, within what Secrets Manager accepts", async () => {
        assert.deepStrictEqual(await levels(secretRecoveryWindow, types.SECRET, { recoveryWindowInDays: 7 }, { "secret-recovery-window": { minimumDays: 14 } }), ["mandatory"]);
        await assert.rejects(levels(secretRecoveryWindow, types.SECRET, {}, { "secret-recovery-window": { minimumDays: 3 } }), /between 7 and 30/);
    });

    it("says how a stack allows 0 (its own policy configuration), and only for 0", async () => {
        const [zero] = await check(secretRecoveryWindow, resource(types.SECRET, { recoveryWindowInDays: 0 }));
        assert.match(zero.message, /^recoveryWindowInDays is 0: a deleted secret is destroyed at once, without recovery; set it to at least 7 \(or leave it unset for AWS's 30\), or, in a stack meant to be destroyed and re-created the same day, allow it in that stack's own policy configuration \(`--policy-pack-config`\): \{"secret-recovery-window": \{"allowDeleteWithoutRecovery": true\}\}$/);
        const [short] = await check(secretRecoveryWindow, resource(types.SECRET, { recoveryWindowInDays: 3 }));
        assert.doesNotMatch(short.message, /allowDeleteWithoutRecovery/);
    });

    it("lets 0 pass only where the stack's config allows deleting without recovery, never a short window", async () => {
        const allowing = { "secret-recovery-window": { allowDeleteWithoutRecovery: true } };
        assert.deepStrictEqual(await levels(secretRecoveryWindow, types.SECRET, { recoveryWindowInDays: 0 }, allowing), []);
        assert.deepStrictEqual(await levels(secretRecoveryWindow, types.SECRET, { recoveryWindowInDays: 6 }, allowing), ["mandatory"]);
        assert.deepStrictEqual(await levels(secretRecoveryWindow, types.SECRET, { recoveryWindowInDays: 0 }, { "secret-recovery-window": { minimumDays: 7 } }), ["mandatory"]);
    });

    it("reports an unknown window as not fully checked", async () => {
        assert.deepStrictEqual(await secret({ recoveryWindowInDays: UNKNOWN }), ["advisory"]);
    });
});

describe("kms-key-rotation", () => {
    const key = (props: Record<string, unknown>) => levels(kmsKeyRotation, types.KMS_KEY, { description: "secrets", ...props });

    it("passes a symmetric key with rotation", async () => {
        assert.deepStrictEqual(await key({ enableKeyRotation: true }), []);
        assert.deepStrictEqual(await key({ enableKeyRotation: true, customerMasterKeySpec: "SYMMETRIC_DEFAULT" }), []);
    });

    it("fails a symmetric key without rotation", async () => {
        assert.deepStrictEqual(await key({}), ["mandatory"]);
        assert.deepStrictEqual(await key({ enableKeyRotation: false }), ["mandatory"]);
    });

    it("passes asymmetric and HMAC keys, which cannot rotate", async () => {
        assert.deepStrictEqual(await key({ customerMasterKeySpec: "RSA_3072", keyUsage: "SIGN_VERIFY" }), []);
        assert.deepStrictEqual(await key({ customerMasterKeySpec: "HMAC_256", keyUsage: "GENERATE_VERIFY_MAC" }), []);
    });

    it("reports unknown rotation settings as not fully checked", async () => {
        assert.deepStrictEqual(await key({ enableKeyRotation: UNKNOWN }), ["advisory"]);
    });
});
