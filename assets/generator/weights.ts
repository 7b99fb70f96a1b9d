// Skin-weight rules shared by body and clothing so layered surfaces deform alike
// (a sleeve and the arm under it get the same weights at the same spot, which
// keeps the gap between them when the avatar is posed).
import type { Skin } from "./meshBuilder.js";
import type { Dims } from "./proportions.js";
import type { Rig, Side } from "./skeleton.js";
import { sideName } from "./skeleton.js";
import { smoothstep, type V3 } from "./util.js";

export function mixSkin(a: Skin, b: Skin, t: number): Skin {
  if (t <= 0.001) return a;
  if (t >= 0.999) return b;
  const m = new Map<number, number>();
  for (const [i, w] of a) m.set(i, (m.get(i) ?? 0) + w * (1 - t));
  for (const [i, w] of b) m.set(i, (m.get(i) ?? 0) + w * t);
  return [...m.entries()];
}

/** Bones stacked along one coordinate (e.g. y for the spine); crossfade of +-blend around each joint. */
export function stackSkin(stack: ReadonlyArray<readonly [number, number]>, blend: number): (c: number) => Skin {
  return (c: number): Skin => {
    let k = 0;
    while (k + 1 < stack.length && c >= (stack[k + 1]?.[1] ?? Infinity)) k++;
    const cur = stack[k]?.[0] ?? 0;
    const next = stack[k + 1];
    const prev = stack[k - 1];
    if (next && next[1] - c < blend) {
      const w = 0.5 - 0.5 * ((next[1] - c) / blend);
      return [[cur, 1 - w], [next[0], w]];
    }
    const own = stack[k]?.[1] ?? -Infinity;
    if (prev && c - own < blend) {
      const w = 0.5 - 0.5 * ((c - own) / blend);
      return [[cur, 1 - w], [prev[0], w]];
    }
    return [[cur, 1]];
  };
}

/** Torso (and top garment) weights: spine stack by height, shoulders/arms at the sides. */
export function torsoSkin(dims: Dims, rig: Rig): (p: V3) => Skin {
  const { y, x, H } = dims;
  const spine = stackSkin(
    [
      [rig.idx("hips"), -Infinity],
      [rig.idx("spine"), y.spine],
      [rig.idx("chest"), y.chest],
      [rig.idx("upperChest"), y.upperChest],
      [rig.idx("neck"), y.shoulder + H * 0.012],
    ],
    H * 0.03,
  );
  return (p: V3): Skin => {
    let s = spine(p.y);
    const side: Side = p.x >= 0 ? 1 : -1;
    const n = sideName(side);
    const ax = Math.abs(p.x);
    const armW = smoothstep(x.upperArm * 0.85, x.upperArm * 1.3, ax);
    const shoulder: Skin = armW > 0 ? [[rig.idx(`${n}Shoulder`), 1 - armW], [rig.idx(`${n}UpperArm`), armW]] : [[rig.idx(`${n}Shoulder`), 1]];
    const wSide = smoothstep(x.upperArm * 0.3, x.upperArm * 0.95, ax) * smoothstep(y.chest, y.upperChest + (y.shoulder - y.upperChest) * 0.4, p.y);
    s = mixSkin(s, shoulder, wSide * 0.9);
    return s;
  };
}

/** Pelvis/hip region: hips bone, fading into the thighs toward the bottom and front. */
export function pelvisSkin(dims: Dims, rig: Rig): (p: V3) => Skin {
  const torso = torsoSkin(dims, rig);
  const { y, x, H } = dims;
  return (p: V3): Skin => {
    const base = torso(p);
    const n = p.x >= 0 ? "left" : "right";
    const lateral = smoothstep(x.leg * 0.15, x.leg * 0.8, Math.abs(p.x));
    const low = smoothstep(y.upperLeg + H * 0.03, y.upperLeg - H * 0.04, p.y);
    // Front/lower pelvis follows the thighs; the seat (back) mostly stays with the hips.
    const w = low * (0.35 + 0.55 * lateral) * (p.z > 0 ? 1 : 0.45);
    return mixSkin(base, [[rig.idx(`${n}UpperLeg`), 1]], w);
  };
}

export interface LimbPath {
  points: V3[];
  bones: number[];
  /** Arc-length params (0..1 over points) of the joints between consecutive bones. */
  jointT: number[];
}

/** Skin along a limb path with crossfades of +-blend (in path params) at every joint. */
export function limbSkin(path: LimbPath, blend: number): (t: number) => Skin {
  const stack: Array<[number, number]> = path.bones.map((b, i) => [b, i === 0 ? -Infinity : (path.jointT[i - 1] ?? 1)]);
  return stackSkin(stack, blend);
}
