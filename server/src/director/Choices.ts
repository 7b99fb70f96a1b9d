/**
 * Deciding who speaks next when nobody in particular is addressed: the room's
 * policy (perhaps asking the LLM) runs as a job on the plan's signal. A decision
 * the director starts stays pending until its "chosen" event is taken; one the
 * plan no longer wants (a person acted, the table closed) is dropped, never delivered.
 */
import type { CharacterConfig, RoomSettings } from "@parley/shared";
import type { LogEntry } from "../conversation/ConversationLog.js";
import type { Chooser } from "./policies/LlmPolicy.js";
import { createPolicy } from "./policies/createPolicy.js";
import { errorMessage } from "../util/errors.js";
import { log } from "../util/log.js";

export interface ChoicesHost {
  characters: readonly CharacterConfig[];
  llm: Chooser;
  settings(): RoomSettings;
  /** the recent log the policy reads */
  log(): readonly LogEntry[];
  rng: () => number;
  track(p: Promise<unknown>): void;
  /** a decision's result (`null`: nobody), delivered as the director's "chosen" event */
  chosen(characterId: string | null, addressee: string, auto: boolean, token: symbol): void;
}

export class Choices {
  private readonly pending = new Set<symbol>();

  constructor(private readonly h: ChoicesHost) {}

  /** decisions in progress */
  get active(): boolean { return this.pending.size > 0; }

  /** The next speaker by the room's policy, none of `exclude`; between characters, "manual" means "natural" (people pick only whom they answer). */
  next(exclude: ReadonlySet<string>, amongCharacters: boolean, signal: AbortSignal): Promise<string | null> {
    const name = this.h.settings().policy;
    const policy = createPolicy(amongCharacters && name === "manual" ? "natural" : name, { choose: (p, o, sig) => this.h.llm.choose(p, o, sig) });
    return policy.next({ characters: this.h.characters, log: this.h.log(), exclude, rng: this.h.rng, signal });
  }

  /** Starts a decision; its result arrives through `chosen` unless it is dropped first. */
  start(exclude: ReadonlySet<string>, addressee: string, auto: boolean, signal: AbortSignal): void {
    const token = Symbol("choice");
    this.pending.add(token);
    this.h.track(this.next(exclude, auto, signal)
      .catch((err: unknown) => { log.warn(`choosing the next speaker failed: ${errorMessage(err)}`); return null; })
      .then((id) => {
        // a decision the plan no longer wants (a person acted, the table closed) is dropped
        if (!this.pending.has(token) || signal.aborted) return;
        this.h.chosen(id, addressee, auto, token);
        this.pending.delete(token);
      }));
  }

  /** The decision `token` was taken. */
  taken(token: symbol): void { this.pending.delete(token); }

  /** The plan changed: every decision in progress is dropped. */
  clear(): void { this.pending.clear(); }
}
