/**
 * Words whose period does not end a sentence, per table language. Lower case,
 * without their final period ("т.е" covers "т.е."; "т. е." is two words, "т" and "е").
 * Listed words that also end lists ("etc.", "и т. д.") end a sentence when a
 * capital letter follows them.
 */
import type { Language } from "@parley/shared";

export interface AbbreviationSet {
  /** never end a sentence */
  words: ReadonlySet<string>;
  /** end a sentence only before a capital letter */
  listEnders: ReadonlySet<string>;
  /** a single capital letter and a period is an initial ("А. С. Пушкин") */
  initials: boolean;
}

const EN = ["mr", "mrs", "ms", "dr", "prof", "st", "vs", "e.g", "i.e", "jr", "sr", "no", "approx", "fig", "vol", "mt"];
const EN_LIST_ENDERS = ["etc"];

// single letters first: a Russian sentence does not end in "г." (год, город), "в." (век), "с." (страница)...
// but "я", "и", "а" and "о" are words that can end one, so they are not here
const RU = [
  "т", "г", "гг", "в", "вв", "с", "д", "е", "п", "м", "ч", "л", "р", "н", "ст", "см", "ср", "напр", "ок", "им", "ул", "пер", "пр-т", "кв", "корп",
  "стр", "рис", "табл", "гл", "тыс", "млн", "млрд", "руб", "коп", "проф", "акад", "доц", "канд", "св", "англ", "рус", "лат", "нем", "франц",
  "мин", "сек", "т.е", "т.к", "т.н", "т.о", "н.э", "э", "т.ч", "изд", "обл", "р-н", "пос", "дер", "ж.д", "зам", "зав",
];
const RU_LIST_ENDERS = ["д", "п", "др", "пр", "т.д", "т.п"];

export const ABBREVIATIONS: Readonly<Record<Language | "none", AbbreviationSet>> = {
  en: { words: new Set(EN), listEnders: new Set(EN_LIST_ENDERS), initials: false },
  ru: { words: new Set(RU), listEnders: new Set(RU_LIST_ENDERS), initials: true },
  // Chinese text ends sentences with 。！？ and has no abbreviations with periods; Latin words inside it keep the English ones
  zh: { words: new Set(EN), listEnders: new Set(EN_LIST_ENDERS), initials: false },
  // a table of no particular language: both lists (their words do not collide)
  none: { words: new Set([...EN, ...RU]), listEnders: new Set([...EN_LIST_ENDERS, ...RU_LIST_ENDERS]), initials: false },
};
