// Exposed skin parts of the body: neck, arms, hands with fingers, legs.
// Parts hidden by clothing are not generated at all (fewer vertices, no poke-through).
import type { MeshBuilder, Skin } from "./meshBuilder.js";
import type { Dims } from "./proportions.js";
import type { FingerLayout, Rig, Side, Skeleton } from "./skeleton.js";
import { sideName } from "./skeleton.js";
import { rowStations, tube, type RowFocus } from "./shapes.js";
import { Profile, v3, type V3 } from "./util.js";
import { limbSkin, stackSkin, type LimbPath } from "./weights.js";

/** Arm centre line: from inside the shoulder to the wrist, with its bones. */
export function armPath(dims: Dims, rig: Rig, side: Side): LimbPath {
  const n = sideName(side);
  const up = rig.world(`${n}UpperArm`), el = rig.world(`${n}LowerArm`), wr = rig.world(`${n}Hand`);
  const p0 = v3(side * dims.x.upperArm * 0.5, up.y + dims.H * 0.006, up.z);
  const total = wr.x * side - p0.x * side;
  return {
    points: [p0, up, el, wr],
    bones: [`${n}Shoulder`, `${n}UpperArm`, `${n}LowerArm`, `${n}Hand`].map((b) => rig.idx(b)),
    jointT: [(up.x - p0.x) * side / total, (el.x - p0.x) * side / total, 1],
  };
}

/** Leg centre line: from inside the pelvis to the ankle. */
export function legPath(dims: Dims, rig: Rig, side: Side): LimbPath {
  const n = sideName(side);
  const hip = rig.world(`${n}UpperLeg`), knee = rig.world(`${n}LowerLeg`), ankle = rig.world(`${n}Foot`);
  const p0 = hip.clone().add(v3(0, dims.H * 0.03, -0.004));
  const total = p0.y - ankle.y;
  return {
    points: [p0, hip, knee, ankle],
    bones: ["hips", `${n}UpperLeg`, `${n}LowerLeg`, `${n}Foot`].map((b) => rig.idx(b)),
    // The hips->thigh crossfade sits ~3 cm below the joint: the top of the thigh
    // stays with the pelvis when seated instead of swinging out behind.
    jointT: [(p0.y - hip.y + dims.H * 0.02) / total, (p0.y - knee.y) / total, 1],
  };
}

/** Point on a (nearly straight) limb path at global parameter t. */
export function pathAt(path: LimbPath, t: number): V3 {
  const a = path.points[0] as V3, b = path.points[path.points.length - 1] as V3;
  // Walk the polyline by arc length so joints land where jointT says.
  const pts = path.points;
  let total = 0;
  const seg: number[] = [];
  for (let i = 0; i + 1 < pts.length; i++) {
    const l = (pts[i] as V3).distanceTo(pts[i + 1] as V3);
    seg.push(l);
    total += l;
  }
  let d = t * total;
  for (let i = 0; i < seg.length; i++) {
    const l = seg[i] as number;
    if (d <= l || i === seg.length - 1) return (pts[i] as V3).clone().lerp(pts[i + 1] as V3, l > 0 ? Math.min(1, d / l) : 0);
    d -= l;
  }
  return a.clone().lerp(b, t);
}

/** Sub-path from global t0 to t1 keeping the interior joints (for partial sleeves / limbs). */
export function subPath(path: LimbPath, t0: number, t1: number): V3[] {
  const out: V3[] = [pathAt(path, t0)];
  for (const jt of path.jointT) if (jt > t0 + 0.02 && jt < t1 - 0.02) out.push(pathAt(path, jt));
  out.push(pathAt(path, t1));
  return out;
}

/**
 * Row params for a tube covering global limb params g0..g1: `rows` rows, packed
 * `gain` times denser around the given joints (global params) so elbows and knees
 * bend smoothly while the straight parts stay cheap.
 */
