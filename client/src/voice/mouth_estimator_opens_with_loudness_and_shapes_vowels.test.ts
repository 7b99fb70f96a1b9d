import { describe, it, expect } from "vitest";
import { VISEMES, type Viseme } from "@parley/shared";
import { MouthEstimator } from "./MouthEstimator.js";

const RATE = 48_000;
const BINS = 512;
const BIN_HZ = RATE / (2 * BINS);

/**
 * The dB spectrum an analyser shows for a sung vowel: harmonics of f0 shaped by
 * formant resonances (peak gain 1, bandwidth ~ 80-120 Hz) and a glottal roll-off
 * of -12 dB per octave, each harmonic smeared over its neighbouring bins.
 */
function vowel(f0: number, formants: number[]): Float32Array {
  const db = new Float32Array(BINS).fill(-120);
  const power = new Float64Array(BINS);
  for (let f = f0; f < RATE / 2; f += f0) {
    let amp = (f0 / f) ** 2;
    for (const [i, fi] of formants.entries()) {
      const bw = 80 + 20 * i;
      amp *= (fi * fi) / Math.sqrt((fi * fi - f * f) ** 2 + (bw * f) ** 2);
    }
    const k = f / BIN_HZ;
    for (let j = Math.floor(k) - 2; j <= Math.ceil(k) + 2; j++) if (j >= 0 && j < BINS) power[j]! += amp * amp * Math.exp(-((j - k) ** 2));
  }
  for (let j = 0; j < BINS; j++) if (power[j]! > 0) db[j] = 10 * Math.log10(power[j]!);
  return db;
}

const top = (w: Record<Viseme, number>): Viseme => VISEMES.reduce((a, b) => (w[b] > w[a] ? b : a));

// Peterson & Barney's formants (Hz), adult male and female voices
const VOWELS: [string, Viseme[], number, number[]][] = [
  ["/ɑ/ male", ["aa"], 120, [730, 1090, 2440]],
  ["/ɑ/ female", ["aa"], 210, [850, 1220, 2810]],
  ["/i/ male", ["ee"], 120, [270, 2290, 3010]],
  ["/i/ female", ["ee"], 210, [310, 2790, 3310]],
  ["/u/ male", ["ou"], 120, [300, 870, 2240]],
  ["/u/ female", ["ou"], 210, [370, 950, 2670]],
  ["/ɔ/ male", ["oh"], 120, [570, 840, 2410]],
  ["/ɔ/ female", ["oh"], 210, [590, 920, 2710]],
  ["/ɪ/ male", ["ih"], 120, [390, 1990, 2550]],
  ["/ɛ/ male", ["ih", "ee"], 120, [530, 1840, 2480]],
];

describe("mouth shapes from a person's microphone", () => {
  it("keep the mouth shut in silence and open it with loudness", () => {
    const m = new MouthEstimator();
    const a = vowel(120, [730, 1090, 2440]);
    expect(VISEMES.every((v) => m.update(a, BIN_HZ, -70)[v] === 0)).toBe(true);
    const soft = Math.max(...VISEMES.map((v) => m.update(a, BIN_HZ, -40)[v]));
    const loud = Math.max(...VISEMES.map((v) => m.update(a, BIN_HZ, -22)[v]));
    expect(soft).toBeGreaterThan(0);
    expect(loud).toBeGreaterThan(soft);
    expect(loud).toBeLessThanOrEqual(1);
  });

  it.each(VOWELS)("gives %s the right shape", (_name, shapes, f0, formants) => {
    const m = new MouthEstimator();
    expect(shapes).toContain(top(m.update(vowel(f0, formants), BIN_HZ, -25)));
  });
});
