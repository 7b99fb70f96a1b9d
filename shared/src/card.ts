/**
 * What a character brings from a character card (SillyTavern's Character Card
 * V1/V2/V3): the lorebook and the card's own facts, with the limits that keep
 * one card from filling the disk, the prompt or the page.
 */
import { z } from "zod";

export const CARD_LIMITS = {
  /** characters in one long text field (description, scenario, a greeting, a lorebook entry...) */
  text: 20_000,
  /** characters in a short field (creator, version, a tag, a key) */
  short: 200,
  /** greetings of each kind */
  greetings: 50,
  tags: 100,
  /** lorebook entries */
  entries: 500,
  /** keys per lorebook entry */
  keys: 100,
  /** a character's name, characters */
  name: 64,
} as const;

const longText = z.string().max(CARD_LIMITS.text, `at most ${CARD_LIMITS.text.toLocaleString("en")} characters`);
const shortText = z.string().max(CARD_LIMITS.short, `at most ${CARD_LIMITS.short} characters`);

/**
 * One lorebook entry (the spec's fields Parley uses; anything else an entry
 * carries is kept as it came, so an export gives it back).
 */
export const LoreEntry = z.looseObject({
  keys: z.array(shortText).max(CARD_LIMITS.keys).default([]),
  content: longText.default(""),
  enabled: z.boolean().default(true),
  /** lower goes into the prompt earlier */
  insertion_order: z.number().finite().default(100),
  case_sensitive: z.boolean().optional(),
  /** inserted whatever the conversation says (within the budget) */
  constant: z.boolean().optional(),
  /** with secondary keys: one of `keys` AND one of `secondary_keys` must appear */
  selective: z.boolean().optional(),
  secondary_keys: z.array(shortText).max(CARD_LIMITS.keys).optional(),
  use_regex: z.boolean().optional(),
  /** over the budget, the lowest priority goes first */
  priority: z.number().finite().optional(),
  position: z.enum(["before_char", "after_char"]).optional(),
  name: shortText.optional(),
  comment: z.string().max(CARD_LIMITS.text).optional(),
  id: z.union([z.number(), z.string().max(CARD_LIMITS.short)]).optional(),
  extensions: z.record(z.string(), z.unknown()).default({}),
});
export type LoreEntry = z.infer<typeof LoreEntry>;

export const Lorebook = z.looseObject({
  name: shortText.optional(),
  description: z.string().max(CARD_LIMITS.text).optional(),
  /** how many recent lines are scanned for keys */
  scan_depth: z.number().int().min(1).max(1000).optional(),
  /** tokens the inserted entries may use in all */
  token_budget: z.number().int().min(1).max(100_000).optional(),
  recursive_scanning: z.boolean().optional(),
  extensions: z.record(z.string(), z.unknown()).default({}),
  entries: z.array(LoreEntry).max(CARD_LIMITS.entries).default([]),
});
export type Lorebook = z.infer<typeof Lorebook>;

/** A card's facts that do not shape the conversation, kept so an export gives them back. */
export const CardMeta = z.object({
  creator: shortText.default(""),
  /** the card's `character_version` */
  version: shortText.default(""),
  tags: z.array(shortText).max(CARD_LIMITS.tags).default([]),
  /** for people reading the card, never for the prompt */
  creatorNotes: longText.default(""),
  creatorNotesMultilingual: z.record(z.string().max(16), longText).optional(),
  source: z.array(z.string().max(2000)).max(50).optional(),
  /** unix seconds */
  created: z.number().finite().optional(),
  /** extension keys Parley does not read (e.g. `depth_prompt`, `fav`, other apps' data): exported again as they came */
  extensions: z.record(z.string(), z.unknown()).default({}),
}).strict();
export type CardMeta = z.infer<typeof CardMeta>;

/** The card's long text fields, as a character config holds them. */
export const cardTextFields = {
  personality: longText.optional(),
  scenario: longText.optional(),
  /** example dialogue (`mes_example`), "<START>"-separated */
  examples: longText.optional(),
  /** replaces Parley's main instructions; "{{original}}" puts them back in */
  systemPrompt: longText.optional(),
  /** a last instruction after the conversation (`post_history_instructions`) */
  postHistory: longText.optional(),
  alternateGreetings: z.array(longText).max(CARD_LIMITS.greetings).optional(),
  /** greetings only for a table with other characters */
  groupGreetings: z.array(longText).max(CARD_LIMITS.greetings).optional(),
  /** the card's nickname: what `{{char}}` stands for */
  nickname: z.string().max(CARD_LIMITS.name).optional(),
  lorebook: Lorebook.optional(),
  card: CardMeta.optional(),
};
