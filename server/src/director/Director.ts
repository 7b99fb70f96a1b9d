/**
 * The director: who speaks, when, and who gets cut off, as a state machine over
 * turn handles (states and their table in transitions.ts). A person's message or
 * a stop silences the table at once; the addressed character(s) answer, else the
 * room's policy picks one. In "everyone talks" mode characters answer each other
 * (with natural pauses, capped in turns and time); a character naming another
 * hands it the floor, naming a person makes the table wait for them. Characters
 * may cut each other off at segment boundaries, never a turn answering a person.
 * With speculation on, the next reply is prepared (held) while the current one
 * plays. Every job it starts runs on a signal a person's action or the end of
 * the table aborts.
 */
import type { CharacterConfig, Emotion } from "@parley/shared";
import { DIRECTOR_TIMING, type DirectorDeps } from "./directorDeps.js";
import type { LogEntry } from "../conversation/ConversationLog.js";
import type { Seat } from "../brain/prompt.js";
import { Brain } from "../brain/Brain.js";
import { SeatedCast } from "./SeatedCast.js";
import { whoIsAddressed } from "./addressing.js";
import { createPolicy } from "./policies/createPolicy.js";
import { recentSpeakers, type TurnPolicy } from "./policies/types.js";
import { showTable } from "./showTable.js";
import { judgeInterruption } from "./interruptions.js";
import { handOffOf } from "./nextSpeaker.js";
import { goodbyeOf, greetingOf } from "./greetings.js";
import { TRANSITIONS, deriveState, type DirectorAction, type DirectorEvent, type DirectorState, type PersonRef } from "./transitions.js";
import { runTurn, type TurnEnv, type TurnScript } from "../turn/runTurn.js";
import { preloadLikely } from "./preload.js";
import { Prefiller } from "./prefill.js";
import type { LatencyTrace } from "../turn/LatencyTrace.js";
import { TurnHandle, TurnPriority } from "../turn/TurnHandle.js";
import { seededRandom } from "../util/random.js";
import { errorMessage } from "../util/errors.js";
import { log } from "../util/log.js";

export type { CharacterPresence } from "./showTable.js";
export { DIRECTOR_TIMING, type DirectorDeps } from "./directorDeps.js";
type TurnScriptHistory = TurnScript["history"];

export class Director {
  private readonly seated: SeatedCast;
  /** who sits at the table now (the seated list itself, shared) */
  private readonly cast: CharacterConfig[];
  private readonly timing: typeof DIRECTOR_TIMING;
  private readonly rng: () => number;
  private readonly env: TurnEnv;
  /** the turn holding the floor */
  private current: TurnHandle | null = null;
  /** a character cutting in on the current turn */
  private cutIn: TurnHandle | null = null;
  /** the next reply, made ahead and held */
  private prepared: TurnHandle | null = null;
  /** answers owed to a person, in order, and greetings waiting for the floor (`say`: a fixed line) */
  private queue: { id: string; addressee: string; say?: string }[] = [];
  /** people speaking now; each holds a pause on every turn in flight */
  private readonly speaking = new Set<string>();
  /** decisions in progress (who speaks next); dropped when the plan changes */
  private readonly choices = new Set<symbol>();
  /** the person the table waits for, and until when */
  private waitingFor: { person: string; timer: NodeJS.Timeout } | null = null;
  private halted = false;
  private closed = false;
  /** who-speaks-next decisions and held replies: a person's action aborts it */
  private plan = new AbortController();
  /** preloads and memory writing: any person activity aborts it */
  private background = new AbortController();
  private authorizeTimer: NodeJS.Timeout | null = null;
  private autoTurns = 0;
  /** hand-offs by name since a person last spoke (only one without "everyone talks") */
  private handOffs = 0;
  private autoSince = 0;
  private lastInterruptAt = -Infinity;
  private readonly settled = new Set<Promise<unknown>>();
  /** turns just cut off whose lines are still settling to what was heard */
  private windingDown: TurnHandle[] = [];
  /** the times of a person's message, for the first turn that answers them */
  private replyTrace: { person: string; trace: LatencyTrace } | null = null;
  private readonly prefiller: Prefiller;

