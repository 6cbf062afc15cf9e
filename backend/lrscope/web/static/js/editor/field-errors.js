// Put API errors next to the fields they name. FastAPI locations look like
// ["body", "scheduler", "schedulers", 1, "T_max"]; validators may add segments that are
// not spec keys (a union tag, a model name), so those are skipped when they match no field.

import { h } from "../ui/dom.js";
import { issueText } from "../i18n/server.js";
import { setFieldError } from "./param-controls.js";

/** Turn an API `loc` into the best data-path present in `root`, or "" for "the form". */
export function fieldPathFor(root, loc) {
  const segments = (loc ?? []).filter((s) => s !== "body").map(String);
  const present = (path) => root.querySelector(`[data-path="${CSS.escape(path.join("."))}"]`);
  let best = [];
  let path = [];
  for (const segment of segments) {
    const candidate = [...path, segment];
    if (present(candidate) || hasDeeperMatch(root, candidate)) {
      path = candidate;
      if (present(path)) best = path;
    }
  }
  return best.join(".");
}

function hasDeeperMatch(root, path) {
  const prefix = `${path.join(".")}.`;
  return [...root.querySelectorAll("[data-path]")].some((el) => el.dataset.path.startsWith(prefix));
}

/** Clear all API errors shown in `root`. */
export function clearIssues(root, summary) {
  for (const el of root.querySelectorAll(".has-api-error")) {
    el.classList.remove("has-api-error");
    if (el.classList.contains("field")) setFieldError(el, "");
    else {
      const slot = el.querySelector(":scope > .field > .field-error, :scope > .block-error");
      if (slot) {
        slot.textContent = "";
        slot.hidden = true;
      }
    }
  }
  summary.replaceChildren();
  summary.hidden = true;
}

/** Show each issue next to its field; issues that name no field go to `summary`. */
export function showIssues(root, summary, issues) {
  clearIssues(root, summary);
  const unplaced = [];
  const byPath = new Map();
  for (const issue of issues) {
    const path = fieldPathFor(root, issue.loc);
    const target = path ? root.querySelector(`[data-path="${CSS.escape(path)}"]`) : null;
    if (!target) {
      unplaced.push(issueText(issue));
      continue;
    }
    byPath.set(target, [...(byPath.get(target) ?? []), issueText(issue)]);
  }
  for (const [target, messages] of byPath) {
    const text = messages.join(" ");
    target.classList.add("has-api-error");
    if (target.classList.contains("field")) {
      setFieldError(target, text);
    } else {
      // A scheduler block or section: show under its type picker.
      const slot = target.querySelector(":scope > .field > .field-error, :scope > .block-error");
      if (slot) {
        slot.textContent = text;
        slot.hidden = false;
      } else unplaced.push(text);
    }
  }
  if (unplaced.length) {
    summary.replaceChildren(...unplaced.map((m) => h("p", {}, m)));
    summary.hidden = false;
  }
}
