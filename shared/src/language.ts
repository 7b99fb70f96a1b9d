/**
 * The languages a table can speak. A table's language decides what its
 * characters answer in, how replies are cut for speech, which voices and which
 * recognizer are used, and the language of memories and the transcript export.
 */
export const LANGUAGES = ["en", "ru", "zh"] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "en";

export const isLanguage = (s: unknown): s is Language => typeof s === "string" && (LANGUAGES as readonly string[]).includes(s);

/**
 * A language tag ("ru-RU", "zh-CN", "zh-Hans", "en") as a table language, or
 * undefined when it is none of them. Traditional Chinese tags (zh-TW, zh-Hant)
 * still map to "zh": the table then speaks Mandarin in simplified characters.
 */
export function languageOfTag(tag: string): Language | undefined {
  const base = tag.trim().toLowerCase().split(/[-_]/)[0];
  return isLanguage(base) ? base : base === "cmn" ? "zh" : undefined;
}
