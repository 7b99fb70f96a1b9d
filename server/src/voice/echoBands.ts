/**
 * The features the echo guard compares: energy in forty narrow bands every step,
 * and how two such sequences change together.
 */
import { fftPlan } from "../asr/fft.js";

/**
 * the bands' edges, Hz: 100 Hz wide from 100 Hz to 4.1 kHz, fine enough to see a
 * voice's harmonics. The same sound has the same ones at the same moments; another
 * voice saying other words does not (with ten wide bands, a person's speech matched
 * some stretch of a character's by chance in one window out of ten).
 */
const BANDS: readonly (readonly [number, number])[] = Array.from({ length: 40 }, (_, i) => [100 + i * 100, 200 + i * 100] as const);
export const BAND_COUNT = BANDS.length;

interface WindowPlan { fft: ReturnType<typeof fftPlan>; re: Float64Array; outRe: Float64Array; outIm: Float64Array; hann: Float64Array; edges: (readonly [number, number])[] }
/**
 * Each window length's FFT, Hann window, band edges and buffers, made once: the
 * guard runs on the event loop for every frame a page is sent (32 ms of a person's
 * voice, a chunk of a character's), so nothing is allocated per call.
 */
const plans = new Map<string, WindowPlan>();
function windowPlan(win: number, sampleRate: number): WindowPlan {
  const key = `${win}@${sampleRate}`;
  let p = plans.get(key);
  if (!p) {
    const binHz = sampleRate / win;
    p = {
      fft: fftPlan(win), re: new Float64Array(win), outRe: new Float64Array(win), outIm: new Float64Array(win),
      hann: Float64Array.from({ length: win }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / win)),
      edges: BANDS.map(([lo, hi]) => [Math.max(1, Math.round(lo / binHz)), Math.min(win / 2, Math.round(hi / binHz))] as const),
    };
    plans.set(key, p);
  }
  return p;
}

/** Energy per band every `stepMs` (20 ms Hann windows), flattened: [step0 band0.., step1 ...]. */
export function bandEnergies(pcm: Int16Array, sampleRate: number, stepMs: number): Float32Array {
  return bandEnergiesAt(pcm, sampleRate, stepMs, 0).feats;
}

/**
 * Band energies of the frames starting at sample `first`, `first + hop`, ...
 * (hop may be fractional: 10 ms at 22050 Hz), as far as whole windows reach.
 * Returns them and where the next frame would start.
 */
export function bandEnergiesAt(pcm: Int16Array, sampleRate: number, stepMs: number, first: number): { feats: Float32Array; next: number } {
  const hopExact = (sampleRate * stepMs) / 1000;
  const hop = Math.max(1, Math.round(hopExact));
  const win = hop * 2;
  let steps = 0;
  while (Math.round(first + steps * hopExact) + win <= pcm.length) steps++;
  const out = new Float32Array(steps * BAND_COUNT);
  if (steps === 0) return { feats: out, next: first };
  const { fft, re, outRe, outIm, hann, edges } = windowPlan(win, sampleRate);
  for (let s = 0; s < steps; s++) {
    const at = Math.round(first + s * hopExact);
    for (let i = 0; i < win; i++) re[i] = (pcm[at + i]! / 32768) * hann[i]!;
    fft.transform(re, null, outRe, outIm);
    for (let b = 0; b < BAND_COUNT; b++) {
      let e = 0;
      for (let k = edges[b]![0]; k < edges[b]![1]; k++) e += outRe[k]! * outRe[k]! + outIm[k]! * outIm[k]!;
      out[s * BAND_COUNT + b] = e;
    }
  }
  return { feats: out, next: first + steps * hopExact };
}

/** relative energies below this (-20 dB) count as silence: their noise does not make changes */
const FLOOR = 1e-2;

/**
 * Correlation of how the log band energies of `mic` change from one step to the
 * next with the same for `ref` from step `at`. Changes, not levels: any speech
 * rises and falls in loudness, but only the same sound changes its spectrum in
 * the same bands at the same moments.
 */
export function correlate(mic: Float32Array, ref: Float32Array, at: number): number {
  const steps = mic.length / BAND_COUNT;
  // levels relative to each window's loudest band: a quiet echo and a loud one compare alike
  let pm = 1e-12;
  let pr = 1e-12;
  for (let i = 0; i < mic.length; i++) { pm = Math.max(pm, mic[i]!); pr = Math.max(pr, ref[at * BAND_COUNT + i]!); }
  const log = (e: number, peak: number): number => Math.log(FLOOR + e / peak);
  let num = 0;
  let dm = 0;
  let dr = 0;
  for (let s = 1; s < steps; s++) {
    for (let b = 0; b < BAND_COUNT; b++) {
      const x = log(mic[s * BAND_COUNT + b]!, pm) - log(mic[(s - 1) * BAND_COUNT + b]!, pm);
      const y = log(ref[(at + s) * BAND_COUNT + b]!, pr) - log(ref[(at + s - 1) * BAND_COUNT + b]!, pr);
      num += x * y;
      dm += x * x;
      dr += y * y;
    }
  }
  return dm > 0 && dr > 0 ? num / Math.sqrt(dm * dr) : 0;
}
