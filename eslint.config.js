// ESLint for the pages (dashboards/static; vendor/ is third-party): the recommended rules and a few
// more that catch real bugs. Every page is an ES module run by the browser; this file runs in Node.

import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["dashboards/static/vendor/**", "node_modules/**", ".venv/**", "bench/**"] },
  js.configs.recommended,
  {
    files: ["dashboards/static/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: globals.browser,
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "array-callback-return": "error",
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-constructor-return": "error",
      "no-promise-executor-return": "error",
      "no-self-compare": "error",
      "no-template-curly-in-string": "error",
      "no-throw-literal": "error",
      "no-unmodified-loop-condition": "error",
      "no-unreachable-loop": "error",
      "no-unused-vars": ["error", { args: "after-used", caughtErrors: "none" }],
      "no-use-before-define": ["error", { functions: false, classes: true, variables: false }],
      "no-var": "error",
      "prefer-const": "error",
    },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { sourceType: "module", globals: globals.node },
  },
];
