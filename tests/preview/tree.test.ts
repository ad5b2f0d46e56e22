import * as assert from "assert";
import type { ExportResource } from "../../tools/preview/export-document";
import { createThrowawaySealer, plaintextEnvelope, UNKNOWN_VALUE } from "../../tools/preview/secret-envelope";
import { formatPreview } from "../../tools/preview/tree";

describe("offline preview: tree", () => {
    const urn = (qualifiedType: string, name: string) => `urn:pulumi:prod::adma::${qualifiedType}::${name}`;
    const resource = (qualifiedType: string, name: string, parent?: string, outputs: Record<string, unknown> = {}): ExportResource => ({
        urn: urn(qualifiedType, name),
        custom: !qualifiedType.startsWith("adma") && !qualifiedType.startsWith("pulumi:pulumi"),
        type: qualifiedType.split("$").pop() as string,
        inputs: {},
        outputs,
        parent,
    });
    const stack = resource("pulumi:pulumi:Stack", "adma-prod", undefined, {
        clusterName: "adma-prod-ecs",
        jwtSecret: createThrowawaySealer()("s3cr3t-value"),
        dbEndpoint: UNKNOWN_VALUE,
        names: { db: "adma-prod-postgres", password: plaintextEnvelope("plain-s3cr3t") },
        record: { subnets: ["subnet-a", "subnet-b"], none: {}, version: 1 },
    });
    const backend = resource("adma:index:AdmaBackend", "backend", stack.urn);
    const resources = [
        stack,
        resource("pulumi:providers:aws", "default_7_48_0"),
        backend,
        resource("adma:index:AdmaBackend$aws:kms/key:Key", "key", backend.urn),
        resource("adma:index:AdmaBackend$aws:rds/instance:Instance", "postgres", backend.urn),
        resource("aws:ssm/parameter:Parameter", "base-url", stack.urn),
    ];

    it("prints types indented under their parents, names, plans, outputs and the summary", () => {
        assert.strictEqual(
            formatPreview(resources),
            [
                "     Type                             Name       Plan",
                " +   pulumi:pulumi:Stack              adma-prod  create",
                " +   ├─ adma:index:AdmaBackend        backend    create",
                " +   │  ├─ aws:kms/key:Key            key        create",
                " +   │  └─ aws:rds/instance:Instance  postgres   create",
                " +   └─ aws:ssm/parameter:Parameter   base-url   create",
                "",
                "Outputs:",
                '    clusterName: "adma-prod-ecs"',
                "    jwtSecret  : [secret]",
                "    dbEndpoint : output<string>",
                "    names      : {",
                '        db      : "adma-prod-postgres"',
                "        password: [secret]",
                "    }",
                "    record     : {",
                "        subnets: [",
                '            [0]: "subnet-a"',
                '            [1]: "subnet-b"',
                "        ]",
                "        none   : {}",
                "        version: 1",
                "    }",
                "",
                "Resources:",
                "    + 5 to create",
            ].join("\n"),
        );
    });
});
