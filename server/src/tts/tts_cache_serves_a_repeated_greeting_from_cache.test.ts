import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { VoiceConfig } from "@parley/shared";
import { FliteTts } from "./FliteTts.js";
import { CachedTts, stableJson } from "./TtsCache.js";
import { speak } from "./ttsConformance.js";

let flite: FliteTts;
let dir: string;
const slt: VoiceConfig = { provider: "flite", voice: "slt", speed: 1, pitch: 50 };
const GREETING = "Hello everyone, I am Ada, and I have seen every bug twice.";

beforeAll(async () => { flite = new FliteTts(); dir = await mkdtemp(join(tmpdir(), "parley-cache-")); });
afterAll(async () => { await flite.close(); await rm(dir, { recursive: true, force: true }); });

describe("the TTS cache", () => {
  it("serves a repeated greeting from memory, identical and much faster", async () => {
    const cache = new CachedTts(flite, { diskDir: join(dir, "a") });
    const first = await speak(cache, GREETING, slt);
    const t0 = performance.now();
    const again = await speak(cache, `  ${GREETING.replace(/ /g, "   ")} `, slt);
    const cachedMs = performance.now() - t0;
    expect(cache.stats).toMatchObject({ misses: 1, memoryHits: 1 });
    expect(again.pcm).toEqual(first.pcm);
    expect(again.phonemes).toEqual(first.phonemes);
    // pieces stay small so an abort still lands within one piece
    expect(again.pieces.length).toBeGreaterThan(3);
    const t1 = performance.now();
    await speak(flite, GREETING, slt);
    const uncachedMs = performance.now() - t1;
    console.log(`cache: uncached ${uncachedMs.toFixed(1)} ms, cached ${cachedMs.toFixed(2)} ms, speed-up ${(uncachedMs / cachedMs).toFixed(0)}x`);
    expect(uncachedMs / cachedMs).toBeGreaterThan(5);
  });

  it("keys on provider, voice settings and text, not on field order or spacing", async () => {
    const cache = new CachedTts(flite);
    expect(cache.key("Hi  there ", slt)).toBe(cache.key("Hi there", { pitch: 50, speed: 1, voice: "slt", provider: "flite" }));
    expect(cache.key("Hi there", slt)).not.toBe(cache.key("hi there", slt));
    expect(cache.key("Hi there", slt)).not.toBe(cache.key("Hi there", { ...slt, speed: 1.1 }));
    expect(cache.key("Cafe\u0301", slt)).toBe(cache.key("Café", slt));
    expect(stableJson({ b: 1, a: [2, { d: 3, c: undefined }] })).toBe('{"a":[2,{"d":3}],"b":1}');
  });

  it("finds segments on disk after a restart, written atomically", async () => {
    const one = new CachedTts(flite, { diskDir: join(dir, "b") });
    const made = await speak(one, GREETING, slt);
    await one.flushed();
    const files = await readdir(join(dir, "b"));
    expect(files.filter((f) => f.endsWith(".tts"))).toHaveLength(1);
    expect(files.filter((f) => f.endsWith(".tmp"))).toHaveLength(0);
    const two = new CachedTts(flite, { diskDir: join(dir, "b") });
    const loaded = await speak(two, GREETING, slt);
    expect(two.stats).toMatchObject({ diskHits: 1, misses: 0 });
    expect(loaded.pcm).toEqual(made.pcm);
    expect(loaded.phonemes).toEqual(made.phonemes);
  });

  it("lets simultaneous requests for one segment share a single synthesis", async () => {
    const cache = new CachedTts(flite);
    const [a, b] = await Promise.all([speak(cache, "Good morning, table.", slt), speak(cache, "Good morning, table.", slt)]);
    expect(cache.stats).toMatchObject({ misses: 1, shared: 1 });
    expect(b.pcm).toEqual(a.pcm);
  });

  it("stores nothing from an aborted synthesis", async () => {
    const cache = new CachedTts(flite);
    const ac = new AbortController();
    for await (const _ of cache.synthesize("This one is cut off. It has a second sentence too.", slt, ac.signal)) ac.abort();
    await cache.flushed();
    await speak(cache, "This one is cut off. It has a second sentence too.", slt);
    expect(cache.stats).toMatchObject({ misses: 2, memoryHits: 0 });
  });

  it("keeps the disk under its budget by dropping the least recently used", async () => {
    const cache = new CachedTts(flite, { diskDir: join(dir, "c"), maxDiskBytes: 150_000 });
    for (const t of ["One two three.", "Four five six.", "Seven eight nine.", "Ten eleven twelve."]) {
      await speak(cache, t, slt);
      await cache.flushed();
    }
    const sizes = await Promise.all((await readdir(join(dir, "c"))).map(async (f) => stat(join(dir, "c", f)).then((s) => s.size)));
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(150_000);
    expect(sizes.length).toBeLessThan(4);
    // the newest is kept
    const fresh = new CachedTts(flite, { diskDir: join(dir, "c"), maxDiskBytes: 150_000 });
    await speak(fresh, "Ten eleven twelve.", slt);
    expect(fresh.stats.diskHits).toBe(1);
  });
});
