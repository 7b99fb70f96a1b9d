// Humanoid skeleton in T-pose, model facing +Z, avatar's left = +X.
// Every bone carries translation only (VRM 1.0 rest pose requirement).
import * as THREE from "three";
import type { Dims } from "./proportions.js";
import { v3, type V3 } from "./util.js";

export type Side = 1 | -1; // +1 = avatar's left (+X), -1 = right

export class Rig {
  readonly bones: THREE.Bone[] = [];
  private readonly byName = new Map<string, THREE.Bone>();
  private readonly worldPos = new Map<string, V3>();
  private readonly indexOf = new Map<string, number>();

  /** Adds a bone at a world-space rest position under `parent`. */
  add(name: string, parent: string | null, world: V3): THREE.Bone {
    if (this.byName.has(name)) throw new Error(`duplicate bone ${name}`);
    const bone = new THREE.Bone();
    bone.name = name;
    const pw = parent ? this.world(parent) : v3();
    bone.position.copy(world).sub(pw);
    if (parent) this.bone(parent).add(bone);
    this.indexOf.set(name, this.bones.length);
    this.bones.push(bone);
    this.byName.set(name, bone);
    this.worldPos.set(name, world.clone());
    return bone;
  }

  bone(name: string): THREE.Bone {
    const b = this.byName.get(name);
    if (!b) throw new Error(`unknown bone ${name}`);
    return b;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  world(name: string): V3 {
    const p = this.worldPos.get(name);
    if (!p) throw new Error(`unknown bone ${name}`);
    return p.clone();
  }

  idx(name: string): number {
    const i = this.indexOf.get(name);
    if (i === undefined) throw new Error(`unknown bone ${name}`);
    return i;
  }
}

export const FINGERS = ["Thumb", "Index", "Middle", "Ring", "Little"] as const;
export type Finger = (typeof FINGERS)[number];
export const FINGER_SEGMENTS: Record<Finger, readonly string[]> = {
  Thumb: ["Metacarpal", "Proximal", "Distal"],
  Index: ["Proximal", "Intermediate", "Distal"],
  Middle: ["Proximal", "Intermediate", "Distal"],
  Ring: ["Proximal", "Intermediate", "Distal"],
  Little: ["Proximal", "Intermediate", "Distal"],
};

export function sideName(side: Side): "left" | "right" {
  return side === 1 ? "left" : "right";
}

/** Where each finger starts and how it runs, in hand space (x along the arm, z toward the thumb). */
export interface FingerLayout {
  finger: Finger;
  joints: V3[]; // world positions of the 3 bones + the tip (4 points)
  radius: number;
}

export interface Skeleton {
  rig: Rig;
  /** Eye centres on the face surface plane (world), used for lookAt offset. */
  eyeY: number;
  fingers: Record<"left" | "right", FingerLayout[]>;
}

export function buildSkeleton(dims: Dims, eyeLocal: { x: number; y: number; z: number }): Skeleton {
  const { H, y, x, head } = dims;
  const rig = new Rig();
  const hc = v3(...head.center);
  rig.add("hips", null, v3(0, y.hips, 0));
  rig.add("spine", "hips", v3(0, y.spine, -0.002));
  rig.add("chest", "spine", v3(0, y.chest, -0.004));
  rig.add("upperChest", "chest", v3(0, y.upperChest, -0.006));
  rig.add("neck", "upperChest", v3(0, y.shoulder + H * 0.004, -0.008));
  rig.add("head", "neck", v3(0, y.chin + head.height * 0.1, -0.006));
  for (const side of [1, -1] as Side[]) {
    const s = sideName(side);
    rig.add(`${s}Eye`, "head", v3(side * eyeLocal.x, hc.y + eyeLocal.y, hc.z + eyeLocal.z - 0.012));
  }
  const fingers: Record<"left" | "right", FingerLayout[]> = { left: [], right: [] };
  for (const side of [1, -1] as Side[]) {
    const s = sideName(side);
    const S = (n: string): string => `${s}${n}`;
    const armY = y.shoulder - H * 0.018;
    rig.add(S("Shoulder"), "upperChest", v3(side * x.shoulderBone, y.shoulder - H * 0.008, -0.006));
    rig.add(S("UpperArm"), S("Shoulder"), v3(side * x.upperArm, armY, -0.008));
    rig.add(S("LowerArm"), S("UpperArm"), v3(side * x.elbow, armY, -0.01));
    rig.add(S("Hand"), S("LowerArm"), v3(side * x.wrist, armY, -0.008));
    fingers[s] = buildHandBones(rig, dims, side, v3(side * x.wrist, armY, -0.008));
    rig.add(S("UpperLeg"), "hips", v3(side * x.leg, y.upperLeg, 0));
    rig.add(S("LowerLeg"), S("UpperLeg"), v3(side * x.leg * 0.97, y.knee, 0.004));
    rig.add(S("Foot"), S("LowerLeg"), v3(side * x.leg * 0.96, y.ankle, -0.006));
    const f = dims.foot;
    rig.add(S("Toes"), S("Foot"), v3(side * x.leg * 0.96, H * 0.012, f.heelZ + f.len * 0.74));
  }
  return { rig, eyeY: hc.y + eyeLocal.y, fingers };
}

function buildHandBones(rig: Rig, dims: Dims, side: Side, wrist: V3): FingerLayout[] {
  const s = sideName(side);
  const h = dims.hand;
  const out: FingerLayout[] = [];
  // Knuckle offsets across the palm (z, toward the thumb is +z for both hands in T-pose),
  // relative finger lengths and how far back the knuckle sits.
  const spec: Array<[Finger, number, number, number]> = [
    ["Index", 0.62, 0.96, 0.97],
    ["Middle", 0.2, 1.04, 1.0],
    ["Ring", -0.22, 0.97, 0.97],
    ["Little", -0.6, 0.8, 0.9],
  ];
  for (const [finger, zf, lf, kf] of spec) {
    const len = h.finger * lf;
    const k = wrist.clone().add(v3(side * h.palmLen * kf, -h.thick * 0.1, h.palmHalfWidth * zf));
    // Fingers splay very slightly outward from the middle finger.
    const dir = v3(side, 0, zf * 0.08).normalize();
    const segs = [0.45, 0.3, 0.25].map((f) => f * len);
    const pts: V3[] = [k];
    for (const sl of segs) pts.push((pts[pts.length - 1] as V3).clone().addScaledVector(dir, sl));
    const names = FINGER_SEGMENTS[finger];
    let parent = `${s}Hand`;
    names.forEach((n, i) => {
      const name = `${s}${finger}${n}`;
      rig.add(name, parent, pts[i] as V3);
      parent = name;
    });
    out.push({ finger, joints: pts, radius: h.fingerR * (finger === "Little" ? 0.86 : finger === "Middle" ? 1.03 : 1) });
  }
  // Thumb: starts near the wrist on the +z side, points forward-outward and a bit down.
  const tb = wrist.clone().add(v3(side * h.palmLen * 0.18, -h.thick * 0.35, h.palmHalfWidth * 0.55));
  const tdir = v3(side * 0.62, -0.22, 0.75).normalize();
  const tl = h.finger * 0.95;
  const tpts: V3[] = [tb];
  for (const f of [0.38, 0.34, 0.28]) tpts.push((tpts[tpts.length - 1] as V3).clone().addScaledVector(tdir, f * tl));
  let parent = `${s}Hand`;
  FINGER_SEGMENTS.Thumb.forEach((n, i) => {
    const name = `${s}Thumb${n}`;
    rig.add(name, parent, tpts[i] as V3);
    parent = name;
  });
  out.push({ finger: "Thumb", joints: tpts, radius: h.fingerR * 1.15 });
  return out;
}

/** The VRM 1.0 humanoid bone names we emit (all map 1:1 to node names). */
export function humanBoneNames(): string[] {
  const core = ["hips", "spine", "chest", "upperChest", "neck", "head", "leftEye", "rightEye"];
  const limbs: string[] = [];
  for (const s of ["left", "right"]) {
    limbs.push(`${s}Shoulder`, `${s}UpperArm`, `${s}LowerArm`, `${s}Hand`);
    limbs.push(`${s}UpperLeg`, `${s}LowerLeg`, `${s}Foot`, `${s}Toes`);
    for (const f of FINGERS) for (const n of FINGER_SEGMENTS[f]) limbs.push(`${s}${f}${n}`);
  }
  return [...core, ...limbs];
}
