// Small DOM helpers. Text always goes in through text nodes, never as markup,
// so nothing a user types (or a server echoes) is parsed as markup.

/**
 * Create an element: h("label", {for: "x", class: "hint"}, "text", child).
 * Attributes whose value is null/undefined/false are skipped; `true` sets an empty attribute.
 * Keys starting with "on" must be functions and become event listeners.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === "dataset") {
      Object.assign(el.dataset, value);
    } else if (key === "value") {
      el.value = value;
    } else if (key === "checked") {
      el.checked = Boolean(value);
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace all children of `el`. */
export function setChildren(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

let uniqueCounter = 0;
/** A document-unique id with a readable prefix, for label/aria wiring. */
export function uniqueId(prefix) {
  uniqueCounter += 1;
  return `${prefix}-${uniqueCounter}`;
}

/** Trigger a browser download of `blob` under `filename`. */
export function downloadBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Copy text to the clipboard; falls back to a hidden textarea when the API is unavailable. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = h("textarea", { "aria-hidden": "true", class: "offscreen" });
    area.value = text;
    document.body.append(area);
    area.select();
    let ok;
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }
}

const SVG_NS = "http://www.w3.org/2000/svg";
const ICON_PATHS = {
  eye: "M1 8s2.5-5 7-5 7 5 7 5-2.5 5-7 5-7-5-7-5z M8 10.2a2.2 2.2 0 1 0 0-4.4 2.2 2.2 0 0 0 0 4.4z",
  eyeOff: "M2 2l12 12 M6.6 3.2A7 7 0 0 1 8 3c4.5 0 7 5 7 5a12 12 0 0 1-1.9 2.5 M4.2 4.6C2.2 6 1 8 1 8s2.5 5 7 5a6.7 6.7 0 0 0 3.4-.9",
  copy: "M5 5h8v9H5z M3 11V2h8",
  close: "M3 3l10 10 M13 3L3 13",
  up: "M8 13V3 M3.5 7.5L8 3l4.5 4.5",
  down: "M8 3v10 M3.5 8.5L8 13l4.5-4.5",
};

/** A small stroke icon (decorative: the button around it carries the label). */
export function icon(name) {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("width", "16");
  svg.setAttribute("height", "16");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "icon");
  const path = document.createElementNS(SVG_NS, "path");
  path.setAttribute("d", ICON_PATHS[name]);
  svg.append(path);
  return svg;
}
