/**
 * A character card's JSON (Character Card V1 flat, V2 `chara_card_v2`, V3
 * `chara_card_v3`) as a Parley character: every field is checked with the path
 * of the one at fault in the error, and what Parley does not use is kept for
 * the next export (unknown extension keys, creator, tags, source...).
 */
import { z } from "zod";
import { CARD_LIMITS, CharacterConfig, Lorebook, VoiceConfig, CharacterLocale, ModelName, cleanName, cleanText, type CardMeta } from "@parley/shared";
import { CardError } from "./CardError.js";
import { refuseActiveMarkup, refuseMarkupInName } from "./markup.js";

export type CardVersion = "v1" | "v2" | "v3";

/** A character from a card, before the library gives it an id. */
export type CardCharacter = Omit<CharacterConfig, "id"> & { id?: string };

/** What V3 asks a V2 backfill to say in its creator notes; taken out again on import. */
export const BACKFILL_NOTE = "This character card is Character Card V3, but it is loaded as a Character Card V2. Please use a Character Card V3 compatible application to use this character card properly.";

const text = z.string().max(CARD_LIMITS.text);
const short = z.string().max(CARD_LIMITS.short);
const texts = z.array(text).max(CARD_LIMITS.greetings);

/** The card's data object: the types the specs give (lengths are checked after, with the real length in the error). */
const CardData = z.looseObject({
  name: z.string().max(CARD_LIMITS.name),
  description: text.optional(),
  personality: text.optional(),
  scenario: text.optional(),
  first_mes: text.optional(),
  mes_example: text.optional(),
  creator_notes: text.optional(),
  system_prompt: text.optional(),
  post_history_instructions: text.optional(),
  alternate_greetings: texts.optional(),
  group_only_greetings: texts.optional(),
  tags: z.array(short).max(CARD_LIMITS.tags).optional(),
  creator: short.optional(),
  character_version: z.union([short, z.number()]).optional(),
  nickname: z.string().max(CARD_LIMITS.name).optional(),
  creator_notes_multilingual: z.record(z.string().max(16), text).optional(),
  source: z.array(z.string().max(2000)).max(50).optional(),
  creation_date: z.number().optional(),
  character_book: z.unknown().optional(),
  extensions: z.record(z.string(), z.unknown()).optional(),
  // V1 (SillyTavern's flat cards) keeps these at the root
  creatorcomment: text.optional(),
  talkativeness: z.union([z.number(), text]).optional(),
});
type CardData = z.infer<typeof CardData>;

/** Parley's own fields, under `extensions.parley`. */
export const ParleyExtension = z.object({
  id: z.string().max(64).optional(),
  nicknames: z.array(z.string().min(1).max(CARD_LIMITS.name)).max(20).optional(),
  voice: VoiceConfig.optional(),
  avatar: z.string().min(1).max(500).optional(),
  interruptiveness: z.number().min(0).max(1).optional(),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/).optional(),
  temperature: z.number().min(0).max(2).optional(),
  model: ModelName.optional(),
  languages: z.object({ en: CharacterLocale, ru: CharacterLocale, zh: CharacterLocale }).partial().strict().optional(),
}).strict();
export type ParleyExtension = z.infer<typeof ParleyExtension>;

const typeName = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "a list" : typeof v === "object" ? "an object" : typeof v);