  constructor(private readonly d: DirectorDeps) {
    this.timing = { ...DIRECTOR_TIMING, ...d.timing };
    this.rng = d.rng ?? seededRandom(Date.now());
    this.seated = new SeatedCast(d.characters, (c) => new Brain(c, d.llm, { maxTokens: d.maxTokens, historyLines: d.historyLines ?? 40, memory: d.memory, keyPrefix: d.llmKeyPrefix }));
    this.cast = this.seated.list;
    const noted = new Set<string>();
    this.env = {
      ...d, table: () => this.table(), unstreamed: () => (d.streaming ? !d.streaming() : false),
      noteOnce: (key, text) => {
        if (noted.has(key)) return;
        noted.add(key);
        d.log.add({ kind: "system", speakerId: "", speakerName: "Parley", text, addressee: "" });
      },
    };
    this.prefiller = new Prefiller({ characters: this.cast, brains: this.seated.brains, llm: d.llm, table: () => this.table(), log: () => d.log.recent(200), last: () => this.recentSpeakers(1)[0] }, (p) => void this.track(p));
  }

  get state(): DirectorState {
    return deriveState({
      closed: this.closed, floor: this.current !== null, peopleSpeaking: this.speaking.size,
      choosing: this.choices.size > 0, waiting: this.waitingFor !== null, halted: this.halted,
    });
  }

  /** The turn now holding the floor (for tests and diagnostics). */
  get activeTurn(): TurnHandle | null { return this.current; }

  /** A signal for background work (memory writing): aborted when a person acts or the table ends. */
  get backgroundSignal(): AbortSignal { return this.background.signal; }

  // ---- the room's entry points: each is one event ----

  /** A person said something: it enters the log, cuts off whoever speaks, and someone answers. */
  onPersonMessage(person: PersonRef, text: string, opts: { lineId?: string; trace?: LatencyTrace } = {}): void {
    this.dispatch({ kind: "message", person, text, ...opts });
  }

  /** A person picked the next speaker (clicking an avatar). */
  nominate(characterId: string, personId: string): void {
    if (this.char(characterId)) this.dispatch({ kind: "nominate", person: personId, characterId });
  }

  /**
   * A person began to speak: whatever is in flight pauses at once on their behalf
   * (every client stops playback). Returns whether they spoke over a character
   * who was audible (then a short "yes" is a backchannel, not an answer).
   */
  personStartsSpeaking(personId: string): boolean {
    const overSomeone = [this.current, this.cutIn].some((t) => t !== null && t.audible && !t.interrupted);
    this.dispatch({ kind: "speechStart", person: personId });
    return overSomeone;
  }

  /** The person has spoken long enough: it is an interruption, whatever the words. */
  personInterrupts(personId: string): void { this.dispatch({ kind: "speechConfirmed", person: personId }); }

  /** The person's words so far, while they speak. */
  personPartial(personId: string, text: string): void { this.dispatch({ kind: "speechPartial", person: personId, text }); }

  /** It was noise or a backchannel: what they paused goes on (unless someone else still speaks). */
  personSpeechDismissed(personId: string): void { this.dispatch({ kind: "speechDismissed", person: personId }); }

  /** The person left the table: everything they held is released. */
  personLeft(personId: string): void { this.dispatch({ kind: "personLeft", person: personId }); }

  /** A person asked the speaker to stop, without saying anything. */
  stop(): void { this.dispatch({ kind: "stop" }); }

  /** A character sits down at the table (the host added it) and greets. */
  seat(character: CharacterConfig): void { this.dispatch({ kind: "join", character }); }

  /** A character says goodbye and leaves (the host removed it); `onCharacterLeft` reports when it is gone. */
  unseat(characterId: string): void { this.dispatch({ kind: "leave", characterId }); }

  async dispose(): Promise<void> {
    this.dispatch({ kind: "close" });
    await Promise.allSettled([...this.settled]);
  }

  // ---- the machine ----

  private dispatch(ev: DirectorEvent): void {
    const from = this.state;
    const action: DirectorAction = TRANSITIONS[from][ev.kind];
    try {
      this.act(action, ev);
    } catch (err) {
      // a bug in one step must not leave the table stuck: say so and rest
      log.error(`director: ${action} on ${ev.kind} failed: ${errorMessage(err)}`);
      this.silence("error");
    }
    this.showPresence();
    log.trace(() => `director ${from} + ${ev.kind}${"person" in ev ? ` (${typeof ev.person === "string" ? ev.person : ev.person.id})` : ""} -> ${action} -> ${this.state}`);
  }

