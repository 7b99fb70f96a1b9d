/**
 * Thinking while a person talks: their words so far go into the prompt of the
 * character most likely to answer, evaluated now on its own sequence, so when
 * the final words come only the rest is ingested. The guess is the one named,
 * else the most talkative who did not speak last (the idle preload's choice);
 * a wrong guess only warms a sequence nobody uses next, and a final transcript
 * that differs from the partial one replaces it (the sequence keeps the common
 * prefix and evaluates the rest), so nothing is ever said twice.
 * One evaluation runs at a time for the whole table (the model evaluates one
 * prompt at a time anyway, and each evaluation holds the table's background
 * signal until it is done): each person's latest words wait their turn, in the
 * order they came, and newer words replace what that person said before. With
 * sixteen people speaking at once, sixteen evaluations in flight held sixteen
 * listeners on that one signal. Any activity aborts it (the director's
 * background signal).
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
  /** each person's latest words, waiting for the evaluation in flight, oldest first */
  private readonly waiting = new Map<string, { text: string; signal: AbortSignal }>();
  private running = false;

  constructor(private readonly c: PrefillContext, private readonly track: (p: Promise<unknown>) => void) {}

  /** The person's words so far (their live line already shows them). */
  offer(person: string, text: string, signal: AbortSignal): void {
    // newer words replace the person's older ones, and wait behind everyone else's
    this.waiting.delete(person);
    this.waiting.set(person, { text, signal });
    if (!this.running) this.track(this.drain());
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (let next = this.waiting.entries().next(); !next.done; next = this.waiting.entries().next()) {
        const [person, job] = next.value;
        this.waiting.delete(person);
        if (!job.signal.aborted) await this.evaluate(person, job.text, job.signal);
      }
    } finally {
      this.running = false;
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
