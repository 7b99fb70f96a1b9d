/**
 * The behaviour every voice provider shares, as vitest tests: streaming order,
 * prompt abort, an honest sample rate, a sane phoneme timeline, and no crash or
 * hang on empty, very long, emoji or mixed-language text. Each provider's test
 * file calls `ttsConformance` with a factory for a ready provider and voice.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { VoiceConfig } from "@parley/shared";
import type { TtsPiece, TtsProvider } from "./types.js";
import { concatInt16 } from "./pcm.js";
import { voiceHasTimings } from "./withAudioVisemes.js";

export interface ConformanceSubject {
  tts: TtsProvider;
  voice: VoiceConfig;
  /**
   * How the declared rate is checked: the frequency of the known test tone a
   * fixture or fake server produces (Hz), or plausible speech duration per word.
   */
  rateCheck: { toneHz: number } | { secondsPerWord: [number, number] };
  /** the audio is one continuous sine across pieces (fake servers), so any reordered or lost piece shows as a jump */
  continuousTone?: boolean;
  /** speak all of the 2,000-character text; slow engines stop after `longTextSeconds` of audio */
  longTextFull?: boolean;
  close?: () => Promise<void>;
}

export interface Spoken { pieces: TtsPiece[]; pcm: Int16Array; phonemes: TtsPiece["phonemes"]; firstPieceMs: number }

export async function speak(tts: TtsProvider, text: string, voice: VoiceConfig, signal = new AbortController().signal): Promise<Spoken> {
  const t0 = performance.now();
  let firstPieceMs = -1;
  const pieces: TtsPiece[] = [];
  for await (const p of tts.synthesize(text, voice, signal)) {
    if (firstPieceMs < 0) firstPieceMs = performance.now() - t0;
    pieces.push(p);
  }
  return { pieces, pcm: concatInt16(pieces.map((p) => p.pcm)), phonemes: pieces.flatMap((p) => p.phonemes), firstPieceMs };
}

/** Frequency of a steady tone from its rising zero crossings, Hz at the stated rate (loud parts only). */
export function toneFrequency(pcm: Int16Array, rate: number): number {
  let peak = 0;
  for (const v of pcm) peak = Math.max(peak, Math.abs(v));
  let first = -1;
  let last = -1;
  let crossings = 0;
  for (let i = 1; i < pcm.length; i++) {
    if (pcm[i - 1]! < 0 && pcm[i]! >= 0 && Math.abs(pcm[i]! - pcm[i - 1]!) > peak * 0.01) {
      if (first < 0) first = i; else crossings++;
      last = i;
    }
  }
  return crossings > 0 ? (crossings * rate) / (last - first) : 0;
}

const LONG_TEXT = "This is a longer passage that the voice has to read from the beginning to the end. It has several sentences, some commas, and a question or two? ";
const VERY_LONG_TEXT = (() => { let s = ""; while (s.length < 2000) s += LONG_TEXT; return s.slice(0, 2000); })();
const SENTENCE = "The quick brown fox jumps over the lazy dog.";

