/**
 * Reading ahead (the room's "speculation" setting): while a reply plays, the
 * next speaker's reply is written and held (its handle waits for authorize()),
 * so it starts the moment the floor is free; when the table falls quiet, the
 * likely next speakers' prompts are evaluated (preload.ts); while a person
 * talks, the likely answerer reads their words so far (prefill.ts). Who speaks
 * next is the director's decision (`pick`); this module only prepares it. Every
 * job runs on a signal the director hands it, and the held reply is a turn
 * handle like any other: pausing or dropping it goes through the handle.
 */
import type { LogEntry } from "../conversation/ConversationLog.js";
import type { TurnHandle } from "../turn/TurnHandle.js";
import { preloadLikely } from "./preload.js";
import { Prefiller, type PrefillContext } from "./prefill.js";

/** Who speaks next and to whom; `auto`: characters among themselves (counted against the caps). */
export interface NextSpeaker { id: string; addressee: string; auto: boolean }

export interface SpeculationHost extends PrefillContext {
  /** speculation is on and the table is open */
  enabled(): boolean;
  /** the turn holding the floor */
  floor(): TurnHandle | null;
  /** a character's name (seated or leaving; "" if unknown) */
  nameOf(id: string): string;
  /** starts `next`'s reply on `history`, held until the floor is given to it */
  startHeld(next: NextSpeaker, history: readonly LogEntry[]): TurnHandle;
  track(p: Promise<unknown>): void;
}

export class Speculation {
  /** the next reply, made ahead and held */
  private held: TurnHandle | null = null;
  private readonly prefiller: Prefiller;

  constructor(private readonly h: SpeculationHost) {
    this.prefiller = new Prefiller(h, (p) => h.track(p));
  }

  get prepared(): TurnHandle | null { return this.held; }

  /** `turn` (holding the floor) is fully written as `text`: prepare and hold the reply of whoever `pick` names. */
  prepareAfter(turn: TurnHandle, text: string, signal: AbortSignal, pick: () => Promise<NextSpeaker | null>): void {
    if (!this.h.enabled() || this.held) return;
    this.h.track(pick().catch(() => null).then((next) => {
      if (!next || signal.aborted || this.held || turn !== this.h.floor() || turn.interrupted) return;
      // the next speaker sees the current line as if already heard in full
      const log = this.h.log();
      const line = log.find((e) => e.id === turn.lineId);
      const said: LogEntry = { ...(line ?? { id: "", kind: "character", speakerId: turn.characterId, speakerName: this.h.nameOf(turn.characterId), interrupted: false, error: "", done: true, addressee: turn.addressee, at: Date.now() }), text, heardText: text };
      this.held = this.h.startHeld(next, [...log.filter((e) => e.id !== turn.lineId), said]);
    }));
  }

  /**
   * The floor goes to `id` answering `addressee`: the held reply if it is theirs
   * (and no fixed line is to be said), else `fresh()`; a held reply nobody takes is dropped.
   */
  claim(id: string, addressee: string, fixedLine: boolean, fresh: () => TurnHandle): TurnHandle {
    const p = this.held;
    this.held = null;
    const turn = !fixedLine && p && p.characterId === id && p.addressee === addressee && !p.interrupted ? p : fresh();
    if (p && p !== turn) p.interrupt("plan changed");
    return turn;
  }

  /** The plan changed: the held reply will not be said. */
  drop(reason = "plan changed"): void {
    this.held?.interrupt(reason);
    this.held = null;
  }

  /** The table fell quiet: warm the likely next speakers' prompts, so the next person's words are answered from a warm prefix. */
  preloadIdle(signal: AbortSignal): void {
    if (!this.h.enabled()) return;
    this.h.track(preloadLikely({ characters: this.h.characters, brains: this.h.brains, llm: this.h.llm, table: this.h.table(), history: this.h.log(), last: this.h.last(), signal }));
  }

  /** A person's words so far: the likely answerer reads them now. */
  prefill(person: string, text: string, signal: AbortSignal): void {
    if (this.h.enabled()) this.prefiller.offer(person, text, signal);
  }
}
