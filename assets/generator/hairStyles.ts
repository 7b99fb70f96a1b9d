// Style-specific hair: what hangs at the back/sides (curtains, tails, bun, spikes).
// Head-local metres; angles in degrees (theta from the crown, phi from the face).
import * as THREE from "three";
import { HeadShape } from "./head.js";
import type { Slot } from "./materials.js";
import { rigid, type Skin } from "./meshBuilder.js";
import { buildSideLocks, S, spline } from "./hair.js";
import { chainOnLock, lock, taper, toWorld, type HairCtx, type LockChain } from "./hairKit.js";
import { ellipsoid } from "./shapes.js";
import { v3, type V3 } from "./util.js";

const D = Math.PI / 180;

/** A ring (torus) around `axis`; used for hair ties. */
export function ring(ctx: HairCtx, slot: Slot, center: V3, axis: V3, R: number, r: number, skin: Skin): void {
  const ax = axis.clone().normalize();
  const e1 = Math.abs(ax.y) < 0.9 ? v3(0, 1, 0).cross(ax).normalize() : v3(1, 0, 0).cross(ax).normalize();
  const e2 = ax.clone().cross(e1);
  ctx.mb.surface(
    slot,
    6,
    10,
    true,
    (u, v) => {
      const a = v * Math.PI * 2, b = u * Math.PI * 2;
      const radial = e1.clone().multiplyScalar(Math.cos(a)).addScaledVector(e2, Math.sin(a));
      return toWorld(ctx, center.clone().addScaledVector(radial, R + r * Math.cos(b)).addScaledVector(ax, r * Math.sin(b)));
    },
    () => skin,
    { closed: true },
  );
}

/** Locks running over the back of the skull; short styles end at the nape. */
function hugLocks(ctx: HairCtx, phis: number[], thetaEnd: number, width: number, slot: Slot = "hair"): void {
  for (const phi of phis) {
    const jit = (ctx.rand() - 0.5) * 6;
    const path = spline([S(ctx, 40, phi, 0.02), S(ctx, 85, phi + jit * 0.3, 0.021), S(ctx, thetaEnd - 12, phi + jit, 0.014), S(ctx, thetaEnd + jit * 0.5, phi + jit, 0.006)]);
    lock(ctx, { slot, path, width: taper(width, 0.15, 1.8), thick: (t) => 0.007 * (1 - t) ** 0.5 + 0.001, rows: 7 });
  }
}

/** Hanging curtain lock: over the skull, then down to endY (head-local), optional curl. */
function curtainPath(ctx: HairCtx, phi: number, endY: number, opts: { curl: number; flare: number; back: number }): (t: number) => V3 {
  const a = S(ctx, 30, phi, 0.022);
  const b = S(ctx, 75, phi, 0.026);
  const c = S(ctx, 108, phi, 0.024);
  const horiz = v3(c.x, 0, c.z).normalize();
  const zCap = (z: number): number => (opts.back > 0 ? Math.min(z, -opts.back) : z);
  const dy = (c.y + endY) / 2;
  const d = v3(c.x + horiz.x * opts.flare * 0.5, dy, zCap(c.z + horiz.z * opts.flare * 0.5));
  const e = v3(c.x + horiz.x * (opts.flare - opts.curl), endY, zCap(c.z + horiz.z * (opts.flare - opts.curl)));
  return spline([a, b, c, d, e]);
}

