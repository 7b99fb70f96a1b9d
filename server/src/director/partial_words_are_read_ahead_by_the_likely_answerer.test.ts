/**
 * Thinking while a person talks, through the real node-llama-cpp path (the
 * scripted demo model): the director feeds the words so far into the likely
 * answerer's sequence; the final transcript then costs only its new tokens, a
 * changed ending replaces the partial one, and a wrong guess changes nothing
 * anyone sees or hears.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_ROOM_SETTINGS, type UttStart } from "@parley/shared";
import { Director } from "./Director.js";
import { ConversationLog } from "../conversation/ConversationLog.js";
import { LlmHost } from "../llm/LlmHost.js";
import { LlamaCppProvider } from "../llm/LlamaCppProvider.js";
import { ensureDemoModel } from "../llm/demoModel.js";
import { loadConfig } from "../config.js";
import { FakeTts } from "../testing/FakeTts.js";
import { TEST_CAST, TestCast } from "../testing/directorHarness.js";
import { Renewable } from "../util/Renewable.js";
import { DirectorState } from "./transitions.js";

let dir: string;
let provider: LlamaCppProvider;
let host: LlmHost;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "parley-prefill-"));
  provider = await LlamaCppProvider.load({ modelPath: await ensureDemoModel(dir), threads: 1, contextSize: 2048, sequences: 4, gpu: false });
  host = LlmHost.withProvider(loadConfig({ PARLEY_QUIET: "1" }), provider, true);
});
afterAll(async () => {
  await provider?.close();
  await rm(dir, { recursive: true, force: true });
});

function table() {
  const log = new ConversationLog();
  const starts: UttStart[] = [];
  const tts = new FakeTts({ msPerChar: 2, sampleRate: 16000, pieceSamples: 800 });
  const director = new Director({
    cast: new TestCast(TEST_CAST), background: new Renewable(), log, llm: host, maxTokens: 40,
    voices: { route: async (voice) => ({ voice, provider: tts, fallbackReason: "" }) },
    settings: () => DEFAULT_ROOM_SETTINGS,
    people: () => [{ id: "sam", name: "Sam", kind: "person" }],
    sink: { start: (m) => starts.push(m), chunk: () => {}, end: () => {}, cancel: () => {} },
    presence: { setState: () => {}, setEmotion: () => {}, setLookAt: () => {} },
  });
  /** what PersonVoice and the room do while Sam speaks: a live line, then each partial */
  let line = "";
  const partial = (text: string): void => {
    if (!line) line = log.add({ kind: "person", speakerId: "sam", speakerName: "Sam", text, addressee: "", done: false }).id;
    else log.update(line, { text, heardText: text });
    director.personPartial("sam", text);
  };
  const final = (text: string): void => { log.update(line, { text, heardText: text }); director.onPersonMessage({ id: "sam", name: "Sam" }, text, { lineId: line }); };
  return { director, log, starts, partial, final };
}

async function until(cond: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const count = (text: string, part: string): number => text.split(part).length - 1;

describe("reading a person's words while they speak", () => {
  it("has the answerer's sequence hold the words before the final transcript, then corrects a changed ending without repeating it", async () => {
    const t = table();
    try {
      t.director.personStartsSpeaking("sam");
      expect(t.director.state).toBe(DirectorState.listening);
      t.partial("Ada, what do you think about the");
      t.partial("Ada, what do you think about the weather");
      await until(() => provider.inspect("ada")?.text.includes("Sam (to you): Ada, what do you think about the weather") === true, "Ada's sequence to hold the words so far");
      const before = provider.inspect("ada")!;

      // the recognizer's final words differ at the end
      t.final("Ada, what do you think of the weather today?");
      await until(() => t.starts.length > 0, "Ada's reply");
      expect(t.starts[0]!.characterId).toBe("ada");
      await until(() => t.director.state === DirectorState.idle, "the reply to end");
      const after = provider.inspect("ada")!;
      expect(count(after.text, "what do you think of the weather today?")).toBe(1);
      expect(after.text).not.toContain("about the weather");
      expect(count(after.text, "Sam (to you):")).toBe(1);
      // only what followed the shared prefix was read at the end (plus the reply itself)
      const readAtTheEnd = after.inputTokens - before.inputTokens;
      expect(readAtTheEnd).toBeLessThan(before.tokens / 2);
    } finally {
      await t.director.dispose();
    }
  });

  it("costs nothing visible when it guessed the wrong character", async () => {
    const t = table();
    try {
      t.director.personStartsSpeaking("sam");
      // nobody named yet: the most talkative (Juno) is the guess
      t.partial("I wonder what");
      await until(() => provider.inspect("juno")?.text.includes("Sam: I wonder what") === true, "Juno's sequence to hold the words so far");
      t.final("I wonder what Theo thinks, Theo?");
      await until(() => t.director.state === DirectorState.idle && t.starts.length > 0, "the reply");
      expect(t.starts.map((s) => s.characterId)).toEqual(["theo"]);
      expect(t.log.recent(10).filter((e) => e.kind === "character").map((e) => e.speakerId)).toEqual(["theo"]);
    } finally {
      await t.director.dispose();
    }
  });

  it("reads nothing ahead while a paused character still holds the floor", async () => {
    const t = table();
    try {
      t.final("Hello, Theo!");
      await until(() => t.starts.length > 0, "Theo's reply");
      const seq = provider.inspect("theo")!.inputTokens;
      t.director.personStartsSpeaking("sam");
      expect(t.director.state).toBe(DirectorState.paused);
      t.partial("Theo, wait");
      await new Promise((r) => setTimeout(r, 300));
      expect(provider.inspect("theo")!.inputTokens).toBe(seq);
      expect(provider.inspect("ada")?.text ?? "").not.toContain("Theo, wait");
    } finally {
      await t.director.dispose();
    }
  });
});
