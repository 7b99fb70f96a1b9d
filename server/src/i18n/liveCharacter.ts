/**
 * A character as a table of one language sees it: its name, persona, greeting
 * and voice for that language (its `languages` entry), everything else as
 * configured. Every name a character has in any language stays a nickname, so
 * "Ada", "Ада" and "艾达" address her at any table. A table's characters are
 * live views (`liveCharacter`): they follow the table's language and every edit
 * of the character, so whoever holds one follows without being told.
 */
import { CharacterConfig, LANGUAGES, type Language } from "@parley/shared";
import type { TableLanguage } from "./TableLanguage.js";

/** localized config or a table's live character -> the configured one it came from */
const ROOT = new WeakMap<CharacterConfig, CharacterConfig>();
/** configured -> its localized configs, one object per language (so identity is stable) */
const MADE = new WeakMap<CharacterConfig, Map<Language, CharacterConfig>>();

/** The configured character behind a localized one (itself when it is not localized). */
export const configuredCharacter = (c: CharacterConfig): CharacterConfig => ROOT.get(c) ?? c;

export function localizeCharacter(character: CharacterConfig, language: Language): CharacterConfig {
  const c = configuredCharacter(character);
  let made = MADE.get(c);
  if (!made) { made = new Map(); MADE.set(c, made); }
  const have = made.get(language);
  if (have) return have;
  const here = c.languages?.[language];
  const name = here?.name ?? c.name;
  const everyName = [c.name, ...LANGUAGES.map((l) => c.languages?.[l]?.name), ...c.nicknames].filter((n): n is string => !!n);
  const localized: CharacterConfig = {
    ...c,
    name,
    persona: here?.persona ?? c.persona,
    voice: here?.voice ?? c.voice,
    nicknames: [...new Set(everyName)].filter((n) => n !== name),
    ...(here?.greeting ?? c.greeting ? { greeting: here?.greeting ?? c.greeting } : {}),
  };
  ROOT.set(localized, c);
  made.set(language, localized);
  return localized;
}

/** the fields a table language changes */
const LOCALIZED = new Set<string>(["name", "persona", "voice", "nicknames", "greeting"]);
/** every field a character may have: a view answers each from its character of the moment */
const FIELDS = Object.keys(CharacterConfig.shape);
/** a table's live character -> the table's language */
const TABLE_OF = new WeakMap<CharacterConfig, TableLanguage>();

/**
 * The language of the table a character sits at, when it is one of a table's
 * live characters (see liveCharacter), else undefined.
 */
export const tableLanguageOf = (c: CharacterConfig): Language | undefined => TABLE_OF.get(c)?.get();

/**
 * A live view of `character` at a table speaking `language`: its name, persona,
 * greeting, nicknames and voice are those of the table's current language, and
 * every field follows `retarget`. A voice is the same object while the language
 * and the character stay, so it can be traced back to its character.
 */
export function liveCharacter(character: CharacterConfig, language: TableLanguage): CharacterConfig {
  const view = {} as CharacterConfig;
  for (const key of FIELDS) {
    Object.defineProperty(view, key, {
      enumerable: true, configurable: false,
      get: () => {
        const root = ROOT.get(view)!;
        return LOCALIZED.has(key) ? localizeCharacter(root, language.get())[key as keyof CharacterConfig] : root[key as keyof CharacterConfig];
      },
    });
  }
  TABLE_OF.set(view, language);
  ROOT.set(view, configuredCharacter(character));
  return view;
}

/** The character as edited now: its live view answers with the new fields from here on. */
export function retarget(view: CharacterConfig, character: CharacterConfig): void {
  ROOT.set(view, configuredCharacter(character));
}
