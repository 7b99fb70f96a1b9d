/**
 * Blinks at natural random intervals (about every 2-6 s, sometimes twice in a row),
 * each a quick close and a slower open; suppressed as far as an emotion already
 * closes the eyes.
 */
import { seededRandom, type ExpressionTarget } from "./types.js";

export const BLINK_DEFAULTS = {
  minInterval: 1.5,
  meanInterval: 3.8,
  maxInterval: 8,
  /** close, hold, open durations, s */
  close: 0.06,
  hold: 0.03,
  open: 0.11,
  doubleBlinkChance: 0.12,
} as const;

export class BlinkDriver {
  value = 0;
  /** blinks started so far (for statistics) */
  count = 0;
  private untilNext: number;
  private phase = -1; // -1 = eyes open, else seconds into the current blink
  private readonly rand: () => number;

  constructor(seed = 1, private readonly opts = BLINK_DEFAULTS) {
    this.rand = seededRandom(seed);
    this.untilNext = this.nextInterval();
  }

  /** exponential intervals, clamped: blinking is a nearly memoryless process */
  private nextInterval(): number {
    const o = this.opts;
    const x = -Math.log(1 - this.rand()) * (o.meanInterval - o.minInterval) + o.minInterval;
    return Math.min(o.maxInterval, x);
  }

  update(delta: number, eyeClosure: number, out?: ExpressionTarget): void {
    const o = this.opts;
    if (this.phase < 0) {
      this.untilNext -= delta;
      if (this.untilNext <= 0) { this.phase = 0; this.count++; }
    }
    let v = 0;
    if (this.phase >= 0) {
      const p = this.phase;
      if (p < o.close) v = p / o.close;
      else if (p < o.close + o.hold) v = 1;
      else if (p < o.close + o.hold + o.open) v = 1 - (p - o.close - o.hold) / o.open;
      else {
        this.phase = -1;
        this.untilNext = this.rand() < o.doubleBlinkChance ? 0.18 : this.nextInterval();
      }
      if (this.phase >= 0) this.phase += delta;
    }
    this.value = v * (1 - eyeClosure);
    out?.setValue("blink", this.value);
  }
}
