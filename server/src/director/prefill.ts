/**
 * Thinking while a person talks: their words so far go into the prompt of the
 * character most likely to answer, evaluated now on its own sequence, so when
 * the final words come only the rest is ingested. The guess is the one named,
 * else the most talkative who did not speak last (the idle preload's choice);
 * a wrong guess only warms a sequence nobody uses next, and a final transcript
 * that differs from the partial one replaces it (the sequence keeps the common
 * prefix and evaluates the rest), so nothing is ever said twice.
 * One evaluation runs at a time per person; newer words wait for it and only
 * the latest is evaluated next. Any activity aborts it (the director's background signal).
 */
import type { CharacterConfig } from "@parley/shared";
import type { Brain } from "../brain/Brain.js";
import type { Seat } from "../brain/prompt.js";
import type { LogEntry } from "../conversation/ConversationLog.js";
import type { LlmHost } from "../llm/LlmHost.js";
import { whoIsAddressed } from "./addressing.js";

export interface PrefillContext {
  characters: readonly CharacterConfig[];
  brains: ReadonlyMap<string, Brain>;
  llm: LlmHost;
  table: () => Seat[];
  log: () => readonly LogEntry[];
  /** who spoke last (not likely to speak next) */
  last: () => string | undefined;
}

/** Who will probably answer these words, and whom the line will be said to (as the director will record it). */
export function likelyAnswer(text: string, characters: readonly CharacterConfig[], last: string | undefined): { characterId: string; addressee: string } | null {
  const addressing = whoIsAddressed(text, characters);
  const byTalk = [...characters].sort((a, b) => b.talkativeness - a.talkativeness);
  const named = addressing.ids[0] ?? (addressing.everyone ? byTalk[0]?.id : undefined);
  const addressee = addressing.ids.length === 1 ? addressing.ids[0]! : "";
  const id = named ?? byTalk.find((c) => c.id !== last)?.id;
  const c = characters.find((x) => x.id === id);
  // a character with a LoRA answers from a context of its own, which a preload does not reach
  if (!c || c.lora) return null;
  return { characterId: c.id, addressee };
}

export class Prefiller {
  /** per person: the words waiting for the evaluation in flight */
  private readonly next = new Map<string, { text: string; signal: AbortSignal }>();
  private readonly running = new Set<string>();

  constructor(private readonly c: PrefillContext, private readonly track: (p: Promise<unknown>) => void) {}

  /** The person's words so far (their live line already shows them). */
  offer(person: string, text: string, signal: AbortSignal): void {
    this.next.set(person, { text, signal });
    if (!this.running.has(person)) this.track(this.drain(person));
  }

  private async drain(person: string): Promise<void> {
    this.running.add(person);
    try {
      for (let job = this.next.get(person); job; job = this.next.get(person)) {
        this.next.delete(person);
        if (!job.signal.aborted) await this.evaluate(person, job.text, job.signal);
      }
    } finally {
      this.running.delete(person);
    }
  }

  private async evaluate(person: string, text: string, signal: AbortSignal): Promise<void> {
    const guess = likelyAnswer(text, this.c.characters, this.c.last());
    const brain = guess && this.c.brains.get(guess.characterId);
    if (!guess || !brain) return;
    // the person's live line as it will read once final, addressed as the director will address it
    const history = this.c.log().map((e) => (e.kind === "person" && e.speakerId === person && !e.done ? { ...e, text, heardText: text, addressee: guess.addressee } : e));
    await this.c.llm.preload(guess.characterId, await brain.messages(this.c.table(), history), signal);
  }
}
