/**
 * A mixed-radix complex FFT for any length whose factors are small (Whisper's
 * 400-point frames are 4·4·5·5; Kaldi's 512-point frames are 4·4·4·4·2). Forward
 * transform, no scaling: X[k] = Σ x[j]·e^(-2πi·jk/n). Plans are cached by length.
 */
export class Fft {
  private readonly factors: number[] = [];
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly tmpRe: Float64Array;
  private readonly tmpIm: Float64Array;

  constructor(readonly n: number) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`FFT length must be a positive integer (got ${n})`);
    let rest = n;
    for (const p of [4, 2, 3, 5]) while (rest % p === 0) { this.factors.push(p); rest /= p; }
    for (let p = 7; rest > 1; p += 2) while (rest % p === 0) { this.factors.push(p); rest /= p; }
    this.cos = new Float64Array(n);
    this.sin = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      this.cos[i] = Math.cos((2 * Math.PI * i) / n);
      this.sin[i] = -Math.sin((2 * Math.PI * i) / n);
    }
    const maxP = Math.max(1, ...this.factors);
    this.tmpRe = new Float64Array(maxP);
    this.tmpIm = new Float64Array(maxP);
  }

  /** Transforms (inRe, inIm) into (outRe, outIm); the input is left untouched. */
  transform(inRe: ArrayLike<number>, inIm: ArrayLike<number> | null, outRe: Float64Array, outIm: Float64Array): void {
    this.rec(inRe, inIm, 0, 1, this.n, outRe, outIm, 0, 0);
  }

  /** |X[k]|² for k = 0..n/2 of a real signal. */
  powerSpectrum(signal: ArrayLike<number>, outRe: Float64Array, outIm: Float64Array, power: Float64Array): void {
    this.transform(signal, null, outRe, outIm);
    for (let k = 0; k < power.length; k++) power[k] = outRe[k]! * outRe[k]! + outIm[k]! * outIm[k]!;
  }

  private rec(inRe: ArrayLike<number>, inIm: ArrayLike<number> | null, inOff: number, stride: number, n: number,
    outRe: Float64Array, outIm: Float64Array, outOff: number, level: number): void {
    if (n === 1) {
      outRe[outOff] = inRe[inOff]!;
      outIm[outOff] = inIm ? inIm[inOff]! : 0;
      return;
    }
    const p = this.factors[level]!;
    const m = n / p;
    for (let q = 0; q < p; q++) this.rec(inRe, inIm, inOff + q * stride, stride * p, m, outRe, outIm, outOff + q * m, level + 1);
    // twiddle W_n^e is W_N^(e·N/n) in the full-length table
    const step = this.n / n;
    const N = this.n;
    const tRe = this.tmpRe;
    const tIm = this.tmpIm;
    for (let k = 0; k < m; k++) {
      // the q-th sub-transform's k-th value, turned by W_n^(q·k) (q·k < n: no wrap-around)
      for (let q = 0; q < p; q++) {
        const i = outOff + q * m + k;
        const e = q * k * step;
        const c = this.cos[e]!;
        const s = this.sin[e]!;
        tRe[q] = outRe[i]! * c - outIm[i]! * s;
        tIm[q] = outRe[i]! * s + outIm[i]! * c;
      }
      if (p === 4) {
        // a 4-point DFT needs no multiplications (W_4 = -i)
        const aRe = tRe[0]! + tRe[2]!, aIm = tIm[0]! + tIm[2]!;
        const bRe = tRe[0]! - tRe[2]!, bIm = tIm[0]! - tIm[2]!;
        const cRe = tRe[1]! + tRe[3]!, cIm = tIm[1]! + tIm[3]!;
        const dRe = tRe[1]! - tRe[3]!, dIm = tIm[1]! - tIm[3]!;
        outRe[outOff + k] = aRe + cRe; outIm[outOff + k] = aIm + cIm;
        outRe[outOff + k + m] = bRe + dIm; outIm[outOff + k + m] = bIm - dRe;
        outRe[outOff + k + 2 * m] = aRe - cRe; outIm[outOff + k + 2 * m] = aIm - cIm;
        outRe[outOff + k + 3 * m] = bRe - dIm; outIm[outOff + k + 3 * m] = bIm + dRe;
        continue;
      }
      // a small DFT over the turned values: W_p^(q·r) is W_N^((q·r mod p)·N/p)
      const unit = N / p;
      for (let r = 0; r < p; r++) {
        let sRe = 0;
        let sIm = 0;
        for (let q = 0, qr = 0; q < p; q++, qr += r) {
          const e = (qr % p) * unit;
          const c = this.cos[e]!;
          const s = this.sin[e]!;
          sRe += tRe[q]! * c - tIm[q]! * s;
          sIm += tRe[q]! * s + tIm[q]! * c;
        }
        outRe[outOff + k + r * m] = sRe;
        outIm[outOff + k + r * m] = sIm;
      }
    }
  }
}

const plans = new Map<number, Fft>();
export function fftPlan(n: number): Fft {
  let p = plans.get(n);
  if (!p) { p = new Fft(n); plans.set(n, p); }
  return p;
}
