/**
 * The director as a state machine: its states, the events that reach it, and the
 * one table that says what each event does in each state. The state is derived
 * from facts (who holds the floor, who is speaking, what is being decided), so it
 * can never disagree with them; the table decides the action.
 */
import type { CharacterConfig } from "@parley/shared";
import type { TurnHandle, TurnOutcome } from "../turn/TurnHandle.js";
import type { LatencyTrace } from "../turn/LatencyTrace.js";

export const DirectorState = {
  /** nobody speaks and nothing is planned */
  idle: "idle",
  /** deciding who speaks next (a policy, perhaps the LLM) */
  choosing: "choosing",
  /** a character holds the floor (thinking or audible) */
  speaking: "speaking",
  /** a character holds the floor, paused while people speak */
  paused: "paused",
  /** people speak; no character holds the floor */
  listening: "listening",
  /** a character asked a person by name: the table waits a little for them */
  waiting: "waiting",
  /** a person said stop: nobody speaks on their own until a person acts */
  halted: "halted",
  closed: "closed",
} as const;
export type DirectorState = (typeof DirectorState)[keyof typeof DirectorState];

export interface PersonRef { id: string; name: string }

export type DirectorEvent =
  | { kind: "message"; person: PersonRef; text: string; lineId?: string; trace?: LatencyTrace }
  | { kind: "nominate"; person: string; characterId: string }
  | { kind: "speechStart"; person: string }
  | { kind: "speechConfirmed"; person: string }
  | { kind: "speechDismissed"; person: string }
  /** the person's words so far, while they still speak */
  | { kind: "speechPartial"; person: string; text: string }
  | { kind: "personLeft"; person: string }
  | { kind: "stop" }
  /** a decision job named the next speaker (or nobody) */
  | { kind: "chosen"; characterId: string | null; addressee: string; auto: boolean; token: symbol }
  | { kind: "turnEnded"; turn: TurnHandle; outcome: TurnOutcome }
  /** the wait for a named person is over */
  | { kind: "waitOver" }
  /** the host seated a character: it sits down and greets */
  | { kind: "join"; character: CharacterConfig }
  /** the host took a character off the table: it says goodbye */
  | { kind: "leave"; characterId: string }
  /** a character's goodbye is over: it is gone */
  | { kind: "gone"; characterId: string }
  | { kind: "close" };
export type DirectorEventKind = DirectorEvent["kind"];

/**
 * What an event does:
 * - answer: silence the table, log the person's line, give the floor to whom they addressed (or choose);
 * - halt: silence the table and keep it quiet;
 * - hold: pause every turn in flight on behalf of the person who started speaking;
 * - listen: note that the person speaks (nothing to pause);
 * - cut: the person's speech is a real interruption: silence the table;
 * - release: the person's pause ends (dismissed speech, or they left); what they held goes on;
 * - take: the chosen character takes the floor;
 * - handOn: the floor holder finished: the next one speaks, or the table rests;
 * - resumeTalk: the wait is over: characters go on among themselves if they may;
 * - prefill: the likely answerer starts reading the person's words so far (background work);
 * - seat: the character joins the cast and greets (a fixed line, no LLM): now if the floor is free, else next;
 * - unseat: the table falls quiet and the character says goodbye (it is no longer chosen or addressed);
 * - depart: the goodbye is over: the character leaves the table;
 * - close: everything stops for good;
 * - ignore: nothing happens (for example a late event about a turn already dropped).
 */
export type DirectorAction = "answer" | "halt" | "hold" | "listen" | "cut" | "release" | "prefill" | "take" | "handOn" | "resumeTalk" | "seat" | "unseat" | "depart" | "close" | "ignore";

type Row = Record<DirectorEventKind, DirectorAction>;

/** Events every open state treats the same way. */
const OPEN: Pick<Row, "message" | "nominate" | "stop" | "close" | "speechConfirmed" | "speechPartial" | "join" | "leave" | "gone"> = {
  message: "answer", nominate: "answer", stop: "halt", close: "close",
  // the host changes the cast in any state; a goodbye ends however the table is
  join: "seat", leave: "unseat", gone: "depart",
  // a long speech with nothing in flight still ends plans (a choice, a wait)
  speechConfirmed: "cut",
  // words so far are read ahead only while nobody holds the floor (a paused speaker keeps its sequence)
  speechPartial: "ignore",
};

export const TRANSITIONS: Readonly<Record<DirectorState, Row>> = {
  idle: { ...OPEN, speechStart: "listen", speechDismissed: "release", personLeft: "release", chosen: "ignore", turnEnded: "ignore", waitOver: "ignore" },
  choosing: { ...OPEN, speechStart: "listen", speechDismissed: "release", personLeft: "release", chosen: "take", turnEnded: "ignore", waitOver: "ignore" },
  speaking: { ...OPEN, speechStart: "hold", speechDismissed: "release", personLeft: "release", chosen: "ignore", turnEnded: "handOn", waitOver: "ignore" },
  paused: { ...OPEN, speechStart: "hold", speechDismissed: "release", personLeft: "release", chosen: "ignore", turnEnded: "handOn", waitOver: "ignore" },
  listening: { ...OPEN, speechPartial: "prefill", speechStart: "listen", speechDismissed: "release", personLeft: "release", chosen: "take", turnEnded: "ignore", waitOver: "ignore" },
  waiting: { ...OPEN, speechStart: "listen", speechDismissed: "release", personLeft: "release", chosen: "ignore", turnEnded: "ignore", waitOver: "resumeTalk" },
  halted: { ...OPEN, speechStart: "listen", speechDismissed: "release", personLeft: "release", chosen: "ignore", turnEnded: "ignore", waitOver: "ignore" },
  closed: { message: "ignore", nominate: "ignore", speechStart: "ignore", speechConfirmed: "ignore", speechDismissed: "ignore", speechPartial: "ignore", personLeft: "ignore", stop: "ignore", chosen: "ignore", turnEnded: "ignore", waitOver: "ignore", join: "ignore", leave: "ignore", gone: "ignore", close: "ignore" },
};

/** The facts the state is derived from. */
export interface DirectorFacts {
  closed: boolean;
  floor: boolean;
  peopleSpeaking: number;
  choosing: boolean;
  waiting: boolean;
  halted: boolean;
}

export function deriveState(f: DirectorFacts): DirectorState {
  if (f.closed) return DirectorState.closed;
  if (f.floor) return f.peopleSpeaking > 0 ? DirectorState.paused : DirectorState.speaking;
  if (f.peopleSpeaking > 0) return DirectorState.listening;
  if (f.choosing) return DirectorState.choosing;
  if (f.waiting) return DirectorState.waiting;
  return f.halted ? DirectorState.halted : DirectorState.idle;
}
