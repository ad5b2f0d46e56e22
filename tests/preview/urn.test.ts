import * as assert from "assert";
import { childUrn, parseUrn } from "../../tools/preview/urn";

const IDENTITY = { project: "adma", stack: "prod" };

describe("offline preview: URNs", () => {
    const stackUrn = "urn:pulumi:prod::adma::pulumi:pulumi:Stack::adma-prod";

    it("leaves the root stack's type out of its children's URNs, as the engine does", () => {
        assert.strictEqual(
            childUrn(IDENTITY, stackUrn, "adma:index:AdmaBackend", "backend"),
            "urn:pulumi:prod::adma::adma:index:AdmaBackend::backend",
        );
    });

    it("chains every ancestor's type below the stack", () => {
        const backend = childUrn(IDENTITY, stackUrn, "adma:index:AdmaBackend", "backend");
        const database = childUrn(IDENTITY, backend, "adma:index:Database", "db");
        assert.strictEqual(
            childUrn(IDENTITY, database, "aws:rds/instance:Instance", "postgres"),
            "urn:pulumi:prod::adma::adma:index:AdmaBackend$adma:index:Database$aws:rds/instance:Instance::postgres",
        );
    });

    it("parses a URN whose name contains '::' and rejects a non-URN", () => {
        const parsed = parseUrn("urn:pulumi:prod::adma::a:b:C$aws:ssm/parameter:Parameter::/adma::odd");
        assert.deepStrictEqual(parsed, {
            stack: "prod",
            project: "adma",
            qualifiedType: "a:b:C$aws:ssm/parameter:Parameter",
            type: "aws:ssm/parameter:Parameter",
            name: "/adma::odd",
        });
        assert.throws(() => parseUrn("arn:aws:iam::123456789012:role/x"), /not a Pulumi URN/);
    });
});
