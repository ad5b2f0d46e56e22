// ESLint flat config: typescript-eslint's recommended rules plus the Pulumi plugin, whose rules
// catch an Output interpolated into a plain template literal (it renders as a warning string,
// not the value). Those rules need type information, so every TypeScript file is parsed with
// the TypeScript project service (each file uses its nearest tsconfig.json): right for editors,
// which lint one file at a time. `npm run lint` (tools/dev/lint.ts) instead builds the program of
// tsconfig.json once and lints every file against it, at about half the CPU of `eslint .`.
//
// With the type information there anyway, one type-aware rule is added: no-floating-promises
// (an unawaited promise in a program or CLI loses its error, or turns a crash into exit code 1,
// which the offline preview reserves for a policy violation). The full recommendedTypeChecked
// set was measured at about +40% lint CPU time, its findings mostly no-unsafe-* on parsed
// JSON/YAML, so it is not enabled.
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";

export default defineConfig(
    {
        ignores: [
            "**/node_modules/", "**/bin/", "**/dist/", "**/build/", "out/", "bench/.work/", ".pulumi/",
            // Deliberate mistakes that tests/dev/lint.test.ts lints explicitly.
            "tests/fixtures/lint/",
        ],
    },
    tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        languageOptions: {
            parserOptions: {
                projectService: true,
                tsconfigRootDir: import.meta.dirname,
            },
        },
        plugins: { "@pulumi": pulumi },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
            "@typescript-eslint/no-floating-promises": "error",
        },
    },
);