export function ttsConformance(name: string, setup: () => Promise<ConformanceSubject>): void {
  describe(`${name} passes the TTS conformance suite`, () => {
    let s: ConformanceSubject;
    let rate = 0;
    beforeAll(async () => {
      s = await setup();
      await s.tts.prepare(s.voice);
      rate = s.tts.sampleRate(s.voice);
    });
    afterAll(async () => { await s?.close?.(); });

    it("streams a long text in order, in several pieces", async () => {
      const r = await speak(s.tts, LONG_TEXT + LONG_TEXT, s.voice);
      expect(r.pieces.length).toBeGreaterThan(1);
      let produced = 0;
      let lastT = 0;
      for (const p of r.pieces) {
        produced += p.pcm.length;
        for (const ph of p.phonemes) {
          expect(ph.t).toBeGreaterThanOrEqual(lastT);
          expect(ph.t).toBeLessThanOrEqual(produced);
          lastT = ph.t;
        }
      }
      if (s.continuousTone) {
        let peak = 0;
        for (const v of r.pcm) peak = Math.max(peak, Math.abs(v));
        const hz = "toneHz" in s.rateCheck ? s.rateCheck.toneHz : 0;
        const maxStep = (peak * 2 * Math.PI * hz) / rate * 1.2 + 4;
        let worst = 0;
        for (let i = 1; i < r.pcm.length; i++) worst = Math.max(worst, Math.abs(r.pcm[i]! - r.pcm[i - 1]!));
        expect(worst).toBeLessThanOrEqual(maxStep);
      }
    });

    it("stops within one piece of an abort and stays usable", async () => {
      const ac = new AbortController();
      let after = 0;
      const t0 = performance.now();
      for await (const _ of s.tts.synthesize(LONG_TEXT + LONG_TEXT + LONG_TEXT, s.voice, ac.signal)) {
        if (ac.signal.aborted) after++;
        else ac.abort();
      }
      expect(after).toBeLessThanOrEqual(1);
      expect(performance.now() - t0).toBeLessThan(5000);
      expect((await speak(s.tts, "Still here.", s.voice)).pcm.length).toBeGreaterThan(0);
    });

    it("declares the sample rate its audio really has", async () => {
      const r = await speak(s.tts, SENTENCE, s.voice);
      expect(r.pcm.length).toBeGreaterThan(0);
      if ("toneHz" in s.rateCheck) {
        // a rate declared wrong by even 5% moves the tone by 5%
        expect(Math.abs(toneFrequency(r.pcm, rate) / s.rateCheck.toneHz - 1)).toBeLessThan(0.02);
      } else {
        const perWord = r.pcm.length / rate / SENTENCE.split(" ").length;
        expect(perWord).toBeGreaterThanOrEqual(s.rateCheck.secondsPerWord[0]);
        expect(perWord).toBeLessThanOrEqual(s.rateCheck.secondsPerWord[1]);
      }
    });

    it("keeps its phoneme timeline in order and inside the audio", async () => {
      const r = await speak(s.tts, "Hello there. How are you today?", s.voice);
      for (let i = 1; i < r.phonemes.length; i++) expect(r.phonemes[i]!.t).toBeGreaterThanOrEqual(r.phonemes[i - 1]!.t);
      for (const p of r.phonemes) { expect(p.t).toBeGreaterThanOrEqual(0); expect(p.t).toBeLessThanOrEqual(r.pcm.length); }
      if (voiceHasTimings(s.tts, s.voice)) expect(r.phonemes.filter((p) => p.ipa).length).toBeGreaterThanOrEqual(5);
    });

    it("says nothing for empty text", async () => {
      for (const text of ["", "   "]) expect((await speak(s.tts, text, s.voice)).pcm.length).toBeLessThan(rate / 2);
    });

    it("gets through a 2,000-character text without failing or hanging", async () => {
      const ac = new AbortController();
      let samples = 0;
      for await (const p of s.tts.synthesize(VERY_LONG_TEXT, s.voice, ac.signal)) {
        samples += p.pcm.length;
        // slow engines prove the start; the fast ones read to the end
        if (!s.longTextFull && samples > rate * 8) ac.abort();
      }
      expect(samples).toBeGreaterThan(rate * (s.longTextFull ? 20 : 8));
    });

    it("speaks text with emoji and in several languages without failing", async () => {
      for (const text of ["Great job 🎉👍 see you soon 😀", "Hello, Привет, 你好, bonjour, ¿qué tal?", "👍"]) {
        const r = await speak(s.tts, text, s.voice);
        expect(r.pcm.length).toBeGreaterThanOrEqual(0);
      }
      expect((await speak(s.tts, "Great job 🎉👍 see you soon 😀", s.voice)).pcm.length).toBeGreaterThan(0);
    });

    it("speaks faster at a higher speed", async () => {
      const normal = await speak(s.tts, SENTENCE, s.voice);
      const fast = await speak(s.tts, SENTENCE, { ...s.voice, speed: 2 } as VoiceConfig);
      expect(fast.pcm.length).toBeLessThan(normal.pcm.length * 0.8);
    });
  });
}
