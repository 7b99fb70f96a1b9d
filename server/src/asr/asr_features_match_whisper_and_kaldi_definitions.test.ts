import { describe, it, expect, beforeAll } from "vitest";
import { Fft } from "./fft.js";
import { WhisperFeatureExtractor, slaneyMelFilters, pcmToFloat, WHISPER_FRAMES } from "./whisperFeatures.js";
import { OnlineFbank, kaldiMelBanks, FBANK_DEFAULTS } from "./fbankFeatures.js";
import { tone, concatPcm, silence, espeakSpeech } from "../testing/asrAudio.js";

/** an independent O(n²) DFT power spectrum, bins 0..n/2 */
function naivePower(x: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n / 2 + 1);
  for (let k = 0; k <= n / 2; k++) {
    let re = 0;
    let im = 0;
    for (let j = 0; j < n; j++) {
      const a = (-2 * Math.PI * j * k) / n;
      const v = j < x.length ? x[j]! : 0;
      re += v * Math.cos(a);
      im += v * Math.sin(a);
    }
    out[k] = re * re + im * im;
  }
  return out;
}

const argmax = (a: ArrayLike<number>): number => { let b = 0; for (let i = 1; i < a.length; i++) if (a[i]! > a[b]!) b = i; return b; };
const nearest = (centres: number[], hz: number): number => argmax(centres.map((c) => -Math.abs(c - hz)));

describe("FFT", () => {
  it("matches a direct DFT for Whisper's 400, Kaldi's 512 and an odd length", () => {
    for (const n of [400, 512, 63]) {
      const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) + ((i * 7919) % 13) / 13 - 0.5);
      const re = new Float64Array(n);
      const im = new Float64Array(n);
      const p = new Float64Array(n / 2 + 1 | 0);
      new Fft(n).powerSpectrum(x, re, im, p);
      const ref = naivePower(x, n);
      for (let k = 0; k < p.length; k++) expect(Math.abs(p[k]! - ref[k]!)).toBeLessThan(1e-8 * Math.max(1, ref[k]!));
    }
  });
});

describe("Whisper log-mel", () => {
  const fx = new WhisperFeatureExtractor(80);
  const melMax = 15 + Math.log(8000 / 1000) / (Math.log(6.4) / 27);
  const melToHz = (m: number): number => (m < 15 ? (200 * m) / 3 : 1000 * Math.exp((Math.log(6.4) / 27) * (m - 15)));
  const centres = Array.from({ length: 80 }, (_, m) => melToHz(((m + 1) * melMax) / 81));
  const meanOverFrames = (f: Float32Array, from: number, to: number): number[] =>
    Array.from({ length: 80 }, (_, m) => { let s = 0; for (let t = from; t < to; t++) s += f[m * WHISPER_FRAMES + t]!; return s / (to - from); });

  it("puts a tone's energy in the mel bin centred nearest to it", () => {
    for (const hz of [300, 1000, 3000]) {
      const f = fx.compute(pcmToFloat(tone(hz, 1000)));
      expect(f.length).toBe(80 * WHISPER_FRAMES);
      expect(Math.abs(argmax(meanOverFrames(f, 10, 90)) - nearest(centres, hz))).toBeLessThanOrEqual(1);
    }
  });

  it("is -1.5 everywhere for silence, and floors the padding 8 decades under the peak", () => {
    expect(new Set(fx.compute(new Float32Array(16000)))).toEqual(new Set([-1.5]));
    const f = fx.compute(pcmToFloat(tone(1000, 500)));
    let max = -Infinity;
    for (const v of f) max = Math.max(max, v);
    expect(f[10 * WHISPER_FRAMES + 2000]).toBeCloseTo(max - 2, 5);
  });

  it("matches a direct implementation: centre reflect padding, periodic Hann, hop 160, Slaney filters", () => {
    const x = pcmToFloat(concatPcm(tone(440, 120, 0.5), tone(2500, 80, 0.2)));
    const got = fx.compute(x);
    const filters = slaneyMelFilters(80);
    const frames = 15;
    const mel = new Float64Array(80 * frames);
    for (let t = 0; t < frames; t++) {
      const frame = Array.from({ length: 400 }, (_, i) => {
        let s = t * 160 + i - 200;
        if (s < 0) s = -s;
        return (s < x.length ? x[s]! : 0) * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / 400));
      });
      const p = naivePower(frame, 400);
      for (let m = 0; m < 80; m++) { let a = 0; for (let k = 0; k <= 200; k++) a += filters[m * 201 + k]! * p[k]!; mel[m * frames + t] = Math.log10(Math.max(a, 1e-10)); }
    }
    let peak = -Infinity;
    for (const v of mel) peak = Math.max(peak, v);
    for (let m = 0; m < 80; m++) for (let t = 0; t < frames; t++) {
      const want = (Math.max(mel[m * frames + t]!, peak - 8) + 4) / 4;
      expect(Math.abs(got[m * WHISPER_FRAMES + t]! - want)).toBeLessThan(1e-4);
    }
  });

  it("takes 128 bins for large-v3 models", () => {
    expect(new WhisperFeatureExtractor(128).compute(new Float32Array(1600)).length).toBe(128 * WHISPER_FRAMES);
  });
});

