/**
 * One character's turn, from the moment the director gives it out until its
 * audio has played at every client (or it was cut). Everything that can happen
 * to speech in flight goes through this one object:
 * - its AbortSignal (every stage, LLM to outgoing chunks, listens to it);
 * - pause(owner)/resume(owner): a person starting to speak pauses it; the pause
 *   belongs to that person and ends when their speech ends, is dismissed, or
 *   they leave; while anyone holds a pause it stays paused;
 * - authorize(): a reply prepared ahead is held until the director lets it out;
 * - a priority: a turn answering a person outranks one a character started;
 * - waitForPlayout(): the outcome, once it has played out or was stopped;
 * - report(event) / on(listener): the stages carrying the turn report how it
 *   goes (TurnEvent), and whoever cares (the director, the transcript) listens
 *   here: the one way back up.
 * Nothing else in the server pauses, cancels or holds speech.
 */
import { randomUUID } from "node:crypto";
import type { LatencyTrace } from "./LatencyTrace.js";
import type { TurnEvent, TurnReports } from "./TurnEvent.js";

export type { TurnEvent, TurnEventKind, TurnReports } from "./TurnEvent.js";

export const TurnPriority = {
  /** a character speaking on its own ("everyone talks", a cut-in) */
  character: 0,
  /** answering a person */
  person: 1,
} as const;
export type TurnPriority = (typeof TurnPriority)[keyof typeof TurnPriority];

/** How a turn ended. */
export interface TurnOutcome {
  text: string;
  heardText: string;
  interrupted: boolean;
  totalSamples: number;
  /** false when the turn was dropped before it was authorized: nothing was said */
  started: boolean;
  /** set when a stage failed (LLM or TTS); what was spoken before it stays valid */
  error?: unknown;
}

export interface TurnSpec {
  characterId: string;
  /** whom it answers: a person's id, a character's id, or "" for the table */
  addressee: string;
  priority: TurnPriority;
  /** a held turn says nothing until authorize() */
  held?: boolean;
  /** people whose speech pauses it from the start */
  pausedBy?: Iterable<string>;
  id?: string;
}

export class TurnHandle implements TurnReports {
  readonly id: string;
  readonly characterId: string;
  readonly addressee: string;
  readonly priority: TurnPriority;
  private readonly controller = new AbortController();
  private isAuthorized: boolean;
  private authorizeWaiters: (() => void)[] = [];
  private readonly pauses = new Set<string>();
  private resumeWaiters: (() => void)[] = [];
  private listeners: ((paused: boolean) => void)[] = [];
  private watchers: ((event: TurnEvent) => void)[] = [];
  private outcome: TurnOutcome | null = null;
  private spoken = "";
  private isAudible = false;
  private isWritten = false;
  /** its transcript line, once it started speaking; written by whoever keeps the transcript */
  lineId: string | null = null;
  /** for a reply to a person: the times of its stages (the latency panel); set by the director */
  trace: LatencyTrace | null = null;
  private readonly playout: Promise<TurnOutcome>;
  private resolvePlayout!: (o: TurnOutcome) => void;

  constructor(spec: TurnSpec) {
    this.id = spec.id ?? randomUUID().slice(0, 12);
    this.characterId = spec.characterId;
    this.addressee = spec.addressee;
    this.priority = spec.priority;
    this.isAuthorized = !spec.held;
    for (const p of spec.pausedBy ?? []) this.pauses.add(p);
    this.playout = new Promise((r) => (this.resolvePlayout = r));
    this.controller.signal.addEventListener("abort", () => this.wake(), { once: true });
  }

  get signal(): AbortSignal { return this.controller.signal; }
  /** spoken text so far (generated, not necessarily heard) */
  get text(): string { return this.spoken; }
  /** its first audio has gone out */
  get audible(): boolean { return this.isAudible; }
  /** the whole reply is written (the LLM finished) */
  get written(): boolean { return this.isWritten; }

  /** A stage reports how the turn goes; the handle keeps what it says of itself and tells its listeners, in order. */
  report(event: TurnEvent): void {
    if (this.outcome) return;
    switch (event.kind) {
      case "text": this.spoken += event.delta; break;
      case "written": this.isWritten = true; break;
      case "audible": this.isAudible = true; break;
      case "started": case "segment": case "emotion": break;
    }
    for (const w of [...this.watchers]) w(event);
  }

  /** Listens to what the turn reports until it settles; returns the unsubscribe. */
  on(listener: (event: TurnEvent) => void): () => void {
    this.watchers.push(listener);
    return () => { this.watchers = this.watchers.filter((w) => w !== listener); };
  }
  get interrupted(): boolean { return this.controller.signal.aborted; }
  get reason(): string { return this.interrupted ? String(this.controller.signal.reason ?? "interrupted") : ""; }
  get settled(): boolean { return this.outcome !== null; }

  /** Stops the turn for good: generation, synthesis and sending stop; clients get utt:cancel. */
  interrupt(reason: string): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }

  get authorized(): boolean { return this.isAuthorized; }

  /** Lets a held (prepared) turn be heard. */
  authorize(): void {
    if (this.isAuthorized) return;
    this.isAuthorized = true;
    for (const w of this.authorizeWaiters.splice(0)) w();
  }

  /** Resolves true once authorized, false if the turn was interrupted first. */
  untilAuthorized(): Promise<boolean> {
    if (this.interrupted) return Promise.resolve(false);
    if (this.isAuthorized) return Promise.resolve(true);
    return new Promise((resolve) => this.authorizeWaiters.push(() => resolve(!this.interrupted)));
  }

  get paused(): boolean { return this.pauses.size > 0; }
  /** who holds a pause on it now */
  get pausedBy(): ReadonlySet<string> { return this.pauses; }

  /** `owner` (a person) holds the turn paused; returns true if that paused it just now. */
  pause(owner: string): boolean {
    if (this.interrupted || this.pauses.has(owner)) return false;
    this.pauses.add(owner);
    if (this.pauses.size > 1) return false;
    for (const l of [...this.listeners]) l(true);
    return true;
  }

  /** `owner` lets go; the turn plays again once nobody holds it. */
  resume(owner: string): void {
    if (!this.pauses.delete(owner) || this.pauses.size > 0) return;
    for (const l of [...this.listeners]) l(false);
    this.wake();
  }

  onPauseChange(fn: (paused: boolean) => void): () => void {
    this.listeners.push(fn);
    return () => { this.listeners = this.listeners.filter((l) => l !== fn); };
  }

  /** Resolves once nobody holds it paused (at once if so), or when it is interrupted. */
  untilPlaying(): Promise<void> {
    if (!this.paused || this.interrupted) return Promise.resolve();
    return new Promise((resolve) => this.resumeWaiters.push(resolve));
  }

  private wake(): void {
    for (const w of this.resumeWaiters.splice(0)) w();
    for (const w of this.authorizeWaiters.splice(0)) w();
  }

  /** The runner reports the end, once. */
  settle(outcome: TurnOutcome): void {
    if (this.outcome) return;
    this.outcome = outcome;
    this.listeners = [];
    this.watchers = [];
    this.resolvePlayout(outcome);
  }

  /** The outcome, once the turn has played out at every client or was stopped. */
  waitForPlayout(): Promise<TurnOutcome> { return this.playout; }
}
