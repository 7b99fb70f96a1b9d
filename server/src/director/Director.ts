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
 * the table aborts. Here: the events and what they decide; the turns in flight
 * are Floor.ts (cut-ins: CutIns.ts, replies made ahead: Speculation.ts), the
 * policy's decisions Choices.ts, the caps on characters talking on TalkCaps.ts.
 */
import type { CharacterConfig } from "@parley/shared";
import { DIRECTOR_TIMING, type DirectorDeps } from "./directorDeps.js";
import { Brain } from "../brain/Brain.js";
import { CastBrains } from "./CastBrains.js";
import { whoIsAddressed } from "./addressing.js";
import { recentSpeakers } from "./policies/types.js";
import { handOffOf } from "./nextSpeaker.js";
import { goodbyeOf, greetingOf } from "./greetings.js";
import { TRANSITIONS, deriveState, type DirectorAction, type DirectorEvent, type DirectorState, type PersonRef } from "./transitions.js";
import type { NextSpeaker } from "./Speculation.js";
import { Floor } from "./Floor.js";
import { Choices } from "./Choices.js";
import { TalkCaps } from "./TalkCaps.js";
import type { LatencyTrace } from "../turn/LatencyTrace.js";
import { TurnPriority, type TurnHandle } from "../turn/TurnHandle.js";
import { seededRandom } from "../util/random.js";
import { Renewable } from "../util/Renewable.js";
import { errorMessage } from "../util/errors.js";
import { log } from "../util/log.js";

export type { CharacterPresence } from "./showTable.js";
export { DIRECTOR_TIMING, type DirectorDeps } from "./directorDeps.js";

export class Director {
  /** who sits at the table (the table's cast) and their brains */
  private readonly seated: CastBrains;
  private readonly timing: typeof DIRECTOR_TIMING;
  private readonly rng: () => number;
  /** the turns in flight: the floor holder, an interrupter, a held reply */
  private readonly floor: Floor;
  /** answers owed to a person, in order, and greetings waiting for the floor (`say`: a fixed line) */
  private queue: { id: string; addressee: string; say?: string }[] = [];
  /** people speaking now; each holds a pause on every turn in flight */
  private readonly speaking = new Set<string>();
  /** decisions in progress (who speaks next); dropped when the plan changes */
  private readonly choices: Choices;
  /** the person the table waits for, and until when */
  private waitingFor: { person: string; timer: NodeJS.Timeout } | null = null;
  private halted = false;
  private closed = false;
  /** who-speaks-next decisions and held replies: a person's action aborts it */
  private readonly plan = new Renewable();
  /** characters saying goodbye */
  private readonly goodbyes = new Set<string>();
  private readonly caps: TalkCaps;
  private readonly settled = new Set<Promise<unknown>>();

  constructor(private readonly d: DirectorDeps) {
    this.timing = { ...DIRECTOR_TIMING, ...d.timing };
    this.rng = d.rng ?? seededRandom(Date.now());
    this.seated = new CastBrains(d.cast, (c) => new Brain(c, d.llm, { maxTokens: d.maxTokens, historyLines: d.historyLines ?? 40, memory: d.memory, keyPrefix: d.llmKeyPrefix }));
    this.caps = new TalkCaps(() => d.settings().maxAutoTurns, this.timing.maxAutoMs);
    this.choices = new Choices({
      get characters() { return d.cast.seated; }, llm: d.llm, settings: () => d.settings(), log: () => d.log.recent(40), rng: this.rng, track: (p) => void this.track(p),
      chosen: (characterId, addressee, auto, token) => this.dispatch({ kind: "chosen", characterId, addressee, auto, token }),
    });
    this.floor = new Floor(d, this.seated, {
      rng: this.rng, timing: this.timing, speaking: this.speaking, caps: this.caps, closed: () => this.closed, plan: () => this.plan.signal,
      nextAfter: (turn, text, signal) => this.nextAfter(turn, text, signal),
      starting: () => d.background.interrupt("turn"),
      ended: (turn, outcome) => this.dispatch({ kind: "turnEnded", turn, outcome }), track: (p) => void this.track(p),
    });
  }

  get state(): DirectorState {
    return deriveState({
      closed: this.closed, floor: this.floor.holder !== null, peopleSpeaking: this.speaking.size,
      choosing: this.choices.active, waiting: this.waitingFor !== null, halted: this.halted,
    });
  }