function curtain(ctx: HairCtx, groups: Array<{ name: string; phis: number[] }>, endY: (phi: number) => number, opts: { curl: number; flare: number; back: (phi: number) => number; width: number }): void {
  for (const g of groups) {
    const mid = g.phis[Math.floor(g.phis.length / 2)] ?? 180;
    const midPath = curtainPath(ctx, mid, endY(mid), { curl: opts.curl, flare: opts.flare, back: opts.back(mid) });
    const chain = chainOnLock(ctx, g.name, midPath, [0.42, 0.62, 0.82, 1.0], "lock");
    for (const phi of g.phis) {
      const path = curtainPath(ctx, phi, endY(phi) + (ctx.rand() - 0.5) * 0.012, { curl: opts.curl, flare: opts.flare, back: opts.back(phi) });
      // Locks framing the face keep a round section; the ones at the back are cheaper.
      lock(ctx, { path, width: taper(opts.width, 0.25, 2.4), thick: (t) => 0.009 * (1 - t) ** 0.4 + 0.0015, rows: 10, around: fromFront(phi) < 115 ? 8 : 6, chain });
    }
  }
}

/** Angular distance (deg) of phi from the face direction: 0 = front, 180 = back. */
function fromFront(phi: number): number {
  return Math.abs((((phi % 360) + 540) % 360) - 180);
}

function range(a: number, b: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => a + ((b - a) * i) / Math.max(1, n - 1));
}

function shortStyle(ctx: HairCtx): void {
  const streak: Slot = ctx.desc.hair.streak ? "hairStreak" : "hair";
  const phis = range(100, 260, 8);
  // The two side-most back locks go grey too when there is a streak colour.
  hugLocks(ctx, phis.slice(1, -1), 130, 0.028);
  for (const phi of [phis[0] ?? 100, phis[phis.length - 1] ?? 260]) hugLocks(ctx, [phi], 128, 0.026, streak);
  // Sideburns (grey at the temples when there is a streak colour).
  for (const side of [1, -1]) {
    const path = spline([S(ctx, 55, side * 80, 0.016), S(ctx, 85, side * 84, 0.012), S(ctx, 106, side * 84, 0.005)]);
    lock(ctx, { slot: streak, path, width: taper(0.016, 0.1, 2), thick: (t) => 0.005 * (1 - t) + 0.001, rows: 6 });
  }
  // Nape tuft on a short spring so every avatar has some secondary motion.
  const nape = spline([S(ctx, 100, 180, 0.02), S(ctx, 125, 182, 0.014), S(ctx, 140, 184, 0.01)]);
  const chain = chainOnLock(ctx, "nape", nape, [0.3, 0.65, 1.0], "short");
  for (const dphi of [-16, 0, 16]) {
    const p = spline([S(ctx, 100, 180 + dphi, 0.02), S(ctx, 125, 182 + dphi, 0.014), S(ctx, 140, 184 + dphi * 1.1, 0.01)]);
    lock(ctx, { slot: dphi === 0 ? streak : "hair", path: p, width: taper(0.022, 0.1, 1.6), thick: (t) => 0.006 * (1 - t) + 0.001, rows: 5, around: 6, chain });
  }
}

