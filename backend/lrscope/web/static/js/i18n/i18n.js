// The page's one language layer. t(key, params) words `key` in the current language
// (falling back to English, then to the key itself) and fills its {placeholders};
// text(key, params) does the same but returns null when neither table has the key, for
// text the server or the catalog words in English (parameter docs, server messages).
// Markup carries data-i18n / data-i18n-label / data-i18n-title (see static.js).

import { EN } from "./en.js";
import { ZH } from "./zh.js";

export const TABLES = { en: EN, zh: ZH };
export const LANGUAGES = Object.keys(TABLES);

let language = "en";

export function currentLanguage() {
  return language;
}

export function setLanguage(lang) {
  language = LANGUAGES.includes(lang) ? lang : "en";
}

/** Fill {name} placeholders from `params`; unknown ones stay as they are. */
export function fill(template, params = {}) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? formatParam(params[name]) : whole));
}

function formatParam(value) {
  return Array.isArray(value) ? value.join(", ") : String(value);
}

/** The text of `key`, or null when no table has it. */
export function text(key, params = {}) {
  const template = TABLES[language]?.[key] ?? EN[key];
  return template === undefined ? null : fill(template, params);
}

/** The text of `key` in the current language (English, then the key, when missing). */
export function t(key, params = {}) {
  return text(key, params) ?? key;
}

/** The text of `key` in the current language only (no English fallback), or null. */
export function ownText(key, params = {}) {
  const template = TABLES[language]?.[key];
  return template === undefined ? null : fill(template, params);
}
