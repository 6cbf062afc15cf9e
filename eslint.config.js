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
    files: ["tests/js/**/*.js", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2023, sourceType: "module", globals: { ...globals.node } },
  },
];
