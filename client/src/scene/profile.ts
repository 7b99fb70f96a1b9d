/**
 * How the avatars are drawn and stepped now. The desktop starts from the quality
 * decision; a headset session switches to the headset profile (no outlines,
 * spring bones at a lower rate) and back when it ends.
 */
import { QUALITY } from "./quality.js";

export interface RenderProfile {
  /** MToon outlines drawn */
  outlines: boolean;
  /** spring bones (hair, clothes) step every this many seconds; 0 = every frame */
  springStepS: number;
}

export const renderProfile: RenderProfile = { outlines: QUALITY.outlines, springStepS: 0 };
