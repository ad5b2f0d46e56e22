import * as assert from "assert";
import { AuditResource } from "../audit/engine";
import { noJwtSecretInEnvironment, rdsSecretReferenceJsonKey } from "../policies/containers";
import * as types from "../policies/resource-types";
import { UNKNOWN, advisory, check, container, encrypted, mandatory, resource, secretArn, taskDefinition } from "./helpers";

const JWT_IN_ENV = [{ name: "DB_HOST", value: "db" }, { name: "JWT_SECRET", value: "my-hardcoded-secret-key" }];

/** awsx components: the same container in each place they take one. */
const awsxShapes: [string, (c: Record<string, unknown>) => AuditResource][] = [
    ["FargateTaskDefinition container", (c) => resource(types.AWSX_FARGATE_TASK_DEFINITION, { container: c })],
    ["EC2TaskDefinition containers map", (c) => resource(types.AWSX_EC2_TASK_DEFINITION, { containers: { web: container(), app: c } })],
    ["FargateService taskDefinitionArgs.container", (c) => resource(types.AWSX_FARGATE_SERVICE, { taskDefinitionArgs: { container: c } })],
    ["EC2Service taskDefinitionArgs.containers", (c) => resource(types.AWSX_EC2_SERVICE, { taskDefinitionArgs: { containers: { app: c } } })],
];

async function jwtFailures(target: AuditResource, config?: Record<string, unknown>): Promise<number> {
    return mandatory(await check(noJwtSecretInEnvironment, target, config)).length;
}

describe("no-jwt-secret-in-environment", () => {
    it("passes JWT_SECRET through secrets[].valueFrom", async () => {
        assert.strictEqual(await jwtFailures(taskDefinition([container()])), 0);
    });

    it("fails JWT_SECRET as a plain environment variable, without echoing its value", async () => {
        const [violation] = await check(noJwtSecretInEnvironment, taskDefinition([container({ environment: JWT_IN_ENV })]));
        assert.strictEqual(violation.enforcementLevel, "mandatory");
        assert.match(violation.message, /containerDefinitions\[0\]\.environment\[1\]/);
        assert.ok(!violation.message.includes("my-hardcoded-secret-key"));
    });

    for (const name of ["jwt_secret", "Jwt_Secret", " JWT_SECRET "]) {
        it(`compares names case-insensitively (${JSON.stringify(name)})`, async () => {
            assert.strictEqual(await jwtFailures(taskDefinition([container({ environment: [{ name, value: "x" }] })])), 1);
        });
    }

    it("checks every container, not just the first", async () => {
        assert.strictEqual(await jwtFailures(taskDefinition([container(), container({ name: "sidecar", environment: JWT_IN_ENV })])), 1);
    });

    it("passes look-alike names", async () => {
        const env = [{ name: "JWT_SECRET_ARN", value: secretArn("jwt") }, { name: "JWT_ISSUER", value: "adma" }];
        assert.strictEqual(await jwtFailures(taskDefinition([container({ environment: env })])), 0);
    });

    it("accepts containerDefinitions already parsed to a list", async () => {
        const target = resource(types.ECS_TASK_DEFINITION, { containerDefinitions: [container({ environment: JWT_IN_ENV })] });
        assert.strictEqual(await jwtFailures(target), 1);
    });

    it("fails closed on containerDefinitions that are not valid JSON", async () => {
        assert.strictEqual(await jwtFailures(taskDefinition("[{\"name\": ")), 1);
    });

    it("takes forbiddenEnvironmentNames from the config", async () => {
        const target = taskDefinition([container({ environment: [{ name: "API_KEY", value: "x" }, ...JWT_IN_ENV] })]);
        assert.strictEqual(await jwtFailures(target, { "no-jwt-secret-in-environment": { forbiddenEnvironmentNames: ["api_key", "JWT_SECRET"] } }), 2);
        assert.strictEqual(await jwtFailures(target, { "no-jwt-secret-in-environment": { forbiddenEnvironmentNames: [] } }), 0);
    });

    for (const [what, build] of awsxShapes) {
        it(`checks awsx ${what}`, async () => {
            assert.strictEqual(await jwtFailures(build(container())), 0);
            assert.strictEqual(await jwtFailures(build(container({ environment: JWT_IN_ENV }))), 1);
        });
    }

    it("checks aws.lambda.Function environment.variables", async () => {
        const fn = (variables: Record<string, string>) => resource(types.LAMBDA_FUNCTION, { runtime: "nodejs20.x", environment: { variables } });
        assert.strictEqual(await jwtFailures(fn({ DB_HOST: "db" })), 0);
        assert.strictEqual(await jwtFailures(fn({ jwt_secret: "x" })), 1);
        assert.strictEqual(await jwtFailures(resource(types.LAMBDA_FUNCTION, { runtime: "nodejs20.x" })), 0);
    });

    describe("values unknown during preview", () => {
        it("reports an unknown containerDefinitions as not fully checked, advisory", async () => {
            const violations = await check(noJwtSecretInEnvironment, taskDefinition(UNKNOWN));
            assert.deepStrictEqual(violations.map((v) => v.enforcementLevel), ["advisory"]);
            assert.match(violations[0].message, /containerDefinitions cannot be read yet/);
        });

        it("still fails a known JWT_SECRET next to an unknown container", async () => {
            const target = resource(types.AWSX_FARGATE_SERVICE, { taskDefinitionArgs: { containers: { a: container({ environment: JWT_IN_ENV }), b: UNKNOWN } } });
            const violations = await check(noJwtSecretInEnvironment, target);
            assert.strictEqual(mandatory(violations).length, 1);
            assert.strictEqual(advisory(violations).length, 1);
        });

        it("is not fooled by an unknown value: only names matter", async () => {
            const env = [{ name: "DB_HOST", value: UNKNOWN }];
            assert.strictEqual((await check(noJwtSecretInEnvironment, taskDefinition([container({ environment: env })]))).length, 0);
        });

        it("reports an unknown variable name or environment list", async () => {
            const unknownName = await check(noJwtSecretInEnvironment, resource(types.AWSX_FARGATE_TASK_DEFINITION, { container: container({ environment: [{ name: UNKNOWN, value: "x" }] }) }));
            assert.deepStrictEqual(unknownName.map((v) => v.enforcementLevel), ["advisory"]);
            const unknownVariables = await check(noJwtSecretInEnvironment, resource(types.LAMBDA_FUNCTION, { environment: { variables: UNKNOWN } }));
            assert.deepStrictEqual(unknownVariables.map((v) => v.enforcementLevel), ["advisory"]);
        });

        it("reports an encrypted containerDefinitions (stack export) as not fully checked", async () => {
            const violations = await check(noJwtSecretInEnvironment, resource(types.ECS_TASK_DEFINITION, { containerDefinitions: encrypted() }));
            assert.deepStrictEqual(violations.map((v) => v.enforcementLevel), ["advisory"]);
        });
    });
});

