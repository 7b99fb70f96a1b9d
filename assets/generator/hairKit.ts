// Hair building blocks: the skull cap shell, tapered locks, and spring joint chains.
// All positions here are head-local (origin = head ellipsoid centre) unless noted.
import type { AvatarDescription } from "./description.js";
import type { HeadShape } from "./head.js";
import type { Slot } from "./materials.js";
import type { MeshBuilder, Skin } from "./meshBuilder.js";
import type { Dims } from "./proportions.js";
import type { Rig } from "./skeleton.js";
import { stationsByDensity } from "./shapes.js";
import { clamp, v3, type V3 } from "./util.js";
import { stackSkin } from "./weights.js";

export type ChainKind = "tail" | "lock" | "ahoge" | "short";

export interface ChainDef {
  name: string;
  /** Node (bone) names from root to tip; each is the child of the previous. */
  nodes: string[];
  kind: ChainKind;
}

export interface HairCtx {
  mb: MeshBuilder;
  head: HeadShape;
  rig: Rig;
  dims: Dims;
  desc: AvatarDescription;
  rand: () => number;
  chains: ChainDef[];
}

/** Lock skinning: rigid to the head, or along a chain starting at path param `starts[0]`. */
export interface LockChain {
  bones: number[]; // chain bones that own vertices (tip node excluded)
  starts: number[]; // lock param where each bone starts owning
}

export interface LockSpec {
  slot?: Slot;
  /** Centre line, head-local, t in [0,1] root -> tip. */
  path: (t: number) => V3;
  /** Half width across the lock, and half thickness (toward the outside). */
  width: (t: number) => number;
  thick: (t: number) => number;
  /** Outward reference for the flat side; default = away from the head's vertical axis. */
  out?: (t: number) => V3;
  rows?: number;
  around?: number;
  /**
   * Path params to keep exactly as the first rows (e.g. a tail's root twist, which
   * should keep its shape); the remaining rows are spread by lockStations.
   */
  rootRows?: number[];
  chain?: LockChain;
}

export function toWorld(ctx: HairCtx, p: V3): V3 {
  return p.clone().add(ctx.head.center);
}

export function defaultOut(p: V3): V3 {
  const o = v3(p.x, Math.max(p.y, 0) * 0.8, p.z);
  if (o.lengthSq() < 1e-8) return v3(0, 0, -1);
  return o.normalize();
}

/**
 * Row params along a lock: half of the rows follow arc length, the other half
 * go where the path turns (over the skull, curls), plus a few toward the pointed tip.
 * Keeps curved locks smooth with few rows.
 */
function lockStations(path: (t: number) => V3, rows: number): number[] {
  const N = 48;
  const pts = Array.from({ length: N + 1 }, (_, i) => path(i / N));
  const turn = new Array<number>(N).fill(0);
  for (let i = 1; i < N; i++) {
    const p0 = pts[i - 1] as V3, p1 = pts[i] as V3, p2 = pts[i + 1] as V3;
    const a = p1.clone().sub(p0), b = p2.clone().sub(p1);
    const ang = a.lengthSq() > 1e-14 && b.lengthSq() > 1e-14 ? a.angleTo(b) : 0;
    turn[i - 1] = (turn[i - 1] ?? 0) + ang / 2;
    turn[i] = (turn[i] ?? 0) + ang / 2;
  }
  const total = turn.reduce((x, y) => x + y, 0);
  return stationsByDensity(rows, (t) => {
    const bend = total > 1e-3 ? ((turn[Math.min(N - 1, Math.floor(t * N))] ?? 0) / total) * N : 0;
    return 1 + bend + 0.8 * Math.exp(-(((1 - t) / 0.15) ** 2));
  });
}

