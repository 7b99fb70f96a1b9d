/**
 * The turns in flight at a table: the one holding the floor, a character cutting
 * in on it (CutIns), the next reply made ahead and held (Speculation), and lines
 * just cut off that are still settling to what was heard. The floor starts turns
 * (runTurn on a fresh TurnHandle, whose reports it follows), gives the floor (authorizing a held reply
 * after the pause), hands it to an interrupter when the holder ends, pauses and
 * resumes every turn for a person, and silences them all, always through their
 * handles. Apart from a cut-in (judged at a segment boundary), it decides
 * nothing about who speaks: the director does (`nextAfter` for a held reply).
 */
import type { LogEntry } from "../conversation/ConversationLog.js";
import type { Seat } from "../brain/prompt.js";
import type { DIRECTOR_TIMING, DirectorDeps } from "./directorDeps.js";
import type { CastBrains } from "./CastBrains.js";
import type { TalkCaps } from "./TalkCaps.js";
import type { LatencyTrace } from "../turn/LatencyTrace.js";
import { runTurn, type TurnEnv, type TurnScript } from "./runTurn.js";
import { TurnHandle, TurnPriority, type TurnEvent, type TurnOutcome } from "../turn/TurnHandle.js";
import { recentSpeakers } from "./policies/types.js";
import { showTable } from "./showTable.js";
import { Speculation, type NextSpeaker } from "./Speculation.js";
import { CutIns } from "./CutIns.js";

/** What the floor needs from the director. */
export interface FloorHost {
  rng: () => number;
  timing: typeof DIRECTOR_TIMING;
  /** people speaking now; each holds a pause on every turn in flight */
  speaking: ReadonlySet<string>;
  caps: TalkCaps;
  closed(): boolean;
  /** the plan's signal now: a person's action aborts it */
  plan(): AbortSignal;
  /** who will speak after `turn` (which said `text`), decided ahead */
  nextAfter(turn: TurnHandle, text: string, signal: AbortSignal): Promise<NextSpeaker | null>;
  /** a turn is about to start: background work yields to it */
  starting(): void;
  ended(turn: TurnHandle, outcome: TurnOutcome): void;
  track(p: Promise<unknown>): void;
}

export class Floor {
  /** the turn holding the floor */
  private current: TurnHandle | null = null;
  private readonly speculation: Speculation;
  private readonly cutIns: CutIns;
  private readonly env: TurnEnv;
  private authorizeTimer: NodeJS.Timeout | null = null;
  /** turns just cut off whose lines are still settling to what was heard */
  private windingDown: TurnHandle[] = [];
  /** the times of a person's message, for the first turn that answers them */
  private replyTrace: { person: string; trace: LatencyTrace } | null = null;

  constructor(private readonly d: DirectorDeps, private readonly seated: CastBrains, private readonly h: FloorHost) {
    const noted = new Set<string>();
    this.env = {
      ...d, table: () => this.table(), unstreamed: () => (d.streaming ? !d.streaming() : false),
      noteOnce: (key, text) => {
        if (noted.has(key)) return;
        noted.add(key);
        d.log.add({ kind: "system", speakerId: "", speakerName: "Parley", text, addressee: "" });
      },
    };
    const log = (): readonly LogEntry[] => d.log.recent(200);
    this.speculation = new Speculation({
      get characters() { return seated.list; }, brains: seated.brains, llm: d.llm, table: () => this.table(), log, last: () => recentSpeakers(d.log.recent(30), 1)[0],
      enabled: () => d.settings().speculation && !h.closed(), floor: () => this.current, nameOf: (id) => seated.char(id)?.name ?? "", track: h.track,
      startHeld: (next, history) => {
        if (next.auto) h.caps.countTurn();
        return this.start(next.id, next.addressee, history, next.auto ? TurnPriority.character : TurnPriority.person, true);
      },
    });
    this.cutIns = new CutIns({
      get characters() { return seated.list; }, char: (id) => seated.char(id), sensitivity: () => d.settings().interruptSensitivity, rng: h.rng, overlapMs: h.timing.overlapMs,
      log, dropPrepared: () => this.speculation.drop(), showPresence: () => this.showPresence(),
      start: (id, addressee, history) => this.start(id, addressee, history, TurnPriority.character, false),
    });
  }

  /** the turn holding the floor */
  get holder(): TurnHandle | null { return this.current; }

  /** the next reply, made ahead and held */
  get prepared(): TurnHandle | null { return this.speculation.prepared; }

  /** Whether a character is audible now (the floor holder or an interrupter). */
  get audible(): boolean { return [this.current, this.cutIns.turn].some((t) => t !== null && t.audible && !t.interrupted); }

  /** The first turn answering `person` carries the times of their message. */
  traceReplyTo(person: string, trace: LatencyTrace): void { this.replyTrace = { person, trace }; }