  private act(action: DirectorAction, ev: DirectorEvent): void {
    switch (action) {
      case "answer": return ev.kind === "message" ? this.answer(ev.person, ev.text, ev.lineId, ev.trace) : ev.kind === "nominate" ? this.answerNominated(ev.characterId, ev.person) : undefined;
      case "halt": this.silence("person"); this.halted = true; return;
      case "hold": return ev.kind === "speechStart" ? this.hold(ev.person) : undefined;
      case "listen": return ev.kind === "speechStart" ? this.hold(ev.person) : undefined;
      case "cut": this.silence("person"); return;
      case "release": return "person" in ev && typeof ev.person === "string" ? this.release(ev.person, ev.kind === "personLeft") : undefined;
      case "prefill": if (ev.kind === "speechPartial" && this.d.settings().speculation) this.prefiller.offer(ev.person, ev.text, this.background.signal); return;
      case "take": if (ev.kind === "chosen") { this.choices.delete(ev.token); this.take(ev.characterId, ev.addressee, ev.auto); } return;
      case "handOn": return ev.kind === "turnEnded" ? this.handOn(ev.turn, ev.outcome.interrupted) : undefined;
      case "resumeTalk": this.clearWait(); this.continueConversation(this.pause()); return;
      case "seat": return ev.kind === "join" ? this.seatCharacter(ev.character) : undefined;
      case "unseat": return ev.kind === "leave" ? this.sayGoodbye(ev.characterId) : undefined;
      case "depart": return ev.kind === "gone" ? this.depart(ev.characterId) : undefined;
      case "close": this.closed = true; this.silence("room closed"); return;
      case "ignore": return;
    }
  }

  /** Drops every turn, held reply, decision and wait; people's pauses stay theirs. */
  private silence(reason: string): void {
    this.plan.abort(reason);
    this.plan = new AbortController();
    this.background.abort(reason);
    this.background = new AbortController();
    this.choices.clear();
    this.clearWait();
    if (this.authorizeTimer) { clearTimeout(this.authorizeTimer); this.authorizeTimer = null; }
    for (const t of [this.prepared, this.cutIn, this.current]) t?.interrupt(reason);
    this.windingDown = [...this.windingDown, this.cutIn, this.current].filter((t): t is TurnHandle => t !== null && !t.settled);
    this.prepared = this.cutIn = this.current = null;
    this.queue = [];
    this.replyTrace = null;
  }

  private clearWait(): void {
    if (this.waitingFor) clearTimeout(this.waitingFor.timer);
    this.waitingFor = null;
  }

  private personActed(): void {
    this.halted = false;
    this.autoTurns = 0;
    this.handOffs = 0;
    this.autoSince = performance.now();
  }

  private answer(person: PersonRef, text: string, lineId?: string, trace?: LatencyTrace): void {
    this.silence("person");
    this.personActed();
    if (trace) this.replyTrace = { person: person.id, trace };
    // their words are in: they no longer hold anything (others still speaking do)
    this.speaking.delete(person.id);
    const addressing = whoIsAddressed(text, this.cast);
    let ids = addressing.ids;
    if (addressing.pair && ids.length < 2) ids = [...new Set([...ids, ...this.recentSpeakers(2)])].slice(0, 2);
    if (addressing.everyone && ids.length === 0) ids = [...this.cast].sort((a, b) => b.talkativeness - a.talkativeness).map((c) => c.id);
    const addressee = ids.length === 1 ? ids[0]! : "";
    // a spoken message already has its live line: it becomes final
    const live = lineId ? this.d.log.update(lineId, { text, heardText: text, addressee, done: true }) : undefined;
    if (!live) this.d.log.add({ kind: "person", speakerId: person.id, speakerName: person.name, text, addressee });
    if (ids.length > 0) {
      this.queue = (addressing.everyone || addressing.pair ? ids : ids.slice(0, 1)).map((id) => ({ id, addressee: person.id }));
      this.advance(0);
      return;
    }
    this.choose(new Set(), person.id, false);
  }

  private answerNominated(characterId: string, personId: string): void {
    this.silence("person");
    this.personActed();
    this.queue = [{ id: characterId, addressee: personId }];
    this.advance(0);
  }

  /**
   * A character sits down and greets: at once if nobody holds the floor, else when it is free.
   * The host asked for it, so like an answer to a person no character cuts in on it.
   */
  private seatCharacter(c: CharacterConfig): void {
    if (!this.seated.seat(c)) return;
    const people = this.d.people().map((p) => p.name);
    const line = greetingOf(c, { withOthers: this.cast.length > 1, people, rng: this.rng });
    if (this.current || this.choices.size > 0) this.queue.push({ id: c.id, addressee: "", say: line });
    else this.takeFloor(c.id, "", 0, TurnPriority.person, line);
  }