function spikyStyle(ctx: HairCtx): void {
  // Chunky, slightly conical spikes: crown ones point up/back, lower rows fan out and down.
  const rows: Array<[number, number, number]> = [
    [12, 4, 360],
    [40, 7, 250],
    [72, 8, 230],
    [104, 6, 170],
  ];
  for (const [theta, n, spread] of rows) {
    for (let i = 0; i < n; i++) {
      const phi = 180 + ((i + 0.5) / n - 0.5) * spread + (ctx.rand() - 0.5) * 12;
      const th = theta + (ctx.rand() - 0.5) * 8;
      const s = HeadShape.dir(th * D, phi * D);
      const nrm = ctx.head.normal(s);
      const p0 = ctx.head.local(s).addScaledVector(nrm, 0.008);
      const down = HeadShape.dir((th + 10) * D, phi * D).sub(s).normalize();
      const up = theta < 30 ? 0.45 : theta < 60 ? 0.1 : 0;
      const dir = nrm.clone().multiplyScalar(0.75).addScaledVector(down, theta < 30 ? 0.3 : 0.7).add(v3(0, up, 0)).normalize();
      const len = 0.04 + ctx.rand() * 0.028;
      const mid = p0.clone().addScaledVector(dir, len * 0.5).addScaledVector(nrm, 0.004);
      const tip = p0.clone().addScaledVector(dir, len).addScaledVector(down, len * 0.2);
      lock(ctx, { path: spline([p0, mid, tip]), width: taper(0.03, 0.1, 1.1), thick: (t) => 0.016 * (1 - t) ** 0.9 + 0.001, rows: 5, around: 6 });
    }
  }
  for (const side of [1, -1]) {
    const path = spline([S(ctx, 55, side * 80, 0.016), S(ctx, 88, side * 84, 0.012), S(ctx, 108, side * 86, 0.006)]);
    lock(ctx, { path, width: taper(0.016, 0.1, 2), thick: (t) => 0.005 * (1 - t) + 0.001, rows: 6 });
  }
  const nape = spline([S(ctx, 105, 180, 0.02), S(ctx, 128, 180, 0.02), S(ctx, 145, 180, 0.025)]);
  const chain = chainOnLock(ctx, "nape", nape, [0.3, 0.65, 1.0], "short");
  for (const d of [-20, 0, 20]) {
    const p = spline([S(ctx, 105, 180 + d, 0.02), S(ctx, 128, 180 + d * 1.1, 0.02), S(ctx, 145, 180 + d * 1.3, 0.025)]);
    lock(ctx, { path: p, width: taper(0.02, 0.1, 1.3), thick: (t) => 0.008 * (1 - t) + 0.001, rows: 5, around: 6, chain });
  }
}

function tail(ctx: HairCtx, name: string, root: V3, pts: V3[], width: number): void {
  const path = spline([root, ...pts]);
  const chain: LockChain = chainOnLock(ctx, name, path, [0.03, 0.25, 0.5, 0.75, 1.0], "tail");
  // The root twist is sampled every 1/18 of the path; that sampling gives it its scrunched look.
  const rootRows = [0, 1 / 18, 2 / 18, 3 / 18];
  lock(ctx, { path, width: taper(width, 0.45, 2.2), thick: (t) => width * 0.75 * (1 + 0.4 * Math.sin(Math.PI * t)) * Math.max(0, 1 - t ** 2.2) ** 0.7 + 0.001, rows: 12, around: 8, rootRows, chain });
  // Two thinner locks twisting around the main one add volume and a split tip.
  for (const k of [-1, 1]) {
    const off = (t: number): V3 => {
      const base = path(t);
      return base.add(v3(k * width * 0.5 * Math.sin(Math.PI * t * 0.9), -0.004 * t, k * width * 0.35 * Math.cos(Math.PI * t)));
    };
    lock(ctx, { path: off, width: taper(width * 0.6, 0.3, 1.8), thick: (t) => width * 0.4 * (1 - t) + 0.001, rows: 9, around: 6, rootRows: [0, 1 / 14, 2 / 14], chain });
  }
  const dir = (pts[0] ?? root).clone().sub(root);
  ring(ctx, "accent", root.clone().addScaledVector(dir.normalize(), 0.004), dir, width * 0.72, 0.0055, rigid(ctx.rig.idx("head")));
}

function ponytailStyle(ctx: HairCtx): void {
  buildSideLocks(ctx, 0.1, { chain: true, count: 1 });
  hugLocks(ctx, range(115, 245, 5), 128, 0.03);
  const root = S(ctx, 78, 180, 0.018);
  tail(ctx, "tail", root, [root.clone().add(v3(0, 0.025, -0.05)), root.clone().add(v3(0, -0.06, -0.085)), root.clone().add(v3(0, -0.2, -0.075)), root.clone().add(v3(0, -0.33, -0.05))], 0.034);
}

