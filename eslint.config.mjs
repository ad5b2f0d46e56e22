// ESLint flat config: typescript-eslint's recommended rules plus the Pulumi plugin, whose rules
// catch an Output interpolated into a plain template literal (it renders as a warning string,
// not the value). Those rules need type information, so every TypeScript file is parsed with
// the TypeScript project service (each file uses its nearest tsconfig.json).
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";

export default defineConfig(
    {
        ignores: ["**/node_modules/", "**/bin/", "**/dist/", "**/build/", "out/", "bench/.work/", ".pulumi/"],
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
        },
    },
);
