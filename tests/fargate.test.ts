import * as assert from "assert";
import { FARGATE_CPU_VALUES, fargateMemoryFor, isValidFargateSize } from "../lib/fargate";

describe("Fargate sizes", () => {
    it("accepts exactly AWS's table", () => {
        assert.deepStrictEqual(FARGATE_CPU_VALUES, [256, 512, 1024, 2048, 4096, 8192, 16384]);
        assert.deepStrictEqual(fargateMemoryFor(256), [512, 1024, 2048]);
        assert.ok(isValidFargateSize(512, 4096) && !isValidFargateSize(512, 5120));
        assert.ok(isValidFargateSize(4096, 30720) && !isValidFargateSize(4096, 31744));
        assert.ok(isValidFargateSize(8192, 20480) && !isValidFargateSize(8192, 17408));
        assert.ok(isValidFargateSize(16384, 122880) && !isValidFargateSize(16384, 36864));
        assert.deepStrictEqual(fargateMemoryFor(300), []);
    });
});
