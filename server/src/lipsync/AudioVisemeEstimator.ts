/**
 * Mouth shapes from the audio itself, for voices that give no phoneme timings
 * (Piper, Kokoro without durations, HTTP voices). Runs on the server so every
 * client shows the same mouth. Every hop (20 ms) a window is classified as:
 *   ""  silence (energy gate with hysteresis),
 *   "s" frication / noise (unvoiced, many zero crossings),
 *   "m" a quiet voiced closure (nasal murmur, voice bar: lips shut),
 *   "a" "e" "i" "o" "u" "ə" a vowel class from the first two formants, found
 *   as the roots of an LPC polynomial on a ~8-11 kHz copy of the signal.
 * Events carry positions in samples from the segment start, like engine timings.
 */
import type { TimedPhoneme } from "./cues.js";
import { formants } from "./lpcFormants.js";

export interface EstimatorOptions {
  /** analysis step, ms */
  hopMs: number;
  /** analysis window, ms */
  windowMs: number;
  /** the gate opens above this level, dBFS... */
  openDb: number;
  /** ...or this far under the loudest frame so far, whichever is higher, dB */
  belowPeakDb: number;
  /** the gate closes this far under its opening level, dB */
  hysteresisDb: number;
  /** a voiced frame this far under the loudest voiced one, with its energy low in frequency, is a closure, dB */
  closureDb: number;
  /** an unchanged shape is restated this often, so cue-driven chunking never waits long, ms */
  restateMs: number;
}

export const ESTIMATOR_DEFAULTS: EstimatorOptions = { hopMs: 20, windowMs: 30, openDb: -46, belowPeakDb: 40, hysteresisDb: 8, closureDb: 14, restateMs: 60 };

/**
 * Vowel class from F1/F2 (Hz, scaled to an adult male voice); the boundaries sit
 * between the classes' formants measured on espeak-ng's English voices:
 * i/ɪ 280-420/1900-2300, ɛ 600/1700, æ ɐ ʌ ɑ 650-730/1200-1630,
 * ɔ ɒ oʊ 540-700/950-1130, u ʊ 330-500/1070-1300.
 */
export function vowelClass(f1: number, f2: number): string {
  if (f2 >= 1550) return f1 < 470 ? "i" : f1 < 640 ? "e" : "a";
  if (f1 < 450) return "u";
  // rounding lowers F2: among open back vowels the lowest F2 are the rounded ones
  if (f2 < 1250) return f2 < 1150 || f1 < 600 ? "o" : "a";
  return f1 >= 560 ? "a" : "ə";
}

/** F2 averaged over speech by an adult male voice, Hz: the reference the speaker's formants are scaled to. */
const REFERENCE_F2 = 1500;

export class AudioVisemeEstimator {
  private readonly o: EstimatorOptions;
  private rate = 0;
  private hop = 0;
  private win = 0;
  private decim = 1;
  private taps: Float32Array = new Float32Array([1]);
  /** samples from `bufStart` on, as floats in [-1, 1] */
  private buf = new Float32Array(0);
  private bufLen = 0;
  private bufStart = 0;
  private total = 0;
  private nextFrame = 0;
  private gateOpen = false;
  private peakDb = -120;
  private peakVoicedDb = -120;
  private current: string | null = null;
  private lastEmitT = 0;
  private candidate: { cls: string; t: number } | null = null;
  /** running mean F2 of this voice's vowels, Hz; starts at the reference */
  private meanF2 = REFERENCE_F2;

  constructor(opts: Partial<EstimatorOptions> = {}) {
    this.o = { ...ESTIMATOR_DEFAULTS, ...opts };
    if (!(this.o.hopMs > 0 && this.o.windowMs >= this.o.hopMs)) throw new RangeError("AudioVisemeEstimator: need 0 < hopMs <= windowMs");
  }

  push(pcm: Int16Array, sampleRate: number): TimedPhoneme[] {
    if (this.rate === 0) this.setRate(sampleRate);
    else if (sampleRate !== this.rate) throw new RangeError(`AudioVisemeEstimator: rate changed from ${this.rate} to ${sampleRate} Hz within a segment`);
    this.append(pcm);
    const out: TimedPhoneme[] = [];
    while (this.nextFrame + this.win <= this.total) this.step(out);
    this.trim();
    return out;
  }

  /** Analyses what is left (zero-padded) and returns the last events. */
  end(): TimedPhoneme[] {
    const out: TimedPhoneme[] = [];
    if (this.rate === 0) return out;
    if (this.total - this.nextFrame >= this.hop / 2) {
      this.append(new Int16Array(this.nextFrame + this.win - this.total));
      this.step(out);
    }
    return out;
  }

  private setRate(rate: number): void {
    this.rate = rate;
    this.hop = Math.max(1, Math.round((rate * this.o.hopMs) / 1000));
    this.win = Math.max(this.hop, Math.round((rate * this.o.windowMs) / 1000));
    // formants need 0-4 kHz: analyse at 8-11 kHz whatever the voice's rate
    this.decim = Math.max(1, Math.floor(rate / 8000));
    this.taps = lowPass(this.decim);
  }

  private append(pcm: Int16Array): void {
    if (this.bufLen + pcm.length > this.buf.length) {
      const next = new Float32Array(Math.max(this.buf.length * 2, this.bufLen + pcm.length, 4096));
      next.set(this.buf.subarray(0, this.bufLen));
      this.buf = next;
    }
    for (let i = 0; i < pcm.length; i++) this.buf[this.bufLen + i] = pcm[i]! / 32768;
    this.bufLen += pcm.length;
    this.total += pcm.length;
  }