describe("Kaldi fbank (sherpa-onnx settings)", () => {
  const o = FBANK_DEFAULTS;
  const mel = (hz: number): number => 1127 * Math.log(1 + hz / 700);
  const lo = mel(20);
  const delta = (mel(7600) - lo) / 81;
  const centres = Array.from({ length: 80 }, (_, b) => 700 * (Math.exp((lo + (b + 1) * delta) / 1127) - 1));
  const fbank = (pcm: Int16Array, sizes?: number[]): Float32Array[] => {
    const f = new OnlineFbank();
    const x = pcmToFloat(pcm);
    if (!sizes) return f.accept(x);
    const out: Float32Array[] = [];
    for (let i = 0, k = 0; i < x.length; k++) { const n = sizes[k % sizes.length]!; out.push(...f.accept(x.subarray(i, i + n))); i += n; }
    return out;
  };

  it("puts a tone in the bin centred nearest to it", () => {
    for (const hz of [300, 1000, 3000]) {
      const frames = fbank(tone(hz, 500));
      expect(Math.abs(argmax(frames[20]!) - nearest(centres, hz))).toBeLessThanOrEqual(1);
    }
  });

  it("completes frames as samples arrive (snip_edges = false) and does not depend on chunk sizes", () => {
    const pcm = concatPcm(tone(440, 300), tone(1200, 211));
    const whole = fbank(pcm);
    expect(whole.length).toBe(Math.floor((pcm.length - 280) / 160) + 1);
    const pieces = fbank(pcm, [1, 7, 333, 4095, 17, 160]);
    expect(pieces.length).toBe(whole.length);
    for (let i = 0; i < whole.length; i++) for (let b = 0; b < 80; b++) expect(pieces[i]![b]).toBeCloseTo(whole[i]![b]!, 4);
  });

  it("matches a direct implementation: reflect at the start, DC removal, pre-emphasis, Povey window, 512-point DFT", () => {
    const pcm = concatPcm(tone(700, 60, 0.4), tone(2100, 40, 0.1));
    const x = pcmToFloat(pcm);
    const got = fbank(pcm);
    const banks = kaldiMelBanks(o, 512);
    for (const i of [0, 1, 3, got.length - 1]) {
      const w = Array.from({ length: 400 }, (_, j) => { const s = i * 160 - 120 + j; return x[s < 0 ? -s - 1 : s]!; });
      const mean = w.reduce((a, b) => a + b, 0) / 400;
      const d = w.map((v) => v - mean);
      const e = d.map((v, j) => (j === 0 ? v - 0.97 * v : v - 0.97 * d[j - 1]!));
      const win = e.map((v, j) => v * Math.pow(0.5 - 0.5 * Math.cos((2 * Math.PI * j) / 399), 0.85));
      const p = naivePower(win, 512);
      for (let b = 0; b < 80; b++) {
        let a = 0;
        for (let k = 0; k < 256; k++) a += banks[b * 256 + k]! * p[k]!;
        expect(Math.abs(got[i]![b]! - Math.log(Math.max(a, 1.1920928955078125e-7)))).toBeLessThan(1e-3);
      }
    }
  });

  it("floors silence at log(FLT_EPSILON)", () => {
    for (const v of fbank(silence(100))[3]!) expect(v).toBeCloseTo(Math.log(1.1920928955078125e-7), 4);
  });
});

describe("features of real (espeak-ng) speech", () => {
  let speech: Int16Array;
  beforeAll(async () => { [speech] = await espeakSpeech([{ text: "Hello there, Ada.", voice: "en-us" }]); });

  it("stand out from the silence around them in both front ends", () => {
    const pcm = concatPcm(silence(500), speech, silence(500));
    const w = new WhisperFeatureExtractor(80).compute(pcmToFloat(pcm));
    const frameMean = (t: number): number => { let s = 0; for (let m = 0; m < 80; m++) s += w[m * WHISPER_FRAMES + t]!; return s / 80; };
    const speechFrames = Math.floor(speech.length / 160);
    const loud = Math.max(...Array.from({ length: speechFrames }, (_, i) => frameMean(50 + i)));
    expect(loud).toBeGreaterThan(frameMean(10) + 1);
    const f = new OnlineFbank().accept(pcmToFloat(pcm));
    const mean = (v: Float32Array): number => v.reduce((a, b) => a + b, 0) / v.length;
    expect(Math.max(...f.slice(50, 50 + speechFrames).map(mean))).toBeGreaterThan(mean(f[10]!) + 10);
  });
});
