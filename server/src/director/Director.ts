/**
 * The director: who speaks, when, and who gets cut off. A person's message or a
 * stop silences the table at once; the addressed character(s) answer, else the
 * room's policy picks one. In "everyone talks" mode characters answer each other
 * (with natural pauses, capped in turns and time). Characters may cut each other
 * off at segment boundaries. With speculation on, the next reply is prepared
 * while the current one still plays, so the gap between speakers stays short.
 */
import type { CharacterConfig, Emotion, RoomSettings } from "@parley/shared";
import type { LlmHost } from "../llm/LlmHost.js";
import type { LogEntry } from "../conversation/ConversationLog.js";
import type { Seat } from "../brain/prompt.js";
import type { MemoryReader } from "../brain/Brain.js";
import { Brain } from "../brain/Brain.js";
import { whoIsAddressed } from "./addressing.js";
import { createPolicy } from "./policies/createPolicy.js";
import { recentSpeakers, type TurnPolicy } from "./policies/types.js";
import { showTable } from "./showTable.js";
import { judgeInterruption } from "./interruptions.js";
import { runTurn, type RunningTurn, type TurnEnv } from "./TurnRunner.js";
import type { SpeakResult } from "../speech/speakTurn.js";
import { seededRandom } from "../util/random.js";

export type { CharacterPresence } from "./showTable.js";
import type { CharacterPresence } from "./showTable.js";

export const DIRECTOR_TIMING = {
  /** silence between two characters' lines, ms (people leave ~200 ms) */
  pauseMs: 150,
  pauseJitterMs: 60,
  /** how long an interrupter and the interrupted overlap, ms */
  overlapMs: 150,
  /** "everyone talks" stops after this long without a person, ms */
  maxAutoMs: 120_000,
};

export interface DirectorDeps extends Omit<TurnEnv, "table" | "unstreamed"> {
  characters: readonly CharacterConfig[];
  llm: LlmHost;
  presence: CharacterPresence;
  /** the people currently at the table */
  people: () => Seat[];
  settings: () => RoomSettings;
  maxTokens: number;
  historyLines?: number;
  /** false runs the naive unstreamed pipeline (benchmarks only) */
  streaming?: () => boolean;
  memory?: MemoryReader;
  rng?: () => number;
  timing?: Partial<typeof DIRECTOR_TIMING>;
}

interface Prepared { run: RunningTurn; open: () => void }

export class Director {
  private readonly brains = new Map<string, Brain>();
  private readonly timing: typeof DIRECTOR_TIMING;
  private readonly rng: () => number;
  private readonly env: TurnEnv;
  /** the turn holding the floor */
  private current: RunningTurn | null = null;
  /** a character cutting in on the current turn */
  private cutIn: RunningTurn | null = null;
  /** the next reply, prepared with its gate closed */
  private prepared: Prepared | null = null;
  /** answers owed to a person, in order */
  private queue: { id: string; addressee: string }[] = [];
  private readonly audible = new Set<string>();
  /** bumps whenever a person changes the course, so stale plans are dropped */
  private generation = 0;
  private autoTurns = 0;
  /** a person said stop: nobody speaks on their own until a person speaks again */
  private halted = false;
  private autoSince = 0;
  private lastInterruptAt = -Infinity;
  private pending: NodeJS.Timeout | null = null;
  private idlePreload: AbortController | null = null;
  private disposed = false;
  private readonly settled = new Set<Promise<unknown>>();

  constructor(private readonly d: DirectorDeps) {
    this.timing = { ...DIRECTOR_TIMING, ...d.timing };
    this.rng = d.rng ?? seededRandom(Date.now());
    for (const c of d.characters) this.brains.set(c.id, new Brain(c, d.llm, { maxTokens: d.maxTokens, historyLines: d.historyLines ?? 40, memory: d.memory }));
    const noted = new Set<string>();
    this.env = {
      ...d, table: () => this.table(), unstreamed: () => (d.streaming ? !d.streaming() : false),
      noteOnce: (key, text) => {
        if (noted.has(key)) return;
        noted.add(key);
        d.log.add({ kind: "system", speakerId: "", speakerName: "Parley", text, addressee: "" });
      },
    };
  }

  /** The turn now holding the floor (for tests and diagnostics). */
  get activeTurn(): RunningTurn | null { return this.current; }

