/**
 * The cast as a table of one language sees it: each character's name, persona,
 * greeting and voice for that language (its `languages` entry), everything else
 * as configured. Every name a character has in any language stays a nickname,
 * so "Ada", "Ада" and "艾达" address her at any table.
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
 * live characters (see TableCast), else undefined.
 */
export const tableLanguageOf = (c: CharacterConfig): Language | undefined => TABLE_OF.get(c)?.get();

/**
 * The cast of one table. Each character is a live view: its name, persona,
 * greeting, nicknames and voice are those of the table's current language, and
 * every field follows an edit of the character (the studio), so whoever holds it
 * (the director, its brains, the memory writer, the routes) follows without
 * being told. A voice is the same object while the language and the character
 * stay, so it can be traced back to its character. The list itself is one
 * array for the table's life: characters joining and leaving change it in place.
 */
export class TableCast {
  private readonly views: CharacterConfig[] = [];
  readonly list: readonly CharacterConfig[] = this.views;

  constructor(readonly configured: readonly CharacterConfig[], readonly language: TableLanguage) {
    for (const c of configured) this.add(c);
  }

  get(id: string): CharacterConfig | undefined { return this.list.find((c) => c.id === id); }

  /** Seats a character: its live view joins the list (a character already seated is only updated). */
  add(character: CharacterConfig): CharacterConfig {
    const have = this.get(character.id);
    if (have) { this.update(character); return have; }
    const view = {} as CharacterConfig;
    for (const key of FIELDS) {
      Object.defineProperty(view, key, {
        enumerable: true, configurable: false,
        get: () => {
          const root = ROOT.get(view)!;
          return LOCALIZED.has(key) ? localizeCharacter(root, this.language.get())[key as keyof CharacterConfig] : root[key as keyof CharacterConfig];
        },
      });
    }
    TABLE_OF.set(view, this.language);
    ROOT.set(view, configuredCharacter(character));
    this.views.push(view);
    return view;
  }

  /** The character as edited now: its view answers with the new fields from here on. */
  update(character: CharacterConfig): void {
    const view = this.get(character.id);
    if (view) ROOT.set(view, configuredCharacter(character));
  }

  /** The character leaves the table. */
  remove(id: string): void {
    const i = this.views.findIndex((c) => c.id === id);
    if (i >= 0) this.views.splice(i, 1);
  }

  /** Whose voice this is at the table's current language. */
  ownerOfVoice(voice: object): CharacterConfig | undefined { return this.list.find((c) => c.voice === voice); }
}
