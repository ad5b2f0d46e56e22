import * as assert from "assert";
import { ContainerDefinition, ContainerSecret, ContainerSettings, backendContainer } from "../lib/container-definition";
import { secretsManagerReference, ssmParameterReference } from "../policy-pack/lib/value-from";

const JWT = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:/adma/prod/jwt-secret-AbCdEf";
const RDS = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9-GhIjKl";
const OTHER = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:/adma/prod/smtp-MnOpQr";
const PARAM = "arn:aws:ssm:eu-west-1:123456789012:parameter/adma/prod/app-base-url";
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const SETTINGS: ContainerSettings = {
    name: "backend", image: "repo/app:1", containerPort: 8080, healthCheckPath: "/health", logGroupName: "/ecs/x", region: "eu-west-1",
};
const SOURCES = {
    dbAddress: "db.example", dbPort: 5432, dbName: "urlshortener", dbUsername: "appuser",
    dbMasterSecretArn: RDS, jwtSecretArn: JWT, appBaseUrlParameterArn: PARAM, appEnvironment: "prod",
};

const backend = backendContainer(SETTINGS, SOURCES);
const backendWithKey = backendContainer(SETTINGS, { ...SOURCES, dbMasterSecretKmsKeyArn: KEY, jwtSecretKmsKeyArn: KEY });

/** A container holding exactly these secrets, as `addSecret` records them. */
function containerWith(secrets: readonly ContainerSecret[]): ContainerDefinition {
    const container = new ContainerDefinition(SETTINGS);
    for (const { name, reference, kmsKeyArn } of secrets) {
        container.addSecret(name, reference, { kmsKeyArn });
    }
    return container;
}

const grantedResources = (secrets: readonly ContainerSecret[]) =>
    containerWith(secrets).executionSecretsPolicy().Statement.flatMap((s) => s.Resource).sort();

describe("backend container: secrets (one object, lib/container-definition)", () => {
    it("are the design document's secrets plus the previous JWT key, formatted by the typed helper", () => {
        assert.deepStrictEqual(backend.taskDefinitionSecrets(), [
            { name: "DB_PASSWORD", valueFrom: `${RDS}:password::` },
            { name: "JWT_SECRET", valueFrom: JWT },
            { name: "JWT_SECRET_PREVIOUS", valueFrom: `${JWT}::AWSPREVIOUS:` },
            { name: "APP_BASE_URL", valueFrom: PARAM },
        ]);
        assert.deepStrictEqual(backend.render().secrets, backend.taskDefinitionSecrets());
    });

    it("rejects a name defined twice and a name that is no environment variable", () => {
        const jwt = secretsManagerReference(JWT);
        assert.throws(() => new ContainerDefinition(SETTINGS).addSecret("JWT_SECRET", jwt).addSecret("JWT_SECRET", jwt),
            /"JWT_SECRET" is already defined as a secret/);
        assert.throws(() => new ContainerDefinition(SETTINGS).addSecret("JWT-SECRET", jwt), /not a valid environment variable name/);
    });

    it("refuses a variable that is both plain environment and secret, in either order", () => {
        assert.throws(() => backendContainer(SETTINGS, SOURCES).addEnvironment("JWT_SECRET", "x"), /"JWT_SECRET" is already defined as a secret; .*secrets go in "secrets" only/);
        assert.throws(() => new ContainerDefinition(SETTINGS).addEnvironment("JWT_SECRET", "x").addSecret("JWT_SECRET", secretsManagerReference(JWT)),
            /already defined as a plain environment variable/);
    });

    it("renders the non-secret environment beside the secrets", () => {
        assert.deepStrictEqual(backend.render().environment, [
            { name: "DB_HOST", value: "db.example" }, { name: "DB_PORT", value: "5432" }, { name: "DB_NAME", value: "urlshortener" },
            { name: "DB_USERNAME", value: "appuser" }, { name: "APP_ENVIRONMENT", value: "prod" }, { name: "SERVER_PORT", value: "8080" },
        ]);
    });
});

describe("backend container: execution secrets policy (derived from the same secrets)", () => {
    it("grants exactly the referenced secrets and parameter, by base ARN, de-duplicated", () => {
        assert.deepStrictEqual(backend.executionSecretsPolicy(), {
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
        const withoutPrevious = backend.secrets.filter((s) => s.name !== "JWT_SECRET_PREVIOUS");
        assert.deepStrictEqual(grantedResources(backend.secrets), grantedResources(withoutPrevious));
    });

    it("adding a reference adds exactly its ARN; removing one removes it", () => {
        const added = [...backend.secrets, { name: "SMTP_PASSWORD", reference: secretsManagerReference(OTHER, { jsonKey: "password" }) }];
        assert.deepStrictEqual(grantedResources(added), [...grantedResources(backend.secrets), OTHER].sort());
        const removed = backend.secrets.filter((s) => s.name !== "APP_BASE_URL");
        assert.deepStrictEqual(grantedResources(removed), [JWT, RDS]);
        assert.strictEqual(containerWith(removed).executionSecretsPolicy().Statement.some((s) => s.Sid === "ReadOnlyRequiredParameters"), false);
        const onlyParameter = [{ name: "P", reference: ssmParameterReference(PARAM) }];
        assert.deepStrictEqual(containerWith(onlyParameter).executionSecretsPolicy().Statement.map((s) => s.Sid), ["ReadOnlyRequiredParameters"]);
    });

    it("has no wildcard and no action beyond what ECS needs", () => {
        const text = JSON.stringify(backendWithKey.executionSecretsPolicy());
        assert.ok(!text.includes("*"), text);
        const actions = backendWithKey.executionSecretsPolicy().Statement.flatMap((s) => s.Action).sort();
        assert.deepStrictEqual(actions, ["kms:Decrypt", "secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "ssm:GetParameters"]);
    });

    it("adds kms:Decrypt on the customer key only via Secrets Manager, and only with a customer key", () => {
        const statements = backendWithKey.executionSecretsPolicy().Statement;
        assert.deepStrictEqual(statements[statements.length - 1], {
            Sid: "DecryptSecretsWithCustomerKey", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [KEY],
            Condition: { StringEquals: { "kms:ViaService": ["secretsmanager.eu-west-1.amazonaws.com"] } },
        });
        assert.ok(!JSON.stringify(backend.executionSecretsPolicy()).includes("kms:"));
    });

    it("grants kms:Decrypt on the key each secret records, through the service and region that hold it", () => {
        const otherKey = KEY.replace("1234abcd", "9999abcd");
        const usEast = "arn:aws:secretsmanager:us-east-1:123456789012:secret:/adma/prod/replica-StUvWx";
        const container = new ContainerDefinition(SETTINGS)
            .addSecret("A", secretsManagerReference(JWT), { kmsKeyArn: KEY })
            .addSecret("B", secretsManagerReference(usEast), { kmsKeyArn: otherKey })
            .addSecret("C", secretsManagerReference(OTHER));
        const decrypt = container.executionSecretsPolicy().Statement.find((s) => s.Sid === "DecryptSecretsWithCustomerKey");
        assert.deepStrictEqual(decrypt?.Resource, [KEY, otherKey].sort());
        assert.deepStrictEqual(decrypt?.Condition, {
            StringEquals: { "kms:ViaService": ["secretsmanager.eu-west-1.amazonaws.com", "secretsmanager.us-east-1.amazonaws.com"] },
        });
    });

    it("refuses a container without secrets (IAM would reject the empty document)", () => {
        assert.throws(() => new ContainerDefinition(SETTINGS).executionSecretsPolicy(), /at least one secret reference/);
    });
});
