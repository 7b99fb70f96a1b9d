/**
 * The seated base pose on VRM normalized bones (T-pose rest, facing +z): thighs
 * forward, shins down, upper arms down, forearms forward onto the table, fingers
 * relaxed. Angles in rad.
 */
import type { VRMHumanBoneName } from "@pixiv/three-vrm";

export type BoneEuler = [number, number, number];

const FINGERS = ["Index", "Middle", "Ring", "Little"] as const;
const SEGMENTS = ["Proximal", "Intermediate", "Distal"] as const;

function sided(side: "left" | "right"): Partial<Record<VRMHumanBoneName, BoneEuler>> {
  const s = side === "left" ? 1 : -1; // mirror about x
  const pose: Partial<Record<VRMHumanBoneName, BoneEuler>> = {
    [`${side}UpperLeg`]: [-1.5, 0, s * -0.06],
    [`${side}LowerLeg`]: [1.45, 0, 0],
    [`${side}Foot`]: [0.05, 0, 0],
    [`${side}Shoulder`]: [0, 0, s * -0.05],
    [`${side}UpperArm`]: [0.35, s * -0.25, s * -1.2],
    [`${side}LowerArm`]: [0, s * -1.25, 0],
    [`${side}Hand`]: [0, s * -0.15, s * 0.1],
    [`${side}ThumbProximal`]: [0, s * -0.3, 0],
    [`${side}ThumbDistal`]: [0, s * -0.3, 0],
  } as Partial<Record<VRMHumanBoneName, BoneEuler>>;
  FINGERS.forEach((f, fi) => SEGMENTS.forEach((seg, si) => {
    // curl grows toward the little finger and the fingertips
    pose[`${side}${f}${seg}` as VRMHumanBoneName] = [0, 0, s * -(0.22 + 0.08 * fi) * (si === 0 ? 1 : 1.2)];
  }));
  return pose;
}

export const SEATED_POSE: Partial<Record<VRMHumanBoneName, BoneEuler>> = {
  spine: [0.06, 0, 0],
  chest: [0.03, 0, 0],
  neck: [-0.04, 0, 0],
  ...sided("left"),
  ...sided("right"),
};