  private table(): Seat[] {
    return [
      ...this.d.people(),
      ...this.d.characters.map((c) => ({ id: c.id, name: c.name, kind: "character" as const, about: c.persona.split(/[.!?]/)[0]?.slice(0, 80) })),
    ];
  }

  private char(id: string): CharacterConfig | undefined { return this.d.characters.find((c) => c.id === id); }

  /** Silences the table: every turn and plan is dropped. */
  private silence(reason: string): void {
    this.generation++;
    this.idlePreload?.abort();
    if (this.pending) { clearTimeout(this.pending); this.pending = null; }
    this.prepared?.run.turn.interrupt(reason);
    this.prepared = null;
    this.cutIn?.turn.interrupt(reason);
    this.current?.turn.interrupt(reason);
    this.queue = [];
  }

  /** A person said something: it enters the log, cuts off whoever speaks, and someone answers. */
  onPersonMessage(person: { id: string; name: string }, text: string, opts: { lineId?: string } = {}): void {
    this.silence("person");
    this.halted = false;
    const addressing = whoIsAddressed(text, this.d.characters);
    let ids = addressing.ids;
    if (addressing.pair && ids.length < 2) ids = [...new Set([...ids, ...this.recentSpeakers(2)])].slice(0, 2);
    if (addressing.everyone && ids.length === 0) ids = [...this.d.characters].sort((a, b) => b.talkativeness - a.talkativeness).map((c) => c.id);
    const addressee = ids.length === 1 ? ids[0]! : "";
    // a spoken message already has its live line: it becomes final
    const live = opts.lineId ? this.d.log.update(opts.lineId, { text, heardText: text, addressee, done: true }) : undefined;
    if (!live) this.d.log.add({ kind: "person", speakerId: person.id, speakerName: person.name, text, addressee });
    this.autoTurns = 0;
    this.autoSince = performance.now();
    if (ids.length > 0) {
      this.queue = (addressing.everyone || addressing.pair ? ids : ids.slice(0, 1)).map((id) => ({ id, addressee: person.id }));
      this.advance(0);
      return;
    }
    const gen = this.generation;
    const policy = this.policy(false);
    const ac = new AbortController();
    void this.track(policy.next({ characters: this.d.characters, log: this.d.log.recent(40), exclude: new Set(), rng: this.rng, signal: ac.signal }).then((id) => {
      if (id && gen === this.generation && !this.disposed) {
        this.queue = [{ id, addressee: person.id }];
        this.advance(0);
      }
    }));
  }

  /** A person picked the next speaker (clicking an avatar). */
  nominate(characterId: string, personId: string): void {
    if (!this.char(characterId)) return;
    this.silence("person");
    this.halted = false;
    this.autoTurns = 0;
    this.autoSince = performance.now();
    this.queue = [{ id: characterId, addressee: personId }];
    this.advance(0);
  }

  /**
   * A person began to speak: whoever talks pauses at once (every client stops
   * playback). The speech then either becomes a message (onPersonMessage), is
   * long enough to be a real interruption (personInterrupts), or turns out to be
   * noise or a backchannel (personSpeechDismissed), and the speaker resumes.
   */
  personStartsSpeaking(): void {
    for (const r of [this.current, this.cutIn]) r?.playback.pause();
    this.prepared?.run.playback.pause();
  }

  /** The person has spoken long enough: it is an interruption, whatever the words. */
  personInterrupts(): void {
    this.silence("person");
    this.showPresence();
  }

  /** It was noise or a backchannel: whoever was paused goes on. */
  personSpeechDismissed(): void {
    for (const r of [this.current, this.cutIn]) r?.playback.resume();
    this.prepared?.run.playback.resume();
  }

  /** A person asked the speaker to stop, without saying anything. */
  stop(): void {
    this.silence("person");
    this.halted = true;
    this.showPresence();
  }

  /** The room's policy; between characters, "manual" means "natural" (people pick only whom they answer). */
  private policy(amongCharacters: boolean): TurnPolicy {
    const name = this.d.settings().policy;
    return createPolicy(amongCharacters && name === "manual" ? "natural" : name, { choose: (p, o, sig) => this.d.llm.choose(p, o, sig) });
  }

  private recentSpeakers(n: number): string[] { return recentSpeakers(this.d.log.recent(30), n); }

  private track<T>(p: Promise<T>): Promise<T> {
    this.settled.add(p);
    void p.finally(() => this.settled.delete(p)).catch(() => {});
    return p;
  }