export function limbStations(g0: number, g1: number, rows: number, joints: ReadonlyArray<readonly [number, number]>, width = 0.06): number[] {
  const span = g1 - g0;
  const focus: RowFocus[] = joints
    .filter(([g]) => g > g0 - width && g < g1 + width)
    .map(([g, gain]) => ({ at: (g - g0) / span, width: width / span, gain }));
  return rowStations(rows, focus);
}

/** Arm radius [depth(z), height(y)] at global t, before clothing looseness. */
export function armRadius(dims: Dims, path: LimbPath): (t: number) => [number, number] {
  const r = dims.r;
  const [tUp, tEl] = path.jointT as [number, number];
  const prof = new Profile([
    [0, r.upperArm * 1.15],
    [tUp, r.upperArm * 1.02],
    [(tUp + tEl) / 2, r.upperArm * 0.92],
    [tEl, r.elbow],
    [tEl + (1 - tEl) * 0.3, r.elbow * 1.05],
    [1, r.wrist],
  ]);
  return (t) => {
    const R = prof.one(t);
    return [R * 0.95, R];
  };
}

export function legRadius(dims: Dims, path: LimbPath): (t: number) => [number, number] {
  const r = dims.r;
  const [tHip, tKnee] = path.jointT as [number, number];
  const prof = new Profile([
    [0, r.thigh * 0.72],
    [tHip, r.thigh * 0.95],
    [tHip + (tKnee - tHip) * 0.25, r.thigh],
    [(tHip + tKnee) / 2, r.thigh * 0.82],
    [tKnee, r.knee],
    [tKnee + (1 - tKnee) * 0.3, r.calf],
    [0.93, r.ankle * 1.05],
    [1, r.ankle],
  ]);
  return (t) => {
    const R = prof.one(t);
    return [R, R * 0.96];
  };
}

export function buildNeck(mb: MeshBuilder, dims: Dims, rig: Rig): void {
  const { y, r, H } = dims;
  const bottom = v3(0, y.upperChest + (y.shoulder - y.upperChest) * 0.2, -0.01);
  const top = v3(0, y.chin + dims.head.height * 0.2, -0.02);
  const sk = stackSkin(
    [
      [rig.idx("upperChest"), -Infinity],
      [rig.idx("neck"), rig.world("neck").y],
      [rig.idx("head"), rig.world("head").y],
    ],
    H * 0.02,
  );
  tube(mb, {
    slot: "skin",
    points: [bottom, top],
    radius: (t) => {
      const R = r.neck * (1.25 - 0.25 * Math.min(1, t * 2.5));
      return [R, R * 0.95];
    },
    up: v3(0, 0, 1),
    around: 12,
    // Denser where it flares into the collar; both caps sit inside the torso / head.
    stations: rowStations(4, [{ at: 0.1, width: 0.25, gain: 1 }]),
    capStart: 0.4,
    capEnd: 0.4,
    capRows: 1,
    skin: (_t, p) => sk(p.y),
  });
}

/** Skin-coloured arm from global t0 to the wrist (short sleeves need the whole arm). */
export function buildArmSkin(mb: MeshBuilder, dims: Dims, rig: Rig, side: Side, t0: number): void {
  const path = armPath(dims, rig, side);
  const rad = armRadius(dims, path);
  const sk = limbSkin(path, 0.05);
  const map = (t: number): number => t0 + (1 - t0) * t;
  const [, tEl] = path.jointT as [number, number];
  tube(mb, {
    slot: "skin",
    points: subPath(path, t0, 1),
    radius: (t) => rad(map(t)),
    up: v3(0, 1, 0),
    around: 10,
    // The start sits inside the sleeve and the wrist end inside the palm: one cap row each.
    stations: limbStations(t0, 1, Math.max(2, Math.round(10 * (1 - t0))), [[tEl, 3]]),
    capStart: 0.6,
    capEnd: 0.4,
    capRows: 1,
    skin: (t) => sk(map(t)),
  });
}

