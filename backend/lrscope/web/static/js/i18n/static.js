// The page's static text: elements tagged with data-i18n (text), data-i18n-label
// (aria-label) and data-i18n-title (title), worded again when the language changes.

import { currentLanguage, t } from "./i18n.js";

/** Translate every tagged element under `root`, and the document's title and language. */
export function translateStatic(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-label]")) el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
  if (root === document) {
    document.documentElement.lang = currentLanguage() === "zh" ? "zh-CN" : "en";
    document.title = t("app.title");
  }
}
