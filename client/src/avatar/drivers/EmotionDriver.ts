/**
 * Emotion expressions that ease in and out: the target comes from the emotion cue
 * on the audio clock while a character speaks, else from the room state. Only one
 * emotion is targeted at a time; the others fade out.
 */
import { EMOTIONS, type Emotion } from "@parley/shared";
import { approach, type ExpressionTarget } from "./types.js";

export const EMOTION_DEFAULTS = {
  /** easing time constant, s */
  tau: 0.25,
  /** how much each emotion shrinks mouth shapes at full weight */
  mouthDamping: { happy: 0.35, angry: 0.3, sad: 0.35, relaxed: 0.3, surprised: 0.25, neutral: 0 } as Record<Emotion, number>,
  /** how much each emotion already closes the eyes (blinks are scaled down by it) */
  eyeClosure: { happy: 0.7, angry: 0.2, sad: 0.3, relaxed: 0.6, surprised: 0, neutral: 0 } as Record<Emotion, number>,
} as const;

export class EmotionDriver {
  readonly weights: Record<Emotion, number> = { happy: 0, angry: 0, sad: 0, relaxed: 0, surprised: 0, neutral: 0 };
  /** the emotion targeted now */
  current: Emotion = "neutral";

  constructor(private readonly opts = EMOTION_DEFAULTS) {}

  update(delta: number, target: Emotion, intensity: number, out?: ExpressionTarget): void {
    this.current = target;
    for (const e of EMOTIONS) {
      // "neutral" is the absence of the others, not an expression of its own
      const goal = e === target && e !== "neutral" ? intensity : 0;
      this.weights[e] = approach(this.weights[e], goal, this.opts.tau, delta);
      if (this.weights[e] < 1e-3) this.weights[e] = 0;
      out?.setValue(e, this.weights[e]);
    }
  }

  /** 0..1 multiplier for mouth shapes */
  get mouthScale(): number {
    let damp = 0;
    for (const e of EMOTIONS) damp = Math.max(damp, this.weights[e] * this.opts.mouthDamping[e]);
    return 1 - damp;
  }

  /** 0..1, how closed the eyes already are from the emotion */
  get eyeClosure(): number {
    let c = 0;
    for (const e of EMOTIONS) c = Math.max(c, this.weights[e] * this.opts.eyeClosure[e]);
    return c;
  }
}
