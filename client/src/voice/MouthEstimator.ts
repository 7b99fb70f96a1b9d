/**
 * Mouth shapes from a person's own microphone, in their own browser: how open
 * from the loudness, which vowel from where the spectrum's energy sits (the
 * first two formants, estimated as power-weighted centroids of their bands).
 * Cheap enough for every analyser read (~16 Hz): no allocation, a few hundred
 * bins. Meant to make a face talk in step with a voice, not to recognise vowels.
 */
import { VISEMES, type Viseme } from "@parley/shared";

export const MOUTH_DEFAULTS = {
  /** the mouth starts to open above this level, dBFS (RMS) */
  openDb: -50,
  /** and is fully open this far above it, dB */
  rangeDb: 24,
  /** first formant band, Hz */
  f1Band: [250, 1000] as const,
  /** second formant band, Hz */
  f2Band: [850, 2900] as const,
  /** spectral tilt undone before each band's centroid, dB per octave (voice falls ~12 dB/oct) */
  tiltF1: 6,
  tiltF2: 12,
  /** vowel spread in octaves around each template, F1 and F2 */
  spreadF1: 0.45,
  spreadF2: 0.35,
};

/** Where each mouth shape's vowel puts F1 and F2, Hz (Peterson & Barney's vowels, between male and female voices). */
const TEMPLATES: Record<Viseme, [number, number]> = {
  aa: [780, 1150],
  ee: [280, 2450],
  ih: [420, 2050],
  oh: [580, 880],
  ou: [330, 900],
};

export class MouthEstimator {
  /** the last estimate: one weight per viseme, 0..1 */
  readonly weights: Record<Viseme, number> = { aa: 0, ih: 0, ou: 0, ee: 0, oh: 0 };
  /** the last formant estimates, Hz (0 in silence) */
  f1 = 0;
  f2 = 0;

  constructor(private readonly o = MOUTH_DEFAULTS) {}

  /**
   * @param spectrumDb power spectrum in dB per bin (an AnalyserNode's getFloatFrequencyData)
   * @param binHz width of a bin, Hz
   * @param levelDb the frame's RMS level, dBFS
   */
  update(spectrumDb: Float32Array, binHz: number, levelDb: number): Record<Viseme, number> {
    const w = this.weights;
    const open = Math.max(0, Math.min(1, (levelDb - this.o.openDb) / this.o.rangeDb));
    if (open <= 0) {
      for (const v of VISEMES) w[v] = 0;
      this.f1 = this.f2 = 0;
      return w;
    }
    this.f1 = centroid(spectrumDb, binHz, this.o.f1Band[0], this.o.f1Band[1], this.o.tiltF1);
    this.f2 = centroid(spectrumDb, binHz, Math.max(this.o.f2Band[0], this.f1 * 1.3), this.o.f2Band[1], this.o.tiltF2);
    let sum = 0;
    for (const v of VISEMES) {
      const [t1, t2] = TEMPLATES[v];
      const d1 = Math.log2(this.f1 / t1) / this.o.spreadF1;
      const d2 = Math.log2(this.f2 / t2) / this.o.spreadF2;
      w[v] = Math.exp(-(d1 * d1 + d2 * d2) / 2);
      sum += w[v];
    }
    for (const v of VISEMES) w[v] = sum > 0 ? (w[v] / sum) * open : 0;
    // the winning shape carries the openness; the lip-sync driver blends the top two
    let best: Viseme = "aa";
    for (const v of VISEMES) if (w[v] > w[best]) best = v;
    w[best] = Math.max(w[best], open * 0.7);
    return w;
  }
}

/**
 * Power-weighted centroid frequency of the bins in [lo, hi] Hz, after lifting the
 * spectrum by `tiltDb` per octave (power squared: the peak dominates, not the band's middle).
 */
function centroid(db: Float32Array, binHz: number, lo: number, hi: number, tiltDb: number): number {
  const a = Math.max(1, Math.floor(lo / binHz));
  const b = Math.min(db.length - 1, Math.ceil(hi / binHz));
  let num = 0;
  let den = 0;
  for (let i = a; i <= b; i++) {
    const p = 10 ** ((db[i]! + tiltDb * Math.log2((i * binHz) / lo)) / 10);
    const p2 = p * p;
    num += p2 * i * binHz;
    den += p2;
  }
  return den > 0 ? num / den : (lo + hi) / 2;
}
