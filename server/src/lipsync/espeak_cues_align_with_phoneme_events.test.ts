import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { VisemeWeights } from "@parley/shared";
import { EspeakTts } from "../tts/EspeakTts.js";
import { ChunkAssembler, cuesForPhoneme, type TimedPhoneme } from "./cues.js";
import { concatInt16 } from "../tts/pcm.js";

let tts: EspeakTts;
let rate: number;
let pcm: Int16Array;
let events: TimedPhoneme[];
/** cues as absolute sample positions, with whether they restate the shape at a chunk's first sample */
let cues: { t: number; w: VisemeWeights; restated: boolean }[];

const PARAGRAPH = "Hello there. I am Ada, and this is a test of my mouth. Every shape should land on its sound, never early and never late!";
const TOLERANCE_MS = 10;

beforeAll(async () => {
  tts = new EspeakTts();
  await tts.init();
  rate = tts.sampleRate();
  const asm = new ChunkAssembler(Math.round(rate * 0.2), Math.round(rate * 0.1));
  const parts: Int16Array[] = [];
  events = [];
  cues = [];
  let lastW: VisemeWeights | null = null;
  const take = (chunks: ReturnType<ChunkAssembler["push"]>): void => {
    for (const c of chunks) {
      for (const cue of c.cues) {
        // a chunk states the shape at its first sample: the previous shape again, or the closed mouth before any sound
        const restated = cue.t === 0 && JSON.stringify(cue.w) === JSON.stringify(lastW ?? {});
        cues.push({ t: c.start + cue.t, w: cue.w, restated });
        lastW = cue.w;
      }
    }
  };
  for await (const piece of tts.synthesize(PARAGRAPH, { provider: "espeak", voice: "en-us", speed: 1, pitch: 50 }, new AbortController().signal)) {
    parts.push(piece.pcm);
    events.push(...piece.phonemes);
    take(asm.push(piece.pcm, piece.phonemes));
  }
  take(asm.end());
  pcm = concatInt16(parts);
});
afterAll(async () => { await tts.close(); });

const ms = (samples: number): number => (samples * 1000) / rate;
const rms = (a: number, b: number): number => {
  let e = 0;
  for (let i = Math.max(0, a); i < Math.min(pcm.length, b); i++) e += pcm[i]! ** 2;
  return Math.sqrt(e / Math.max(1, b - a));
};

describe("espeak-ng lip-sync", () => {
  it("puts every phoneme's cue within 10 ms of its event, across chunk boundaries", () => {
    expect(events.filter((e) => e.ipa).length).toBeGreaterThan(40);
    let worst = 0;
    for (let i = 0; i < events.length; i++) {
      const next = events[i + 1]?.t ?? pcm.length;
      for (const want of cuesForPhoneme(events[i]!, next)) {
        const near = cues.filter((c) => JSON.stringify(c.w) === JSON.stringify(want.w)).map((c) => Math.abs(ms(c.t - want.t)));
        const offset = Math.min(...near);
        worst = Math.max(worst, offset);
        expect(offset).toBeLessThanOrEqual(TOLERANCE_MS);
      }
    }
    expect(worst).toBeLessThanOrEqual(TOLERANCE_MS);
  });

  it("emits no cue that is not within 10 ms of a phoneme event (restated chunk starts aside)", () => {
    const expected = events.flatMap((e, i) => cuesForPhoneme(e, events[i + 1]?.t ?? pcm.length).map((c) => c.t));
    expected.push(pcm.length - 1);
    for (const c of cues.filter((x) => !x.restated)) {
      expect(Math.min(...expected.map((t) => Math.abs(ms(c.t - t))))).toBeLessThanOrEqual(TOLERANCE_MS);
    }
  });

  it("has events that match the audio: pauses fall silent within 10 ms and speech resumes on its first phoneme", () => {
    const tol = Math.round((rate * TOLERANCE_MS) / 1000);
    const loud = rms(0, pcm.length);
    let pauses = 0;
    for (let i = 0; i + 1 < events.length; i++) {
      const e = events[i]!;
      // a pause lasts until the next sound; espeak also puts pause events on the first sample of a word
      const next = events.slice(i + 1).find((x) => x.ipa && x.t > e.t);
      if (e.ipa !== "" || !next || events.some((x) => x.t === e.t && x.ipa) || next.t - e.t < 4 * tol) continue;
      pauses++;
      // silent from 10 ms after the pause event until 10 ms before the next sound...
      expect(rms(e.t + tol, next.t - tol)).toBeLessThan(loud * 0.05);
      // ...and sounding within 10 ms after it starts
      expect(rms(next.t, next.t + 2 * tol)).toBeGreaterThan(loud * 0.1);
    }
    expect(pauses).toBeGreaterThanOrEqual(3);
  });
});
