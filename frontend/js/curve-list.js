// The overlay list: one row per curve with select, rename, recolour, show/hide,
// duplicate and remove. Rows are rebuilt on list changes; focus and caret survive.

import { h, icon } from "./dom.js";
import { t } from "./i18n.js";

/**
 * Render the list into `root`. `actions` has select(id), rename(id, name), recolor(id, color),
 * toggle(id), duplicate(id), remove(id), move(id, delta).
 */
export function renderCurveList(root, { curves, selected, actions }) {
  const active = document.activeElement;
  const focusKey = root.contains(active) ? active.dataset.focusKey : null;
  const caret = focusKey && "selectionStart" in active ? [active.selectionStart, active.selectionEnd] : null;

  const list = h("ul", { class: "curve-list" });
  curves.forEach((curve, index) => {
    const isSelected = curve.id === selected;
    const label = curve.name || `#${index + 1}`;
    const radio = h("input", {
      type: "radio",
      name: "selected-curve",
      checked: isSelected,
      "aria-label": t("curves.edit", { name: label }),
      dataset: { focusKey: `${curve.id}:select` },
    });
    radio.addEventListener("change", () => actions.select(curve.id));
    const color = h("input", {
      type: "color",
      value: curve.color,
      "aria-label": t("curves.color", { name: label }),
      title: t("curves.color", { name: label }),
      dataset: { focusKey: `${curve.id}:color` },
    });
    color.addEventListener("input", () => actions.recolor(curve.id, color.value));
    const name = h("input", {
      type: "text",
      class: "curve-name",
      value: curve.name,
      maxlength: 200,
      spellcheck: "false",
      "aria-label": t("curves.name", { n: index + 1 }),
      dataset: { focusKey: `${curve.id}:name` },
    });
    name.addEventListener("input", () => actions.rename(curve.id, name.value));
    name.addEventListener("focus", () => actions.select(curve.id));
    const row = h("li", {
      class: `curve-row${isSelected ? " selected" : ""}${curve.visible ? "" : " hidden-curve"}`,
      dataset: { curveId: curve.id },
    },
    radio, color, name,
    h("span", { class: "curve-status", dataset: { curveStatus: curve.id }, role: "status" }),
    h("span", { class: "curve-tools" },
      tool(icon(curve.visible ? "eye" : "eyeOff"), t(curve.visible ? "curves.hide" : "curves.show", { name: label }), `${curve.id}:toggle`, () => actions.toggle(curve.id), { "aria-pressed": curve.visible ? "false" : "true", class: "btn btn-icon toggle-visible" }),
      tool(icon("copy"), t("curves.duplicate", { name: label }), `${curve.id}:dup`, () => actions.duplicate(curve.id)),
      tool(icon("close"), t("curves.remove", { name: label }), `${curve.id}:remove`, () => actions.remove(curve.id), { disabled: curves.length <= 1 })));
    row.addEventListener("click", (event) => {
      if (event.target === row || event.target.classList.contains("curve-status")) actions.select(curve.id);
    });
    list.append(row);
  });
  root.replaceChildren(list);

  if (focusKey) {
    const target = root.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`);
    if (target) {
      target.focus({ preventScroll: true });
      if (caret && "setSelectionRange" in target) target.setSelectionRange(...caret);
    }
  }
}

function tool(text, label, focusKey, onClick, extra = {}) {
  const el = h("button", { type: "button", class: "btn btn-icon", "aria-label": label, title: label, dataset: { focusKey }, ...extra }, text);
  el.addEventListener("click", (event) => {
    event.stopPropagation();
    onClick();
  });
  return el;
}

/** Update each row's status badge (pending / error) without rebuilding the list. */
export function updateCurveStatuses(root, statusOf) {
  for (const badge of root.querySelectorAll("[data-curve-status]")) {
    const status = statusOf(badge.dataset.curveStatus);
    const error = status.error && status.stale;
    badge.textContent = error ? "⚠" : status.pending ? "…" : "";
    badge.title = error ? status.error.message : status.pending ? t("curves.pending") : "";
    badge.className = `curve-status${error ? " is-error" : ""}`;
    badge.setAttribute("aria-label", badge.title);
  }
}
