/**
 * The headset profile: what a session changes so a standalone headset keeps its
 * frame rate. Outlines off (they double each avatar's draw calls), spring bones
 * at 30 Hz instead of every frame, fixed foveation at its strongest (set on the
 * store), and a frame budget: the session runs at the highest rate from 72 to
 * 90 Hz that the measured frames keep up with, stepping down when they do not.
 */
import { runtime } from "../state/runtime.js";
import { renderProfile } from "../scene/profile.js";
import { showOutlines } from "../avatar/loadVrm.js";

export const HEADSET = {
  /** spring bones step at this interval, s (30 Hz) */
  springStepS: 1 / 30,
  /** 0..1, the strongest fixed foveation */
  foveation: 1,
  /** the frame rates the budget moves between, Hz */
  minRate: 72,
  maxRate: 90,
} as const;

/** Switches every avatar (and those loaded later) to the headset profile; returns the undo. */
export function enterHeadsetProfile(): () => void {
  const before = { ...renderProfile };
  renderProfile.outlines = false;
  renderProfile.springStepS = HEADSET.springStepS;
  const apply = (outlines: boolean): void => {
    for (const rigs of [runtime.rigs, runtime.people]) for (const rig of rigs.values()) showOutlines(rig.vrm, outlines);
  };
  apply(false);
  return () => {
    Object.assign(renderProfile, before);
    apply(before.outlines);
  };
}

/** The highest supported rate within the budget's range (the session's starting rate). */
export function startRate(supported: ArrayLike<number>): number | false {
  const ok = Array.from(supported).filter((r) => r >= HEADSET.minRate && r <= HEADSET.maxRate);
  return ok.length > 0 ? Math.max(...ok) : false;
}

/**
 * Watches how long each frame's work takes (from the frame's start to the end
 * of its render, ms) over windows of `windowS`, and says when to change the
 * target rate: down a step when the slowest tenth of frames overruns 90% of the
 * budget, up a step when they would fit the faster budget with a quarter to spare.
 */
export class FrameBudget {
  private readonly rates: number[];
  private readonly samples: number[] = [];
  private elapsed = 0;
  /** ms: the budget at the current rate, and the last window's 90th percentile frame work */
  budgetMs: number;
  frameMs = 0;

  constructor(supported: ArrayLike<number>, public rate: number, private readonly windowS = 2) {
    this.rates = Array.from(supported).filter((r) => r >= HEADSET.minRate && r <= HEADSET.maxRate).sort((a, b) => a - b);
    this.budgetMs = 1000 / rate;
  }

  /** The session's rate changed by other means (its start, the system): budget for that. */
  follow(rate: number): void {
    if (rate === this.rate) return;
    this.rate = rate;
    this.budgetMs = 1000 / rate;
  }

  /** A frame's work took `workMs`, `deltaS` after the previous frame; returns a new target rate when one is due, else null. */
  sample(workMs: number, deltaS: number): number | null {
    this.samples.push(workMs);
    this.elapsed += deltaS;
    if (this.elapsed < this.windowS) return null;
    this.samples.sort((a, b) => a - b);
    this.frameMs = this.samples[Math.floor(this.samples.length * 0.9)] ?? 0;
    this.samples.length = 0;
    this.elapsed = 0;
    const i = this.rates.indexOf(this.rate);
    let next: number | null = null;
    if (this.frameMs > this.budgetMs * 0.9 && i > 0) next = this.rates[i - 1]!;
    else if (i >= 0 && i < this.rates.length - 1 && this.frameMs < 0.75 * (1000 / this.rates[i + 1]!)) next = this.rates[i + 1]!;
    if (next !== null) { this.rate = next; this.budgetMs = 1000 / next; }
    return next;
  }
}
