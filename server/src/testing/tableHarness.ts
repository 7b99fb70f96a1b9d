/**
 * A whole table built with fakes, without Colyseus: a scripted LLM, a fast fake
 * voice, a scripted recognizer, an in-memory store, and a door that records what
 * the table says to its pages. For table tests.
 */
import { CharacterConfig, type ErrorCode, type Language, type RoomSettings } from "@parley/shared";
import { Table } from "../table/Table.js";
import type { TableDoor } from "../table/TableDoor.js";
import type { TableServices } from "../table/TableServices.js";
import { SqliteStore } from "../store/SqliteStore.js";
import type { TableRecord } from "../store/Store.js";
import { LlmHost } from "../llm/LlmHost.js";
import type { LlmRequest } from "../llm/types.js";
import { ModelStatus } from "../models/ModelStatus.js";
import { loadConfig } from "../config.js";
import { FakeLlm } from "./FakeLlm.js";
import { FakeTts } from "./FakeTts.js";
import { FakeAsr } from "./FakeAsr.js";
import { TEST_CAST } from "./directorHarness.js";

export interface Said { type: string; message: unknown; to?: string; except?: string }

/** A door that records everything the table says, and lets the test say who is there. */
export class FakeDoor implements TableDoor {
  readonly said: Said[] = [];
  readonly failures: { to: string; code: ErrorCode; message: string }[] = [];
  readonly dismissed: { to: string; code: number; reason: string }[] = [];
  readonly present = new Set<string>();

  sessions(): readonly string[] { return [...this.present]; }
  broadcast(type: string, message: unknown, except?: string): void { this.said.push({ type, message, ...(except ? { except } : {}) }); }
  broadcastBytes(type: string, bytes: Uint8Array, except?: string): void { this.broadcast(type, bytes.slice(), except); }
  send(to: string, type: string, message: unknown): void { this.said.push({ type, message, to }); }
  fail(to: string, code: ErrorCode, message: string): void { this.failures.push({ to, code, message }); }
  dismiss(to: string, code: number, reason: string): void { this.dismissed.push({ to, code, reason }); }

  /** what a page `sessionId` received so far */
  heardBy(sessionId: string): Said[] { return this.said.filter((s) => (s.to === undefined || s.to === sessionId) && s.except !== sessionId); }
  of<T>(type: string): T[] { return this.said.filter((s) => s.type === type).map((s) => s.message as T); }
}

export interface TableHarness {
  table: Table;
  door: FakeDoor;
  llm: FakeLlm;
  tts: FakeTts;
  asr: FakeAsr;
  /** what the table asked to keep in its record */
  kept: { cast: string[][]; settings: Partial<RoomSettings>[] };
  until(cond: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  close(): Promise<void>;
}

export interface TableHarnessOptions {
  characters?: readonly CharacterConfig[];
  language?: Language;
  reply?: (req: LlmRequest) => string;
  /** what people say into their microphones, in order */
  script?: string[];
  /** characters the host may seat besides the cast */
  library?: readonly CharacterConfig[];
}

const nameOf = (req: LlmRequest): string => /You are (\S+?)\./.exec(req.messages[0]?.content ?? "")?.[1] ?? "?";

export async function tableWithFakes(o: TableHarnessOptions = {}): Promise<TableHarness> {
  const characters = o.characters ?? TEST_CAST;
  const store = SqliteStore.inMemory();
  const llm = new FakeLlm(o.reply ?? ((req) => `This is ${nameOf(req)} speaking.`), 1);
  const tts = new FakeTts({ msPerChar: 4, sampleRate: 16000, pieceSamples: 800 });
  const asr = new FakeAsr({ script: o.script ?? ["hello there"], msPerWord: 100 });
  const host = LlmHost.withProvider(loadConfig({ PARLEY_QUIET: "1" }), llm);
  const services: TableServices = {
    store,
    llm: host,
    library: { get: (id) => [...characters, ...(o.library ?? [])].find((c) => c.id === id), on: () => undefined },
    voices: { route: async (voice) => ({ voice, provider: tts, fallbackReason: "" }) },
    recognizer: () => asr,
    avatars: { urlFor: (c) => `/avatars/${c.avatar}`, on: () => undefined, off: () => undefined },
    personAvatars: { ensure: async () => true, known: () => true, pick: () => "/avatars/ada.vrm" },
    models: new ModelStatus(),
    settings: { streaming: true },
    maxTokens: 100,
    directorTiming: { pauseMs: 40, pauseJitterMs: 10 },
    voiceOptions: { trailingWaitMs: 50 },
  };
  const record: TableRecord = { id: "t1", name: "Test table", characters: characters.map((c) => c.id), language: o.language ?? "en", invite: "invite", settings: {}, createdAt: 0 };
  const kept = { cast: [] as string[][], settings: [] as Partial<RoomSettings>[] };
  const table = new Table(record, characters, services, {
    saveCast: async (ids) => { kept.cast.push(ids); },
    saveSettings: async (settings) => { kept.settings.push(settings); },
  });
  await table.open();
  const door = new FakeDoor();
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  return {
    table, door, llm, tts, asr, kept,
    async until(cond, timeoutMs = 10_000, what = "condition") {
      const start = performance.now();
      while (!cond()) {
        if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
        await sleep(5);
      }
    },
    async close() {
      await table.close();
      await store.close();
    },
  };
}

/** Someone sits down at the table: the door lets them in, the table seats them. */
export async function sitDown(h: TableHarness, sessionId: string, name: string, role: "host" | "guest" = "guest"): Promise<void> {
  if (!h.table.reserve()) throw new Error("the table is full");
  h.door.present.add(sessionId);
  await h.table.join(sessionId, role, { name, personId: `person-${sessionId}-0000` });
}