  /** The turn now holding the floor (for tests and diagnostics). */
  get activeTurn(): TurnHandle | null { return this.floor.holder; }

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
    const overSomeone = this.floor.audible;
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

  /** A character sat down at the table (the host added it to the cast): it greets. */
  seat(character: CharacterConfig): void { this.dispatch({ kind: "join", character }); }

  /** A character is leaving the table (the host removed it): it says goodbye; `onCharacterLeft` reports when it is gone. */
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
    this.floor.showPresence();
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
      case "prefill": if (ev.kind === "speechPartial") this.floor.prefill(ev.person, ev.text, this.d.background.signal); return;
      case "take": if (ev.kind === "chosen") { this.choices.taken(ev.token); this.take(ev.characterId, ev.addressee, ev.auto); } return;
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
    this.plan.interrupt(reason);
    this.d.background.interrupt(reason);
    this.choices.clear();
    this.clearWait();
    this.floor.silence(reason);
    this.queue = [];
  }

  private clearWait(): void {
    if (this.waitingFor) clearTimeout(this.waitingFor.timer);
    this.waitingFor = null;
  }

  private personActed(): void {
    this.halted = false;
    this.caps.reset();
  }

  private answer(person: PersonRef, text: string, lineId?: string, trace?: LatencyTrace): void {
    this.silence("person");
    this.personActed();
    if (trace) this.floor.traceReplyTo(person.id, trace);
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
  private seatCharacter(character: CharacterConfig): void {
    const c = this.seated.char(character.id);
    if (!c || !this.seated.sat(c)) return;
    const people = this.d.people().map((p) => p.name);
    const line = greetingOf(c, { withOthers: this.cast.length > 1, people, rng: this.rng });
    if (this.floor.holder || this.choices.active) this.queue.push({ id: c.id, addressee: "", say: line });
    else this.takeFloor(c.id, "", 0, TurnPriority.person, line);
  }

  /** The host took a character off the table: the table falls quiet for its goodbye, then it is gone. */
  private sayGoodbye(id: string): void {
    const c = this.seated.char(id);
    if (!c || this.goodbyes.has(id)) return;
    this.goodbyes.add(id);
    this.silence("cast");
    const turn = this.takeFloor(id, "", 0, TurnPriority.person, goodbyeOf(c, this.d.people().map((p) => p.name)));
    void this.track(turn.waitForPlayout().then(() => this.dispatch({ kind: "gone", characterId: id })));
  }

  private depart(id: string): void {
    if (!this.goodbyes.delete(id)) return;
    this.seated.gone(id);
    this.d.onCharacterLeft?.(id);
  }

  /** The person speaks: they hold a pause on whatever is in flight; the table no longer waits. */
  private hold(person: string): void {
    this.speaking.add(person);
    this.d.background.interrupt("person");
    this.clearWait();
    this.floor.pause(person);
  }

  private release(person: string, left: boolean): void {
    this.speaking.delete(person);
    this.floor.resume(person);
    if (left) {
      this.queue = this.queue.filter((q) => q.addressee !== person);
      if (this.waitingFor?.person === person) { this.clearWait(); this.continueConversation(this.pause()); return; }
    }
    // the table fell silent again with nothing planned: characters may go on among themselves
    if (this.speaking.size === 0 && !this.floor.holder && !this.choices.active && !this.waitingFor && !this.halted) this.continueConversation(this.pause());
  }

  /** Starts a decision of who speaks next; its result arrives as a "chosen" event. */
  private choose(exclude: ReadonlySet<string>, addressee: string, auto: boolean): void {
    this.choices.start(exclude, addressee, auto, this.plan.signal);
  }

  private take(id: string | null, addressee: string, auto: boolean): void {
    if (!id) { this.preloadIdle(); return; }
    if (auto) this.caps.countTurn();
    this.takeFloor(id, addressee, auto ? this.pause() : 0, auto ? TurnPriority.character : TurnPriority.person);
  }

  /** Starts the next queued answer after `delayMs`, or lets the conversation go on. */
  private advance(delayMs: number): void {
    if (this.closed || this.floor.holder) return;
    const item = this.queue.shift();
    if (!item) { this.continueConversation(delayMs); return; }
    this.takeFloor(item.id, item.addressee, delayMs, TurnPriority.person, item.say);
  }

  /** "Everyone talks": another character answers the last speaker, within the caps. */
  private continueConversation(delayMs: number): void {
    const s = this.d.settings();
    const last = this.recentSpeakers(1)[0];
    if (this.halted || !s.everyoneTalks || !last || this.cast.length < 2) { this.floor.dropPrepared(); this.preloadIdle(); return; }
    // a prepared reply was counted against the caps when it was prepared
    const prepared = this.floor.prepared;
    if (prepared) { this.takeFloor(prepared.characterId, last, delayMs, TurnPriority.character); return; }
    if (!this.caps.within()) { this.preloadIdle(); return; }
    this.choose(new Set([last]), last, true);
  }

  /** The table fell quiet: the likely next speakers' prompts are warmed (any activity aborts it). */
  private preloadIdle(): void { this.floor.preloadIdle(this.d.background.signal); }

  private pause(): number {
    return Math.max(0, this.timing.pauseMs + (this.rng() * 2 - 1) * this.timing.pauseJitterMs);
  }

  /** Gives the floor to a character: authorizes its prepared reply, or starts a new one (`say`: a fixed line, no LLM). */
  private takeFloor(id: string, addressee: string, delayMs: number, priority: TurnPriority, say?: string): TurnHandle {
    this.clearWait();
    return this.floor.take(id, addressee, delayMs, priority, say);
  }

  /** The floor holder is done: the interrupter, a queued answer, a named one, or the conversation goes on. */
  private handOn(turn: TurnHandle, interrupted: boolean): void {
    if (!this.floor.freedBy(turn) || interrupted) return;
    if (this.queue.length) { this.advance(this.pause()); return; }
    const handOff = handOffOf(turn.text, turn.characterId, this.cast, this.d.people());
    if (handOff?.kind === "person" && this.d.settings().everyoneTalks && !this.halted) {
      const person = handOff.id;
      this.floor.dropPrepared();
      this.waitingFor = { person, timer: setTimeout(() => { if (this.waitingFor?.person === person) this.dispatch({ kind: "waitOver" }); }, this.timing.waitForPersonMs) };
      return;
    }
    if (handOff?.kind === "character" && this.mayHandOff()) {
      this.caps.countHandOff();
      if (this.floor.prepared?.characterId !== handOff.id) this.caps.countTurn();
      this.takeFloor(handOff.id, turn.characterId, this.pause(), TurnPriority.character);
      return;
    }
    this.continueConversation(this.pause());
  }

  /** A character may hand the floor to another by name: within the caps, and once per person's line without "everyone talks". */
  private mayHandOff(): boolean {
    return !this.halted && this.caps.mayHandOff(this.d.settings().everyoneTalks);
  }

  /** Who will speak after `turn` (which said `text`), decided ahead; null: nobody, or not known until it ends. */
  private async nextAfter(turn: TurnHandle, text: string, signal: AbortSignal): Promise<NextSpeaker | null> {
    const queued = this.queue[0];
    // a greeting waits its turn as it is: nothing to prepare for it
    if (queued?.say !== undefined) return null;
    // a queued answer stays queued: advance() finds it and authorizes this prepared reply
    if (queued) return { ...queued, auto: false };
    const handOff = handOffOf(text, turn.characterId, this.cast, this.d.people());
    if (handOff?.kind === "person") return null;
    if (handOff?.kind === "character") return this.mayHandOff() ? { id: handOff.id, addressee: turn.characterId, auto: true } : null;
    const s = this.d.settings();
    if (this.halted || !s.everyoneTalks || !this.caps.within() || this.cast.length < 2) return null;
    const id = await this.choices.next(new Set([turn.characterId]), true, signal);
    return id ? { id, addressee: turn.characterId, auto: true } : null;
  }

  private char(id: string): CharacterConfig | undefined { return this.seated.char(id); }

  /** who sits at the table now (not those saying goodbye) */
  private get cast(): readonly CharacterConfig[] { return this.seated.list; }

  private recentSpeakers(n: number): string[] { return recentSpeakers(this.d.log.recent(30), n); }

  private track<T>(p: Promise<T>): Promise<T> {
    this.settled.add(p);
    void p.finally(() => this.settled.delete(p)).catch(() => {});
    return p;
  }
}
