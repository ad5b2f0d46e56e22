import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { RdsSecretRotation } from "../components/rotation";
import { AdmaConfig } from "../lib/config";
import { serviceTrustPolicy } from "../lib/iam-policy";
import { redeployStateMachineDefinition, startExecutionPolicy, updateServicePolicy } from "../lib/redeploy-workflow";
import { currentVersionChangedPattern } from "../lib/secret-events";
import { runPolicies } from "../policy-pack/audit/engine";
import { ACCOUNT, REGION, RecordingMocks, auditResources, json, registeredUrns, settled, policyResources } from "./recording-mocks";
import { RDS_SECRET_ARN, REDEPLOY_TARGET, PROD_CONFIG, PROD_NAMES } from "./samples";
import { withoutStackTraces } from "./stack-traces";

describe("RdsSecretRotation component (mocked)", () => {
    let mocks: RecordingMocks;

    beforeEach(async () => {
        mocks = new RecordingMocks();
        await pulumi.runtime.setMocks(mocks, "adma", "test", false);
    });

    async function build(settings: Partial<AdmaConfig["rotation"]> = {}): Promise<RdsSecretRotation> {
        return withoutStackTraces(async () => {
            const component = new RdsSecretRotation("rds-rotation", {
                names: PROD_NAMES.rotation,
                tags: { Project: "adma", Environment: "prod" },
                rdsMasterSecretArn: RDS_SECRET_ARN,
                settings: { ...PROD_CONFIG.rotation, ...settings },
                service: REDEPLOY_TARGET,
            });
            await settled();
            return component;
        });
    }

    it("schedules the RDS master secret every 30 days by default, natively (no Lambda), without rotating at once", async () => {
        await build();
        const [rotation] = mocks.ofType("aws:secretsmanager/secretRotation:SecretRotation");
        assert.strictEqual(rotation.inputs.secretId, RDS_SECRET_ARN);
        assert.deepStrictEqual(rotation.inputs.rotationRules, { automaticallyAfterDays: 30 });
        assert.strictEqual(rotation.inputs.rotationLambdaArn, undefined);
        assert.strictEqual(rotation.inputs.rotateImmediately, false);
    });

    it("takes the schedule from its arguments", async () => {
        await build({ rdsSchedule: { afterDays: 14 } });
        const [rotation] = mocks.ofType("aws:secretsmanager/secretRotation:SecretRotation");
        assert.deepStrictEqual(rotation.inputs.rotationRules, { automaticallyAfterDays: 14 });
    });

    it("wires a new AWSCURRENT version of this secret to a state machine that redeploys this service", async () => {
        const component = await build();
        assert.ok(component.redeployStateMachine && component.rotationSucceededRule);

        const rule = mocks.one("aws:cloudwatch/eventRule:EventRule", "-rotation-succeeded");
        assert.strictEqual(rule.inputs.name, "adma-prod-rds-rotation-succeeded");
        assert.deepStrictEqual(json(rule.inputs.eventPattern), currentVersionChangedPattern(RDS_SECRET_ARN));

        const stateMachine = mocks.one("aws:sfn/stateMachine:StateMachine", "-redeploy");
        assert.strictEqual(stateMachine.inputs.name, "adma-prod-rds-rotation-redeploy");
        assert.strictEqual(stateMachine.inputs.definition, redeployStateMachineDefinition(REDEPLOY_TARGET));
        assert.strictEqual(stateMachine.inputs.roleArn, `arn:aws:iam::${ACCOUNT}:role/adma-prod-rds-rotation-redeploy-sfn`);

        const target = mocks.one("aws:cloudwatch/eventTarget:EventTarget", "-redeploy");
        assert.strictEqual(target.inputs.rule, "adma-prod-rds-rotation-succeeded");
        assert.strictEqual(target.inputs.arn, `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:adma-prod-rds-rotation-redeploy`);
        assert.strictEqual(target.inputs.roleArn, `arn:aws:iam::${ACCOUNT}:role/adma-prod-rds-rotation-redeploy-events`);
    });

    it("scopes each role to one action on one resource, trusted by one service for this stack's resource", async () => {
        await build();
        const stateMachineArn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:adma-prod-rds-rotation-redeploy`;
        const ruleArn = `arn:aws:events:${REGION}:${ACCOUNT}:rule/adma-prod-rds-rotation-succeeded`;

        const sfnRole = mocks.one("aws:iam/role:Role", "-redeploy-sfn");
        assert.deepStrictEqual(json(sfnRole.inputs.assumeRolePolicy), serviceTrustPolicy("states.amazonaws.com", ACCOUNT, stateMachineArn));
        const sfnPolicy = json(mocks.one("aws:iam/rolePolicy:RolePolicy", "-redeploy-sfn").inputs.policy);
        assert.deepStrictEqual(sfnPolicy, updateServicePolicy(REDEPLOY_TARGET));

        const eventsRole = mocks.one("aws:iam/role:Role", "-redeploy-events");
        assert.deepStrictEqual(json(eventsRole.inputs.assumeRolePolicy), serviceTrustPolicy("events.amazonaws.com", ACCOUNT, ruleArn));
        const eventsPolicy = json(mocks.one("aws:iam/rolePolicy:RolePolicy", "-redeploy-events").inputs.policy);
        assert.deepStrictEqual(eventsPolicy, startExecutionPolicy(stateMachineArn));
    });

    it("creates no wildcard resource and no Secrets Manager permission", async () => {
        await build();
        const policies = mocks.ofType("aws:iam/rolePolicy:RolePolicy").map((p) => json(p.inputs.policy));
        assert.strictEqual(policies.length, 2);
        for (const policy of policies) {
            assert.ok(policyResources(policy).every((resource) => !resource.includes("*")), JSON.stringify(policy));
            const actions = policy.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
            assert.ok(actions.every((action: string) => !action.startsWith("secretsmanager:") && !action.includes("*")), actions.join());
        }
    });

    it("names every physical resource with the stack's prefix and tags what takes tags", async () => {
        await build();
        const named = mocks.resources.filter((r) => r.type.startsWith("aws:") && r.inputs.name !== undefined);
        assert.ok(named.length >= 5);
        assert.ok(named.every((r) => r.inputs.name.startsWith("adma-prod-")), named.map((r) => r.inputs.name).join());
        for (const type of ["aws:iam/role:Role", "aws:sfn/stateMachine:StateMachine", "aws:cloudwatch/eventRule:EventRule"]) {
            assert.ok(mocks.ofType(type).every((r) => r.inputs.tags?.Environment === "prod"), type);
        }
    });

    it("passes the stack's own policy pack with no violation at all", async () => {
        await build();
        const resources = auditResources(mocks);
        assert.deepStrictEqual(await runPolicies(resources), []);
        // Control: the same audit does read these role policies (a widened one is reported).
        const widened = resources.map((resource) => resource.type !== "aws:iam/rolePolicy:RolePolicy" ? resource : {
            ...resource,
            props: { ...resource.props, policy: (resource.props.policy as string).replace(/"Resource":"[^"]+"/, "\"Resource\":\"*\"") },
        });
        const names = (await runPolicies(widened)).map((violation) => violation.policyName);
        assert.ok(names.includes("no-wildcard-resource"), names.join());
    });

    it("with redeployOnRdsRotation off, only schedules the rotation", async () => {
        const component = await build({ redeployOnRdsRotation: false });
        assert.strictEqual(component.redeployStateMachine, undefined);
        assert.deepStrictEqual(mocks.resources.filter((r) => r.type.startsWith("aws:")).map((r) => r.type),
            ["aws:secretsmanager/secretRotation:SecretRotation"]);
    });

    it("registers as an adma:rotation component with every resource parented to it", async () => {
        await build();
        const awsUrns = registeredUrns().filter((urn) => urn.includes("aws:"));
        assert.strictEqual(awsUrns.length, mocks.resources.filter((r) => r.type.startsWith("aws:")).length);
        assert.ok(awsUrns.every((urn) => urn.includes("::adma:rotation:RdsSecretRotation$aws:")), awsUrns.join("\n"));
    });
});
