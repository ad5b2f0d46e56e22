import * as assert from "assert";
import { noPlaintextDbPassword } from "../policies/rds";
import * as types from "../policies/resource-types";
import { UNKNOWN, check, encrypted, mandatory, plaintextSecret, resource } from "./helpers";

const managedInstance = { engine: "postgres", instanceClass: "db.t4g.micro", username: "appuser", manageMasterUserPassword: true };
const managedCluster = { engine: "aurora-postgresql", masterUsername: "appuser", manageMasterUserPassword: true };

async function failures(type: string, props: Record<string, unknown>): Promise<string[]> {
    return mandatory(await check(noPlaintextDbPassword, resource(type, props))).map((v) => v.message);
}

describe("no-plaintext-db-password", () => {
    it("passes an instance and a cluster with the RDS-managed password", async () => {
        assert.deepStrictEqual(await failures(types.RDS_INSTANCE, managedInstance), []);
        assert.deepStrictEqual(await failures(types.RDS_CLUSTER, managedCluster), []);
    });

    it("passes a read replica (no password of its own)", async () => {
        assert.deepStrictEqual(await failures(types.RDS_INSTANCE, { replicateSourceDb: "adma-prod-postgres", instanceClass: "db.t4g.micro" }), []);
    });

    it("passes an empty or null password", async () => {
        assert.deepStrictEqual(await failures(types.RDS_INSTANCE, { ...managedInstance, password: "" }), []);
        assert.deepStrictEqual(await failures(types.RDS_INSTANCE, { ...managedInstance, password: null }), []);
    });

    const passwords: [string, unknown][] = [
        ["plain", "hunter2-but-longer"],
        ["decrypted secret", plaintextSecret("hunter2")],
        ["encrypted secret", encrypted()],
        ["unknown during preview", UNKNOWN],
    ];
    for (const [what, value] of passwords) {
        it(`fails an instance password (${what}) and points to manageMasterUserPassword`, async () => {
            const [message, ...rest] = await failures(types.RDS_INSTANCE, { ...managedInstance, manageMasterUserPassword: undefined, password: value });
            assert.deepStrictEqual(rest, []);
            assert.match(message, /manageMasterUserPassword: true/);
            assert.ok(!message.includes("hunter2"), "the message must not contain the password");
        });

        it(`fails a cluster masterPassword (${what})`, async () => {
            assert.strictEqual((await failures(types.RDS_CLUSTER, { ...managedCluster, masterPassword: value })).length, 1);
        });
    }

    it("fails the write-only password inputs", async () => {
        assert.strictEqual((await failures(types.RDS_INSTANCE, { ...managedInstance, passwordWo: "x", passwordWoVersion: 1 })).length, 1);
        assert.strictEqual((await failures(types.RDS_CLUSTER, { ...managedCluster, masterPasswordWo: "x" })).length, 1);
    });

    it("ignores other resource types that have a password property", async () => {
        assert.deepStrictEqual(await failures("aws:redshift/cluster:Cluster", { masterPassword: "x" }), []);
    });
});
