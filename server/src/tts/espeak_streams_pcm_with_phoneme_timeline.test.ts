import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { EspeakTts } from "./EspeakTts.js";
import type { TtsPiece } from "./types.js";
import type { VoiceConfig } from "@parley/shared";

let tts: EspeakTts;
beforeAll(async () => { tts = new EspeakTts(); await tts.init(); });
afterAll(async () => { await tts.close(); });

const voice = (v: string, pitch = 50): VoiceConfig => ({ provider: "espeak", voice: v, speed: 1, pitch });

async function synth(text: string, v: VoiceConfig, signal = new AbortController().signal): Promise<{ pieces: TtsPiece[]; samples: Int16Array; phonemes: TtsPiece["phonemes"] }> {
  const pieces: TtsPiece[] = [];
  for await (const p of tts.synthesize(text, v, signal)) pieces.push(p);
  const samples = new Int16Array(pieces.reduce((n, p) => n + p.pcm.length, 0));
  let o = 0;
  for (const p of pieces) { samples.set(p.pcm, o); o += p.pcm.length; }
  return { pieces, samples, phonemes: pieces.flatMap((p) => p.phonemes) };
}

const rms = (s: Int16Array): number => Math.sqrt(s.reduce((a, x) => a + x * x, 0) / Math.max(1, s.length));

describe("espeak-ng voice", () => {
  it("streams 22.05 kHz speech in several pieces with a monotonic phoneme timeline", async () => {
    const { pieces, samples, phonemes } = await synth("Hello there, I am Ada. How are you today?", voice("en-us"));
    expect(tts.sampleRate(voice("en-us"))).toBe(22050);
    expect(pieces.length).toBeGreaterThan(3);
    expect(samples.length / 22050).toBeGreaterThan(1.5);
    expect(rms(samples)).toBeGreaterThan(500);
    const named = phonemes.filter((p) => p.ipa);
    expect(named.length).toBeGreaterThan(15);
    for (let i = 1; i < phonemes.length; i++) expect(phonemes[i]!.t).toBeGreaterThanOrEqual(phonemes[i - 1]!.t);
    expect(phonemes.at(-1)!.t).toBeLessThanOrEqual(samples.length);
    expect(named.map((p) => p.ipa).join(" ")).toMatch(/h .*l/);
  });

  it("gives each character a distinct voice", async () => {
    const a = await synth("The same words.", voice("en-us+f3", 70));
    const b = await synth("The same words.", voice("en-gb-x-rp+m7", 30));
    const n = Math.min(a.samples.length, b.samples.length);
    let diff = 0;
    for (let i = 0; i < n; i++) diff += Math.abs(a.samples[i]! - b.samples[i]!);
    expect(diff / n).toBeGreaterThan(200);
  });

  it("speaks Russian and Chinese with their own phonemes", async () => {
    const ru = await synth("Привет, как дела?", voice("ru"));
    const zh = await synth("你好，今天天气很好。", voice("cmn"));
    expect(ru.samples.length).toBeGreaterThan(10000);
    expect(zh.samples.length).toBeGreaterThan(10000);
    expect(ru.phonemes.some((p) => /[a-zɐɪ]/.test(p.ipa))).toBe(true);
    expect(zh.phonemes.filter((p) => p.ipa).length).toBeGreaterThan(5);
  });

  it("speaks markup as text instead of obeying it", async () => {
    const plain = await synth("one two", voice("en-us"));
    const marked = await synth('one <break time="5s"/> two', voice("en-us"));
    // a honoured 5 s break would add 110k samples
    expect(marked.samples.length).toBeLessThan(plain.samples.length + 60000);
  });

  it("stops streaming when aborted", async () => {
    const ac = new AbortController();
    const pieces: TtsPiece[] = [];
    for await (const p of tts.synthesize("This is a rather long sentence that would take several seconds to say out loud.", voice("en-us"), ac.signal)) {
      pieces.push(p);
      ac.abort();
    }
    expect(pieces).toHaveLength(1);
    // the engine is still usable afterwards
    expect((await synth("Still here.", voice("en-us"))).samples.length).toBeGreaterThan(5000);
  });

  it("yields nothing for empty text", async () => {
    const { samples } = await synth("", voice("en-us"));
    expect(samples.length).toBeLessThan(22050);
  });
});

describe("espeak-ng phonemizer", () => {
  it("turns text into IPA for English, Russian and Chinese", async () => {
    expect(await tts.phonemize("Hello there", "en-us")).toMatch(/h_ə_l_ˈoʊ ð_ˈɛɹ/);
    expect(await tts.phonemize("Привет", "ru")).toMatch(/p.*rʲ/);
    expect((await tts.phonemize("你好", "cmn")).length).toBeGreaterThan(3);
  });

  it("lists its voices", async () => {
    const voices = await tts.listVoices();
    expect(voices.length).toBeGreaterThan(100);
    expect(voices.some((v) => v.id === "ru")).toBe(true);
  });
});
