import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { VoiceConfig } from "@parley/shared";
import { EspeakTts } from "../tts/EspeakTts.js";
import type { TtsPiece, TtsProvider, TtsVoiceInfo } from "../tts/types.js";
import { AudioVisemeEstimator, vowelClass } from "./AudioVisemeEstimator.js";
import { voiceHasTimings, withAudioVisemes } from "../tts/withAudioVisemes.js";
import { ChunkAssembler } from "./cues.js";
import { measureEstimatorAccuracy } from "../testing/visemeAccuracy.js";
import { concatInt16 } from "../tts/pcm.js";

let espeak: EspeakTts;
beforeAll(async () => { espeak = new EspeakTts(); await espeak.init(); });
afterAll(async () => { await espeak.close(); });

const en = (voice: string): VoiceConfig => ({ provider: "espeak", voice, speed: 1, pitch: 50 });
const TEXTS = [
  "Father calls the dog, and the cat sat on a mat.",
  "See me beat the heat, keep it clean.",
  "Who knew you could move the blue shoe so soon?",
  "Bed, set, met, get the red pen, Ted.",
  "Go home, Joe, the snow is cold and slow.",
];

/** espeak-ng as a voice without timings: the same audio, phonemes dropped */
class Untimed implements TtsProvider {
  readonly label = "untimed";
  readonly hasTimings = false;
  constructor(private readonly inner: EspeakTts) {}
  prepare(v: VoiceConfig): Promise<void> { return this.inner.prepare(v); }
  sampleRate(): number { return this.inner.sampleRate(); }
  listVoices(): Promise<TtsVoiceInfo[]> { return this.inner.listVoices(); }
  async *synthesize(text: string, v: VoiceConfig, signal: AbortSignal): AsyncIterable<TtsPiece> {
    for await (const p of this.inner.synthesize(text, v, signal)) yield { pcm: p.pcm, phonemes: [] };
  }
  close(): Promise<void> { return Promise.resolve(); }
}

describe("mouth shapes estimated from audio", () => {
  it("finds silence and speech almost always and the vowel class mostly, on espeak-ng speech", async () => {
    const a = await measureEstimatorAccuracy(espeak, TEXTS, [en("en-us"), en("en-us+f3")]);
    const pct = (s: { correct: number; total: number }): number => (100 * s.correct) / s.total;
    console.log(`estimator on espeak-ng: silence ${pct(a.silence).toFixed(1)}% (${a.silence.total} frames), speech ${pct(a.speech).toFixed(1)}% (${a.speech.total}), vowel class ${pct(a.vowels).toFixed(1)}% (${a.vowels.total})`);
    expect(a.silence.total).toBeGreaterThan(100);
    expect(pct(a.silence)).toBeGreaterThanOrEqual(95);
    expect(pct(a.speech)).toBeGreaterThanOrEqual(97);
    expect(pct(a.vowels)).toBeGreaterThanOrEqual(55);
  });

  it("places vowels in the right region of the formant plane", () => {
    expect(vowelClass(300, 2300)).toBe("i");
    expect(vowelClass(580, 1800)).toBe("e");
    expect(vowelClass(720, 1250)).toBe("a");
    expect(vowelClass(540, 950)).toBe("o");
    expect(vowelClass(330, 900)).toBe("u");
    expect(vowelClass(500, 1400)).toBe("ə");
  });

  it("gives the same events however the audio is split into pieces", async () => {
    const parts: Int16Array[] = [];
    for await (const p of espeak.synthesize("Hello there, how are you?", en("en-us"), new AbortController().signal)) parts.push(p.pcm);
    const pcm = concatInt16(parts);
    const whole = new AudioVisemeEstimator();
    const a = [...whole.push(pcm, 22050), ...whole.end()];
    const bits = new AudioVisemeEstimator();
    const b = [];
    for (let i = 0; i < pcm.length; i += 777) b.push(...bits.push(pcm.subarray(i, i + 777), 22050));
    b.push(...bits.end());
    expect(b).toEqual(a);
    expect(a.filter((e) => e.ipa).length).toBeGreaterThan(10);
    for (let i = 1; i < a.length; i++) expect(a[i]!.t).toBeGreaterThan(a[i - 1]!.t);
    expect(a.at(-1)!.t).toBeLessThan(pcm.length);
  });

  it("stays closed on silence and never reports an event beyond the audio it was given", () => {
    const est = new AudioVisemeEstimator();
    const out = [...est.push(new Int16Array(16000), 16000), ...est.push(new Int16Array(100), 16000), ...est.end()];
    expect(out.every((e) => e.ipa === "" && e.t < 16100)).toBe(true);
  });
});

describe("withAudioVisemes", () => {
  it("gives a voice without timings a phoneme timeline the chunker turns into cues", async () => {
    const untimed = new Untimed(espeak);
    const wrapped = withAudioVisemes(untimed);
    expect(voiceHasTimings(untimed, en("en-us"))).toBe(false);
    expect(voiceHasTimings(wrapped, en("en-us"))).toBe(true);
    const asm = new ChunkAssembler(4410, 2205);
    let named = 0;
    let samples = 0;
    let cues = 0;
    for await (const p of wrapped.synthesize("The quick brown fox jumps over the lazy dog.", en("en-us"), new AbortController().signal)) {
      samples += p.pcm.length;
      for (const ph of p.phonemes) { expect(ph.t).toBeLessThanOrEqual(samples); if (ph.ipa) named++; }
      cues += asm.push(p.pcm, p.phonemes).reduce((n, c) => n + c.cues.length, 0);
    }
    cues += asm.end().reduce((n, c) => n + c.cues.length, 0);
    expect(named).toBeGreaterThan(20);
    expect(cues).toBeGreaterThan(named / 2);
  });

  it("leaves engine timings alone and wraps only once", async () => {
    const wrapped = withAudioVisemes(espeak);
    const direct: TtsPiece[] = [];
    for await (const p of espeak.synthesize("Hi there.", en("en-us"), new AbortController().signal)) direct.push(p);
    const via: TtsPiece[] = [];
    for await (const p of wrapped.synthesize("Hi there.", en("en-us"), new AbortController().signal)) via.push(p);
    // espeak's closing pause can move by a few samples from run to run; the sounds do not
    const named = (ps: TtsPiece[]): unknown[] => ps.flatMap((p) => p.phonemes).filter((p) => p.ipa);
    expect(named(via)).toEqual(named(direct));
    expect(withAudioVisemes(wrapped)).toBe(wrapped);
  });
});