  /** The host took a character off the table: the table falls quiet for its goodbye, then it is gone. */
  private sayGoodbye(id: string): void {
    if (!this.cast.some((x) => x.id === id)) return;
    this.silence("cast");
    const c = this.seated.leave(id)!;
    const turn = this.takeFloor(id, "", 0, TurnPriority.person, goodbyeOf(c, this.d.people().map((p) => p.name)));
    void this.track(turn.waitForPlayout().then(() => this.dispatch({ kind: "gone", characterId: id })));
  }

  private depart(id: string): void {
    if (!this.seated.gone(id)) return;
    this.d.onCharacterLeft?.(id);
  }

  /** The person speaks: they hold a pause on whatever is in flight; the table no longer waits. */
  private hold(person: string): void {
    this.speaking.add(person);
    this.background.abort("person");
    this.background = new AbortController();
    this.clearWait();
    for (const t of [this.current, this.cutIn, this.prepared]) t?.pause(person);
  }

  private release(person: string, left: boolean): void {
    this.speaking.delete(person);
    for (const t of [this.current, this.cutIn, this.prepared]) t?.resume(person);
    if (left) {
      this.queue = this.queue.filter((q) => q.addressee !== person);
      if (this.waitingFor?.person === person) { this.clearWait(); this.continueConversation(this.pause()); return; }
    }
    // the table fell silent again with nothing planned: characters may go on among themselves
    if (this.speaking.size === 0 && !this.current && this.choices.size === 0 && !this.waitingFor && !this.halted) this.continueConversation(this.pause());
  }

  /** Starts a decision of who speaks next; its result arrives as a "chosen" event. */
  private choose(exclude: ReadonlySet<string>, addressee: string, auto: boolean): void {
    const token = Symbol("choice");
    this.choices.add(token);
    const signal = this.plan.signal;
    const policy = this.policy(auto);
    void this.track(policy.next({ characters: this.cast, log: this.d.log.recent(40), exclude, rng: this.rng, signal })
      .catch((err: unknown) => { log.warn(`choosing the next speaker failed: ${errorMessage(err)}`); return null; })
      .then((id) => {
        // a decision the plan no longer wants (a person acted, the table closed) is dropped
        if (!this.choices.has(token) || signal.aborted) return;
        this.dispatch({ kind: "chosen", characterId: id, addressee, auto, token });
        this.choices.delete(token);
      }));
  }

  private take(id: string | null, addressee: string, auto: boolean): void {
    if (!id) { this.preloadIdle(); return; }
    if (auto) this.autoTurns++;
    this.takeFloor(id, addressee, auto ? this.pause() : 0, auto ? TurnPriority.character : TurnPriority.person);
  }

  /** The room's policy; between characters, "manual" means "natural" (people pick only whom they answer). */
  private policy(amongCharacters: boolean): TurnPolicy {
    const name = this.d.settings().policy;
    return createPolicy(amongCharacters && name === "manual" ? "natural" : name, { choose: (p, o, sig) => this.d.llm.choose(p, o, sig) });
  }

  /** Starts the next queued answer after `delayMs`, or lets the conversation go on. */
  private advance(delayMs: number): void {
    if (this.closed || this.current) return;
    const item = this.queue.shift();
    if (!item) { this.continueConversation(delayMs); return; }
    this.takeFloor(item.id, item.addressee, delayMs, TurnPriority.person, item.say);
  }

  /** "Everyone talks": another character answers the last speaker, within the caps. */
  private continueConversation(delayMs: number): void {
    const s = this.d.settings();
    const last = this.recentSpeakers(1)[0];
    if (this.halted || !s.everyoneTalks || !last || this.cast.length < 2) { this.dropPrepared(); this.preloadIdle(); return; }
    // a prepared reply was counted against the caps when it was prepared
    if (this.prepared) { this.takeFloor(this.prepared.characterId, last, delayMs, TurnPriority.character); return; }
    if (!this.withinCaps()) { this.preloadIdle(); return; }
    this.choose(new Set([last]), last, true);
  }

  private withinCaps(): boolean {
    return this.autoTurns < this.d.settings().maxAutoTurns && performance.now() - this.autoSince < this.timing.maxAutoMs;
  }

  /**
   * The table fell quiet: evaluate the likely next speakers' prompts now, so the
   * next person's words are answered from a warm prefix (any activity aborts it).
   */
  private preloadIdle(): void {
    if (!this.d.settings().speculation || this.closed) return;
    void this.track(preloadLikely({ characters: this.cast, brains: this.seated.brains, llm: this.d.llm, table: this.table(), history: this.d.log.recent(200), last: this.recentSpeakers(1)[0], signal: this.background.signal }));
  }

