/**
 * Case 11 of issue 16: every physical name the program builds satisfies AWS's rule for its resource
 * type, for every projectName and environment the configuration accepts, checked when the
 * configuration is read (lib/naming-rules.ts, one table with each rule's source).
 */
import * as assert from "assert";
import { ENVIRONMENTS } from "../lib/config";
import { NAME_USES, NameUse, physicalNames, resourceNames } from "../lib/naming";
import { NAMING_RULE_USES, namingRuleFor, namingViolations, physicalNameProblems } from "../lib/naming-rules";
import { MINIMAL_CONFIG, configFrom, configProblems } from "./harness";

/** The longest projectName the configuration accepts, found by asking it (so a changed limit is followed). */
function longestAcceptedProjectName(): string {
    let longest = "";
    for (let length = 1; length <= 128; length++) {
        const candidate = `p${"a".repeat(length - 1)}`;
        if (!configProblems({ projectName: candidate }).some((p) => p.startsWith("adma:projectName: expected"))) {
            longest = candidate;
        }
    }
    return longest;
}

function rule(resourceType: string, property = "name") {
    const found = namingRuleFor({ resourceType, property });
    assert.ok(found, `no rule for ${resourceType} ${property}`);
    return found;
}

describe("naming rules (lib/naming-rules.ts)", () => {
    it("has exactly one rule, with its source, for every use of a name", () => {
        const uses = Object.values(NAME_USES).flatMap((group) => Object.values(group) as NameUse[]);
        const used = new Set(uses.map((use) => `${use.resourceType} ${use.property}`));
        assert.deepStrictEqual([...used].filter((use) => !NAMING_RULE_USES.includes(use)), [], "uses without a rule");
        assert.deepStrictEqual(NAMING_RULE_USES.filter((use) => !used.has(use)), [], "rules no name uses");
        for (const use of uses) {
            assert.match(namingRuleFor(use)!.source, /(API Reference|User Guide|CloudFormation)/, `${use.resourceType} ${use.property}`);
        }
    });

    it("every name passes for the longest projectName the configuration accepts, in every environment", () => {
        const projectName = longestAcceptedProjectName();
        assert.ok(projectName.length >= 20, `longest accepted projectName is ${projectName.length} characters`);
        for (const environment of ENVIRONMENTS) {
            assert.deepStrictEqual(configProblems({ projectName, environment }), [], `${projectName}/${environment}`);
            const names = physicalNames(resourceNames(configFrom({ ...MINIMAL_CONFIG, projectName, environment })));
            assert.deepStrictEqual(physicalNameProblems(names), []);
        }
    });

    it("a projectName the name syntax admits but AWS would reject is refused when the configuration is read, naming the setting and the rule", () => {
        const trailing = configProblems({ projectName: "shop-", environment: "prod" }).join("\n");
        assert.match(trailing, /adma:projectName "shop-" with adma:environment "prod" makes a name AWS rejects: database\.instance "shop--prod-postgres" \(aws:rds\/instance:Instance identifier\) must not contain two consecutive hyphens \(Amazon RDS API Reference, CreateDBInstance, DBInstanceIdentifier\)/);
        assert.match(configProblems({ projectName: "a--b" }).join("\n"), /database\.parameterGroup "a--b-staging-postgres-postgres16" .* two consecutive hyphens/);
    });

    it("reports what each rule forbids", () => {
        const role = rule("aws:iam/role:Role");
        assert.deepStrictEqual(namingViolations("r".repeat(64), role), []);
        assert.deepStrictEqual(namingViolations("r".repeat(65), role), ["is 65 characters long; AWS allows 1 to 64"]);
        assert.deepStrictEqual(namingViolations("a b", role), ["contains \" \"; AWS allows letters, digits and _+=,.@-"]);
        const identifier = rule("aws:rds/instance:Instance", "identifier");
        assert.deepStrictEqual(namingViolations("adma-prod-postgres", identifier), []);
        assert.deepStrictEqual(namingViolations(`a${"b".repeat(63)}`, identifier), ["is 64 characters long; AWS allows 1 to 63"]);
        assert.deepStrictEqual(namingViolations("1db-", identifier), ["must start with a letter", "must not end with a hyphen"]);
        assert.deepStrictEqual(namingViolations("x".repeat(65), rule("aws:cloudwatch/eventRule:EventRule")), ["is 65 characters long; AWS allows 1 to 64"]);
        assert.deepStrictEqual(namingViolations("x".repeat(81), rule("aws:sfn/stateMachine:StateMachine")), ["is 81 characters long; AWS allows 1 to 80"]);
        assert.deepStrictEqual(namingViolations("a:b", rule("aws:sfn/stateMachine:StateMachine")).length, 1);
        assert.deepStrictEqual(namingViolations("sg-backend", rule("aws:ec2/securityGroup:SecurityGroup")), ["must not start with sg-"]);
        assert.deepStrictEqual(namingViolations("alias/aws/mine", rule("aws:kms/alias:Alias")), ["must not start with alias/aws/ (reserved for AWS managed keys)"]);
        assert.deepStrictEqual(namingViolations("/ssm/x/y", rule("aws:ssm/parameter:Parameter")), ["must not begin with aws or ssm (any case)"]);
        assert.deepStrictEqual(namingViolations("/adma/prod/jwt secret", rule("aws:secretsmanager/secret:Secret")).length, 1);
        assert.deepStrictEqual(namingViolations("default", rule("aws:rds/subnetGroup:SubnetGroup")), ["must not be default"]);
        assert.deepStrictEqual(namingViolations("AWS/Mine", rule("aws:cloudwatch/logMetricFilter:LogMetricFilter", "metricTransformation.namespace")),
            ["must not start with AWS/ (reserved for AWS services)"]);
        assert.deepStrictEqual(namingViolations("a.b", rule("aws:sns/topic:Topic")), ["contains \".\"; AWS allows letters, digits, underscores and hyphens"]);
    });

    it("a name whose use has no rule is a programming error, not a silent pass", () => {
        assert.throws(() => physicalNameProblems([{ key: "x.y", name: "n", resourceType: "aws:new/thing:Thing", property: "name" }]),
            /lib\/naming-rules\.ts has no rule for aws:new\/thing:Thing name \(x\.y\)/);
    });
});
