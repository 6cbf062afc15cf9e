// English and Simplified Chinese. t(key, vars) looks a string up in the current
// language, falls back to English, and fills {placeholders}. Static markup carries
// data-i18n (text), data-i18n-label (aria-label) and data-i18n-title attributes.

import { STRINGS } from "./strings.js";

let language = "en";

export const LANGUAGES = ["en", "zh"];

export function currentLanguage() {
  return language;
}

export function setLanguage(lang) {
  language = LANGUAGES.includes(lang) ? lang : "en";
}

export function t(key, vars = {}) {
  const template = STRINGS[language]?.[key] ?? STRINGS.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}
