/**
 * A director with scripted brains and a fast fake voice, recording everything it
 * sends and shows, for director tests (unit and property).
 */
import { CharacterConfig, DEFAULT_ROOM_SETTINGS, type RoomSettings, type CharacterState, type UttChunk, type UttStart } from "@parley/shared";
import { Director, type DirectorDeps } from "../director/Director.js";
import type { Seats } from "../director/directorDeps.js";
import { Renewable } from "../util/Renewable.js";
import { ConversationLog } from "../conversation/ConversationLog.js";
import { LlmHost } from "../llm/LlmHost.js";
import { loadConfig } from "../config.js";
import { FakeLlm } from "./FakeLlm.js";
import { FakeTts } from "./FakeTts.js";
import type { LlmRequest } from "../llm/types.js";
import { seededRandom } from "../util/random.js";

export interface SinkEvent { type: "start" | "chunk" | "end" | "cancel" | "pause"; at: number; utteranceId: string; characterId: string; reason?: string; samples?: number; addressee?: string; startSample?: number; atSample?: number }

export interface Harness {
  director: Director;
  /** the host seats a character: it joins the cast and greets */
  seat(c: CharacterConfig): void;
  /** the host sends a character away: it says goodbye, then leaves the cast */
  unseat(id: string): void;
  log: ConversationLog;
  llm: FakeLlm;
  tts: FakeTts;
  settings: RoomSettings;
  events: SinkEvent[];
  states: Map<string, CharacterState>;
  lookAt: Map<string, string>;
  /** utterance id -> character */
  speakerOf: Map<string, string>;
  /** characters that said goodbye and left, in order */
  left: string[];
  until(cond: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  sleep(ms: number): Promise<void>;
  dispose(): Promise<void>;
}

export const TEST_CAST = [
  CharacterConfig.parse({ id: "ada", name: "Ada", persona: "A sarcastic engineer.", talkativeness: 0.6, interruptiveness: 0.8, avatar: "ada.vrm" }),
  CharacterConfig.parse({ id: "theo", name: "Theo", persona: "A calm philosopher.", talkativeness: 0.4, interruptiveness: 0.1, avatar: "theo.vrm" }),
  CharacterConfig.parse({ id: "juno", name: "Juno", persona: "An energetic assistant.", talkativeness: 0.8, interruptiveness: 0.4, avatar: "juno.vrm" }),
];

export interface HarnessOptions {
  reply?: (req: LlmRequest) => string;
  settings?: Partial<RoomSettings>;
  tokenDelayMs?: number;
  msPerChar?: number;
  seed?: number;
  timing?: DirectorDeps["timing"];
  /** who sits at the table at first (default: TEST_CAST) */
  characters?: readonly CharacterConfig[];
}

/** The table's cast as a director sees it, kept as a table keeps it: seated, then saying goodbye, then gone. */
export class TestCast implements Seats {
  readonly list: CharacterConfig[];
  readonly leaving = new Set<string>();
  constructor(characters: readonly CharacterConfig[]) { this.list = [...characters]; }
  get seated(): CharacterConfig[] { return this.list.filter((c) => !this.leaving.has(c.id)); }
  get(id: string): CharacterConfig | undefined { return this.list.find((c) => c.id === id); }
  gone(id: string): void { this.leaving.delete(id); this.list.splice(this.list.findIndex((c) => c.id === id), 1); }
}

const nameOf = (req: LlmRequest): string => /You are (\w+)/.exec(req.messages[0]?.content ?? "")?.[1] ?? "?";

export function createHarness(o: HarnessOptions = {}): Harness {
  const llm = new FakeLlm(o.reply ?? ((req) => `[happy] This is ${nameOf(req)} speaking. I have one more thing to say.`), o.tokenDelayMs ?? 1);
  const tts = new FakeTts({ msPerChar: o.msPerChar ?? 6, sampleRate: 16000, pieceSamples: 800 });
  const host = LlmHost.withProvider(loadConfig({ PARLEY_QUIET: "1" }), llm);
  const log = new ConversationLog();
  const settings: RoomSettings = { ...DEFAULT_ROOM_SETTINGS, ...o.settings };
  const events: SinkEvent[] = [];
  const states = new Map<string, CharacterState>();
  const lookAt = new Map<string, string>();
  const speakerOf = new Map<string, string>();
  const left: string[] = [];
  const t0 = performance.now();
  const at = (): number => performance.now() - t0;
  const cast = new TestCast(o.characters ?? TEST_CAST);
  const director = new Director({
    cast,
    background: new Renewable(),
    onCharacterLeft: (id) => { cast.gone(id); left.push(id); },
    log,
    llm: host,
    voices: { route: async (voice) => ({ voice, provider: tts, fallbackReason: "" }) },
    maxTokens: 100,
    settings: () => settings,
    people: () => [{ id: "sam", name: "Sam", kind: "person" }],
    rng: seededRandom(o.seed ?? 1),
    timing: { pauseMs: 60, pauseJitterMs: 20, overlapMs: 100, ...o.timing },
    sink: {
      start: (m: UttStart) => { speakerOf.set(m.utteranceId, m.characterId); events.push({ type: "start", at: at(), utteranceId: m.utteranceId, characterId: m.characterId, addressee: m.addressee }); },
      chunk: (m: UttChunk) => events.push({ type: "chunk", at: at(), utteranceId: m.utteranceId, characterId: speakerOf.get(m.utteranceId) ?? "?", samples: m.pcm.byteLength / 2, startSample: m.startSample }),
      pause: (m) => events.push({ type: "pause", at: at(), utteranceId: m.utteranceId, characterId: speakerOf.get(m.utteranceId) ?? "?", atSample: m.atSample }),
      end: (m) => events.push({ type: "end", at: at(), utteranceId: m.utteranceId, characterId: speakerOf.get(m.utteranceId) ?? "?" }),
      cancel: (m) => events.push({ type: "cancel", at: at(), utteranceId: m.utteranceId, characterId: speakerOf.get(m.utteranceId) ?? "?", reason: m.reason }),
    },
    presence: {
      setState: (id, s) => states.set(id, s),
      setEmotion: () => {},
      setLookAt: (id, t) => lookAt.set(id, t),
    },
  });
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  return {
    director, log, llm, tts, settings, events, states, lookAt, speakerOf, left, sleep,
    seat(c) {
      if (cast.get(c.id)) return;
      cast.list.push(c);
      director.seat(c);
    },
    unseat(id) {
      if (!cast.get(id) || cast.leaving.has(id)) return;
      cast.leaving.add(id);
      director.unseat(id);
    },
    async until(cond, timeoutMs = 10_000, what = "condition") {
      const start = performance.now();
      while (!cond()) {
        if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
        await sleep(5);
      }
    },
    async dispose() { await director.dispose(); },
  };
}

/**
 * Audible intervals per utterance at a client (first chunk to end of its audio,
 * or to its cancel), from the sink's timeline; sample rate 16 kHz.
 */
export function audibleIntervals(events: readonly SinkEvent[]): { utteranceId: string; characterId: string; from: number; to: number; cut: boolean }[] {
  const byId = new Map<string, { characterId: string; from: number; samples: number; cancelAt: number | null }>();
  for (const e of events) {
    let u = byId.get(e.utteranceId);
    if (e.type === "chunk") {
      if (!u) byId.set(e.utteranceId, (u = { characterId: e.characterId, from: e.at, samples: 0, cancelAt: null }));
      u.samples += e.samples ?? 0;
    }
    if (e.type === "cancel" && u) u.cancelAt = e.at;
  }
  return [...byId.entries()].map(([id, u]) => {
    const natural = u.from + (u.samples / 16000) * 1000;
    const to = u.cancelAt !== null ? Math.min(natural, u.cancelAt) : natural;
    return { utteranceId: id, characterId: u.characterId, from: u.from, to, cut: u.cancelAt !== null && u.cancelAt < natural };
  });
}
