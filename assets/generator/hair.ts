// Hair: cap shell + fringe (bangs) + side locks shared by all styles, then the
// style-specific back/tails from hairStyles.ts. Angles in degrees here:
// theta from the crown (0) downward, phi around from the face (0) toward the
// avatar's left (+90 = +X).
import * as THREE from "three";
import type { Bangs } from "./description.js";
import { HeadShape } from "./head.js";
import type { Slot } from "./materials.js";
import { rigid } from "./meshBuilder.js";
import { chainOnLock, lock, shell, taper, type HairCtx } from "./hairKit.js";
import { buildStyleBack } from "./hairStyles.js";
import { Profile, clamp, smoothstep, v3, type V3 } from "./util.js";

const D = Math.PI / 180;

export function S(ctx: HairCtx, thetaDeg: number, phiDeg: number, off: number): V3 {
  return ctx.head.surf(thetaDeg * D, phiDeg * D, off);
}

/** Smooth path through head-local points, evaluated by arc length. */
export function spline(points: V3[]): (t: number) => V3 {
  const c = new THREE.CatmullRomCurve3(points, false, "centripetal");
  return (t) => c.getPointAt(clamp(t, 0, 1));
}

export interface CapOpts {
  /** Hairline theta (deg) keyed by |phi| (deg). */
  hairline: ReadonlyArray<readonly [number, number]>;
  /** Volume (m) above the skin at the crown and at the edge region. */
  crown: number;
  side: number;
}

export function defaultCap(style: string): CapOpts {
  const long = style === "bob" || style === "long";
  const tight = style === "ponytail" || style === "bun" || style === "twinTails";
  const short = style === "short" || style === "spiky";
  return {
    hairline: [
      [0, 48],
      [35, 60],
      [65, short ? 80 : 84],
      [90, long ? 108 : short ? 96 : 100],
      [120, long ? 122 : short ? 114 : 118],
      [150, short ? 126 : 130],
      [180, short ? 129 : 133],
    ],
    // Short cuts: volume on top, close-cropped sides (avoids a helmet silhouette).
    crown: tight ? 0.017 : style === "spiky" ? 0.024 : 0.022,
    side: tight ? 0.011 : long ? 0.017 : short ? 0.008 : 0.013,
  };
}

/** Outer offset (m) of the cap shell above the skin at (theta, phi) in degrees; 0 outside the cap. */
export function capOffset(o: CapOpts, thetaDeg: number, phiDeg: number): number {
  const hl = new Profile(o.hairline.map((r) => [...r]));
  const a = Math.abs((((phiDeg % 360) + 540) % 360) - 180);
  const w = thetaDeg / hl.one(a);
  if (w >= 1) return 0;
  return o.side + (o.crown - o.side) * (1 - smoothstep(0.1, 0.8, w));
}

export function buildCap(ctx: HairCtx, o: CapOpts): void {
  const hl = new Profile(o.hairline.map((r) => [...r]));
  const hb = ctx.rig.idx("head");
  shell(
    ctx,
    "hair",
    32,
    10,
    true,
    (u, w) => {
      const phi = u * 360;
      const aphi = phi > 180 ? 360 - phi : phi;
      const th = w * hl.one(aphi) * D;
      const s = HeadShape.dir(th, phi * D);
      return { p: ctx.head.local(s), n: ctx.head.normal(s) };
    },
    (_u, w) => {
      // Thick on top for a round anime silhouette, thinner toward the hairline.
      return o.side + (o.crown - o.side) * (1 - smoothstep(0.1, 0.8, w));
    },
    0.004,
    () => rigid(hb),
    2,
  );
}

interface BangSpec {
  phi0: number;
  sweep: number; // extra phi (deg) reached at the tip
  thetaTip: number;
  width: number; // half width (m)
  blunt: boolean;
  slot: Slot;
}

function bangSpecs(type: Bangs, rand: () => number, streak: boolean): BangSpec[] {
  const out: BangSpec[] = [];
  const jitter = (k: number): number => (rand() - 0.5) * k;
  if (type === "straight") {
    const n = 9;
    for (let i = 0; i < n; i++) {
      const f = (i / (n - 1)) * 2 - 1;
      out.push({ phi0: f * 60, sweep: f * 6, thetaTip: 76 + 10 * f * f + jitter(3), width: 0.019, blunt: true, slot: "hair" });
    }
  } else if (type === "swept") {
    const n = 8;
    for (let i = 0; i < n; i++) {
      const f = (i / (n - 1)) * 2 - 1;
      // Swept toward the avatar's right (-phi); lengths rise toward the sweep side.
      out.push({ phi0: f * 58 + 8, sweep: -22 + 6 * f, thetaTip: 73 + 9 * (1 - f) * 0.5 + 8 * f * f + jitter(4), width: 0.022, blunt: false, slot: "hair" });
    }
  } else if (type === "parted") {
    const n = 8;
    for (let i = 0; i < n; i++) {
      const f = (i / (n - 1)) * 2 - 1;
      const sgn = f < 0 ? -1 : 1;
      out.push({ phi0: f * 56 + sgn * 5, sweep: sgn * 16, thetaTip: 72 + 12 * Math.abs(f) + jitter(3), width: 0.022, blunt: false, slot: "hair" });
    }
  } else {
    // curtain: parted in the middle, long at the sides framing the face.
    const n = 8;
    for (let i = 0; i < n; i++) {
      const f = (i / (n - 1)) * 2 - 1;
      const sgn = f < 0 ? -1 : 1;
      out.push({ phi0: f * 52 + sgn * 6, sweep: sgn * (20 + 8 * Math.abs(f)), thetaTip: 70 + 24 * Math.abs(f) ** 1.5 + jitter(3), width: 0.022, blunt: false, slot: "hair" });
    }
  }
  if (streak) {
    // Grey at the temples: the outermost fringe locks take the streak colour.
    const a = out[0], b = out[out.length - 1];
    if (a) a.slot = "hairStreak";
    if (b) b.slot = "hairStreak";
  }
  return out;
}

