import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "assets/avatars/**", "assets/screenshots/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": ["error", { selector: "TSEnumDeclaration", message: "Use an `as const` object instead of enum (STYLE.md §6)." }],
    },
  },
  {
    // configuration is read in one module only (STYLE.md §10)
    files: ["server/src/**/*.ts"],
    // tests may read their own knobs (seeds, run counts)
    ignores: ["server/src/config.ts", "**/*.test.ts"],
    rules: { "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration in server/src/config.ts." }] },
  },
);
