import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type { ExportResource } from "../../tools/preview/export-document";
import { checkPolicies, OfflinePreview, previewOffline } from "../../tools/preview/offline-run";
import { runPolicies } from "../../policy-pack/audit/engine";
import { readAuditDocument } from "../../policy-pack/audit/reader";
import { countResources } from "../../policy-pack/audit/reports";
import { createThrowawaySealer, isSecretEnvelope, plaintextEnvelope } from "../../tools/preview/secret-envelope";
import { formatPreview } from "../../tools/preview/tree";
import { withoutStackTraces } from "../stack-traces";

/** `npm run preview:offline -- --stack prod`, in-process: the project's program, config and mocks. */
describe("offline preview: the prod stack", function () {
    let prod: OfflinePreview;
    let serialized: string;
    let resources: ExportResource[];
    const ofType = (type: string) => resources.filter((resource) => resource.type === type);
    const inputsOf = (type: string) => ofType(type).map((resource) => resource.inputs);

    before(async () => {
        prod = await withoutStackTraces(() => previewOffline({ projectDir: path.join(__dirname, "..", ".."), stack: "prod" }));
        const exported = prod.exportDocument(createThrowawaySealer());
        serialized = JSON.stringify(exported);
        resources = exported.deployment.resources;
    });

    it("prints the tree docs/offline-preview.md shows: every line of its excerpt, in order, and the resource count", () => {
        const docs = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "offline-preview.md"), "utf8");
        // From the tree's header to the resource count (the policy report after it is policy-report.ts's).
        const excerpt = /## What it prints\n\n```\n[^\n]*\n([^]*?)\nPolicies:/.exec(docs)?.[1] ?? "";
        const printed = formatPreview(resources).split("\n").map((line) => line.replace(/\s+/g, " ").trim());
        let at = 0;
        for (const line of excerpt.split("\n").map((text) => text.replace(/\s+/g, " ").trim()).filter((text) => text !== "" && text !== "...")) {
            const found = printed.indexOf(line, at);
            assert.ok(found >= 0, `docs/offline-preview.md shows "${line}", which the prod preview does not print (after line ${at})`);
            at = found + 1;
        }
        assert.match(excerpt, /\+ \d+ to create/);
    });

    it("counts as its audit does: the preview's `+ N to create` is the audit's N, beside the providers the export adds", () => {
        const created = /\+ (\d+) to create/.exec(formatPreview(resources))?.[1];
        const audited = countResources(readAuditDocument(prod.exportDocument(plaintextEnvelope)));
        assert.match(audited, new RegExp(`^\\d+ resources \\(${created} \\+ \\d+ providers\\)$`));
        assert.strictEqual(Number(/^(\d+)/.exec(audited)?.[1]), resources.length);
    });

    it("exports the design document's names", () => {
        assert.ok(inputsOf("aws:rds/instance:Instance").some((db) => db.identifier === "adma-prod-postgres"));
        assert.ok(inputsOf("aws:secretsmanager/secret:Secret").some((secret) => secret.name === "/adma/prod/jwt-secret"));
        assert.ok(inputsOf("aws:iam/role:Role").some((role) => role.name === "adma-prod-ecs-execution-role"));
        assert.ok(inputsOf("aws:iam/rolePolicy:RolePolicy").some((policy) => policy.name === "adma-prod-ecs-execution-secrets"));
        assert.ok(inputsOf("aws:ecs/cluster:Cluster").some((cluster) => cluster.name === "adma-prod-ecs"));
        assert.ok(inputsOf("aws:ecs/taskDefinition:TaskDefinition").some((task) => task.family === "adma-prod-backend"));
        assert.ok(inputsOf("aws:ecs/service:Service").some((service) => service.name === "adma-prod-backend"));
        assert.ok(inputsOf("aws:cloudwatch/logGroup:LogGroup").some((group) => group.name === "/ecs/adma-prod-backend"));
        assert.ok(inputsOf("aws:ssm/parameter:Parameter").some((parameter) => parameter.name === "/adma/prod/app-base-url"));
    });

    it("carries the operations wiring: RDS rotation schedule, previous JWT key, redeploy wiring, alarms", () => {
        const [db] = ofType("aws:rds/instance:Instance");
        const dbMasterSecretArn = (db.outputs.masterUserSecrets as Array<{ secretArn: string }>)[0].secretArn;
        const [rotation] = inputsOf("aws:secretsmanager/secretRotation:SecretRotation");
        const rotationRules = rotation.rotationRules as { automaticallyAfterDays?: number };
        assert.deepStrictEqual([rotation.secretId, rotationRules.automaticallyAfterDays], [dbMasterSecretArn, 30]);

        const [task] = inputsOf("aws:ecs/taskDefinition:TaskDefinition");
        const [jwtSecret] = ofType("aws:secretsmanager/secret:Secret");
        const containers = JSON.parse(String(task.containerDefinitions)) as Array<{ secrets: Array<{ name: string; valueFrom: string }> }>;
        const previous = containers[0].secrets.find((secret) => secret.name === "JWT_SECRET_PREVIOUS");
        assert.strictEqual(previous?.valueFrom, `${String(jwtSecret.outputs.arn)}::AWSPREVIOUS:`);

        const [stateMachine] = ofType("aws:sfn/stateMachine:StateMachine");
        const targets = inputsOf("aws:cloudwatch/eventTarget:EventTarget");
        assert.ok(targets.some((target) => target.arn === stateMachine.outputs.arn), "an EventBridge target starts the redeploy state machine");
        assert.match(String(stateMachine.inputs.definition), /aws-sdk:ecs:updateService/);

        const alarms = inputsOf("aws:cloudwatch/metricAlarm:MetricAlarm").map((alarm) => String(alarm.name));
        assert.deepStrictEqual(alarms.sort(),
            ["adma-prod-frequent-secret-reads", "adma-prod-log-leak-jwt-shape", "adma-prod-log-leak-password"]);
    });

    it("roots every resource in the stack, under resolvable parents", () => {
        const urns = new Set(resources.map((resource) => resource.urn));
        const roots = resources.filter((resource) => resource.parent === undefined && !resource.type.startsWith("pulumi:providers:"));
        assert.deepStrictEqual(roots.map((resource) => resource.urn), ["urn:pulumi:prod::adma::pulumi:pulumi:Stack::adma-prod"]);
        for (const resource of resources) {
            assert.ok(resource.parent === undefined || urns.has(resource.parent), resource.urn);
        }
    });

    it("writes no secret value in plaintext, the generated JWT secret sealed", () => {
        assert.ok(prod.secretValues.length > 0);
        assert.deepStrictEqual(prod.secretValues.filter((secret) => serialized.includes(secret)).map((secret) => secret.length), []);
        const jwt = ofType("random:index/randomPassword:RandomPassword");
        assert.ok(jwt.length > 0 && jwt.every((password) => isSecretEnvelope(password.outputs.result)));
    });

    it("passes the policy pack", async () => {
        const violations = await checkPolicies(prod);
        assert.deepStrictEqual(violations.filter((violation) => violation.enforcementLevel === "mandatory"), []);
    });

    it("passes the pack's kms:Decrypt check on the key it creates, which fails without the execution role's grant", async () => {
        const exported = prod.exportDocument(plaintextEnvelope);
        const access = async () => (await runPolicies(readAuditDocument(exported).resources)).filter((v) => v.policyName === "execution-role-secret-access");
        assert.deepStrictEqual(await access(), [], "nothing to report, not even what it could not check");
        const [secretsPolicy] = exported.deployment.resources.filter((resource) => resource.type === "aws:iam/rolePolicy:RolePolicy" && /execution-role-secrets$/.test(resource.urn));
        const document = JSON.parse(String(secretsPolicy.inputs.policy)) as { Statement: { Action: string[] }[] };
        document.Statement = document.Statement.filter((statement) => !statement.Action.includes("kms:Decrypt"));
        secretsPolicy.inputs.policy = JSON.stringify(document);
        const refused = await access();
        assert.ok(refused.length > 0 && refused.every((v) => v.enforcementLevel === "mandatory" && /is encrypted with customer managed KMS key .*\(Pulumi resource adma-secrets-key\)/.test(v.message)),
            JSON.stringify(refused, null, 1));
        assert.deepStrictEqual(refused.map((v) => /\("(\w+)"\)/.exec(v.message)?.[1]).sort(), ["DB_PASSWORD", "JWT_SECRET", "JWT_SECRET_PREVIOUS"]);
    });
});