  /** Starts the next turn after `delayMs` (a prepared one if it matches). */
  private advance(delayMs: number): void {
    if (this.disposed || this.current) return;
    const item = this.queue.shift();
    if (!item) { this.continueConversation(delayMs); return; }
    this.takeFloor(item.id, item.addressee, delayMs);
  }

  /** "Everyone talks": another character answers the last speaker, within the caps. */
  private continueConversation(delayMs: number): void {
    const s = this.d.settings();
    const last = this.recentSpeakers(1)[0];
    if (this.halted || !s.everyoneTalks || !last || this.d.characters.length < 2) {
      this.dropPrepared();
      this.showPresence();
      this.preloadIdle();
      return;
    }
    // a prepared reply was counted against the caps when it was prepared
    if (this.prepared) { this.takeFloor(this.prepared.run.character.id, last, delayMs); return; }
    if (!this.withinCaps()) { this.showPresence(); this.preloadIdle(); return; }
    const gen = this.generation;
    const policy = this.policy(true);
    void this.track(policy.next({ characters: this.d.characters, log: this.d.log.recent(40), exclude: new Set([last]), rng: this.rng, signal: new AbortController().signal }).then((id) => {
      if (id && gen === this.generation && !this.current && !this.disposed) {
        this.autoTurns++;
        this.takeFloor(id, last, delayMs);
      } else this.showPresence();
    }));
  }

  private withinCaps(): boolean {
    return this.autoTurns < this.d.settings().maxAutoTurns && performance.now() - this.autoSince < this.timing.maxAutoMs;
  }

  /**
   * The table fell quiet: evaluate the likely next speakers' prompts now, so the
   * next person's words are answered from a warm prefix (thrown away by any change).
   */
  private preloadIdle(): void {
    if (!this.d.settings().speculation || this.disposed) return;
    this.idlePreload?.abort();
    const ac = new AbortController();
    this.idlePreload = ac;
    const last = this.recentSpeakers(1)[0];
    const likely = [...this.d.characters].filter((c) => c.id !== last && !c.lora).sort((a, b) => b.talkativeness - a.talkativeness).slice(0, 2);
    const table = this.table();
    const history = this.d.log.recent(200);
    void this.track((async () => {
      for (const c of likely) {
        if (ac.signal.aborted) return;
        await this.d.llm.preload(c.id, this.brains.get(c.id)!.messages(table, history), ac.signal);
      }
    })());
  }

  private dropPrepared(): void {
    this.prepared?.run.turn.interrupt("plan changed");
    this.prepared = null;
  }

  private pause(): number {
    return Math.max(0, this.timing.pauseMs + (this.rng() * 2 - 1) * this.timing.pauseJitterMs);
  }

  /** Gives the floor to a character: opens its prepared reply, or starts a new one. */
  private takeFloor(id: string, addressee: string, delayMs: number): void {
    const p = this.prepared;
    this.prepared = null;
    if (p && p.run.character.id === id && p.run.addressee === addressee) {
      this.current = p.run;
      this.watch(p.run);
      this.showPresence();
      this.pending = setTimeout(() => { this.pending = null; p.open(); }, delayMs);
      return;
    }
    p?.run.turn.interrupt("plan changed");
    let open!: () => void;
    const gate = delayMs > 0 ? new Promise<void>((r) => (open = r)) : undefined;
    const run = this.start(id, addressee, this.d.log.recent(200), gate);
    this.current = run;
    this.watch(run);
    this.showPresence();
    if (gate) this.pending = setTimeout(() => { this.pending = null; open(); }, delayMs);
  }

  private start(id: string, addressee: string, history: readonly LogEntry[], gate?: Promise<void>): RunningTurn {
    this.idlePreload?.abort();
    const brain = this.brains.get(id)!;
    let run: RunningTurn | null = null;
    run = runTurn(this.env, {
      brain, addressee, history, gate,
      onStart: () => this.showPresence(),
      onFirstAudio: () => { if (run) { this.audible.add(run.turn.id); this.showPresence(); this.onAudible(run); } },
      onTextComplete: () => { if (run && run === this.current) this.prepareNext(run); },
      onSegmentStart: (index, segment, heard) => { if (run && run === this.current) this.checkpoint(run, index, segment.text, segment.emotion?.emotion ?? null, heard); },
      onEmotion: (e, i) => this.d.presence.setEmotion(id, e, i),
    });
    return run;
  }

