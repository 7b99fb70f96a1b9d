import { describe, it, expect } from "vitest";
import { speakTurn, type UtteranceSink } from "./speakTurn.js";
import { FakeTts } from "../testing/FakeTts.js";
import type { UttChunk } from "@parley/shared";
import { TurnHandle, TurnPriority } from "../turn/TurnHandle.js";

const turnOf = (id: string, addressee = ""): TurnHandle => new TurnHandle({ id, characterId: "ada", addressee, priority: TurnPriority.person });

type Event = { type: "start" | "chunk" | "end" | "cancel"; at: number; m: unknown };

function recorder(): { sink: UtteranceSink; events: Event[]; chunks: () => UttChunk[] } {
  const events: Event[] = [];
  const t0 = performance.now();
  const push = (type: Event["type"]) => (m: unknown) => events.push({ type, at: performance.now() - t0, m });
  return {
    sink: { start: push("start"), chunk: push("chunk"), end: push("end"), cancel: push("cancel") },
    events,
    chunks: () => events.filter((e) => e.type === "chunk").map((e) => e.m as UttChunk),
  };
}

async function* tokens(text: string, delayMs: number, failAfter = Infinity): AsyncIterable<string> {
  const parts = text.match(/\S+\s*/g) ?? [];
  for (let i = 0; i < parts.length; i++) {
    if (i >= failAfter) throw new Error("server went away");
    await new Promise((r) => setTimeout(r, delayMs));
    yield parts[i]!;
  }
}

const voice = { provider: "espeak" as const, voice: "en-us", speed: 1, pitch: 50 };

describe("speakTurn", () => {
  it("sends start, then chunks with cues while the text still streams, then end", async () => {
    const r = recorder();
    const tts = new FakeTts({ msPerChar: 10 });
    const text = "[happy] Hello there, my good friend. This is the second sentence. [sad] And a third one.";
    let textDone = 0;
    const t0 = performance.now();
    async function* watched() { yield* tokens(text, 15); textDone = performance.now() - t0; }
    const res = await speakTurn({ turn: turnOf("u1", "p1"), text: watched(), tts, voice, sink: r.sink, leadMs: 200 });
    const types = r.events.map((e) => e.type);
    expect(types[0]).toBe("start");
    expect(types.at(-1)).toBe("end");
    expect(types.filter((t) => t === "chunk").length).toBeGreaterThan(5);
    expect(types.slice(1, -1).every((t) => t === "chunk")).toBe(true);
    // the first audio left before the LLM finished writing
    const firstChunk = r.events.find((e) => e.type === "chunk")!;
    expect(firstChunk.at).toBeLessThan(textDone);
    // segments were spoken separately: the first clause early, then sentences
    expect(tts.calls).toEqual(["Hello there,", "my good friend.", "This is the second sentence.", "And a third one."]);
    const chunks = r.chunks();
    chunks.forEach((c, i) => {
      expect(c.seq).toBe(i);
      expect(c.cues.length).toBeGreaterThan(0);
      expect(c.pcm).toBeInstanceOf(Uint8Array);
      if (i > 0) expect(c.startSample).toBe(chunks[i - 1]!.startSample + chunks[i - 1]!.pcm.byteLength / 2);
    });
    expect(chunks[0]!.emotions).toEqual([{ t: 0, emotion: "happy", intensity: 0.8 }]);
    expect(chunks.find((c) => c.text === "And a third one.")!.emotions[0]?.emotion).toBe("sad");
    expect(res).toMatchObject({ interrupted: false, text: "Hello there, my good friend. This is the second sentence. And a third one." });
    expect(res.heardText).toBe(res.text);
  });

  it("paces chunks to real time plus the lead", async () => {
    const r = recorder();
    const tts = new FakeTts({ msPerChar: 30, sampleRate: 16000 });
    const start = performance.now();
    await speakTurn({ turn: turnOf("u2"), text: tokens("One two three four five six seven eight nine ten.", 1), tts, voice, sink: r.sink, leadMs: 100 });
    const audioMs = r.chunks().reduce((n, c) => n + c.pcm.byteLength / 2, 0) / 16;
    // the call lasts as long as the audio plays (the turn waits for playout)
    expect(performance.now() - start).toBeGreaterThan(audioMs - 50);
    for (const e of r.events.filter((x) => x.type === "chunk")) {
      const c = e.m as UttChunk;
      expect(c.startSample / 16 - e.at).toBeLessThan(100 + 60);
    }
  });

  it("stops within one chunk when aborted and keeps only what was heard", async () => {
    const r = recorder();
    const tts = new FakeTts({ msPerChar: 40, sampleRate: 16000 });
    const turn = turnOf("u3");
    setTimeout(() => turn.interrupt("person"), 700);
    const res = await speakTurn({ turn, text: tokens("First sentence here. Second sentence is longer than that. Third.", 5), tts, voice, sink: r.sink, leadMs: 150 });
    const last = r.events.at(-1)!;
    expect(last.type).toBe("cancel");
    expect(last.m).toMatchObject({ utteranceId: "u3", reason: "person" });
    const lastChunk = [...r.events].reverse().find((e) => e.type === "chunk")!;
    expect(last.at - lastChunk.at).toBeLessThan(250);
    expect(res.interrupted).toBe(true);
    expect(res.heardText.length).toBeGreaterThan(0);
    expect(res.text.startsWith(res.heardText.replace(/\s+\S*$/, ""))).toBe(true);
    expect(res.heardText.length).toBeLessThan(res.text.length);
  });

  it("ends with the error and keeps what was said when the LLM fails mid-reply", async () => {
    const r = recorder();
    const res = await speakTurn({ turn: turnOf("u4"), text: tokens("This part is fine. Then the rest", 2, 6), tts: new FakeTts({ msPerChar: 2 }), voice, sink: r.sink });
    expect(res.error).toBeInstanceOf(Error);
    expect(r.events.at(-1)).toMatchObject({ type: "cancel", m: { reason: "error" } });
    expect(res.text).toBe("This part is fine. Then the");
    expect(res.interrupted).toBe(false);
  });

  it("sends start and end but no chunks for an empty reply", async () => {
    const r = recorder();
    const res = await speakTurn({ turn: turnOf("u5"), text: tokens("[happy]", 1), tts: new FakeTts(), voice, sink: r.sink });
    expect(r.events.map((e) => e.type)).toEqual(["start", "end"]);
    expect(res.text).toBe("");
  });
});
