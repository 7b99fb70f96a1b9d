import { describe, it, expect } from "vitest";
import { resample, resampleFloat, Resampler } from "./resample.js";
import { tone } from "../testing/asrAudio.js";

/** strongest frequency by a coarse scan of single-bin DFTs, Hz */
function dominantHz(x: Int16Array, rate: number, candidates: number[]): number {
  let best = 0;
  let bestP = -1;
  for (const hz of candidates) {
    let re = 0;
    let im = 0;
    for (let i = 0; i < x.length; i++) { re += x[i]! * Math.cos((2 * Math.PI * hz * i) / rate); im += x[i]! * Math.sin((2 * Math.PI * hz * i) / rate); }
    if (re * re + im * im > bestP) { bestP = re * re + im * im; best = hz; }
  }
  return best;
}
const rms = (x: ArrayLike<number>, from = 0, to = x.length): number => { let s = 0; for (let i = from; i < to; i++) s += x[i]! * x[i]!; return Math.sqrt(s / (to - from)); };

describe("resampling", () => {
  it("turns espeak's 22.05 kHz into 16 kHz with the same pitch, length and level", () => {
    const src = tone(440, 1000, 0.5, 22050);
    const out = resample(src, 22050, 16000);
    expect(out.length).toBe(Math.ceil((src.length * 16000) / 22050));
    expect(dominantHz(out, 16000, [400, 420, 440, 460, 480, 600])).toBe(440);
    expect(rms(out, 800, 15000) / rms(src, 1100, 20000)).toBeCloseTo(1, 1);
  });

  it("gives the same samples streamed in odd chunks as in one go", () => {
    const src = tone(1234, 700, 0.4, 48000);
    const whole = resample(src, 48000, 16000);
    const r = new Resampler(48000, 16000);
    const parts: Int16Array[] = [];
    for (let i = 0, k = 0; i < src.length; k++) { const n = [1, 999, 17, 4800][k % 4]!; parts.push(r.push(src.subarray(i, i + n))); i += n; }
    parts.push(r.flush());
    const streamed = Int16Array.from(parts.flatMap((p) => Array.from(p)));
    expect(streamed.length).toBe(whole.length);
    let diff = 0;
    for (let i = 0; i < whole.length; i++) diff = Math.max(diff, Math.abs(streamed[i]! - whole[i]!));
    expect(diff).toBeLessThanOrEqual(1);
  });

  it("removes what would fold back above the new Nyquist frequency", () => {
    const out = resample(tone(9000, 500, 0.5, 48000), 48000, 16000);
    expect(rms(out, 400, out.length - 400)).toBeLessThan(0.02 * 0.5 * 32767 / Math.SQRT2);
  });

  it("upsamples too, and passes equal rates through", () => {
    const up = resampleFloat(Float32Array.from({ length: 8000 }, (_, i) => Math.sin((2 * Math.PI * 300 * i) / 8000)), 8000, 16000);
    expect(up.length).toBe(16000);
    expect(rms(up, 100, 15900)).toBeCloseTo(Math.SQRT1_2, 1);
    const same = tone(100, 10);
    expect(resample(same, 16000, 16000)).toEqual(same);
    expect(() => new Resampler(0, 16000)).toThrow(RangeError);
    expect(() => new Resampler(22050.5, 16000)).toThrow(/integers/);
  });
});
