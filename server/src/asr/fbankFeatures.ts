/**
 * Kaldi-style log-mel filter bank, computed online as audio arrives: the features
 * icefall/sherpa-onnx transducers are trained on (kaldi-native-fbank with
 * sherpa-onnx's settings: 16 kHz, 25 ms frames every 10 ms, snip_edges = false,
 * dither 0, DC removal, pre-emphasis 0.97, Povey window, 512-point FFT, power
 * spectrum, 80 triangular bins on Kaldi's mel scale from 20 Hz to Nyquist - 400 Hz,
 * natural log floored at FLT_EPSILON). Samples are floats in [-1, 1], as sherpa-onnx
 * feeds them (normalize_samples = true).
 */
import { fftPlan } from "./fft.js";

export interface FbankOptions {
  sampleRate: number;
  numBins: number;
  frameLength: number;
  frameShift: number;
  lowFreq: number;
  /** <= 0: offset from Nyquist */
  highFreq: number;
  preemph: number;
}

export const FBANK_DEFAULTS: FbankOptions = {
  sampleRate: 16000, numBins: 80, frameLength: 400, frameShift: 160, lowFreq: 20, highFreq: -400, preemph: 0.97,
};

const FLT_EPSILON = 1.1920928955078125e-7;
const melScale = (hz: number): number => 1127 * Math.log(1 + hz / 700);

/** Kaldi's mel banks: [numBins][fftSize/2] weights over FFT bins (the Nyquist bin is not used). */
export function kaldiMelBanks(o: FbankOptions, fftSize: number): Float32Array {
  const nyquist = o.sampleRate / 2;
  const high = o.highFreq > 0 ? o.highFreq : nyquist + o.highFreq;
  const melLow = melScale(o.lowFreq);
  const melHigh = melScale(high);
  const delta = (melHigh - melLow) / (o.numBins + 1);
  const half = fftSize / 2;
  const banks = new Float32Array(o.numBins * half);
  for (let b = 0; b < o.numBins; b++) {
    const left = melLow + b * delta;
    const centre = left + delta;
    const right = centre + delta;
    for (let i = 0; i < half; i++) {
      const mel = melScale((o.sampleRate * i) / fftSize);
      if (mel > left && mel < right) banks[b * half + i] = mel <= centre ? (mel - left) / (centre - left) : (right - mel) / (right - centre);
    }
  }
  return banks;
}

export class OnlineFbank {
  private readonly o: FbankOptions;
  private readonly fftSize: number;
  private readonly banks: Float32Array;
  private readonly window: Float64Array;
  private readonly frame: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly power: Float64Array;
  /** samples not yet fully used, starting at absolute index `base` */
  private buf = new Float32Array(0);
  private base = 0;
  private received = 0;
  private nextFrame = 0;

  constructor(opts: Partial<FbankOptions> = {}) {
    this.o = { ...FBANK_DEFAULTS, ...opts };
    this.fftSize = 2 ** Math.ceil(Math.log2(this.o.frameLength));
    this.banks = kaldiMelBanks(this.o, this.fftSize);
    this.window = new Float64Array(this.o.frameLength);
    for (let i = 0; i < this.o.frameLength; i++) this.window[i] = Math.pow(0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (this.o.frameLength - 1)), 0.85);
    this.frame = new Float64Array(this.fftSize);
    this.re = new Float64Array(this.fftSize);
    this.im = new Float64Array(this.fftSize);
    this.power = new Float64Array(this.fftSize / 2 + 1);
  }

  get dim(): number { return this.o.numBins; }
  /** frames computed so far */
  get frames(): number { return this.nextFrame; }

  /** Adds samples (floats in [-1, 1]); returns the frames that became complete. */
  accept(samples: Float32Array): Float32Array[] {
    const merged = new Float32Array(this.buf.length + samples.length);
    merged.set(this.buf);
    merged.set(samples, this.buf.length);
    this.buf = merged;
    this.received += samples.length;
    const out: Float32Array[] = [];
    // snip_edges = false: frame i is centred on i·shift + shift/2; it is complete once its last sample arrived
    for (;;) {
      const start = this.nextFrame * this.o.frameShift + this.o.frameShift / 2 - this.o.frameLength / 2;
      if (start + this.o.frameLength > this.received) break;
      out.push(this.computeFrame(start));
      this.nextFrame++;
    }
    const keepFrom = Math.max(0, this.nextFrame * this.o.frameShift + this.o.frameShift / 2 - this.o.frameLength / 2);
    if (keepFrom > this.base) {
      this.buf = this.buf.slice(keepFrom - this.base);
      this.base = keepFrom;
    }
    return out;
  }

  private sample(abs: number): number {
    // Kaldi reflects indices before the start (s < 0 -> -s - 1); only frame 0 reaches
    // back there, and it is computed before anything is trimmed from the buffer
    const s = abs < 0 ? -abs - 1 : abs;
    return this.buf[s - this.base] ?? 0;
  }

  private computeFrame(start: number): Float32Array {
    const n = this.o.frameLength;
    const f = this.frame;
    let mean = 0;
    for (let i = 0; i < n; i++) { f[i] = this.sample(start + i); mean += f[i]!; }
    mean /= n;
    for (let i = 0; i < n; i++) f[i]! -= mean;
    for (let i = n - 1; i > 0; i--) f[i] = f[i]! - this.o.preemph * f[i - 1]!;
    f[0] = f[0]! - this.o.preemph * f[0]!;
    for (let i = 0; i < n; i++) f[i] = f[i]! * this.window[i]!;
    f.fill(0, n);
    fftPlan(this.fftSize).powerSpectrum(f, this.re, this.im, this.power);
    const half = this.fftSize / 2;
    const out = new Float32Array(this.o.numBins);
    for (let b = 0; b < this.o.numBins; b++) {
      let acc = 0;
      const row = b * half;
      for (let i = 0; i < half; i++) acc += this.banks[row + i]! * this.power[i]!;
      out[b] = Math.log(Math.max(acc, FLT_EPSILON));
    }
    return out;
  }
}