  /** Gives the floor to a character after `delayMs`: its held reply, or a new one (`say`: a fixed line, no LLM). */
  take(id: string, addressee: string, delayMs: number, priority: TurnPriority, say?: string): TurnHandle {
    const turn = this.speculation.claim(id, addressee, say !== undefined, () => this.start(id, addressee, this.settledHistory(), priority, delayMs > 0, say));
    this.current = turn;
    // a reply written while it waited its turn: the one after it can be prepared now
    if (turn.written) this.prepareNext(turn, turn.text);
    if (!turn.authorized) this.authorizeTimer = setTimeout(() => { this.authorizeTimer = null; turn.authorize(); }, delayMs);
    return turn;
  }

  /** `turn` ended: true if it held the floor and the floor is free now (an interrupter takes it over otherwise). */
  freedBy(turn: TurnHandle): boolean {
    if (turn !== this.current) return false;
    this.current = this.cutIns.takeOver();
    return this.current === null;
  }

  /** `person` speaks: they hold a pause on every turn in flight. */
  pause(person: string): void { for (const t of this.inFlight()) t?.pause(person); }

  resume(person: string): void { for (const t of this.inFlight()) t?.resume(person); }

  /** Every turn and held reply stops; lines cut off settle before the next reply reads the log. */
  silence(reason: string): void {
    if (this.authorizeTimer) { clearTimeout(this.authorizeTimer); this.authorizeTimer = null; }
    this.speculation.drop(reason);
    const cutIn = this.cutIns.drop(reason);
    this.current?.interrupt(reason);
    this.windingDown = [...this.windingDown, cutIn, this.current].filter((t): t is TurnHandle => t !== null && !t.settled);
    this.current = null;
    this.replyTrace = null;
  }

  /** The plan changed: the held reply will not be said. */
  dropPrepared(): void { this.speculation.drop(); }

  /** The table fell quiet: the likely next speakers' prompts are warmed (`signal`: any activity aborts it). */
  preloadIdle(signal: AbortSignal): void { this.speculation.preloadIdle(signal); }

  /** A person's words so far: the likely answerer reads them ahead. */
  prefill(person: string, text: string, signal: AbortSignal): void { this.speculation.prefill(person, text, signal); }

  /** Everyone's state and gaze from who holds the floor and who speaks. */
  showPresence(): void {
    const speakers = [this.current, this.cutIns.turn].filter((t): t is TurnHandle => t !== null && !t.interrupted);
    showTable(this.seated.shown(), this.d.presence, speakers.map((t) => ({ id: t.characterId, addressee: t.addressee, audible: t.audible })));
  }

  /** every turn a person's pause holds: the floor, an interrupter, a held reply */
  private inFlight(): (TurnHandle | null)[] { return [this.current, this.cutIns.turn, this.speculation.prepared]; }

  private table(): Seat[] { return this.seated.seats(this.d.people()); }

  /**
   * The log once every line cut off before now shows only what was heard of it:
   * a reply started now waits for those, never for its own line or a later one
   * (a turn cut before it began writing would wait for itself, and the table
   * with it).
   */
  private settledHistory(): () => Promise<readonly LogEntry[]> {
    const cut = this.windingDown.filter((t) => !t.settled);
    this.windingDown = cut;
    return async () => {
      await Promise.all(cut.map((t) => t.waitForPlayout()));
      return this.d.log.recent(200);
    };
  }

  private start(id: string, addressee: string, history: TurnScript["history"], priority: TurnPriority, held: boolean, say?: string): TurnHandle {
    this.h.starting();
    const turn = new TurnHandle({ characterId: id, addressee, priority, held, pausedBy: this.h.speaking });
    // the first answer to a person's message carries that message's times
    if (this.replyTrace?.person === addressee && priority === TurnPriority.person) { turn.trace = this.replyTrace.trace; this.replyTrace = null; }
    runTurn(this.env, turn, { brain: this.seated.brain(id)!, history, ...(say !== undefined ? { say } : {}) });
    turn.on((e) => this.follow(turn, e));
    this.h.track(turn.waitForPlayout().then((outcome) => this.h.ended(turn, outcome)));
    return turn;
  }

  /** What a turn in flight reports: the table shows it; a written reply lets the next be prepared; a segment is where others may cut in. */
  private follow(turn: TurnHandle, e: TurnEvent): void {
    switch (e.kind) {
      case "started": this.showPresence(); return;
      case "audible": this.showPresence(); this.cutIns.onAudible(turn, this.current, this.h.plan()); return;
      case "written": if (turn === this.current) this.prepareNext(turn, e.text); return;
      case "segment": if (turn === this.current && this.h.speaking.size === 0) this.cutIns.checkpoint(turn, e.index, e.text, e.emotion, e.heard); return;
      case "emotion": this.d.presence.setEmotion(turn.characterId, e.emotion, e.intensity); return;
      case "text": return;
    }
  }

  /** The current reply is fully written: prepare (and hold) the next speaker's reply now. */
  private prepareNext(turn: TurnHandle, text: string): void {
    const signal = this.h.plan();
    this.speculation.prepareAfter(turn, text, signal, () => this.h.nextAfter(turn, text, signal));
  }
}
