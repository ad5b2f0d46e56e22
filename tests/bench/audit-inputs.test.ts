import { strict as assert } from "assert";
import { managedPoliciesExport, renamedCopy, syntheticExport } from "../../bench/inputs/audit-inputs";

describe("bench: synthetic stack exports (bench/inputs/audit-inputs)", () => {
    const stackUrn = "urn:pulumi:prod::adma::pulumi:pulumi:Stack::adma-prod";
    const roleUrn = `${stackUrn.replace("pulumi:pulumi:Stack::adma-prod", "aws:iam/role:Role::adma-prod-role")}`;
    const policyUrn = roleUrn.replace("aws:iam/role:Role::adma-prod-role", "aws:iam/rolePolicy:RolePolicy::secrets");
    const template = {
        version: 3 as const,
        deployment: {
            manifest: { time: "t", magic: "m", version: "v" },
            resources: [
                { urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack", inputs: {}, outputs: {} },
                { urn: roleUrn, custom: true, type: "aws:iam/role:Role", inputs: { name: "adma-prod-role" }, outputs: {}, parent: stackUrn },
                { urn: policyUrn, custom: true, type: "aws:iam/rolePolicy:RolePolicy", inputs: { role: "adma-prod-role" }, outputs: {}, dependencies: [roleUrn] },
            ],
        },
    };

    it("fills exactly the requested count with one stack and renamed copies", () => {
        const resources = syntheticExport(template, 6, "adma-prod").deployment.resources;
        assert.equal(resources.length, 6);
        assert.equal(resources.filter((r) => r.type === "pulumi:pulumi:Stack").length, 1);
        assert.equal(new Set(resources.map((r) => r.urn)).size, 6, "URNs are unique");
    });

    it("renames URNs, references to them and the name prefix consistently within a copy", () => {
        const [role, policy] = renamedCopy(template.deployment.resources.slice(1), 7, "adma-prod");
        assert.equal(role.inputs.name, "adma-prod-c0007-role");
        assert.equal(policy.inputs.role, "adma-prod-c0007-role");
        assert.deepEqual(policy.dependencies, [role.urn]);
        assert.equal(role.parent, stackUrn, "the stack itself is not copied, so references to it stay");
    });

    it("turns the managed policies corpus into aws.iam.Policy resources holding each document as JSON", () => {
        const document = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] };
        const [policy] = managedPoliciesExport({ ReadOnly: document }, template.deployment.manifest).deployment.resources;
        assert.equal(policy.type, "aws:iam/policy:Policy");
        assert.deepEqual(JSON.parse(policy.inputs.policy as string), document);
        assert.equal(policy.outputs.arn, "arn:aws:iam::aws:policy/ReadOnly");
    });
});
