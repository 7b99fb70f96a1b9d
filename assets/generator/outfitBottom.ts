// Lower garments (pants, shorts, skirt), bare legs where visible, and shoes.
import { buildLegSkin, legPath, legRadius, limbStations, subPath } from "./body.js";
import type { AvatarDescription } from "./description.js";
import type { MeshBuilder, Skin } from "./meshBuilder.js";
import type { Dims } from "./proportions.js";
import type { Rig, Side } from "./skeleton.js";
import { sideName } from "./skeleton.js";
import { rowStations, tube } from "./shapes.js";
import { Torso, torsoRows } from "./torso.js";
import { smoothstep, v3, type V3 } from "./util.js";
import { limbSkin, mixSkin, pelvisSkin, torsoSkin } from "./weights.js";

/** `coarse`: modesty shorts under a skirt, only glimpsed from below. */
function pelvis(mb: MeshBuilder, dims: Dims, rig: Rig, ease: number, coarse = false): void {
  const { y, torso: t, H } = dims;
  // Crotch rows below the hips, then exactly the torso's own rows so the
  // pelvis follows the same curve as the top garment layered over it.
  const rows = [
    [y.upperLeg - H * 0.05, t.hipHalf * 0.55, t.hipHalf * 0.5, -0.004],
    [y.upperLeg - H * 0.02, t.hipHalf * 0.93, t.hipHalf * 0.68, -0.006],
    ...torsoRows(dims).filter((r) => (r[0] ?? 0) >= y.hips - 1e-6 && (r[0] ?? 0) <= y.chest + 1e-6),
  ];
  const torso = new Torso(rows, dims, ease, undefined, y.waist);
  const sk = pelvisSkin(dims, rig);
  const len = torso.y1 - torso.y0;
  tube(mb, {
    slot: "bottom",
    points: [v3(0, torso.y0, 0), v3(0, torso.y1, 0)],
    radius: (tt) => {
      const s = torso.section(torso.y0 + tt * len);
      return [s.rx, s.rz];
    },
    offset: (tt) => v3(0, 0, torso.section(torso.y0 + tt * len).z),
    radial: (tt, a) => torso.radial(torso.y0 + tt * len, a),
    up: v3(0, 0, 1),
    exponent: 2.5,
    around: coarse ? 12 : 18,
    // Rows gather at the hips row (the widest point); the waist end is under the top.
    stations: rowStations(coarse ? 4 : 7, [{ at: (y.hips - torso.y0) / len, width: (H * 0.04) / len, gain: 1 }]),
    capStart: 0.45,
    capEnd: 0.1,
    capStartRows: coarse ? 2 : 3,
    capEndRows: 1,
    skin: (_t, p) => sk(p),
  });
}

/** Trouser/shorts leg over the same path as the bare leg, with ease and a slight flare. */
function trouserLeg(mb: MeshBuilder, dims: Dims, rig: Rig, side: Side, tEnd: number, ease: number, flare: number): void {
  const path = legPath(dims, rig, side);
  const rad = legRadius(dims, path);
  const sk = limbSkin(path, 0.06);
  const pel = pelvisSkin(dims, rig);
  const [tHip, tKnee] = path.jointT as [number, number];
  tube(mb, {
    slot: "bottom",
    points: subPath(path, 0, tEnd),
    radius: (t) => {
      const g = t * tEnd;
      const [a, b] = rad(g);
      // Trousers don't follow the calf: keep a straight-ish fall below the knee.
      const straight = Math.max(0, g - 0.55) * 0.02 + flare * t;
      return [a + ease + straight, b + ease + straight];
    },
    up: v3(0, 0, 1),
    around: 14,
    // Rows gather at the hip crease and the knee (both 90 degrees when seated).
    stations: limbStations(0, tEnd, Math.max(5, Math.round(13 * tEnd)), [[tHip, 2], [tKnee, 3]]),
    // The start cap hides in the pelvis; the hem is a thin ring.
    capStart: 0.4,
    capEnd: 0.08,
    capStartRows: 1,
    capEndRows: 2,
    skin: (t, p) => {
      const g = Math.max(0, t) * tEnd;
      // Near the crotch blend with the pelvis weights so the seam doesn't tear when seated.
      return mixSkin(pel(p), sk(g), smoothstep(0.02, 0.16, g));
    },
  });
}

