/**
 * The page's language: English, Russian or Simplified Chinese, one catalogue each
 * (locales/*.json, i18next's JSON v4 format with CLDR plural suffixes). Chosen
 * from what the person picked before (kept in this browser), else the browser's
 * languages, else English; the switch in the page changes it at once.
 */
import i18next, { type i18n } from "i18next";
import { initReactI18next } from "react-i18next";
import { languageOfTag, type Language } from "@parley/shared";
import en from "./locales/en.json";
import ru from "./locales/ru.json";
import zhHans from "./locales/zh-Hans.json";

export const UI_LANGUAGES = ["en", "ru", "zh-Hans"] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

export const CATALOGUES: Readonly<Record<UiLanguage, object>> = { en, ru, "zh-Hans": zhHans };

/** each language by its own name, as a switch shows it */
export const LANGUAGE_NAMES: Readonly<Record<UiLanguage, string>> = { en: "English", ru: "Русский", "zh-Hans": "简体中文" };

const KEY = "parley.lang";

/** The page language that matches a table language, and back (BCP 47 tags for the page: `lang`, Intl). */
export const uiLanguageOf = (table: Language): UiLanguage => (table === "zh" ? "zh-Hans" : table);
export const tableLanguageOfUi = (ui: UiLanguage): Language => (ui === "zh-Hans" ? "zh" : ui);

const isUiLanguage = (s: unknown): s is UiLanguage => typeof s === "string" && (UI_LANGUAGES as readonly string[]).includes(s);

/** The person's earlier choice, else the first browser language we have, else English. */
export function detectUiLanguage(stored: string | null, browser: readonly string[]): UiLanguage {
  if (isUiLanguage(stored)) return stored;
  for (const tag of browser) {
    const l = languageOfTag(tag);
    if (l) return uiLanguageOf(l);
  }
  return "en";
}

function storedChoice(): string | null {
  try { return localStorage.getItem(KEY); } catch { return null; }
}

/** Sets up i18next for React; synchronous (the catalogues are bundled). */
export function initI18n(lang: UiLanguage = detectUiLanguage(storedChoice(), navigator.languages ?? [navigator.language])): i18n {
  void i18next.use(initReactI18next).init({
    resources: Object.fromEntries(UI_LANGUAGES.map((l) => [l, { translation: CATALOGUES[l] }])),
    lng: lang,
    fallbackLng: "en",
    supportedLngs: [...UI_LANGUAGES],
    // "zh-Hans" is a catalogue of its own, not a variant of "zh"
    load: "currentOnly",
    // React escapes text itself
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  document.documentElement.lang = lang;
  return i18next;
}

/** The switch in the page: changes every string now and remembers the choice in this browser. */
export function setUiLanguage(lang: UiLanguage): void {
  void i18next.changeLanguage(lang);
  document.documentElement.lang = lang;
  try { localStorage.setItem(KEY, lang); } catch { /* private mode: the choice lasts this visit */ }
}

export const currentUiLanguage = (): UiLanguage => (isUiLanguage(i18next.language) ? i18next.language : "en");
