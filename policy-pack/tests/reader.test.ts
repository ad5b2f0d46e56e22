/** The audit's reader: which format a document is in, and what its adapter reads out of it. */
import * as assert from "assert";
import { INPUT_FORMATS, readAuditDocument } from "../audit/reader";
import * as types from "../policies/resource-types";
import {
    STACK_RESOURCE_URN, compliantStates, encrypted, plaintextSecret, previewJson, roleArn, stackExport, stateUrn, withState,
} from "./helpers";

describe("audit reader", () => {
    describe("a `pulumi stack export`", () => {
        it("reads inputs, identifying outputs, parent and the stack's URN", () => {
            const document = readAuditDocument(stackExport(compliantStates()));
            assert.strictEqual(document.format, "pulumi-stack-export");
            assert.strictEqual(document.stackUrn, STACK_RESOURCE_URN);
            assert.strictEqual(document.resources.length, compliantStates().length + 1);
            const execution = document.resources.find((r) => r.name === "execution")!;
            assert.strictEqual(execution.type, types.IAM_ROLE);
            assert.strictEqual(execution.props.arn, roleArn("execution"));
            assert.strictEqual(execution.parent, STACK_RESOURCE_URN);
        });

        it("says whether a secret the policies read is encrypted", () => {
            assert.strictEqual(readAuditDocument(stackExport(compliantStates())).secretsEncrypted, false);
            const withPassword = (password: unknown) => withState(compliantStates(), "db", (s) => { s.inputs.password = password; });
            assert.strictEqual(readAuditDocument(stackExport(withPassword(plaintextSecret("p")))).secretsEncrypted, false);
            assert.strictEqual(readAuditDocument(stackExport(withPassword(encrypted()))).secretsEncrypted, true);
            assert.strictEqual(readAuditDocument(stackExport(withPassword({ list: [1, { nested: encrypted() }] }))).secretsEncrypted, true);
        });
    });

    describe("`pulumi preview --json` output", () => {
        it("reads each step's new state, skipping deletes", () => {
            const document = readAuditDocument(previewJson(compliantStates()));
            assert.strictEqual(document.format, "pulumi-preview");
            assert.deepStrictEqual(document.resources.map((r) => r.name), compliantStates().map((s) => s.name));
            assert.strictEqual(document.stackUrn, undefined, "these steps create no stack resource");
        });

        it("keeps one resource per URN, the last new state, when a replacement repeats it", () => {
            const preview = previewJson(compliantStates());
            const replaced = preview.steps[0] as { newState: Record<string, unknown> };
            preview.steps.push({ op: "create-replacement", urn: stateUrn(types.IAM_ROLE, "execution"), newState: { ...replaced.newState, inputs: { replaced: true } } });
            const resources = readAuditDocument(preview).resources;
            assert.strictEqual(resources.length, compliantStates().length);
            assert.deepStrictEqual(resources.find((r) => r.name === "execution")!.props.replaced, true);
        });
    });

    describe("names what it cannot read", () => {
        const unusable: [string, unknown, RegExp][] = [
            ["null", null, /expected a `pulumi stack export` document .* or `pulumi preview --json` output .*, got null$/],
            ["a list", [], /stack export.*preview --json.*, got a list$/],
            ["a string", "x", /stack export.*preview --json.*, got string$/],
            ["neither format", { hello: "world" }, /found none of `deployment`, `steps`, `resource_changes`, `values`/],
            ["steps that are not a list", { steps: {} }, /found none of `deployment`, `steps`, `resource_changes`, `values`/],
            ["an older export version", { version: 2, deployment: { resources: [] } }, /unsupported stack export version 2/],
            ["an export without a version", { deployment: { resources: [] } }, /unsupported stack export version undefined/],
            ["a resource list that is not a list", { version: 3, deployment: { resources: { a: 1 } } }, /deployment.resources must be a list/],
            ["a deployment that is not an object", { version: 3, deployment: [] }, /deployment.resources must be a list/],
            ["a resource without a type", { version: 3, deployment: { resources: [{ urn: "u", type: "t" }, { urn: "u" }] } }, /deployment\.resources\[1\] has no urn or type$/],
            ["a resource that is not an object", { version: 3, deployment: { resources: [1] } }, /deployment\.resources\[0\] is not an object$/],
            ["a step that is not an object", { steps: [{ op: "same" }, "x"] }, /preview document: steps\[1\] is not an object$/],
            ["a new state without a type", { steps: [{ op: "create", urn: "u", newState: { urn: "u" } }] }, /steps\[0\]\.newState has no urn or type$/],
        ];
        for (const [what, document, message] of unusable) {
            it(`rejects ${what}`, () => {
                assert.throws(() => readAuditDocument(document), message);
            });
        }

        it("lists every registered format in its error", () => {
            assert.throws(() => readAuditDocument(0), (error: Error) => INPUT_FORMATS.every((format) => error.message.includes(format.description)));
        });
    });
});
