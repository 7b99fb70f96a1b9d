/**
 * The cast as a table of one language sees it: each character's name, persona,
 * greeting and voice for that language (its `languages` entry), everything else
 * as configured. Every name a character has in any language stays a nickname,
 * so "Ada", "Ада" and "艾达" address her at any table.
 */
import type { CharacterConfig, Language } from "@parley/shared";
import { LANGUAGES } from "@parley/shared";
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
const LOCALIZED = ["name", "persona", "voice", "nicknames", "greeting"] as const;
/** a table's live character -> the table's language */
const TABLE_OF = new WeakMap<CharacterConfig, TableLanguage>();

/**
 * The language of the table a character sits at, when it is one of a table's
 * live characters (see TableCast), else undefined.
 */
export const tableLanguageOf = (c: CharacterConfig): Language | undefined => TABLE_OF.get(c)?.get();

/**
 * The cast of one table. Each character is a live view: its name, persona,
 * greeting, nicknames and voice are those of the table's current language, so
 * whoever holds it (the director, its brains, the memory writer, the routes)
 * follows a change of language without being told. A voice is the same object
 * while the language stays, so it can be traced back to its character.
 */
export class TableCast {
  readonly list: readonly CharacterConfig[];

  constructor(readonly configured: readonly CharacterConfig[], readonly language: TableLanguage) {
    this.list = configured.map((c) => {
      const view = { ...c };
      for (const key of LOCALIZED) {
        Object.defineProperty(view, key, { enumerable: true, configurable: false, get: () => localizeCharacter(c, language.get())[key] });
      }
      TABLE_OF.set(view, language);
      ROOT.set(view, c);
      return view;
    });
  }

  get(id: string): CharacterConfig | undefined { return this.list.find((c) => c.id === id); }

  /** Whose voice this is at the table's current language. */
  ownerOfVoice(voice: object): CharacterConfig | undefined { return this.list.find((c) => c.voice === voice); }
}
