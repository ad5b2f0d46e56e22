import { strict as assert } from "assert";
import { valueImports } from "../../bench/lib/sdk-imports";

describe("bench: the SDK modules a program requires (bench/lib/sdk-imports)", () => {
    it("valueImports keeps value imports and requires, drops type-only imports", () => {
        const source = [
            'import * as pulumi from "@pulumi/pulumi";',
            'import type { Input } from "@pulumi/aws/types";',
            "import {",
            "    a,",
            '} from "./lib/config";',
            'export { b } from "../b";',
            'const random = require("@pulumi/random");',
        ].join("\n");
        assert.deepEqual(valueImports(source), ["@pulumi/pulumi", "./lib/config", "../b", "@pulumi/random"]);
    });
});
