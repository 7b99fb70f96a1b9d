/**
 * A Parley character as a Character Card V3 (`chara_card_v3`), and the V2
 * (`chara_card_v2`) backfill older readers find in a PNG's `chara` chunk.
 * Parley's own fields go under `extensions.parley`, talkativeness under
 * SillyTavern's `extensions.talkativeness`, and every extension key the card
 * came with goes back out unchanged.
 */
import type { CharacterConfig } from "@parley/shared";
import { BACKFILL_NOTE, type ParleyExtension } from "./cardToCharacter.js";

export interface CardAsset { type: string; uri: string; name: string; ext: string }

export interface V3Card {
  spec: "chara_card_v3";
  spec_version: "3.0";
  data: Record<string, unknown>;
}

/** The avatar as a card names it: a generated one by file name, a character's own VRM as "own". */
export function parleyExtension(c: CharacterConfig, avatar: string): ParleyExtension {
  return {
    id: c.id,
    ...(c.nicknames.filter((n) => n !== c.nickname).length ? { nicknames: c.nicknames.filter((n) => n !== c.nickname) } : {}),
    voice: c.voice,
    avatar,
    interruptiveness: c.interruptiveness,
    color: c.color,
    temperature: c.temperature,
    ...(c.model ? { model: c.model } : {}),
    ...(c.languages ? { languages: c.languages } : {}),
  };
}

/** The V3 card of a character; `assets` lists what a CHARX carries (omit for the default icon). */
export function characterToCard(c: CharacterConfig, o: { avatar: string; assets?: CardAsset[]; now?: number }): V3Card {
  const meta = c.card;
  const now = Math.floor((o.now ?? Date.now()) / 1000);
  return {
    spec: "chara_card_v3",
    spec_version: "3.0",
    data: {
      name: c.name,
      description: c.persona,
      personality: c.personality ?? "",
      scenario: c.scenario ?? "",
      first_mes: c.greeting ?? "",
      mes_example: c.examples ?? "",
      creator_notes: meta?.creatorNotes ?? "",
      system_prompt: c.systemPrompt ?? "",
      post_history_instructions: c.postHistory ?? "",
      alternate_greetings: c.alternateGreetings ?? [],
      group_only_greetings: c.groupGreetings ?? [],
      tags: meta?.tags ?? [],
      creator: meta?.creator ?? "",
      character_version: meta?.version ?? "",
      ...(c.nickname ? { nickname: c.nickname } : {}),
      ...(meta?.creatorNotesMultilingual ? { creator_notes_multilingual: meta.creatorNotesMultilingual } : {}),
      ...(meta?.source ? { source: meta.source } : {}),
      ...(c.lorebook ? { character_book: c.lorebook } : {}),
      ...(o.assets ? { assets: o.assets } : {}),
      creation_date: meta?.created ?? now,
      modification_date: now,
      extensions: { ...meta?.extensions, talkativeness: c.talkativeness, parley: parleyExtension(c, o.avatar) },
    },
  };
}

/** The V2 backfill: V3-only fields dropped, the notes say so, V1 fields mirrored at the root for the oldest readers. */
export function backfillV2(card: V3Card): Record<string, unknown> {
  const { assets: _a, nickname: _n, creator_notes_multilingual: _m, source: _s, group_only_greetings: _g, creation_date: _c, modification_date: _d, ...rest } = card.data;
  const notes = [BACKFILL_NOTE, String(rest.creator_notes ?? "")].filter(Boolean).join("\n\n");
  const data: Record<string, unknown> = { ...rest, creator_notes: notes };
  const v1 = Object.fromEntries(["name", "description", "personality", "scenario", "first_mes", "mes_example"].map((k) => [k, data[k]]));
  return { ...v1, spec: "chara_card_v2", spec_version: "2.0", data };
}
