/**
 * Sample-rate conversion for speech (e.g. espeak's 22.05 kHz or a browser's 48 kHz
 * to the 16 kHz recognizers want): a windowed-sinc low-pass interpolator, usable
 * one-shot or streaming (chunk by chunk, same output as one-shot). The cut-off sits
 * at 95% of the lower Nyquist frequency, so nothing above 7.6 kHz folds back when
 * going down to 16 kHz.
 */

/** taps on each side of an output sample, in units of the lower rate's sample period */
const HALF_WIDTH = 16;
const CUTOFF = 0.95;

export class Resampler {
  private readonly ratio: number;
  private readonly cutoff: number;
  /** half the filter length in input samples */
  private readonly half: number;
  /** input step per output sample is M/L input samples (reduced fraction) */
  private readonly L: number;
  private readonly M: number;
  /** per phase p: the 2·half filter weights, normalised to unit DC gain (null: too many phases to tabulate) */
  private readonly table: Float32Array[] | null;
  private buf = new Float32Array(0);
  /** absolute index of buf[0] */
  private base = 0;
  private inCount = 0;
  private outCount = 0;
  private flushed = false;

  constructor(readonly fromRate: number, readonly toRate: number) {
    if (!(Number.isInteger(fromRate) && Number.isInteger(toRate) && fromRate > 0 && toRate > 0)) {
      throw new RangeError(`sample rates must be positive integers, in Hz (got ${fromRate} -> ${toRate})`);
    }
    this.ratio = fromRate / toRate;
    // relative to the input rate: a low-pass at the lower of the two Nyquist frequencies
    this.cutoff = CUTOFF * Math.min(1, toRate / fromRate);
    this.half = Math.ceil(HALF_WIDTH / this.cutoff);
    const g = gcd(fromRate, toRate);
    this.L = toRate / g;
    this.M = fromRate / g;
    this.table = this.L * 2 * this.half <= 1 << 21 ? Array.from({ length: this.L }, (_, p) => this.weights(p / this.L)) : null;
  }

  /** Int16 in, Int16 out (clipped). */
  push(pcm: Int16Array): Int16Array {
    const f = new Float32Array(pcm.length);
    for (let i = 0; i < pcm.length; i++) f[i] = pcm[i]! / 32768;
    return toInt16(this.pushFloat(f));
  }

  /** Resampled output for everything that can be computed so far. */
  pushFloat(input: Float32Array): Float32Array {
    if (this.flushed) throw new Error("resampler already flushed");
    const merged = new Float32Array(this.buf.length + input.length);
    merged.set(this.buf);
    merged.set(input, this.buf.length);
    this.buf = merged;
    this.inCount += input.length;
    return this.drain(false);
  }

  /** The tail: output for the last input samples (zero padding after the end). */
  flush(): Int16Array { return toInt16(this.flushFloat()); }

  flushFloat(): Float32Array {
    if (this.flushed) return new Float32Array(0);
    this.flushed = true;
    return this.drain(true);
  }

  private drain(final: boolean): Float32Array {
    const total = final ? Math.ceil((this.inCount * this.toRate) / this.fromRate) : Infinity;
    const out: number[] = [];
    for (;;) {
      if (this.outCount >= total) break;
      // exact position without drift: outCount·M/L input samples = centre + phase/L
      const num = this.outCount * this.M;
      const centre = Math.floor(num / this.L);
      const phase = num - centre * this.L;
      if (!final && centre + this.half >= this.inCount) break;
      const w = this.table?.[phase] ?? this.weights(phase / this.L);
      let acc = 0;
      const first = centre - this.half + 1;
      for (let j = 0; j < w.length; j++) {
        const k = first + j;
        const i = k - this.base;
        if (k >= 0 && k < this.inCount && i >= 0 && i < this.buf.length) acc += this.buf[i]! * w[j]!;
      }
      out.push(acc);
      this.outCount++;
    }
    // keep what the next outputs still need
    const nextCentre = Math.floor((this.outCount * this.M) / this.L);
    const keepFrom = Math.max(this.base, nextCentre - this.half + 1);
    if (keepFrom > this.base) {
      this.buf = this.buf.slice(Math.min(this.buf.length, keepFrom - this.base));
      this.base = keepFrom;
    }
    return Float32Array.from(out);
  }

  /** taps for input samples centre-half+1 .. centre+half at fractional offset `frac` */
  private weights(frac: number): Float32Array {
    const w = new Float32Array(2 * this.half);
    let norm = 0;
    for (let j = 0; j < w.length; j++) {
      w[j] = this.kernel(frac + this.half - 1 - j);
      norm += w[j]!;
    }
    for (let j = 0; j < w.length; j++) w[j] = w[j]! / norm;
    return w;
  }

  /** sinc low-pass with a Hann window spanning ±half input samples */
  private kernel(x: number): number {
    if (Math.abs(x) >= this.half) return 0;
    const a = Math.PI * this.cutoff * x;
    const sinc = x === 0 ? 1 : Math.sin(a) / a;
    return sinc * (0.5 + 0.5 * Math.cos((Math.PI * x) / this.half));
  }
}

function gcd(a: number, b: number): number {
  let x = Math.round(a);
  let y = Math.round(b);
  while (y) [x, y] = [y, x % y];
  return x;
}

function toInt16(f: Float32Array): Int16Array {
  const out = new Int16Array(f.length);
  for (let i = 0; i < f.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(f[i]! * 32768)));
  return out;
}

/** One-shot conversion of a whole clip; the output has round(n · to / from) samples (ceil). */
export function resample(pcm: Int16Array, fromRate: number, toRate: number): Int16Array {
  if (fromRate === toRate) return pcm.slice();
  const r = new Resampler(fromRate, toRate);
  const a = r.push(pcm);
  const b = r.flush();
  const out = new Int16Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export function resampleFloat(samples: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate) return samples.slice();
  const r = new Resampler(fromRate, toRate);
  const a = r.pushFloat(samples);
  const b = r.flushFloat();
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