/**
 * Skirt from the waist to hemY. If the top is tucked in (topHemY = null) the skirt
 * sits outside it; otherwise it hugs the body under the top and only flares
 * below the top's hem, so a jacket/sweater visibly hangs over it.
 */
function skirt(mb: MeshBuilder, dims: Dims, rig: Rig, hemY: number, flareK: number, topEase: number, topHemY: number | null): void {
  const { y, torso: t, H } = dims;
  const top = y.waist + H * 0.008;
  const len = top - hemY;
  const tsk = torsoSkin(dims, rig);
  const body = new Torso(torsoRows(dims), dims, 0);
  const flareFrom = topHemY ?? top;
  const base = (yy: number): { rx: number; rz: number } => {
    const s = body.section(Math.max(yy, y.hips - H * 0.07));
    const e = topHemY === null ? topEase + 0.004 : 0.003;
    return { rx: s.rx + e, rz: s.rz + e };
  };
  const start = base(flareFrom);
  const target = t.hipHalf * flareK;
  const half = (k: number): [number, number] => {
    const yy = top - k * len;
    if (yy >= flareFrom) {
      const b = base(yy);
      return [b.rx, b.rz];
    }
    const f = Math.sqrt((flareFrom - yy) / (flareFrom - hemY));
    const rx = start.rx + (target - start.rx) * f;
    return [rx, start.rz + (target * 0.84 - start.rz) * f];
  };
  const skin = (p: V3): Skin => {
    // Top follows the hips; lower down the skirt follows the thighs (front more than back).
    const k = Math.max(0, Math.min(1, (top - p.y) / len));
    const side = smoothstep(-0.03, 0.03, p.x);
    const legs: Skin = [[rig.idx("leftUpperLeg"), side], [rig.idx("rightUpperLeg"), 1 - side]];
    // Seated, the front drapes over the thighs while the back stays behind the seat.
    const front = 0.6 + 0.35 * smoothstep(-0.04, 0.06, p.z);
    return mixSkin(tsk(p), legs, smoothstep(0.1, 0.9, k) * front);
  };
  const pleat = (k: number): number => Math.max(0, (flareFrom - (top - k * len)) / (flareFrom - hemY));
  // Rows: none between the waist and an untucked top's hem (hidden under it), the rest on the flare.
  const kFlare = (top - flareFrom) / len;
  // The flare grows like sqrt(), so its first rows are packed closer.
  const flareRows = (n: number): number[] => rowStations(n, [{ at: 0, width: 0.2, gain: 1.5 }]);
  const stations = kFlare > 0.05 ? [0, ...flareRows(7).map((k) => kFlare + (1 - kFlare) * k)] : flareRows(8);
  for (const inner of [false, true]) {
    const shrink = inner ? -0.0025 : 0;
    tube(mb, {
      slot: "bottom",
      points: [v3(0, top, 0), v3(0, hemY, 0)],
      radius: (k) => {
        const [rx, rz] = half(k);
        return [rx + shrink, rz + shrink];
      },
      // Soft pleats that deepen toward the hem.
      radial: (k, a) => 1 + 0.03 * pleat(k) * Math.sin(a * 14),
      offset: (k) => v3(0, 0, body.section(Math.max(top - k * len, y.hips - H * 0.07)).z - 0.004 * pleat(k)),
      up: v3(0, 0, 1),
      exponent: 2.3,
      // Three columns per pleat (crest, valley, flank). The lining uses the very same
      // grid 2.5 mm further in: it deforms exactly like the skirt when it drapes over
      // the thighs, so it never shows through.
      around: 42,
      stations,
      ...(inner ? {} : { capStart: 0.05, capRows: 1 }),
      facing: (p) => {
        const o = v3(p.x, 0, p.z + 0.006).normalize();
        return inner ? o.negate() : o;
      },
      skin: (_k, p) => skin(p),
    });
  }
}