const RDS_SECRET = secretArn("rds!db-0123456789abcdef");

async function jsonKeyFailures(secrets: unknown[]): Promise<string[]> {
    return mandatory(await check(rdsSecretReferenceJsonKey, taskDefinition([container({ secrets })]))).map((v) => v.message);
}

describe("rds-secret-reference-json-key", () => {
    it("passes the password key of an RDS-managed secret, and whole ordinary secrets", async () => {
        assert.deepStrictEqual(await jsonKeyFailures([
            { name: "DB_PASSWORD", valueFrom: `${RDS_SECRET}:password::` },
            { name: "DB_USERNAME", valueFrom: `${RDS_SECRET}:username::` },
            { name: "JWT_SECRET", valueFrom: secretArn("adma/prod/jwt-secret") },
            { name: "APP_BASE_URL", valueFrom: "arn:aws:ssm:eu-west-1:123456789012:parameter/adma/prod/app-base-url" },
        ]), []);
    });

    it("passes a pinned version stage", async () => {
        assert.deepStrictEqual(await jsonKeyFailures([{ name: "DB_PASSWORD", valueFrom: `${RDS_SECRET}:password:AWSCURRENT:` }]), []);
    });

    it("fails the whole RDS-managed secret, suggesting :password::", async () => {
        const [message] = await jsonKeyFailures([{ name: "DB_PASSWORD", valueFrom: RDS_SECRET }]);
        assert.match(message, new RegExp(`${RDS_SECRET.replace(/[!]/g, "\\$&")}:password::`));
    });

    it("fails a key RDS-managed secrets do not hold, and the username key for a password", async () => {
        assert.strictEqual((await jsonKeyFailures([{ name: "DB_PASSWORD", valueFrom: `${RDS_SECRET}:pass::` }])).length, 1);
        assert.strictEqual((await jsonKeyFailures([{ name: "DB_HOST", valueFrom: `${RDS_SECRET}:host::` }])).length, 1);
        assert.strictEqual((await jsonKeyFailures([{ name: "DB_PASSWORD", valueFrom: `${RDS_SECRET}:username::` }])).length, 1);
    });

    it("checks the awsx components too", async () => {
        const target = resource(types.AWSX_FARGATE_SERVICE, { taskDefinitionArgs: { container: container({ secrets: [{ name: "DB_PASSWORD", valueFrom: RDS_SECRET }] }) } });
        assert.strictEqual(mandatory(await check(rdsSecretReferenceJsonKey, target)).length, 1);
    });

    it("reports an unknown valueFrom as not fully checked", async () => {
        const violations = await check(rdsSecretReferenceJsonKey, taskDefinition([container({ secrets: [{ name: "DB_PASSWORD", valueFrom: UNKNOWN }] })]));
        assert.deepStrictEqual(violations.map((v) => v.enforcementLevel), ["advisory"]);
        assert.match(violations[0].message, /secrets\[0\]\.valueFrom/);
    });
});
