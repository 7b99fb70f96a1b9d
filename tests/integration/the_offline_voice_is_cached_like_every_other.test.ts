import { describe, it, expect, afterAll } from "vitest";
import { boot, type Booted } from "../support/boot.js";
import { CachedTts } from "../../server/src/tts/TtsCache.js";

let app: Booted | undefined;
afterAll(async () => { await app?.stop(); });

describe("the offline voice (espeak-ng)", () => {
  it("speaks a repeated line from the cache, for the cast and for fallbacks", async () => {
    app = await boot();
    const ada = app.parley.characters.find((c) => c.id === "ada")!;
    expect(ada.voice.provider).toBe("espeak");
    const route = await app.parley.voices.route(ada.voice);
    expect(route.provider).toBeInstanceOf(CachedTts);
    const cached = route.provider as CachedTts;
    const say = async (): Promise<number> => {
      let n = 0;
      for await (const p of cached.synthesize("Hello there, nice to meet you.", route.voice, new AbortController().signal)) n += p.pcm.length;
      return n;
    };
    const first = await say();
    const before = cached.stats.memoryHits + cached.stats.diskHits;
    expect(await say()).toBe(first);
    expect(cached.stats.memoryHits + cached.stats.diskHits).toBe(before + 1);
    // a voice that cannot run falls back to the same cached offline voice
    const fallback = await app.parley.voices.route({ provider: "piper", voice: "/nowhere/voice.onnx", speed: 1, pitch: 50 });
    expect(fallback.provider).toBe(cached);
  });
});
