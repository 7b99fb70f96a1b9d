/**
 * Every cell of the director's transition table that a person can reach: the
 * table is put in a state, one event arrives, and the state it ends in (and what
 * happened to speech in flight) is checked.
 */
import { describe, it, expect, afterEach } from "vitest";
import { CharacterConfig } from "@parley/shared";
import { createHarness, type Harness } from "../testing/directorHarness.js";
import { DirectorState, TRANSITIONS, type DirectorState as State } from "./transitions.js";

let h: Harness;
afterEach(async () => { await h?.dispose(); });

const chunks = (): number => h.events.filter((e) => e.type === "chunk").length;
const sam = { id: "sam", name: "Sam" };

/** How to bring a fresh table into each state. */
const REACH: Record<Exclude<State, "closed">, () => Promise<void>> = {
  idle: async () => { h = createHarness(); },
  choosing: async () => {
    h = createHarness({ settings: { policy: "llm" } });
    h.llm.chooseDelayMs = 60_000;
    h.director.onPersonMessage(sam, "What now?");
  },
  speaking: async () => {
    h = createHarness({ msPerChar: 30 });
    h.director.onPersonMessage(sam, "Ada, hi.");
    await h.until(() => chunks() >= 2, 5000, "Ada audible");
  },
  paused: async () => {
    await REACH.speaking();
    h.director.personStartsSpeaking("sam");
  },
  listening: async () => {
    h = createHarness();
    h.director.personStartsSpeaking("sam");
  },
  waiting: async () => {
    h = createHarness({ reply: () => "Sam, what do you think?", settings: { everyoneTalks: true }, timing: { waitForPersonMs: 60_000 } });
    h.director.onPersonMessage(sam, "Ada, ask me something.");
    await h.until(() => h.director.state === DirectorState.waiting, 5000, "waiting for Sam");
  },
  halted: async () => {
    await REACH.speaking();
    h.director.stop();
  },
};

const MIRA = CharacterConfig.parse({ id: "mira", name: "Mira", persona: "A storyteller.", avatar: "mira.vrm", greeting: "Hello, all." });

type Fire = () => void;
const EVENTS: Record<string, Fire> = {
  message: () => h.director.onPersonMessage(sam, "Juno, over to you."),
  nominate: () => h.director.nominate("theo", "eve"),
  speechStart: () => void h.director.personStartsSpeaking("eve"),
  speechConfirmed: () => h.director.personInterrupts("sam"),
  speechDismissed: () => h.director.personSpeechDismissed("sam"),
  // words so far only start background reading (listening); nothing changes state
  speechPartial: () => h.director.personPartial("sam", "Ada, what do you"),
  personLeft: () => h.director.personLeft("sam"),
  stop: () => h.director.stop(),
  join: () => h.seat(MIRA),
  leave: () => h.unseat("theo"),
};

/**
 * The state each event leads to, from each state (Sam is the one speaking in paused/listening).
 * A character joining greets at once when the floor is free, else after the speaker (a decision
 * in progress keeps its turn); one leaving quiets the table and says goodbye (paused while Sam speaks).
 */
const EXPECT: Record<Exclude<State, "closed">, Record<keyof typeof EVENTS, State>> = {
  idle: { message: "speaking", nominate: "speaking", speechStart: "listening", speechConfirmed: "idle", speechDismissed: "idle", speechPartial: "idle", personLeft: "idle", stop: "halted", join: "speaking", leave: "speaking" },
  choosing: { message: "speaking", nominate: "speaking", speechStart: "listening", speechConfirmed: "idle", speechDismissed: "choosing", speechPartial: "choosing", personLeft: "choosing", stop: "halted", join: "choosing", leave: "speaking" },
  speaking: { message: "speaking", nominate: "speaking", speechStart: "paused", speechConfirmed: "idle", speechDismissed: "speaking", speechPartial: "speaking", personLeft: "speaking", stop: "halted", join: "speaking", leave: "speaking" },
  // Sam still speaks: a new answer starts paused by him, except his own message (his words are in)
  paused: { message: "speaking", nominate: "paused", speechStart: "paused", speechConfirmed: "listening", speechDismissed: "speaking", speechPartial: "paused", personLeft: "speaking", stop: "listening", join: "paused", leave: "paused" },
  listening: { message: "speaking", nominate: "paused", speechStart: "listening", speechConfirmed: "listening", speechDismissed: "idle", speechPartial: "listening", personLeft: "idle", stop: "listening", join: "paused", leave: "paused" },
  waiting: { message: "speaking", nominate: "speaking", speechStart: "listening", speechConfirmed: "idle", speechDismissed: "waiting", speechPartial: "waiting", personLeft: "choosing", stop: "halted", join: "speaking", leave: "speaking" },
  halted: { message: "speaking", nominate: "speaking", speechStart: "listening", speechConfirmed: "halted", speechDismissed: "halted", speechPartial: "halted", personLeft: "halted", stop: "halted", join: "speaking", leave: "speaking" },
};

describe("the director's transitions", () => {
  it("has an action for every event in every state, and a closed table ignores everything", () => {
    for (const row of Object.values(TRANSITIONS)) expect(Object.keys(row).sort()).toEqual(Object.keys(TRANSITIONS.idle).sort());
    expect(new Set(Object.values(TRANSITIONS.closed))).toEqual(new Set(["ignore"]));
  });

  for (const [from, row] of Object.entries(EXPECT) as [Exclude<State, "closed">, Record<string, State>][]) {
    for (const [event, to] of Object.entries(row)) {
      it(`${from} + ${event} -> ${to}`, async () => {
        await REACH[from]();
        expect(h.director.state).toBe(from);
        EVENTS[event]!();
        // a person's answer may first wait for the cut line to settle; states are immediate
        expect(h.director.state).toBe(to);
      });
    }
  }

  it("closes from any state and then ignores every event", async () => {
    await REACH.paused();
    await h.director.dispose();
    expect(h.director.state).toBe(DirectorState.closed);
    for (const fire of Object.values(EVENTS)) fire();
    expect(h.director.state).toBe(DirectorState.closed);
    const sent = h.events.length;
    await h.sleep(200);
    expect(h.events.filter((e) => e.type === "start").length).toBe(h.events.slice(0, sent).filter((e) => e.type === "start").length);
  });
});
