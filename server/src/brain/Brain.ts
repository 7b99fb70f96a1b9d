/** A character's mind for one turn: its prompt over the shared log, streamed from the room's LLM. */
import type { CharacterConfig } from "@parley/shared";
import type { LlmHost } from "../llm/LlmHost.js";
import type { LogEntry } from "../director/ConversationLog.js";
import { buildMessages, stopStrings, type Seat } from "./prompt.js";
import { stripSpeakerPrefix } from "./stripSpeakerPrefix.js";

export interface BrainOptions {
  maxTokens: number;
  /** log lines included in the prompt */
  historyLines: number;
}

export class Brain {
  constructor(
    readonly character: CharacterConfig,
    private readonly llm: LlmHost,
    private readonly opts: BrainOptions,
  ) {}

  reply(table: readonly Seat[], entries: readonly LogEntry[], signal: AbortSignal): AsyncIterable<string> {
    const messages = buildMessages(this.character, table, entries.slice(-this.opts.historyLines));
    const deltas = this.llm.stream({
      key: this.character.id,
      messages,
      temperature: this.character.temperature,
      maxTokens: this.opts.maxTokens,
      stop: stopStrings(this.character, table),
      seed: Math.floor(Math.random() * 2 ** 31),
      signal,
    });
    return stripSpeakerPrefix(deltas, [this.character.name]);
  }
}
