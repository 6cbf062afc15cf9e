// The overlay list: one row per curve with select, rename, recolour, show/hide,
// duplicate and remove. Rows are built once per curve and then updated in place, so
// typing a name (IME composition included) is never interrupted by a redraw.

import { h, icon } from "./dom.js";
import { t } from "../i18n/i18n.js";
import { errorText } from "../i18n/server.js";
import { MAX_CURVES } from "../core/state.js";

/**
 * Show `curves` in `root`. `actions` has select(id), rename(id, name), recolor(id, color),
 * toggle(id), duplicate(id), remove(id).
 */
export function renderCurveList(root, { curves, selected, actions }) {
  let list = root.querySelector(":scope > .curve-list");
  const rows = list ? [...list.children] : [];
  const sameRows = list && rows.length === curves.length && rows.every((row, i) => row.dataset.curveId === curves[i].id);
  if (!sameRows) {
    const focusKey = root.contains(document.activeElement) ? document.activeElement.dataset.focusKey : null;
    list = h("ul", { class: "curve-list" }, curves.map((curve) => buildRow(curve, actions)));
    root.replaceChildren(list);
    if (focusKey) {
      // Keep keyboard users where they were; if their row is gone, go to the selected one.
      const target = root.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`)
        ?? root.querySelector(`[data-focus-key="${CSS.escape(`${selected}:select`)}"]`);
      target?.focus({ preventScroll: true });
    }
  }
  [...list.children].forEach((row, index) => updateRow(row, curves[index], index, curves.length, selected));
}

function buildRow(curve, actions) {
  const id = curve.id;
  const radio = h("input", { type: "radio", name: "selected-curve", dataset: { focusKey: `${id}:select`, role: "select" } });
  radio.addEventListener("change", () => actions.select(id));
  const color = h("input", { type: "color", dataset: { focusKey: `${id}:color`, role: "color" } });
  color.addEventListener("input", () => actions.recolor(id, color.value));
  const name = h("input", {
    type: "text",
    class: "curve-name",
    maxlength: 200,
    spellcheck: "false",
    autocomplete: "off",
    dataset: { focusKey: `${id}:name`, role: "name" },
  });
  name.addEventListener("input", () => actions.rename(id, name.value));
  name.addEventListener("focus", () => actions.select(id));
  const row = h("li", { class: "curve-row", dataset: { curveId: id } },
    radio, color, name,
    h("span", { class: "curve-status", dataset: { curveStatus: id }, role: "status" }),
    h("span", { class: "curve-tools" },
      tool("toggle", `${id}:toggle`, () => actions.toggle(id)),
      tool("duplicate", `${id}:dup`, () => actions.duplicate(id)),
      tool("remove", `${id}:remove`, () => actions.remove(id))));
  row.addEventListener("click", (event) => {
    if (event.target === row || event.target.classList.contains("curve-status")) actions.select(id);
  });
  return row;
}

function updateRow(row, curve, index, count, selected) {
  const label = curve.name || `#${index + 1}`;
  const part = (role) => row.querySelector(`[data-role="${role}"]`);
  row.classList.toggle("selected", curve.id === selected);
  row.classList.toggle("hidden-curve", !curve.visible);
  part("select").checked = curve.id === selected;
  part("select").setAttribute("aria-label", t("curves.edit", { name: label }));
  part("color").value = curve.color;
  part("color").setAttribute("aria-label", t("curves.color", { name: label }));
  part("color").title = t("curves.color", { name: label });
  const name = part("name");
  if (name.value !== curve.name && document.activeElement !== name) name.value = curve.name;
  name.setAttribute("aria-label", t("curves.name", { n: index + 1 }));
  const toggle = part("toggle");
  toggle.replaceChildren(icon(curve.visible ? "eye" : "eyeOff"));
  toggle.setAttribute("aria-pressed", curve.visible ? "false" : "true");
  setLabel(toggle, t(curve.visible ? "curves.hide" : "curves.show", { name: label }));
  setLabel(part("duplicate"), t("curves.duplicate", { name: label }));
  setLabel(part("remove"), t("curves.remove", { name: label }));
  part("remove").disabled = count <= 1;
  part("duplicate").disabled = count >= MAX_CURVES;
}

function tool(role, focusKey, onClick) {
  const icons = { toggle: "eye", duplicate: "copy", remove: "close" };
  const el = h("button", { type: "button", class: `btn btn-icon tool-${role}`, dataset: { focusKey, role } }, icon(icons[role]));
  el.addEventListener("click", (event) => {
    event.stopPropagation();
    onClick();
  });
  return el;
}

function setLabel(el, text) {
  el.setAttribute("aria-label", text);
  el.title = text;
}

/** Update each row's status badge (pending / error) without rebuilding the list. */
export function updateCurveStatuses(root, statusOf) {
  for (const badge of root.querySelectorAll("[data-curve-status]")) {
    const status = statusOf(badge.dataset.curveStatus);
    const error = status.error && status.stale;
    badge.textContent = error ? "⚠" : status.pending ? "…" : "";
    badge.title = error ? errorText(status.error) : status.pending ? t("curves.pending") : "";
    badge.className = `curve-status${error ? " is-error" : ""}`;
    if (badge.title) badge.setAttribute("aria-label", badge.title);
    else badge.removeAttribute("aria-label");
  }
}