function at(obj: unknown, path: readonly PropertyKey[]): unknown {
  let v = obj;
  for (const k of path) v = v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

const dotted = (prefix: string, path: readonly PropertyKey[]): string =>
  path.reduce<string>((s, k) => (typeof k === "number" ? `${s}[${k}]` : `${s}.${String(k)}`), prefix);

/** The first issue as "data.description: expected text, got a number". */
function failure(prefix: string, error: z.ZodError, input: unknown, status: 413 | 422 = 422): CardError {
  const issue = error.issues[0]!;
  const path = dotted(prefix, issue.path);
  const value = at(input, issue.path);
  let message = issue.message;
  if (issue.code === "invalid_type") message = `expected ${issue.expected === "string" ? "text" : issue.expected}, got ${typeName(value)}`;
  if (issue.code === "too_big") {
    const size = typeof value === "string" ? `${value.length.toLocaleString("en")} characters` : Array.isArray(value) ? `${value.length} items` : String(value);
    message = `too long: ${size} (at most ${Number(issue.maximum).toLocaleString("en")})`;
    if (typeof value === "string" && value.length > CARD_LIMITS.text * 10) status = 413;
  }
  return new CardError(`${path}: ${message}`, status, path);
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown, prefix: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw failure(prefix, r.error, value);
  return r.data;
}

/** Which spec a parsed card follows, and where its data is. */
export function cardData(json: unknown): { version: CardVersion; data: unknown; prefix: string } {
  if (!json || typeof json !== "object" || Array.isArray(json)) throw new CardError(`a card is a JSON object, this is ${typeName(json)}`, 422);
  const o = json as Record<string, unknown>;
  if (o.spec === "chara_card_v3") return { version: "v3", data: o.data, prefix: "data" };
  if (o.spec === "chara_card_v2") return { version: "v2", data: o.data, prefix: "data" };
  if (o.spec !== undefined) throw new CardError(`spec: "${String(o.spec).slice(0, 40)}" is not a character card spec Parley knows (chara_card_v2, chara_card_v3, or a V1 card without spec)`, 422, "spec");
  if (!("name" in o)) throw new CardError("not a character card: no spec and no name", 422);
  return { version: "v1", data: o, prefix: "card" };
}

const nonEmpty = (s: string | undefined): string | undefined => (s && s.trim() ? s : undefined);
const list = (a: string[] | undefined): string[] | undefined => (a && a.length ? a : undefined);

/** A card's JSON text as a character (without an id). */
export function cardToCharacter(json: unknown, o: { defaults: (name: string) => Pick<CharacterConfig, "avatar" | "voice" | "color"> }): { version: CardVersion; character: CardCharacter } {
  const { version, data: raw, prefix } = cardData(json);
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new CardError(`${prefix}: expected an object, got ${typeName(raw)}`, 422, prefix);
  const d: CardData = parseWith(CardData, raw, prefix);
  refuseActiveMarkup(d, prefix);
  const name = cleanName(d.name);
  if (!name) throw new CardError(`${prefix}.name: a card needs a name`, 422, `${prefix}.name`);
  refuseMarkupInName(name, `${prefix}.name`);
  if (/[:：]/u.test(name)) throw new CardError(`${prefix}.name: a name cannot contain a colon (it would read like the start of someone's line)`, 422, `${prefix}.name`);
  const extensions = { ...(d.extensions ?? {}) };
  const parley = extensions.parley === undefined ? {} : parseWith(ParleyExtension, extensions.parley, `${prefix}.extensions.parley`);
  const talk = extensions.talkativeness ?? d.talkativeness;
  delete extensions.parley;
  delete extensions.talkativeness;
  const talkativeness = talk === undefined || talk === "" ? undefined : Number(talk);
  if (talkativeness !== undefined && !(talkativeness >= 0 && talkativeness <= 1)) {
    throw new CardError(`${prefix}.extensions.talkativeness: expected a number from 0 to 1, got ${JSON.stringify(talk).slice(0, 20)}`, 422, `${prefix}.extensions.talkativeness`);
  }
  const book = d.character_book === undefined || d.character_book === null ? undefined : parseWith(Lorebook, d.character_book, `${prefix}.character_book`);
  const nickname = nonEmpty(d.nickname && cleanName(d.nickname));
  const notes = (d.creator_notes ?? d.creatorcomment ?? "").replace(BACKFILL_NOTE, "").trim();
  const card: CardMeta = {
    creator: d.creator ?? "",
    version: d.character_version === undefined ? "" : String(d.character_version),
    tags: d.tags ?? [],
    creatorNotes: notes,
    ...(d.creator_notes_multilingual ? { creatorNotesMultilingual: d.creator_notes_multilingual } : {}),
    ...(d.source ? { source: d.source } : {}),
    // a card that never said when it was made was made for Parley now (V3 asks apps to add it)
    created: d.creation_date ?? Math.floor(Date.now() / 1000),
    extensions,
  };
  const defaults = o.defaults(name);
  const draft = {
    id: "card",
    name,
    nicknames: [...new Set([...(parley.nicknames ?? []), ...(nickname ? [nickname] : [])])].filter((n) => n !== name),
    persona: cleanText(d.description ?? ""),
    ...(talkativeness !== undefined ? { talkativeness } : {}),
    ...(parley.interruptiveness !== undefined ? { interruptiveness: parley.interruptiveness } : {}),
    voice: parley.voice ?? defaults.voice,
    avatar: parley.avatar ?? defaults.avatar,
    color: parley.color ?? defaults.color,
    ...(parley.temperature !== undefined ? { temperature: parley.temperature } : {}),
    ...(parley.model ? { model: parley.model } : {}),
    ...(nonEmpty(d.first_mes) ? { greeting: d.first_mes } : {}),
    ...(nonEmpty(d.personality) ? { personality: d.personality } : {}),
    ...(nonEmpty(d.scenario) ? { scenario: d.scenario } : {}),
    ...(nonEmpty(d.mes_example) ? { examples: d.mes_example } : {}),
    ...(nonEmpty(d.system_prompt) ? { systemPrompt: d.system_prompt } : {}),
    ...(nonEmpty(d.post_history_instructions) ? { postHistory: d.post_history_instructions } : {}),
    ...(list(d.alternate_greetings) ? { alternateGreetings: d.alternate_greetings } : {}),
    ...(version === "v3" && list(d.group_only_greetings) ? { groupGreetings: d.group_only_greetings } : {}),
    ...(nickname ? { nickname } : {}),
    ...(book ? { lorebook: book } : {}),
    ...(parley.languages ? { languages: parley.languages } : {}),
    card,
  };
  const checked = parseWith(CharacterConfig, draft, prefix);
  const { id: _drop, ...character } = checked;
  return { version, character: parley.id ? { ...character, id: parley.id } : character };
}