export function buildBangs(ctx: HairCtx, type: Bangs, streak: boolean): void {
  // Masculine fringes stop higher so the forehead shows.
  const lift = ctx.dims.fem ? 0 : 9;
  const sweepK = ctx.dims.fem ? 1 : 1.7;
  for (const spec of bangSpecs(type, ctx.rand, streak)) {
    const b = { ...spec, sweep: spec.sweep * sweepK };
    const th0 = 18, th1 = b.thetaTip - lift;
    const path = (t: number): V3 => {
      const e = t * t * (3 - 2 * t) * 0.35 + t * 0.65;
      const th = th0 + (th1 - th0) * e;
      const ph = b.phi0 + b.sweep * t * t;
      // Puffs out over the hairline, then hugs the forehead at the tip.
      const off = 0.02 * (1 - t) + 0.005 * t + 0.007 * Math.sin(Math.PI * Math.min(1, t * 1.3));
      return S(ctx, th, ph, off);
    };
    lock(ctx, {
      slot: b.slot,
      path,
      width: b.blunt ? (t) => b.width * Math.max(0, 1 - t ** 5) ** 0.5 * (t > 0.97 ? 0.4 : 1) : taper(b.width, 0.2, 1.4),
      thick: (t) => 0.0045 * (1 - t) ** 0.6 + 0.0008,
      out: (t) => ctx.head.normal(HeadShape.dir((th0 + (th1 - th0) * t) * D, (b.phi0 + b.sweep * t * t) * D)),
      rows: 9,
    });
  }
}

/** Face-framing locks in front of the ears; `drop` = how far below the head centre (m) they hang. */
export function buildSideLocks(ctx: HairCtx, drop: number, opts: { chain: boolean; slot?: Slot; width?: number; count?: number; forward?: number }): void {
  const count = opts.count ?? 2;
  for (const side of [1, -1]) {
    for (let k = 0; k < count; k++) {
      const phi = side * (70 + k * 16);
      const a = S(ctx, 40, phi, 0.016);
      const b = S(ctx, 72, phi, 0.017);
      const c = S(ctx, 98, phi + side * 2, 0.016);
      const endY = -drop * (1 - 0.16 * k);
      // `forward` (m) brings long locks in front of the shoulders instead of through them.
      const fw = opts.forward ?? 0;
      const d = v3(c.x * (1 + fw * 1.5), (c.y + endY) / 2, c.z + 0.006 + fw * 0.6);
      const e = v3(c.x * (0.9 + fw * 1.5), endY, c.z + 0.012 + fw);
      const path = spline([a, b, c, d, e]);
      const chain = opts.chain && k === 0 ? chainOnLock(ctx, `side${side > 0 ? "L" : "R"}`, path, [0.45, 0.7, 1.0], "lock") : undefined;
      lock(ctx, {
        slot: opts.slot ?? "hair",
        path,
        width: taper(opts.width ?? 0.02, 0.2, 2.2),
        thick: (t) => 0.007 * (1 - t) ** 0.5 + 0.001,
        rows: 9,
        ...(chain ? { chain } : {}),
      });
    }
  }
}

/** Antenna lock on the crown (bounces nicely on its spring). */
export function buildAhoge(ctx: HairCtx): void {
  const r = S(ctx, 8, 15, 0.015);
  const path = spline([r, r.clone().add(v3(0.002, 0.03, 0.006)), r.clone().add(v3(0.006, 0.05, 0.03)), r.clone().add(v3(0.008, 0.035, 0.055))]);
  const chain = chainOnLock(ctx, "ahoge", path, [0.05, 0.5, 1.0], "ahoge");
  lock(ctx, { path, width: taper(0.008, 0.4, 1.5), thick: (t) => 0.003 * (1 - t) + 0.0005, rows: 8, chain });
}

export function buildHair(ctx: HairCtx): void {
  const h = ctx.desc.hair;
  buildCap(ctx, defaultCap(h.style));
  buildBangs(ctx, h.bangs, h.streak !== undefined);
  buildStyleBack(ctx);
  if (ctx.desc.age === "young" || h.style === "spiky") buildAhoge(ctx);
}