function shoe(mb: MeshBuilder, dims: Dims, rig: Rig, side: Side): void {
  const f = dims.foot;
  const { H } = dims;
  const n = sideName(side);
  const ankle = rig.world(`${n}Foot`);
  const foot = rig.idx(`${n}Foot`), toes = rig.idx(`${n}Toes`);
  const x = ankle.x;
  const skin = (t: number): Skin => {
    const w = smoothstep(0.55, 0.8, t);
    return [[foot, 1 - w], [toes, w]];
  };
  const hh = (t: number): number => H * (0.026 - 0.009 * smoothstep(0.3, 1, t));
  tube(mb, {
    slot: "shoes",
    points: [v3(x, 0, f.heelZ + 0.01), v3(x, 0, f.heelZ + f.len - 0.02)],
    radius: (t) => [f.halfWidth * (0.8 + 0.22 * Math.sin(Math.PI * Math.min(1, t * 1.1))), hh(t)],
    offset: (t) => v3(side * 0.003 * t, hh(t) + 0.002, 0),
    up: v3(0, 1, 0),
    exponent: 2.6,
    around: 14,
    along: 5,
    capStart: 0.5,
    capEnd: 0.9,
    capStartRows: 2,
    capEndRows: 3,
    skin: (t) => skin(Math.max(0, Math.min(1, t))),
  });
  // Ankle cuff so the leg disappears into the shoe.
  tube(mb, {
    slot: "shoes",
    points: [v3(x, H * 0.02, f.heelZ + 0.03), v3(x, ankle.y + H * 0.012, -0.004)],
    radius: () => [dims.r.ankle * 1.55, dims.r.ankle * 1.5],
    up: v3(0, 0, 1),
    around: 10,
    along: 1,
    // The bottom cap is inside the shoe; the top one is the opening around the ankle.
    capStart: 0.2,
    capEnd: 0.15,
    capStartRows: 1,
    capEndRows: 2,
    skin: () => [[foot, 1]],
  });
}

/** Tops that hang over a skirt (their hem shows) versus tucked-in ones. */
export interface TopInfo {
  ease: number;
  hemY: number;
  tucked: boolean;
}

export function buildBottom(mb: MeshBuilder, dims: Dims, rig: Rig, desc: AvatarDescription, topInfo: TopInfo): void {
  const { y, H } = dims;
  const bottom = desc.outfit.top === "dress" ? "skirt" : desc.outfit.bottom;
  for (const side of [1, -1] as Side[]) shoe(mb, dims, rig, side);
  if (bottom === "pants") {
    pelvis(mb, dims, rig, 0.003);
    for (const side of [1, -1] as Side[]) trouserLeg(mb, dims, rig, side, 0.975, 0.008, 0.004);
  } else if (bottom === "shorts") {
    pelvis(mb, dims, rig, 0.003);
    for (const side of [1, -1] as Side[]) {
      trouserLeg(mb, dims, rig, side, 0.36, 0.01, 0.012);
      buildLegSkin(mb, dims, rig, side, 0.3);
    }
  } else {
    const dress = desc.outfit.top === "dress";
    skirt(mb, dims, rig, dress ? y.knee + H * 0.03 : y.knee + H * 0.075, dress ? 1.55 : 1.45, topInfo.ease, topInfo.tucked ? null : topInfo.hemY);
    for (const side of [1, -1] as Side[]) buildLegSkin(mb, dims, rig, side, 0.08);
    // Modesty shorts in the skirt colour so low camera angles never look odd.
    pelvis(mb, dims, rig, 0.0, true);
  }
}