  private trim(): void {
    const drop = this.nextFrame - this.bufStart;
    if (drop <= 0) return;
    this.buf.copyWithin(0, drop, this.bufLen);
    this.bufLen -= drop;
    this.bufStart = this.nextFrame;
  }

  private step(out: TimedPhoneme[]): void {
    const start = this.nextFrame;
    const frame = this.buf.subarray(start - this.bufStart, start - this.bufStart + this.win);
    this.nextFrame += this.hop;
    // the window is centred on the hop it describes
    this.decide(this.classify(frame), start + Math.floor((this.win - this.hop) / 2), out);
  }

  private decide(cls: string, t: number, out: TimedPhoneme[]): void {
    const emit = (c: string, at: number): void => { out.push({ t: at, ipa: c }); this.current = c; this.lastEmitT = at; };
    if (cls === this.current) {
      this.candidate = null;
      if ((t - this.lastEmitT) * 1000 >= this.o.restateMs * this.rate) emit(cls, t);
      return;
    }
    // silence edges are already debounced by the gate; a new sound must last two hops
    if (cls === "" || this.current === "" || this.current === null) { this.candidate = null; emit(cls, t); return; }
    if (this.candidate?.cls === cls) { emit(cls, this.candidate.t); this.candidate = null; return; }
    this.candidate = { cls, t };
  }

  private classify(x: Float32Array): string {
    let energy = 0;
    let crossings = 0;
    for (let i = 0; i < x.length; i++) {
      energy += x[i]! * x[i]!;
      if (i > 0 && (x[i]! >= 0) !== (x[i - 1]! >= 0)) crossings++;
    }
    const db = 10 * Math.log10(energy / x.length + 1e-12);
    this.peakDb = Math.max(this.peakDb, db);
    const open = Math.max(this.o.openDb, this.peakDb - this.o.belowPeakDb);
    this.gateOpen = db > (this.gateOpen ? open - this.o.hysteresisDb : open);
    if (!this.gateOpen) return "";

    const y = decimate(x, this.decim, this.taps);
    const ra = this.rate / this.decim;
    const zcrPerSecond = (crossings * this.rate) / x.length;
    const voicing = periodicity(y, ra);
    if (voicing < 0.5 && zcrPerSecond > 1800) return "s";
    if (zcrPerSecond > 4000) return "s";
    if (voicing >= 0.5) this.peakVoicedDb = Math.max(this.peakVoicedDb, db);
    if (voicing >= 0.5 && db < this.peakVoicedDb - this.o.closureDb && lowFrequencyShare(y) > 0.9) return "m";
    const f = formants(y, ra);
    if (!f) return "ə";
    // women's and children's formants run 15-25% higher: scale by this voice's own average
    this.meanF2 += (f[1] - this.meanF2) * 0.02;
    const k = Math.min(1.15, Math.max(0.75, REFERENCE_F2 / this.meanF2));
    return vowelClass(f[0] * k, f[1] * k);
  }
}

/** Windowed-sinc low-pass for decimation by `d` (cut-off at 90% of the new Nyquist). */
function lowPass(d: number): Float32Array {
  if (d === 1) return new Float32Array([1]);
  const n = 6 * d + 1;
  const m = (n - 1) / 2;
  const fc = 0.45 / d;
  const h = new Float32Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const k = i - m;
    const sinc = k === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * k) / (Math.PI * k);
    h[i] = sinc * (0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (n - 1)));
    sum += h[i]!;
  }
  for (let i = 0; i < n; i++) h[i]! /= sum;
  return h;
}

function decimate(x: Float32Array, d: number, h: Float32Array): Float32Array {
  if (d === 1) return x;
  const m = (h.length - 1) / 2;
  const out = new Float32Array(Math.floor(x.length / d));
  for (let k = 0; k < out.length; k++) {
    let acc = 0;
    const c = k * d;
    for (let j = 0; j < h.length; j++) {
      const i = c + j - m;
      if (i >= 0 && i < x.length) acc += h[j]! * x[i]!;
    }
    out[k] = acc;
  }
  return out;
}

/** Highest normalised autocorrelation over pitch lags of 70-400 Hz: ~1 for a voiced frame, low for noise. */
function periodicity(y: Float32Array, rate: number): number {
  const minLag = Math.max(1, Math.floor(rate / 400));
  const maxLag = Math.min(y.length - 8, Math.ceil(rate / 70));
  let best = 0;
  for (let lag = minLag; lag <= maxLag; lag++) {
    let xy = 0;
    let xx = 0;
    let yy = 0;
    for (let i = 0; i + lag < y.length; i++) { xy += y[i]! * y[i + lag]!; xx += y[i]! * y[i]!; yy += y[i + lag]! * y[i + lag]!; }
    const r = xy / (Math.sqrt(xx * yy) + 1e-12);
    if (r > best) best = r;
  }
  return best;
}

/** Lag-one autocorrelation over energy: near 1 when nearly all energy is far below 1 kHz (nasal murmur). */
function lowFrequencyShare(y: Float32Array): number {
  let r0 = 0;
  let r1 = 0;
  for (let i = 0; i < y.length; i++) { r0 += y[i]! * y[i]!; if (i > 0) r1 += y[i]! * y[i - 1]!; }
  return r1 / (r0 + 1e-12);
}
