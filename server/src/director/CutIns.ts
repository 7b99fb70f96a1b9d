/**
 * Characters cutting each other off: at each segment boundary of the turn
 * holding the floor, another character may start a reply to what it heard so far
 * (interruptions.ts judges who and when, from heat, persona and the room's
 * sensitivity). Once the interrupter is audible, the two overlap briefly and the
 * interrupted turn stops (through its handle); when it has ended, the interrupter
 * holds the floor. A turn answering a person is never cut into, nor one paused
 * while people speak.
 */
import type { CharacterConfig, Emotion } from "@parley/shared";
import type { LogEntry } from "../conversation/ConversationLog.js";
import { TurnPriority, type TurnHandle } from "../turn/TurnHandle.js";
import { judgeInterruption } from "./interruptions.js";

export interface CutInHost {
  readonly characters: readonly CharacterConfig[];
  /** a character seated or leaving */
  char(id: string): CharacterConfig | undefined;
  /** the room's interrupt sensitivity now */
  sensitivity(): number;
  rng: () => number;
  /** how long interrupter and interrupted overlap, ms */
  overlapMs: number;
  /** the transcript, latest last */
  log(): readonly LogEntry[];
  /** a reply held for after the current one will not be said */
  dropPrepared(): void;
  /** starts `id`'s reply to `addressee` on `history` at once */
  start(id: string, addressee: string, history: readonly LogEntry[]): TurnHandle;
  showPresence(): void;
}

export class CutIns {
  /** a character cutting in on the turn holding the floor */
  private cutIn: TurnHandle | null = null;
  private lastInterruptAt = -Infinity;

  constructor(private readonly h: CutInHost) {}

  get turn(): TurnHandle | null { return this.cutIn; }

  /**
   * A segment boundary of `turn` (holding the floor) while no person speaks:
   * maybe someone cuts in (never on an answer to a person).
   */
  checkpoint(turn: TurnHandle, index: number, segment: string, emotion: Emotion | null, heard: string): void {
    if (this.cutIn || turn.priority > TurnPriority.character) return;
    const speaker = this.h.char(turn.characterId);
    if (!speaker) return;
    const decision = judgeInterruption({
      speaker, segmentIndex: index, segmentText: segment, emotion,
      candidates: this.h.characters.filter((c) => c.id !== speaker.id), sensitivity: this.h.sensitivity(),
      sinceLastInterruptMs: performance.now() - this.lastInterruptAt, rng: this.h.rng,
    });
    if (!decision) return;
    this.lastInterruptAt = performance.now();
    this.h.dropPrepared();
    // the interrupter reacts to what it heard so far, and the words now starting
    const cutLine = [heard, segment].filter(Boolean).join(" ");
    const history = this.h.log().map((e) => (e.id === turn.lineId ? { ...e, text: cutLine, heardText: cutLine, interrupted: true } : e));
    this.cutIn = this.h.start(decision.interrupterId, speaker.id, history);
    this.h.showPresence();
  }

  /** `turn` became audible: if it is the interrupter, `victim` stops after a brief overlap (unless `signal`, the plan, is aborted first). */
  onAudible(turn: TurnHandle, victim: TurnHandle | null, signal: AbortSignal): void {
    if (turn !== this.cutIn || !victim) return;
    setTimeout(() => { if (!signal.aborted) victim.interrupt(`character:${turn.characterId}`); }, this.h.overlapMs);
  }

  /** The floor holder ended: the interrupter (if any) takes the floor. */
  takeOver(): TurnHandle | null {
    const next = this.cutIn;
    this.cutIn = null;
    return next;
  }

  /** The table falls silent: the interrupter stops; returns it (its line still settles). */
  drop(reason: string): TurnHandle | null {
    this.cutIn?.interrupt(reason);
    return this.takeOver();
  }
}
