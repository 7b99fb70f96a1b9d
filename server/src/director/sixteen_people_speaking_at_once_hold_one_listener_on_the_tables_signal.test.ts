/**
 * Sixteen people speak at once at a quiet table, through the real node-llama-cpp
 * path (the scripted demo model): the likely answerer reads each one's words as
 * they come. The table's background signal (any person's action aborts it) is
 * shared by all that reading, and each evaluation in flight holds a listener on
 * it: one evaluation runs at a time, so it never holds more than one, Node never
 * warns of a leak (it did: "11 abort listeners added to [AbortSignal]"), and the
 * latest words still reach the answerer's sequence.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_ROOM_SETTINGS } from "@parley/shared";
import { Director } from "./Director.js";
import { DirectorState } from "./transitions.js";
import { ConversationLog } from "../conversation/ConversationLog.js";
import { LlmHost } from "../llm/LlmHost.js";
import { LlamaCppProvider } from "../llm/LlamaCppProvider.js";
import { ensureDemoModel } from "../llm/demoModel.js";
import { loadConfig } from "../config.js";
import { FakeTts } from "../testing/FakeTts.js";
import { TEST_CAST, TestCast } from "../testing/directorHarness.js";

let dir: string;
let provider: LlamaCppProvider;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "parley-sixteen-"));
  provider = await LlamaCppProvider.load({ modelPath: await ensureDemoModel(dir), threads: 1, contextSize: 2048, sequences: 4, gpu: false });
});
afterAll(async () => {
  await provider?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The table's background work, counting the abort listeners on its signal as they come and go. */
class CountedBackground {
  private controller = new AbortController();
  listeners = 0;
  most = 0;

  get signal(): AbortSignal {
    const signal = this.controller.signal;
    if (!(signal as { counted?: boolean }).counted) {
      Object.assign(signal, { counted: true });
      const add = signal.addEventListener.bind(signal);
      const remove = signal.removeEventListener.bind(signal);
      const live = new Set<unknown>();
      signal.addEventListener = (type: string, fn: Parameters<AbortSignal["addEventListener"]>[1], opts?: Parameters<AbortSignal["addEventListener"]>[2]) => {
        if (type === "abort" && fn && !live.has(fn)) { live.add(fn); this.listeners++; this.most = Math.max(this.most, this.listeners); }
        add(type, fn, opts);
      };
      signal.removeEventListener = (type: string, fn: Parameters<AbortSignal["removeEventListener"]>[1], opts?: Parameters<AbortSignal["removeEventListener"]>[2]) => {
        if (type === "abort" && live.delete(fn)) this.listeners--;
        remove(type, fn, opts);
      };
    }
    return signal;
  }

  interrupt(reason: string): void {
    this.controller.abort(reason);
    this.controller = new AbortController();
    this.listeners = 0;
  }
}

describe("sixteen people speaking at once", () => {
  it("hold one listener at most on the table's background signal, and the latest words are read ahead", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => { warnings.push(`${w.name}: ${w.message}`); };
    process.on("warning", onWarning);
    const log = new ConversationLog();
    const background = new CountedBackground();
    const people = Array.from({ length: 16 }, (_, i) => ({ id: `p${i}`, name: `P${i}`, kind: "person" as const }));
    const tts = new FakeTts({ msPerChar: 2, sampleRate: 16000, pieceSamples: 800 });
    const director = new Director({
      cast: new TestCast(TEST_CAST), background, log, llm: LlmHost.withProvider(loadConfig({ PARLEY_QUIET: "1" }), provider, true), maxTokens: 40,
      voices: { route: async (voice) => ({ voice, provider: tts, fallbackReason: "" }) },
      settings: () => DEFAULT_ROOM_SETTINGS,
      people: () => people,
      sink: { start: () => {}, chunk: () => {}, end: () => {}, cancel: () => {} },
      presence: { setState: () => {}, setEmotion: () => {}, setLookAt: () => {} },
    });
    try {
      const lines = new Map(people.map((p) => [p.id, log.add({ kind: "person", speakerId: p.id, speakerName: p.name, text: "", addressee: "", done: false }).id]));
      for (const p of people) director.personStartsSpeaking(p.id);
      // everyone is speaking (their pauses were taken, which interrupted the background once): count from here
      expect(director.state).toBe(DirectorState.listening);
      for (let w = 1; w <= 4; w++) {
        for (const p of people) {
          const text = `Ada, what do you think about the number ${w}${p.id}`;
          log.update(lines.get(p.id)!, { text, heardText: text });
          director.personPartial(p.id, text);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise<void>((resolve, reject) => {
        const t0 = performance.now();
        const poll = (): void => {
          if (provider.inspect("ada")?.text.includes("number 4p15") && background.listeners === 0) { resolve(); return; }
          if (performance.now() - t0 > 30_000) { reject(new Error("the last person's latest words were never read ahead")); return; }
          setTimeout(poll, 20);
        };
        poll();
      });
      expect(background.most).toBeLessThanOrEqual(1);
      expect(warnings.filter((w) => w.includes("MaxListenersExceededWarning"))).toEqual([]);
    } finally {
      process.off("warning", onWarning);
      await director.dispose();
    }
  });
});
