import * as assert from "assert";
import { backendContainerDefinition } from "../lib/container-definition";
import { ContainerSecret, backendContainerSecrets, taskDefinitionSecrets } from "../lib/container-secrets";
import { executionSecretsPolicy } from "../lib/execution-policy";
import { secretsManagerReference, ssmParameterReference } from "../policy-pack/lib/value-from";

const JWT = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:/adma/prod/jwt-secret-AbCdEf";
const RDS = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9-GhIjKl";
const OTHER = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:/adma/prod/smtp-MnOpQr";
const PARAM = "arn:aws:ssm:eu-west-1:123456789012:parameter/adma/prod/app-base-url";
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const backendSecrets = backendContainerSecrets({ dbMasterSecretArn: RDS, jwtSecretArn: JWT, appBaseUrlParameterArn: PARAM });
const references = (secrets: readonly ContainerSecret[]) => secrets.map((s) => s.reference);
const grantedResources = (secrets: readonly ContainerSecret[]) =>
    executionSecretsPolicy(references(secrets)).Statement.flatMap((s) => s.Resource).sort();

describe("backend container secrets (one typed list)", () => {
    it("are the seed's secrets plus the previous JWT key, formatted by the typed helper", () => {
        assert.deepStrictEqual(taskDefinitionSecrets(backendSecrets), [
            { name: "DB_PASSWORD", valueFrom: `${RDS}:password::` },
            { name: "JWT_SECRET", valueFrom: JWT },
            { name: "JWT_SECRET_PREVIOUS", valueFrom: `${JWT}::AWSPREVIOUS:` },
            { name: "APP_BASE_URL", valueFrom: PARAM },
        ]);
    });

    it("rejects a name defined twice and a name that is no environment variable", () => {
        const jwt = { name: "JWT_SECRET", reference: secretsManagerReference(JWT) };
        assert.throws(() => taskDefinitionSecrets([jwt, jwt]), /"JWT_SECRET" is defined twice/);
        assert.throws(() => taskDefinitionSecrets([{ ...jwt, name: "JWT-SECRET" }]), /not a valid environment variable name/);
    });

    it("refuses a variable that is both plain environment and secret", () => {
        assert.throws(() => backendContainerDefinition({
            name: "backend", image: "repo/app:1", containerPort: 8080, healthCheckPath: "/health", logGroupName: "/ecs/x", region: "eu-west-1",
            environment: [{ name: "JWT_SECRET", value: "x" }], secrets: backendSecrets,
        }), /both a plain environment variable and a secret/);
    });
});

describe("execution secrets policy (derived from the references)", () => {
    it("grants exactly the referenced secrets and parameter, by base ARN, de-duplicated", () => {
        const policy = executionSecretsPolicy(references(backendSecrets));
        assert.deepStrictEqual(policy, {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "ReadOnlyRequiredSecrets", Effect: "Allow",
                    Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
                    Resource: [JWT, RDS],
                },
                { Sid: "ReadOnlyRequiredParameters", Effect: "Allow", Action: ["ssm:GetParameters"], Resource: [PARAM] },
            ],
        });
    });

    it("the JWT_SECRET_PREVIOUS reference is covered by the same grant on the same secret", () => {
        const withoutPrevious = backendSecrets.filter((s) => s.name !== "JWT_SECRET_PREVIOUS");
        assert.deepStrictEqual(grantedResources(backendSecrets), grantedResources(withoutPrevious));
    });

    it("adding a reference adds exactly its ARN; removing one removes it", () => {
        const added = [...backendSecrets, { name: "SMTP_PASSWORD", reference: secretsManagerReference(OTHER, { jsonKey: "password" }) }];
        assert.deepStrictEqual(grantedResources(added), [...grantedResources(backendSecrets), OTHER].sort());
        const removed = backendSecrets.filter((s) => s.name !== "APP_BASE_URL");
        assert.deepStrictEqual(grantedResources(removed), [JWT, RDS]);
        assert.strictEqual(executionSecretsPolicy(references(removed)).Statement.some((s) => s.Sid === "ReadOnlyRequiredParameters"), false);
        const onlyParameter = [{ name: "P", reference: ssmParameterReference(PARAM) }];
        assert.deepStrictEqual(executionSecretsPolicy(references(onlyParameter)).Statement.map((s) => s.Sid), ["ReadOnlyRequiredParameters"]);
    });

    it("has no wildcard and no action beyond what ECS needs", () => {
        const text = JSON.stringify(executionSecretsPolicy(references(backendSecrets), { kmsKeyArn: KEY, region: "eu-west-1" }));
        assert.ok(!text.includes("*"), text);
        const actions = executionSecretsPolicy(references(backendSecrets), { kmsKeyArn: KEY, region: "eu-west-1" }).Statement.flatMap((s) => s.Action).sort();
        assert.deepStrictEqual(actions, ["kms:Decrypt", "secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "ssm:GetParameters"]);
    });

    it("adds kms:Decrypt on the customer key only via Secrets Manager, and only with a customer key", () => {
        const withKey = executionSecretsPolicy(references(backendSecrets), { kmsKeyArn: KEY, region: "eu-west-1" });
        assert.deepStrictEqual(withKey.Statement[withKey.Statement.length - 1], {
            Sid: "DecryptSecretsWithCustomerKey", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [KEY],
            Condition: { StringEquals: { "kms:ViaService": ["secretsmanager.eu-west-1.amazonaws.com"] } },
        });
        assert.ok(!JSON.stringify(executionSecretsPolicy(references(backendSecrets))).includes("kms:"));
        assert.throws(() => executionSecretsPolicy(references(backendSecrets), { kmsKeyArn: KEY }), /region is required/);
    });

    it("refuses an empty reference list (IAM would reject the document)", () => {
        assert.throws(() => executionSecretsPolicy([]), /at least one secret reference/);
    });
});
