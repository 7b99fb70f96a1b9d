/** A character's mind for one turn: its prompt over the shared log, streamed from the room's LLM. */
import type { CharacterConfig } from "@parley/shared";
import type { LlmHost } from "../llm/LlmHost.js";
import type { LogEntry } from "../conversation/ConversationLog.js";
import { buildMessages, stopStrings, type Seat } from "./prompt.js";
import { stripSpeakerPrefix } from "./stripSpeakerPrefix.js";
import { stopAtOtherSpeaker } from "./stopAtOtherSpeaker.js";
import { tableLanguageOf } from "../i18n/liveCharacter.js";
import { activeLore } from "./lorebook.js";
import { userOf } from "./macros.js";

/** What a character remembers, as lines for its prompt. */
export interface MemoryReader {
  notesFor(characterId: string, people: readonly Seat[]): Promise<string>;
}

export interface BrainOptions {
  maxTokens: number;
  /** log lines included in the prompt */
  historyLines: number;
  memory?: MemoryReader;
  /** the table's prefix for LLM sequence keys: the same character at two tables keeps two histories */
  keyPrefix?: string;
}

export class Brain {
  constructor(
    readonly character: CharacterConfig,
    private readonly llm: LlmHost,
    private readonly opts: BrainOptions,
  ) {}

  /** The key of this character's LLM sequence at its table. */
  get key(): string { return `${this.opts.keyPrefix ?? ""}${this.character.id}`; }

  async messages(table: readonly Seat[], entries: readonly LogEntry[]): Promise<ReturnType<typeof buildMessages>> {
    const people = table.filter((s) => s.kind === "person");
    const notes = (await this.opts.memory?.notesFor(this.character.id, people)) ?? "";
    const history = entries.slice(-this.opts.historyLines);
    // the lorebook looks at what was said lately (as far as it was heard)
    const said = history.filter((e) => e.kind !== "system").map((e) => (e.interrupted ? e.heardText : e.text));
    const book = this.character.lorebook;
    const card = { user: userOf(people.map((p) => p.name)), lore: book ? activeLore(book, said) : { before: [], after: [], tokens: 0 } };
    // a table's character carries the table's language (and its name, persona and voice in it)
    return buildMessages(this.character, table, history, notes, tableLanguageOf(this.character), card);
  }

  async *reply(table: readonly Seat[], entries: readonly LogEntry[], signal: AbortSignal): AsyncIterable<string> {
    const messages = await this.messages(table, entries);
    if (signal.aborted) return;
    const deltas = this.llm.stream({
      key: this.key,
      messages,
      temperature: this.character.temperature,
      maxTokens: this.opts.maxTokens,
      stop: stopStrings(this.character, table),
      seed: Math.floor(Math.random() * 2 ** 31),
      ...(this.character.lora ? { lora: this.character.lora } : {}),
      ...(this.character.model ? { model: this.character.model } : {}),
      signal,
    });
    const others = table.filter((s) => s.id !== this.character.id).map((s) => s.name);
    yield* stopAtOtherSpeaker(stripSpeakerPrefix(deltas, [this.character.name]), others);
  }
}
