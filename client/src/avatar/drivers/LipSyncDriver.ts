/**
 * Mouth shapes from the server's viseme cues, read on the audio playback clock.
 * Blends at most the two strongest shapes (blending all five gives a stuck "A"),
 * opens fast and closes a little slower, anticipates the next cue slightly, and
 * closes the mouth in silence. An active emotion scales the shapes down.
 */
import { VISEMES, type Viseme, type VisemeWeights } from "@parley/shared";
import { approach, type ExpressionTarget } from "./types.js";

export interface MouthInput {
  current: VisemeWeights;
  next: VisemeWeights | null;
  /** seconds until the next cue */
  nextInS: number;
}

export const LIPSYNC_DEFAULTS = {
  /** opening time constant, s */
  attack: 0.02,
  /** closing time constant, s */
  release: 0.06,
  /**
   * start moving toward the next cue this early, s (coarticulation; lips leading
   * the sound a little looks natural, lagging it does not)
   */
  anticipation: 0.06,
  maxShapes: 2,
} as const;

export class LipSyncDriver {
  /** weights applied this frame */
  readonly weights: Record<Viseme, number> = { aa: 0, ih: 0, ou: 0, ee: 0, oh: 0 };
  private readonly target: Record<Viseme, number> = { aa: 0, ih: 0, ou: 0, ee: 0, oh: 0 };
  private readonly opts: typeof LIPSYNC_DEFAULTS;

  constructor(opts: Partial<typeof LIPSYNC_DEFAULTS> = {}) {
    this.opts = { ...LIPSYNC_DEFAULTS, ...opts };
  }

  /**
   * @param mouth the cue in force now, or null in silence
   * @param mouthScale 0..1, from the emotion driver
   */
  update(delta: number, mouth: MouthInput | null, mouthScale: number, out?: ExpressionTarget): void {
    const t = this.target;
    for (const v of VISEMES) t[v] = 0;
    if (mouth) {
      const k = mouth.next && mouth.nextInS < this.opts.anticipation ? 1 - mouth.nextInS / this.opts.anticipation : 0;
      for (const v of VISEMES) t[v] = (mouth.current[v] ?? 0) * (1 - k) + (mouth.next?.[v] ?? 0) * k;
      keepStrongest(t, this.opts.maxShapes);
    }
    for (const v of VISEMES) {
      const goal = t[v] * mouthScale;
      const tau = goal > this.weights[v] ? this.opts.attack : this.opts.release;
      this.weights[v] = approach(this.weights[v], goal, tau, delta);
      if (this.weights[v] < 1e-3) this.weights[v] = 0;
    }
    // a shape still fading out when two new ones rise is dropped: never more than two at once
    keepStrongest(this.weights, this.opts.maxShapes);
    if (out) for (const v of VISEMES) out.setValue(v, this.weights[v]);
  }
}

const ranked: Viseme[] = [...VISEMES];

/** Zeroes all but the `n` largest entries, in place (no allocation: it runs every frame). */
export function keepStrongest(w: Record<Viseme, number>, n: number): void {
  ranked.sort((a, b) => w[b] - w[a]);
  for (let i = n; i < ranked.length; i++) w[ranked[i]!] = 0;
}