  /** When a turn ends: hand the floor on, unless a person changed course meanwhile. */
  private watch(run: RunningTurn): void {
    const gen = this.generation;
    void this.track(run.result.then((r: SpeakResult) => {
      this.audible.delete(run.turn.id);
      if (this.current !== run) return;
      this.current = null;
      if (this.cutIn) {
        // the interrupter now holds the floor
        const c = this.cutIn;
        this.cutIn = null;
        this.current = c;
        this.watch(c);
        this.showPresence();
        return;
      }
      if (this.disposed) return;
      // a person changed course while this turn wound down: their answers are queued
      if (gen !== this.generation) { this.advance(0); return; }
      if (r.interrupted) { this.showPresence(); return; }
      this.advance(this.pause());
    }));
  }

  /** The current reply is fully written: prepare the next speaker's reply now. */
  private prepareNext(run: RunningTurn): void {
    const s = this.d.settings();
    if (!s.speculation || this.prepared || this.disposed) return;
    const queued = this.queue[0];
    const gen = this.generation;
    const choose = async (): Promise<{ id: string; addressee: string } | null> => {
      if (queued) return queued;
      if (this.halted || !s.everyoneTalks || !this.withinCaps() || this.d.characters.length < 2) return null;
      const policy = this.policy(true);
      const id = await policy.next({ characters: this.d.characters, log: this.d.log.recent(40), exclude: new Set([run.character.id]), rng: this.rng, signal: run.turn.signal });
      return id ? { id, addressee: run.character.id } : null;
    };
    void this.track(choose().then((next) => {
      if (!next || gen !== this.generation || this.prepared || run !== this.current || run.turn.interrupted) return;
      // a queued answer stays queued: advance() finds it and opens this prepared reply
      if (!queued) this.autoTurns++;
      // the next speaker sees the current line as if already heard in full
      const line = run.entry() ?? { id: "", kind: "character" as const, speakerId: run.character.id, speakerName: run.character.name, text: run.text(), heardText: run.text(), interrupted: false, error: "", done: true, addressee: run.addressee, at: Date.now() };
      const history = [...this.d.log.recent(200).filter((e) => e.id !== line.id), { ...line, text: run.text(), heardText: run.text() }];
      let open!: () => void;
      const gate = new Promise<void>((r) => (open = r));
      this.prepared = { run: this.start(next.id, next.addressee, history, gate), open };
    }));
  }

  /** A segment boundary of the current turn: maybe someone cuts in. */
  private checkpoint(run: RunningTurn, index: number, segment: string, emotion: Emotion | null, heard: string): void {
    if (this.cutIn) return;
    const s = this.d.settings();
    const decision = judgeInterruption({
      speaker: run.character, segmentIndex: index, segmentText: segment, emotion,
      candidates: this.d.characters.filter((c) => c.id !== run.character.id), sensitivity: s.interruptSensitivity,
      sinceLastInterruptMs: performance.now() - this.lastInterruptAt, rng: this.rng,
    });
    if (!decision) return;
    this.lastInterruptAt = performance.now();
    this.dropPrepared();
    // the interrupter reacts to what it heard so far, and the words now starting
    const cutLine = [heard, segment].filter(Boolean).join(" ");
    const history = this.d.log.recent(200).map((e) => (e.id === run.entry()?.id ? { ...e, text: cutLine, heardText: cutLine, interrupted: true } : e));
    this.cutIn = this.start(decision.interrupterId, run.character.id, history);
    this.showPresence();
  }

  /** An interrupter became audible: after a brief overlap, the interrupted one stops. */
  private onAudible(run: RunningTurn): void {
    if (run !== this.cutIn || !this.current) return;
    const victim = this.current;
    setTimeout(() => victim.turn.interrupt(`character:${run.character.id}`), this.timing.overlapMs);
  }

  /** Everyone's state and gaze from who holds the floor. */
  private showPresence(): void {
    const speakers = [this.current, this.cutIn].filter((r): r is RunningTurn => r !== null && !r.turn.interrupted);
    showTable(this.d.characters, this.d.presence, speakers.map((r) => ({ id: r.character.id, addressee: r.addressee, audible: this.audible.has(r.turn.id) })));
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.silence("room closed");
    await Promise.allSettled([...this.settled]);
  }
}