  private dropPrepared(): void {
    this.prepared?.interrupt("plan changed");
    this.prepared = null;
  }

  private pause(): number {
    return Math.max(0, this.timing.pauseMs + (this.rng() * 2 - 1) * this.timing.pauseJitterMs);
  }

  /** Gives the floor to a character: authorizes its prepared reply, or starts a new one (`say`: a fixed line, no LLM). */
  private takeFloor(id: string, addressee: string, delayMs: number, priority: TurnPriority, say?: string): TurnHandle {
    this.clearWait();
    const p = this.prepared;
    this.prepared = null;
    const reuse = say === undefined && p && p.characterId === id && p.addressee === addressee && !p.interrupted;
    const turn = reuse ? p : this.start(id, addressee, () => this.settledHistory(), priority, delayMs > 0, say);
    if (p && p !== turn) p.interrupt("plan changed");
    this.current = turn;
    // a reply written while it waited its turn: the one after it can be prepared now
    if (turn.written) this.prepareNext(turn, turn.text);
    if (!turn.authorized) this.authorizeTimer = setTimeout(() => { this.authorizeTimer = null; turn.authorize(); }, delayMs);
    return turn;
  }

  /** The log once every line just cut off shows only what was heard of it. */
  private async settledHistory(): Promise<readonly LogEntry[]> {
    await Promise.all(this.windingDown.map((t) => t.waitForPlayout()));
    this.windingDown = this.windingDown.filter((t) => !t.settled);
    return this.d.log.recent(200);
  }

  private start(id: string, addressee: string, history: TurnScriptHistory, priority: TurnPriority, held: boolean, say?: string): TurnHandle {
    this.background.abort("turn");
    this.background = new AbortController();
    const turn = new TurnHandle({ characterId: id, addressee, priority, held, pausedBy: this.speaking });
    // the first answer to a person's message carries that message's times
    if (this.replyTrace?.person === addressee && priority === TurnPriority.person) { turn.trace = this.replyTrace.trace; this.replyTrace = null; }
    runTurn(this.env, turn, {
      brain: this.seated.brains.get(id)!, history, ...(say !== undefined ? { say } : {}),
      onStart: () => this.showPresence(),
      onFirstAudio: () => { this.showPresence(); this.onAudible(turn); },
      onTextComplete: (text) => { turn.written = true; if (turn === this.current) this.prepareNext(turn, text); },
      onSegmentStart: (index, segment, heard) => { if (turn === this.current) this.checkpoint(turn, index, segment.text, segment.emotion?.emotion ?? null, heard); },
      onEmotion: (e, i) => this.d.presence.setEmotion(id, e, i),
    });
    void this.track(turn.waitForPlayout().then((outcome) => this.dispatch({ kind: "turnEnded", turn, outcome })));
    return turn;
  }

  /** The floor holder is done: the interrupter, a queued answer, a named one, or the conversation goes on. */
  private handOn(turn: TurnHandle, interrupted: boolean): void {
    if (turn !== this.current) return;
    this.current = null;
    if (this.cutIn) { this.current = this.cutIn; this.cutIn = null; return; }
    if (interrupted) return;
    if (this.queue.length) { this.advance(this.pause()); return; }
    const handOff = handOffOf(turn.text, turn.characterId, this.cast, this.d.people());
    if (handOff?.kind === "person" && this.d.settings().everyoneTalks && !this.halted) {
      const person = handOff.id;
      this.dropPrepared();
      this.waitingFor = { person, timer: setTimeout(() => { if (this.waitingFor?.person === person) this.dispatch({ kind: "waitOver" }); }, this.timing.waitForPersonMs) };
      return;
    }
    if (handOff?.kind === "character" && this.mayHandOff()) {
      this.handOffs++;
      if (!this.prepared || this.prepared.characterId !== handOff.id) this.autoTurns++;
      this.takeFloor(handOff.id, turn.characterId, this.pause(), TurnPriority.character);
      return;
    }
    this.continueConversation(this.pause());
  }

  /** A character may hand the floor to another by name: within the caps, and once per person's line without "everyone talks". */
  private mayHandOff(): boolean {
    return !this.halted && (this.d.settings().everyoneTalks ? this.withinCaps() : this.handOffs < 1);
  }

