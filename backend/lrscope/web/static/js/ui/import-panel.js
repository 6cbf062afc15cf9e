// "Paste code": the user's PyTorch script, Lightning module, LightningCLI/Hydra YAML or HF
// TrainingArguments go to POST /api/import (the server parses them, never runs them). A
// name the text leaves open comes back as a 422 at ["body", "values", NAME]: it becomes a
// field named by that name, and the next import sends what the user typed there. An
// import adds a new curve with the spec; other problems are listed, each naming its line.

import { importText } from "../net/api.js";
import { t } from "../i18n/i18n.js";
import { issueText, warningTexts } from "../i18n/server.js";
import { h } from "./dom.js";

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** What the user typed in an open name's field, as the JSON value to send. */
export function fieldValue(text) {
  const trimmed = text.trim();
  if (NUMBER.test(trimmed)) return Number(trimmed);
  if (trimmed === "true" || trimmed === "false") return trimmed === "true";
  return trimmed;
}

/** The open names (and problems at a name) of an import's 422 items. */
export function splitIssues(issues) {
  const named = new Map();
  const other = [];
  for (const issue of issues) {
    const loc = issue.loc ?? [];
    if (loc[0] === "body" && loc[1] === "values" && typeof loc[2] === "string") {
      named.set(loc[2], issue.code === "import_open_name" ? null : issue);
    } else {
      other.push(issue);
    }
  }
  return { named, other };
}

class ImportPanel {
  constructor({ text, fields, button, status, messages, onImported }) {
    Object.assign(this, { text, fields, button, status, messages, onImported });
    this.names = new Map(); // open name -> {input, error}
    button.addEventListener("click", () => this.run());
  }

  values() {
    const values = {};
    for (const [name, { input }] of this.names) {
      if (input.value.trim() !== "") values[name] = fieldValue(input.value);
    }
    return values;
  }

  async run() {
    this.button.disabled = true;
    this.status.textContent = t("import.loading");
    this.messages.replaceChildren();
    try {
      const answer = await importText(this.text.value, this.values());
      this.status.textContent = t("import.done", { format: t(`import.format.${answer.format}`) });
      this.showList(warningTexts(answer));
      for (const { error } of this.names.values()) error.textContent = "";
      this.onImported(answer);
    } catch (error) {
      this.failed(error);
    } finally {
      this.button.disabled = false;
    }
  }

  failed(error) {
    const { named, other } = splitIssues(error.issues ?? []);
    for (const [name, issue] of named) this.field(name).error.textContent = issue ? issueText(issue) : "";
    const open = [...named].filter(([, issue]) => issue === null).map(([name]) => name);
    this.status.textContent = open.length ? t("import.needValues", { count: open.length }) : t("import.failed");
    this.showList(other.map(issueText), "is-error");
    const first = open.map((name) => this.names.get(name)?.input).find((input) => input && !input.value);
    first?.focus();
  }

  field(name) {
    if (!this.names.has(name)) {
      const input = h("input", { type: "text", inputmode: "decimal", name, autocomplete: "off", spellcheck: "false" });
      const error = h("span", { class: "field-error", role: "alert" });
      this.fields.append(h("label", { class: "import-field" }, h("code", {}, name), input, error));
      this.names.set(name, { input, error });
    }
    return this.names.get(name);
  }

  showList(lines, kind = "") {
    this.messages.replaceChildren(...lines.map((line) => h("li", { class: kind }, line)));
  }

  render() {
    this.text.placeholder = t("import.placeholder");
  }
}

/** Wire the panel; `onImported(answer)` gets each {spec, format, warnings} the server sends. */
export function createImportPanel(parts) {
  const panel = new ImportPanel(parts);
  panel.render();
  return panel;
}
