/**
 * Life while sitting: breathing, a slow posture sway, a nod when an utterance
 * ends, and a thinking pose (head tilted, eyes up) while the LLM works. Produces
 * small rotation offsets (rad) added to the seated pose.
 */
import { approach } from "./types.js";
import type { CharacterState } from "@parley/shared";

export interface IdleOffsets {
  spinePitch: number;
  chestPitch: number;
  spineRoll: number;
  headPitch: number;
  headRoll: number;
  /** extra upward gaze while thinking, rad */
  gazeUp: number;
  shoulderLift: number;
}

export class IdleDriver {
  readonly offsets: IdleOffsets = { spinePitch: 0, chestPitch: 0, spineRoll: 0, headPitch: 0, headRoll: 0, gazeUp: 0, shoulderLift: 0 };
  private t: number;
  private nod = -1; // seconds into a nod, -1 = none
  private thinking = 0;
  private lastState: CharacterState = "idle";

  /** @param phase desynchronizes avatars, s */
  constructor(phase = 0, private readonly breathHz = 0.23) {
    this.t = phase;
  }

  update(delta: number, state: CharacterState): void {
    this.t += delta;
    if (this.lastState === "speaking" && state !== "speaking") this.nod = 0;
    this.lastState = state;
    const breath = Math.sin(this.t * 2 * Math.PI * this.breathHz);
    const sway = Math.sin(this.t * 2 * Math.PI * 0.07) * 0.6 + Math.sin(this.t * 2 * Math.PI * 0.031) * 0.4;
    this.thinking = approach(this.thinking, state === "thinking" ? 1 : 0, 0.3, delta);
    let nodPitch = 0;
    if (this.nod >= 0) {
      // one soft down-up over 0.6 s
      nodPitch = Math.sin((this.nod / 0.6) * Math.PI) * 0.12;
      this.nod += delta;
      if (this.nod > 0.6) this.nod = -1;
    }
    const o = this.offsets;
    o.chestPitch = breath * 0.012;
    o.shoulderLift = breath * 0.015;
    o.spinePitch = sway * 0.01;
    o.spineRoll = sway * 0.015;
    o.headPitch = nodPitch - this.thinking * 0.06;
    o.headRoll = this.thinking * 0.12 + sway * 0.01;
    o.gazeUp = this.thinking * 0.25;
  }
}
