/**
 * The import file's check (tools/adopt/import-file.ts, the Pulumi CLI's own rules for
 * `pulumi import --file`) catches what the CLI refuses, and the removed blocks cover only what moves
 * whole (tools/adopt/report.ts). The file adoption writes for the design's deployment is checked in
 * adopt-terraform.test.ts.
 */
import * as assert from "assert";
import { checkImportFile } from "../../tools/adopt/import-file";
import { LiveResource } from "../../tools/adopt/live-deployment";
import { removedBlocks, removedBlocksText } from "../../tools/adopt/report";

const STACK = { project: "adma", stack: "prod" };
const component = (name: string, parent?: string) => ({ type: "adma:index:Thing", name, component: true, ...(parent && { parent }) });
const role = (name: string, parent?: string, id: string | undefined = "r") => ({ type: "aws:iam/role:Role", name, ...(id && { id }), ...(parent && { parent }) });

describe("the import file's check (pulumi import --file's rules)", () => {
    it("gives each entry the URN the engine forms: its parents' types chained, the stack's left out", () => {
        const { problems, urns } = checkImportFile({ resources: [role("exec", "inner"), component("outer"), { ...component("inner", "outer"), logicalName: "inner-name" }] }, STACK);
        assert.deepStrictEqual(problems, []);
        assert.strictEqual(urns.get("exec"), "urn:pulumi:prod::adma::adma:index:Thing$adma:index:Thing$aws:iam/role:Role::exec");
        assert.strictEqual(urns.get("inner"), "urn:pulumi:prod::adma::adma:index:Thing$adma:index:Thing::inner-name");
    });

    const refused: [string, unknown, RegExp][] = [
        ["a file without resources", { nameTable: {} }, /an import file is an object with a `resources` list/],
        ["a resource without an ID", { resources: [role("exec", undefined, "")] }, /resource 'exec' has no ID/],
        ["a component with an ID", { resources: [{ ...component("c"), id: "x" }] }, /resource 'c' has an ID, but is marked as a component/],
        ["a parent named nowhere", { resources: [role("exec", "missing")] }, /the parent 'missing' for resource 'exec' has no entry in 'nameTable'/],
        ["two resources with one URN", { resources: [role("a"), { ...role("b"), logicalName: "a" }] }, /has an ambiguous URN/],
        ["an ambiguous parent", { resources: [component("c"), component("c"), role("exec", "c")] }, /resource 'exec' has an ambiguous parent/],
    ];
    for (const [what, file, message] of refused) {
        it(`refuses ${what}`, () => {
            const { problems } = checkImportFile(file, STACK);
            assert.ok(problems.some((problem) => message.test(problem)), problems.join("\n"));
        });
    }
});

describe("removed blocks", () => {
    const live = (address: string): LiveResource => ({ address, terraformType: address.split(".").slice(-2)[0].replace(/\[.*$/, ""), props: {} });
    const all = ["aws_subnet.private[0]", "aws_subnet.private[1]", "aws_vpc.main", "module.iam.aws_iam_role.a", "module.iam.aws_iam_role.b", "module.ecs.aws_ecs_cluster.c", "module.ecs.aws_ecs_service.s"].map(live);

    it("removes a whole module from the root, a resource of a module partly kept in that module, and never one instance alone", () => {
        const released = ["aws_subnet.private[0]", "module.iam.aws_iam_role.a", "module.iam.aws_iam_role.b", "module.ecs.aws_ecs_cluster.c"].map(live);
        const { blocks, partial } = removedBlocks(released, all);
        assert.deepStrictEqual(blocks, [{ module: "module.ecs", from: "aws_ecs_cluster.c" }, { module: "", from: "module.iam" }]);
        assert.deepStrictEqual(partial, ["aws_subnet.private"]);
        assert.match(removedBlocksText(blocks), /# In the configuration of module\.ecs; [^\n]*\nremoved \{\n {2}from = aws_ecs_cluster\.c\n\n {2}lifecycle \{\n {4}destroy = false\n {2}\}\n\}/);
    });
});