function twinTailsStyle(ctx: HairCtx): void {
  buildSideLocks(ctx, 0.13, { chain: true, count: 1 });
  hugLocks(ctx, range(120, 240, 5), 128, 0.03);
  for (const side of [1, -1]) {
    const root = S(ctx, 62, side * 118, 0.016);
    tail(ctx, side > 0 ? "tailL" : "tailR", root, [
      root.clone().add(v3(side * 0.045, 0.03, -0.02)),
      root.clone().add(v3(side * 0.085, -0.05, -0.03)),
      root.clone().add(v3(side * 0.095, -0.2, -0.015)),
      root.clone().add(v3(side * 0.075, -0.36, 0.0)),
    ], 0.03);
  }
}

function bunStyle(ctx: HairCtx): void {
  buildSideLocks(ctx, 0.1, { chain: true, count: 1, width: 0.016 });
  hugLocks(ctx, range(110, 250, 6), 126, 0.03);
  const s = HeadShape.dir(40 * D, 180 * D);
  const n = ctx.head.normal(s);
  const R = ctx.dims.head.height * 0.19;
  const c = ctx.head.local(s).addScaledVector(n, 0.012 + R * 0.8);
  const hb = ctx.rig.idx("head");
  ellipsoid(ctx.mb, "hair", toWorld(ctx, c), v3(R, R * 0.92, R), () => rigid(hb), { lat: 8, lon: 12 });
  // Wrapped strands around the bun so it reads as coiled hair, not a ball.
  for (let k = 0; k < 3; k++) {
    const q = new THREE.Quaternion().setFromEuler(new THREE.Euler(0.5 + k * 0.7, k * 1.9, 0.3 * k));
    const path = (t: number): V3 => {
      const a = (t * 1.5 + k * 0.3) * Math.PI;
      return v3(Math.cos(a) * R * 1.02, 0, Math.sin(a) * R * 1.02).applyQuaternion(q).add(c);
    };
    lock(ctx, { path, width: (t) => 0.012 * Math.sin(Math.PI * t) ** 0.6, thick: (t) => 0.004 * Math.sin(Math.PI * t) ** 0.5 + 0.0005, rows: 9, around: 6, out: (t) => path(t).sub(c).normalize() });
  }
  ring(ctx, "accent", ctx.head.local(s).addScaledVector(n, 0.017), n, R * 0.55, 0.006, rigid(hb));
}

function bobStyle(ctx: HairCtx): void {
  // A-line bob: a little longer toward the face than at the back.
  const endY = (phi: number): number => -0.125 - 0.03 * (1 - fromFront(phi) / 180);
  curtain(
    ctx,
    [
      { name: "bobL", phis: range(62, 108, 3) },
      { name: "bobBL", phis: range(126, 172, 3) },
      { name: "bobBR", phis: range(188, 234, 3) },
      { name: "bobR", phis: range(252, 298, 3) },
    ],
    endY,
    { curl: 0.03, flare: 0.012, back: () => 0, width: 0.034 },
  );
}

function longStyle(ctx: HairCtx): void {
  buildSideLocks(ctx, 0.34, { chain: true, count: 2, width: 0.022, forward: 0.075 });
  curtain(
    ctx,
    [
      { name: "longL", phis: range(100, 140, 3) },
      { name: "longC", phis: range(155, 205, 3) },
      { name: "longR", phis: range(220, 260, 3) },
    ],
    (phi) => -0.44 - 0.03 * Math.cos((phi - 180) * D),
    // Side-back locks are pushed behind the shoulders (z <= -0.1 m head-local).
    { curl: -0.01, flare: 0.02, back: (phi) => (fromFront(phi) < 150 ? 0.1 : 0), width: 0.036 },
  );
}

export function buildStyleBack(ctx: HairCtx): void {
  switch (ctx.desc.hair.style) {
    case "short":
      return shortStyle(ctx);
    case "spiky":
      return spikyStyle(ctx);
    case "ponytail":
      return ponytailStyle(ctx);
    case "twinTails":
      return twinTailsStyle(ctx);
    case "bun":
      return bunStyle(ctx);
    case "bob":
      return bobStyle(ctx);
    case "long":
      return longStyle(ctx);
  }
}
