// ESLint flat config for the page's native ES modules and their node tests.
import js from "@eslint/js";
import globals from "globals";

export default [
  // frontend/ is a link to backend/lrscope/web/static: lint the page once, by its real path.
  { ignores: ["node_modules/", ".venv/", "**/vendor/", "frontend/", "build/"] },
  js.configs.recommended,
  {
    files: ["backend/lrscope/web/static/**/*.js"],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "module",
      // The page's one global besides the browser's: plotly.js, loaded by index.html.
      globals: { ...globals.browser, Plotly: "readonly" },
    },
    rules: {
      "no-unused-vars": ["error", { args: "none", caughtErrors: "none" }],
      eqeqeq: ["error", "smart"],
      "prefer-const": "error",
      "no-var": "error",
    },
  },
  {
    // Modules stay small; functions stay readable. (The language tables are data.)
    files: ["backend/lrscope/web/static/**/*.js"],
    ignores: ["backend/lrscope/web/static/js/i18n/en.js", "backend/lrscope/web/static/js/i18n/zh.js"],
    rules: {
      "max-lines": ["error", { max: 400, skipBlankLines: true, skipComments: true }],
      "max-lines-per-function": ["error", { max: 60, skipBlankLines: true, skipComments: true, IIFEs: true }],
    },
  },
  {
    // core/ and the language tables are pure: no DOM, no network, no view imports, so
    // they run under node --test.
    files: ["backend/lrscope/web/static/js/core/**/*.js", "backend/lrscope/web/static/js/i18n/**/*.js"],
    ignores: ["backend/lrscope/web/static/js/i18n/static.js"],
    languageOptions: { globals: { ...globals.es2021 } },
    rules: {
      "no-restricted-globals": ["error", "document", "window", "location", "navigator", "fetch", "WebSocket", "history"],
      "no-restricted-imports": ["error", { patterns: ["../ui/*", "../editor/*", "../chart/*", "../train/*", "../wiring/*", "../net/*"] }],
    },
  },
  {
    files: ["tests/js/**/*.js", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2023, sourceType: "module", globals: { ...globals.node } },
  },
];
