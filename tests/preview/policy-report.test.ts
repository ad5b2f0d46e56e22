import * as assert from "assert";
import { formatPolicyReport, hasMandatoryViolation } from "../../tools/preview/policy-report";

describe("offline preview: policy report", () => {
    const urn = "urn:pulumi:prod::adma::adma:index:AdmaBackend$aws:rds/instance:Instance::postgres";
    const pack = { name: "adma-security", version: "0.1.0" };

    it("groups violations under the pack, mandatory first, and masks secret values", () => {
        const report = formatPolicyReport(
            [
                { policyName: "secret-recovery-window", urn, message: "advice", enforcementLevel: "advisory" },
                { policyName: "no-plaintext-db-password", urn, message: "password p4ssw0rd-x is set\nuse manageMasterUserPassword", enforcementLevel: "mandatory" },
                { policyName: "ignored", urn, message: "off", enforcementLevel: "disabled" },
            ],
            pack,
            ["p4ssw0rd-x"],
        );
        assert.strictEqual(
            report,
            [
                "Policies:",
                "    ❌ adma-security@v0.1.0 (local: policy-pack)",
                "        - [mandatory]  no-plaintext-db-password  (aws:rds/instance:Instance: postgres)",
                "          password [secret] is set",
                "          use manageMasterUserPassword",
                "        - [advisory]  secret-recovery-window  (aws:rds/instance:Instance: postgres)",
                "          advice",
            ].join("\n"),
        );
    });

    it("marks a clean run and an advisory-only run, and only mandatory violations fail", () => {
        assert.match(formatPolicyReport([], pack, []), /✅ adma-security@v0\.1\.0/);
        const advisory = [{ policyName: "p", urn: "", message: "m", enforcementLevel: "advisory" as const }];
        assert.match(formatPolicyReport(advisory, pack, []), /⚠️ adma-security[^\n]*\n {8}- \[advisory\] {2}p\n/);
        assert.strictEqual(hasMandatoryViolation(advisory), false);
        assert.strictEqual(hasMandatoryViolation([{ ...advisory[0], enforcementLevel: "mandatory" }]), true);
    });
});