  /** The current reply is fully written: prepare (and hold) the next speaker's reply now. */
  private prepareNext(turn: TurnHandle, text: string): void {
    const s = this.d.settings();
    if (!s.speculation || this.prepared || this.closed) return;
    const signal = this.plan.signal;
    const queued = this.queue[0];
    // a greeting waits its turn as it is: nothing to prepare for it
    if (queued?.say !== undefined) return;
    const handOff = queued ? null : handOffOf(text, turn.characterId, this.cast, this.d.people());
    if (handOff?.kind === "person") return;
    const pick = async (): Promise<{ id: string; addressee: string; auto: boolean } | null> => {
      if (queued) return { ...queued, auto: false };
      if (handOff?.kind === "character") return this.mayHandOff() ? { id: handOff.id, addressee: turn.characterId, auto: true } : null;
      if (this.halted || !s.everyoneTalks || !this.withinCaps() || this.cast.length < 2) return null;
      const id = await this.policy(true).next({ characters: this.cast, log: this.d.log.recent(40), exclude: new Set([turn.characterId]), rng: this.rng, signal });
      return id ? { id, addressee: turn.characterId, auto: true } : null;
    };
    void this.track(pick().catch(() => null).then((next) => {
      if (!next || signal.aborted || this.prepared || turn !== this.current || turn.interrupted) return;
      // a queued answer stays queued: advance() finds it and authorizes this prepared reply
      if (next.auto) this.autoTurns++;
      // the next speaker sees the current line as if already heard in full
      const line = this.d.log.recent(200).find((e) => e.id === turn.lineId);
      const said: LogEntry = { ...(line ?? { id: "", kind: "character", speakerId: turn.characterId, speakerName: this.char(turn.characterId)?.name ?? "", interrupted: false, error: "", done: true, addressee: turn.addressee, at: Date.now() }), text, heardText: text };
      const history = [...this.d.log.recent(200).filter((e) => e.id !== turn.lineId), said];
      this.prepared = this.start(next.id, next.addressee, history, next.auto ? TurnPriority.character : TurnPriority.person, true);
    }));
  }

  /** A segment boundary of the current turn: maybe someone cuts in (never on an answer to a person). */
  private checkpoint(turn: TurnHandle, index: number, segment: string, emotion: Emotion | null, heard: string): void {
    if (this.cutIn || turn.priority > TurnPriority.character || this.speaking.size > 0) return;
    const s = this.d.settings();
    const speaker = this.char(turn.characterId);
    if (!speaker) return;
    const decision = judgeInterruption({
      speaker, segmentIndex: index, segmentText: segment, emotion,
      candidates: this.cast.filter((c) => c.id !== speaker.id), sensitivity: s.interruptSensitivity,
      sinceLastInterruptMs: performance.now() - this.lastInterruptAt, rng: this.rng,
    });
    if (!decision) return;
    this.lastInterruptAt = performance.now();
    this.dropPrepared();
    // the interrupter reacts to what it heard so far, and the words now starting
    const cutLine = [heard, segment].filter(Boolean).join(" ");
    const history = this.d.log.recent(200).map((e) => (e.id === turn.lineId ? { ...e, text: cutLine, heardText: cutLine, interrupted: true } : e));
    this.cutIn = this.start(decision.interrupterId, speaker.id, history, TurnPriority.character, false);
    this.showPresence();
  }

  /** An interrupter became audible: after a brief overlap, the interrupted one stops. */
  private onAudible(turn: TurnHandle): void {
    if (turn !== this.cutIn || !this.current) return;
    const victim = this.current;
    const signal = this.plan.signal;
    setTimeout(() => { if (!signal.aborted) victim.interrupt(`character:${turn.characterId}`); }, this.timing.overlapMs);
  }

  private table(): Seat[] { return this.seated.seats(this.d.people()); }

  private char(id: string): CharacterConfig | undefined { return this.seated.char(id); }

  private recentSpeakers(n: number): string[] { return recentSpeakers(this.d.log.recent(30), n); }

  private track<T>(p: Promise<T>): Promise<T> {
    this.settled.add(p);
    void p.finally(() => this.settled.delete(p)).catch(() => {});
    return p;
  }

  /** Everyone's state and gaze from who holds the floor and who speaks. */
  private showPresence(): void {
    const speakers = [this.current, this.cutIn].filter((t): t is TurnHandle => t !== null && !t.interrupted);
    showTable(this.seated.shown(), this.d.presence, speakers.map((t) => ({ id: t.characterId, addressee: t.addressee, audible: t.audible })));
  }
}
