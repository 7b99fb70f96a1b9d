/**
 * A character's prompt: its persona, who sits at the table, and the shared log
 * from its point of view. Its own cut-off lines appear as heard, ending in "—",
 * never with "[interrupted]" markers that small models start to imitate.
 */
import type { CharacterConfig, Language } from "@parley/shared";
import { serverText } from "../i18n/serverText.js";
import type { ChatMessage } from "../llm/types.js";
import type { LogEntry } from "../conversation/ConversationLog.js";
import { cardSections, postHistory, type CardContext } from "./cardPrompt.js";

export interface Seat { id: string; name: string; kind: "person" | "character"; about?: string }

/** What anyone said, as one line: a line break in a message must not start a line that looks like someone else's. */
const oneLine = (s: string): string => s.replace(/\s+/g, " ").trim();

/**
 * @param language the table's language: every reply is in it, whatever language
 *   the persona is written in; without one, characters answer in the language
 *   they are spoken to in
 * @param card what the character's card adds (personality, scenario, examples, lore), with its macros filled
 */
export function systemPrompt(me: CharacterConfig, table: readonly Seat[], memory = "", language?: Language, card?: CardContext): string {
  const others = table.filter((s) => s.id !== me.id).map((s) => (s.kind === "person" ? `${s.name} (a person)` : `${s.name}${s.about ? ` (${s.about})` : ""}`));
  const sections = cardSections(me, card);
  return [
    ...(sections.intro ? [sections.intro] : [`You are ${me.name}. ${me.persona}`]),
    ...sections.more,
    others.length ? `You sit at a round table, talking out loud with ${others.join(", ")}.` : "You sit at a round table.",
    `Speak only as ${me.name}, in 1 to 3 short sentences meant to be heard, not read: no lists, no markdown, no emoji.`,
    "Begin with an emotion tag that fits your mood: [happy], [sad], [angry], [surprised], [relaxed] or [neutral]; you may change it mid-reply.",
    "Never write lines for anyone else and never start with a name and a colon.",
    language ? serverText(language).answerIn : "Answer in the language you were spoken to in.",
    ...(memory ? [`What you remember:\n${memory}`] : []),
  ].join("\n");
}

export function historyMessages(me: CharacterConfig, entries: readonly LogEntry[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const e of entries) {
    if (e.kind === "system") continue;
    if (e.speakerId === me.id) {
      const said = oneLine(e.interrupted ? (e.heardText ? `${e.heardText}—` : "") : e.text);
      if (said) out.push({ role: "assistant", content: said });
      continue;
    }
    const heard = oneLine(e.interrupted ? e.heardText : e.text);
    if (!heard) continue;
    // who said it to whom, so a character knows when it is the one being asked
    const to = e.addressee === me.id ? " (to you)" : "";
    // the speaker's name comes from the server (a cleaned, unique name), never from the text
    const line = `${oneLine(e.speakerName)}${to}: ${heard}${e.interrupted ? "—" : ""}`;
    const last = out.at(-1);
    if (last?.role === "user") last.content += `\n${line}`;
    else out.push({ role: "user", content: line });
  }
  return out;
}

/**
 * Whom the reply answers: the person whose line is the latest (several people sit at
 * a table, so "you" alone does not say which of them), to be called by their name.
 */
function answering(me: CharacterConfig, entries: readonly LogEntry[]): string {
  const last = entries.findLast((e) => e.kind !== "system" && e.speakerId !== me.id);
  return last?.kind === "person" ? `${oneLine(last.speakerName)} spoke last: answer ${oneLine(last.speakerName)}, and call them by their name.` : "";
}

export function buildMessages(me: CharacterConfig, table: readonly Seat[], entries: readonly LogEntry[], memory = "", language?: Language, card?: CardContext): ChatMessage[] {
  const after = postHistory(me, card);
  const system = [systemPrompt(me, table, memory, language, card), answering(me, entries)].filter(Boolean).join("\n");
  return [{ role: "system", content: system }, ...historyMessages(me, entries), ...(after ? [{ role: "system" as const, content: after }] : [])];
}

/** Stop strings that keep a character from writing another speaker's line. */
export function stopStrings(me: CharacterConfig, table: readonly Seat[]): string[] {
  return table.filter((s) => s.id !== me.id).flatMap((s) => [`\n${s.name}:`, `\n${s.name}：`]);
}
