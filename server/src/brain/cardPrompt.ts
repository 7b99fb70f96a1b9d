/**
 * What a character card adds to its character's prompt: the card's system
 * prompt, its description with lore placed before or after it, personality,
 * scenario and example dialogue, every macro filled; and the card's
 * post-history instruction, which goes after the conversation. Parley's own
 * rules for speaking at the table (short spoken lines, the table's language)
 * always follow, since the lines are heard, not read.
 */
import type { CharacterConfig } from "@parley/shared";
import { fillMacros } from "./macros.js";
import type { ActiveLore } from "./lorebook.js";

export interface CardContext {
  /** who `{{user}}` is at this table */
  user: string;
  lore: ActiveLore;
}

const NO_LORE: ActiveLore = { before: [], after: [], tokens: 0 };

/** The card's parts of the system prompt: `intro` replaces "You are X. persona" when the card has more to say. */
export function cardSections(me: CharacterConfig, card?: CardContext): { intro: string; more: string[] } {
  const lore = card?.lore ?? NO_LORE;
  const hasCard = !!(me.systemPrompt || me.personality || me.scenario || me.examples || lore.before.length || lore.after.length);
  if (!hasCard) return { intro: "", more: [] };
  const fill = (t: string): string => fillMacros(t, { char: me.nickname || me.name, user: card?.user ?? "everyone" }).trim();
  const more = [
    ...(me.systemPrompt ? [fill(me.systemPrompt.replace(/\{\{original\}\}/gi, ""))] : []),
    ...lore.before.map(fill),
    ...(me.persona ? [fill(me.persona)] : []),
    ...(me.personality ? [`${me.name}'s personality: ${fill(me.personality)}`] : []),
    ...(me.scenario ? [`Scenario: ${fill(me.scenario)}`] : []),
    ...(lore.after.length ? [`What ${me.name} knows that matters now:\n${lore.after.map(fill).join("\n")}`] : []),
    ...(me.examples ? [`How ${me.name} talks (examples, not part of this conversation):\n${fill(me.examples).replace(/^\s*<START>\s*$/gim, "---")}`] : []),
  ].filter(Boolean);
  return { intro: `You are ${me.name}.`, more };
}

/** The card's post-history instruction, macros filled ("" when it has none). */
export function postHistory(me: CharacterConfig, card?: CardContext): string {
  if (!me.postHistory) return "";
  return fillMacros(me.postHistory.replace(/\{\{original\}\}/gi, ""), { char: me.nickname || me.name, user: card?.user ?? "everyone" }).trim();
}
