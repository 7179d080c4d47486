// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/", ".cache/", "coverage/", "app/generated/", "app/shopify/generated/", "node_modules/", "public/", "prisma/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Tests and benchmarks read Shopify's JSON answers loosely and assert on their shape.
    files: ["**/*.test.ts", "bench/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // Plain scripts that run in the browser (the App Bridge stand-in of the browser test).
    files: ["**/*.js"],
    ignores: ["eslint.config.js"],
    languageOptions: {
      sourceType: "script",
      globals: { window: "readonly", document: "readonly", URL: "readonly", URLSearchParams: "readonly", Request: "readonly", Headers: "readonly" },
    },
  },
  {
    // ARCHITECTURE.md: segments' pure files (rules, catalogue, compiler, evaluator, hold-out)
    // import neither Prisma nor Shopify; the database is reached from *.server.ts only.
    files: ["app/segments/**/*.ts"],
    ignores: ["app/segments/**/*.server.ts", "app/segments/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["@prisma/*", "@shopify/*", "node:*", "~/db.server", "~/generated/*", "~/shopify.server"] }],
      "no-restricted-properties": ["error", { object: "Date", property: "now", message: "Pass the reference time in." }, { object: "Math", property: "random", message: "Pass a random source in." }],
    },
  },
  {
    // STYLE.md: the analytics core is pure — no database, Shopify, Remix, Node I/O, clock or
    // randomness; "now" and random sources are arguments.
    // Tests and their fixture loaders may read files.
    files: ["app/analytics/**/*.ts"],
    ignores: ["app/analytics/**/*.test.ts", "app/analytics/**/testing/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["@prisma/*", "@remix-run/*", "@shopify/*", "node:*"] }],
      "no-restricted-properties": [
        "error",
        { object: "Date", property: "now", message: "Pass the as-of date in." },
        { object: "Math", property: "random", message: "Pass a random source in." },
      ],
    },
  },
);