export function buildLegSkin(mb: MeshBuilder, dims: Dims, rig: Rig, side: Side, t0: number, slot: "skin" | "bottom" = "skin"): void {
  const path = legPath(dims, rig, side);
  const rad = legRadius(dims, path);
  const sk = limbSkin(path, 0.06);
  const map = (t: number): number => t0 + (1 - t0) * t;
  const [tHip, tKnee] = path.jointT as [number, number];
  tube(mb, {
    slot,
    points: subPath(path, t0, 1.03),
    radius: (t) => rad(Math.min(1, map(t))),
    up: v3(0, 0, 1),
    around: 12,
    // Rows gather at the knee (90 degrees when seated). The top cap is under the
    // skirt or shorts, the foot end inside the shoe (one row). Stations use the
    // skin's parametrisation, which runs t0..1 over the tube.
    stations: limbStations(t0, 1, Math.max(4, Math.round(11 * (1 - t0))), [[tHip, 1.5], [tKnee, 3]]),
    capStart: 0.5,
    capEnd: 0.5,
    capStartRows: 2,
    capEndRows: 1,
    skin: (t) => sk(Math.min(1, map(t))),
  });
}

/** Palm + four fingers + thumb. Palms face down (-Y) in T-pose, thumbs forward (+Z). */
export function buildHand(mb: MeshBuilder, dims: Dims, sk: Skeleton, side: Side): void {
  const rig = sk.rig;
  const n = sideName(side);
  const h = dims.hand;
  const wrist = rig.world(`${n}Hand`);
  const handIdx = rig.idx(`${n}Hand`);
  const lower = rig.idx(`${n}LowerArm`);
  const palmEnd = wrist.clone().add(v3(side * h.palmLen * 0.95, -h.thick * 0.1, -h.palmHalfWidth * 0.02));
  tube(mb, {
    slot: "skin",
    points: [wrist.clone().add(v3(side * h.palmLen * 0.05, 0, 0)), palmEnd],
    radius: (t) => [h.palmHalfWidth * (0.84 + 0.16 * t), h.thick * (1 - 0.2 * t)],
    up: v3(0, 1, 0),
    exponent: 2.8,
    around: 10,
    along: 3,
    capStart: 0.45,
    capEnd: 0.3,
    capRows: 2,
    skin: (t): Skin => (t < 0.12 ? [[handIdx, 0.6 + t * 3.3], [lower, 0.4 - t * 3.3]] : [[handIdx, 1]]),
  });
  const fingers: FingerLayout[] = sk.fingers[n];
  for (const f of fingers) {
    const names = f.finger === "Thumb" ? ["Metacarpal", "Proximal", "Distal"] : ["Proximal", "Intermediate", "Distal"];
    const j = f.joints;
    const j0 = j[0] as V3, j1 = j[1] as V3, j2 = j[2] as V3, tip = j[3] as V3;
    const dir = j1.clone().sub(j0).normalize();
    const start = j0.clone().addScaledVector(dir, f.finger === "Thumb" ? 0.004 : -0.01);
    const pts = [start, j0, j1, j2, tip];
    const total = pts.slice(1).reduce((acc, p, i) => acc + p.distanceTo(pts[i] as V3), 0);
    const at = (k: number): number => pts.slice(1, k + 1).reduce((acc, p, i) => acc + p.distanceTo(pts[i] as V3), 0) / total;
    const path: LimbPath = {
      points: pts,
      bones: [handIdx, ...names.map((s) => rig.idx(`${n}${f.finger}${s}`))],
      jointT: [at(1), at(2), at(3)],
    };
    const fsk = limbSkin(path, 0.06);
    const thumb = f.finger === "Thumb";
    tube(mb, {
      slot: "skin",
      points: [start, tip],
      radius: (t) => {
        const R = f.radius * (thumb ? 1.25 - 0.4 * t : 1.05 - 0.2 * t);
        return [R, R * 0.9];
      },
      up: v3(0, 1, 0),
      around: 6,
      // A row on every joint (the finger bends there); the base cap hides in the palm.
      stations: [0, ...path.jointT.filter((jt) => jt > 0.1 && jt < 0.95), 1],
      capStart: 0.6,
      capEnd: 0.9,
      capStartRows: 1,
      capEndRows: 2,
      skin: (t) => fsk(Math.max(0, Math.min(1, t))),
    });
  }
}