/** A tapered, slightly flattened strand with a pointed tip; closed volume. */
export function lock(ctx: HairCtx, s: LockSpec): void {
  const rows = s.rows ?? 12;
  const around = s.around ?? 8;
  const root = s.rootRows ?? [];
  const t0 = root[root.length - 1] ?? 0;
  const ts =
    root.length > 0
      ? [...root, ...lockStations((t) => s.path(t0 + (1 - t0) * t), rows - root.length + 1).slice(1).map((t) => t0 + (1 - t0) * t)]
      : lockStations(s.path, rows);
  const hb = ctx.rig.idx("head");
  const chainSkin = s.chain ? stackSkin([[hb, -Infinity], ...s.chain.bones.map((b, i): [number, number] => [b, s.chain?.starts[i] ?? 0])], 0.06) : null;
  const skin = (t: number): Skin => (chainSkin ? chainSkin(t) : [[hb, 1]]);
  const frames: Array<{ c: V3; B: V3; N: V3; T: V3 }> = [];
  for (let j = 0; j <= rows; j++) {
    const t = ts[j] ?? 1;
    const c = s.path(t);
    // Tangent by central difference over a quarter of the local row spacing.
    const e = ((ts[Math.min(rows, j + 1)] ?? 1) - (ts[Math.max(0, j - 1)] ?? 0)) / 8;
    const T = s.path(clamp(t + e, 0, 1)).sub(s.path(clamp(t - e, 0, 1))).normalize();
    let N = (s.out ? s.out(t) : defaultOut(c)).clone();
    N.addScaledVector(T, -N.dot(T));
    if (N.lengthSq() < 1e-8) N = v3(0, 0, -1);
    N.normalize();
    const B = T.clone().cross(N).normalize();
    frames.push({ c, B, N, T });
  }
  const f0 = frames[0];
  if (!f0) return;
  // With 4k columns there are vertices on both edges and on the ridge. Otherwise (e.g. 6)
  // the section is turned so one sits on the ridge, and widened to keep the lock's width.
  const turn = around % 4 === 0 ? 0 : Math.PI / 2;
  const widen = 1 / Math.max(...Array.from({ length: around }, (_, i) => Math.abs(Math.cos((i / around) * Math.PI * 2 + turn))));
  // Row 0 is a point just behind the root (closes the base); rows 1..rows+1 follow the path.
  ctx.mb.surface(
    s.slot ?? "hair",
    around,
    rows + 1,
    true,
    (u, v) => {
      const j = Math.round(v * (rows + 1));
      if (j === 0) return toWorld(ctx, f0.c.clone().addScaledVector(f0.T, -s.thick(0) * 1.2));
      const t = ts[j - 1] ?? 1;
      const f = frames[j - 1] ?? f0;
      const a = u * Math.PI * 2 + turn;
      const w = s.width(t) * widen, th = s.thick(t);
      // Where the lock narrows to nothing (its tip) the ring collapses into one vertex.
      if (w < 1e-4) return toWorld(ctx, f.c.clone());
      // Lens-shaped section: flat underside, domed outer side reads as a hair ridge.
      const y = Math.sin(a) * th * (Math.sin(a) > 0 ? 1 : 0.55);
      return toWorld(ctx, f.c.clone().addScaledVector(f.B, Math.cos(a) * w).addScaledVector(f.N, y));
    },
    (_u, v) => skin(ts[Math.max(0, Math.round(v * (rows + 1)) - 1)] ?? 1),
    { closed: true },
  );
}

/**
 * Closed shell over a patch of the head: the outer sheet sits `thick` above the
 * skin and the inner sheet `inner` below it; both meet where fade() reaches 0.
 * u runs around (wrapping if wrapU), w runs from the patch centre line to its edge.
 * The inner sheet is hidden inside the head, so it only gets `nwInner` rows
 * (packed toward the edge, where the two sheets meet).
 */
export function shell(
  ctx: HairCtx,
  slot: Slot,
  nu: number,
  nw: number,
  wrapU: boolean,
  base: (u: number, w: number) => { p: V3; n: V3 },
  thick: (u: number, w: number) => number,
  inner: number,
  skin: (p: V3) => Skin,
  nwInner = nw,
): void {
  const fade = (w: number): number => {
    const k = clamp((1 - w) / 0.18, 0, 1);
    return Math.sqrt(k * (2 - k));
  };
  const rows = nw + nwInner;
  ctx.mb.surface(
    slot,
    nu,
    rows,
    wrapU,
    (u, v) => {
      const j = Math.round(v * rows);
      const outer = j <= nw;
      // Inner rows: w from 1 back to 0, gathered near the edge so the faces next to
      // it stay small (they share the edge vertices' normals with the outer sheet).
      const w = outer ? j / nw : 1 - ((j - nw) / nwInner) ** 3;
      const { p, n } = base(u, w);
      const f = fade(w);
      const off = outer ? thick(u, w) * f - inner * (1 - f) : -inner;
      return toWorld(ctx, p.clone().addScaledVector(n, off));
    },
    (_u, _v, p) => skin(p),
    { closed: true },
  );
}

/**
 * Creates a spring chain of bones along head-local points (root first, tip last).
 * Returns the bones that own vertices (all but the tip) for LockChain.
 */
export function makeChain(ctx: HairCtx, name: string, pts: V3[], kind: ChainKind): number[] {
  const nodes: string[] = [];
  let parent = "head";
  pts.forEach((p, i) => {
    const n = `hair_${name}_${i}`;
    ctx.rig.add(n, parent, toWorld(ctx, p));
    nodes.push(n);
    parent = n;
  });
  ctx.chains.push({ name, nodes, kind });
  return nodes.slice(0, -1).map((n) => ctx.rig.idx(n));
}

/** Chain along a lock's own path at the given params; returns the LockChain for skinning it. */
export function chainOnLock(ctx: HairCtx, name: string, path: (t: number) => V3, ts: number[], kind: ChainKind): LockChain {
  const bones = makeChain(ctx, name, ts.map((t) => path(t)), kind);
  return { bones, starts: ts.slice(0, -1) };
}

/** Pointed-lock width profile: full near the root, slight belly, sharp tip. */
export function taper(w0: number, belly = 0.15, sharp = 1.6): (t: number) => number {
  return (t) => w0 * (1 + belly * Math.sin(Math.PI * t)) * Math.max(0, 1 - t ** sharp) ** 0.75;
}
