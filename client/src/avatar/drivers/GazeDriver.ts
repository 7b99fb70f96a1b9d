/**
 * Where eyes and head point. The target is whom the character attends to (chosen
 * by `gazeTargetId`); on top come small saccades and now and then a glance away.
 * Eyes follow quickly, the head follows part of the way, slowly.
 */
import { seededRandom } from "./types.js";
import { approach } from "./types.js";

export interface GazeContext {
  me: string;
  /** the character now speaking, if any */
  speaker: string;
  /** whom the room says I look at ("" = nobody in particular) */
  roomLookAt: string;
  /** ids I could look at when idle (people first) */
  candidates: readonly string[];
}

/** Whom a character looks at: its addressee when speaking, the speaker when listening, else the room's hint or a person. */
export function gazeTargetId(c: GazeContext, idleChoice: string): string {
  if (c.roomLookAt && c.roomLookAt !== c.me) return c.roomLookAt;
  if (c.speaker && c.speaker !== c.me) return c.speaker;
  return idleChoice;
}

export const GAZE_DEFAULTS = {
  /** time between saccades, s */
  saccadeMin: 0.35,
  saccadeMax: 1.8,
  /** saccade size at the target, m */
  saccadeSize: 0.035,
  glanceAwayChance: 0.08,
  glanceSize: 0.45,
  /** eye and head time constants, s */
  eyeTau: 0.03,
  headTau: 0.35,
  /** share of the angle the head turns (the eyes do the rest) */
  headShare: 0.4,
  maxHeadYaw: 0.9,
  maxHeadPitch: 0.45,
  /** time between idle target changes, s */
  idleMin: 2.5,
  idleMax: 7,
} as const;

export class GazeDriver {
  /** offset added to the target point this frame, m (avatar-independent world units) */
  readonly offset = { x: 0, y: 0 };
  /** head rotation applied this frame, rad */
  headYaw = 0;
  headPitch = 0;
  /** the idle target currently chosen */
  idleTarget = "";
  private untilSaccade = 0;
  private untilIdleChange = 0;
  private glanceLeft = 0;
  private readonly goal = { x: 0, y: 0 };
  private readonly rand: () => number;

  constructor(seed = 7, private readonly opts = GAZE_DEFAULTS) {
    this.rand = seededRandom(seed);
  }

  /** Picks a new idle target now and then. */
  updateIdle(delta: number, candidates: readonly string[]): string {
    this.untilIdleChange -= delta;
    if (!candidates.includes(this.idleTarget) || this.untilIdleChange <= 0) {
      // people are looked at twice as often as other characters: they come first in the list
      const weights = candidates.map((_, i) => (i === 0 ? 2 : 1));
      let r = this.rand() * weights.reduce((a, b) => a + b, 0);
      this.idleTarget = candidates[0] ?? "";
      for (let i = 0; i < candidates.length; i++) { r -= weights[i]!; if (r <= 0) { this.idleTarget = candidates[i]!; break; } }
      this.untilIdleChange = this.opts.idleMin + this.rand() * (this.opts.idleMax - this.opts.idleMin);
    }
    return this.idleTarget;
  }

  /**
   * @param yaw horizontal angle from the face's forward direction to the target, rad
   * @param pitch vertical angle to the target (up positive), rad
   */
  update(delta: number, yaw: number, pitch: number): void {
    const o = this.opts;
    this.untilSaccade -= delta;
    if (this.glanceLeft > 0) this.glanceLeft -= delta;
    if (this.untilSaccade <= 0) {
      this.untilSaccade = o.saccadeMin + this.rand() * (o.saccadeMax - o.saccadeMin);
      if (this.glanceLeft <= 0 && this.rand() < o.glanceAwayChance) {
        this.glanceLeft = 0.4 + this.rand() * 0.8;
        const side = this.rand() < 0.5 ? -1 : 1;
        this.goal.x = side * o.glanceSize * (0.6 + 0.4 * this.rand());
        this.goal.y = (this.rand() - 0.6) * o.glanceSize * 0.4;
      } else if (this.glanceLeft <= 0) {
        this.goal.x = (this.rand() * 2 - 1) * o.saccadeSize;
        this.goal.y = (this.rand() * 2 - 1) * o.saccadeSize * 0.6;
      }
    }
    // saccades are fast: jump most of the way within a frame or two
    this.offset.x = approach(this.offset.x, this.goal.x, o.eyeTau, delta);
    this.offset.y = approach(this.offset.y, this.goal.y, o.eyeTau, delta);
    const clamp = (v: number, m: number): number => Math.max(-m, Math.min(m, v));
    this.headYaw = approach(this.headYaw, clamp(yaw * o.headShare, o.maxHeadYaw), o.headTau, delta);
    this.headPitch = approach(this.headPitch, clamp(pitch * o.headShare, o.maxHeadPitch), o.headTau, delta);
  }
}
