// Face decal geometry (eyes, brows, mouth, blush) as a pure function of a
// FaceState. Every call emits the same vertices in the same order, so a morph
// target is simply emit(targetState) - emit(neutralState).
// 2D decal coordinates are head-local face-plane metres (x toward the avatar's
// left, y up); they are projected onto the head surface plus a small layer offset.
import type { HeadShape } from "./head.js";
import type { FaceSlot } from "./materials.js";
import { clamp, crEven, type V3 } from "./util.js";

export interface EyeState {
  /** Upper/lower lid heights (m, eye-local) at 5 stations from inner to outer corner. */
  U: number[];
  L: number[];
  /** Upper lash thickness (m) at the same stations. */
  T: number[];
  /** Iris offset (face x toward +X, y up) and scale. */
  dx: number;
  dy: number;
  irisScale: number;
}

export interface BrowState {
  y: number[]; // heights (m) at inner, middle, outer
  dxInner: number; // inner end pulled toward the nose (+) or away (-)
}

export interface MouthState {
  W: number; // half width
  upF: number; // upper lip raise, flat profile
  upR: number; // upper lip raise, round profile
  dnF: number; // lower lip drop, flat profile
  dnR: number; // lower lip drop, round profile
  corner: number; // corner lift (smile > 0)
}

export interface FaceState {
  eyes: [EyeState, EyeState]; // [left (+X), right (-X)]
  brows: [BrowState, BrowState];
  mouth: MouthState;
  blush: number;
}

export interface FaceLayout {
  eyeX: number;
  eyeY: number;
  eyeHalfW: number;
  irisR: [number, number];
  irisY: number;
  browX: [number, number]; // inner, outer (distance from centre line)
  browThick: [number, number];
  mouthY: number;
  lineThick: number;
  blush: { x: number; y: number; rx: number; ry: number };
  lowerLash: number; // thickness, 0 = none
  nose: { x: number; y: number; w: number };
}

// Layer offsets above the skin (m). Small steps keep decals z-fight free at 24-bit depth.
const LAYER = { blush: 0.0009, sclera: 0.0012, iris: 0.0016, rim: 0.0019, pupil: 0.0022, shine: 0.0026, lash: 0.003, brow: 0.0014, mouth: 0.0012, teeth: 0.0016, line: 0.002 };

export class DecalEmitter {
  readonly pos: V3[] = [];
  readonly nrm: V3[] = [];
  readonly tris = new Map<FaceSlot, number[]>();
  constructor(private readonly head: HeadShape, private readonly record: boolean) {}

  /** Projected decal vertex at face-plane (x, y), lifted by `layer` metres. */
  v(x: number, y: number, layer: number): number {
    const { p, n } = this.head.projectFront(x, y);
    this.pos.push(p.addScaledVector(n, layer).add(this.head.center));
    this.nrm.push(n);
    return this.pos.length - 1;
  }

  /** Raw world-space vertex (glasses). */
  raw(p: V3, n: V3): number {
    this.pos.push(p.clone());
    this.nrm.push(n.clone().normalize());
    return this.pos.length - 1;
  }

  tri(slot: FaceSlot, a: number, b: number, c: number): void {
    if (!this.record) return;
    let l = this.tris.get(slot);
    if (!l) this.tris.set(slot, (l = []));
    l.push(a, b, c);
  }
}

/** Closed-lid curve helpers: everything inside the eye is clamped between L and U. */
function lid(e: EyeState, L: FaceLayout) {
  const U = (u: number): number => crEven(e.U, u / L.eyeHalfW);
  const Lo = (u: number): number => crEven(e.L, u / L.eyeHalfW);
  const clampEye = (u: number, v: number): [number, number] => {
    const cu = clamp(u, -L.eyeHalfW, L.eyeHalfW);
    return [cu, clamp(v, Lo(cu), Math.max(Lo(cu), U(cu)))];
  };
  return { U, Lo, clampEye };
}

export function emitEye(em: DecalEmitter, L: FaceLayout, e: EyeState, side: 1 | -1): void {
  const { U, Lo, clampEye } = lid(e, L);
  const W = L.eyeHalfW;
  // eye-local u grows toward the outer corner; face x = side * (eyeX + u)
  const V = (u: number, v: number, layer: number): number => em.v(side * (L.eyeX + u), L.eyeY + v, layer);
  const VC = (u: number, v: number, layer: number): number => {
    const [cu, cv] = clampEye(u, v);
    return V(cu, cv, layer);
  };
  // Sclera: grid between lower and upper lid.
  const NU = 14, NW = 4;
  const sc = em.pos.length;
  for (let j = 0; j <= NW; j++)
    for (let i = 0; i <= NU; i++) {
      const u = (i / NU) * 2 * W - W;
      V(u, Lo(u) + (j / NW) * (U(u) - Lo(u)), LAYER.sclera);
    }
  emitGridOriented(em, "white", sc, NW + 1, NU + 1, side);
  // Iris, rim and pupil share a centre that moves with look direction (face x -> eye u).
  const cu = side * e.dx, cv = L.irisY + e.dy;
  const [rx, ry] = [L.irisR[0] * e.irisScale, L.irisR[1] * e.irisScale];
  // Flat-colour discs of `seg` points per ring around a centre, or an annulus from
  // `inner` to 1 for the iris rim. Large discs keep a middle ring so their flat
  // triangles don't sink into the layer below on the curved face.
  const disc = (slot: FaceSlot, ox: number, oy: number, sx: number, sy: number, seg: number, rings: number, layer: number, inner = 0): void => {
    const c = inner > 0 ? -1 : VC(cu + ox, cv + oy, layer);
    const first = em.pos.length;
    for (let r = 1; r <= rings; r++) {
      const k = inner > 0 ? inner + ((1 - inner) * (r - 1)) / Math.max(1, rings - 1) : r / rings;
      for (let i = 0; i < seg; i++) {
        const a = (i / seg) * Math.PI * 2;
        VC(cu + ox + Math.cos(a) * sx * k, cv + oy + Math.sin(a) * sy * k, layer);
      }
    }
    if (inner > 0) {
      for (let i = 0; i < seg; i++) {
        const a = first + i, b = first + ((i + 1) % seg), c2 = b + seg, d = a + seg;
        orientedTri(em, slot, a, c2, b, side);
        orientedTri(em, slot, a, d, c2, side);
      }
    } else fanOriented(em, slot, c, rings, seg, side);
  };
  // The iris fill's outline is under the rim (0.86..1): every other rim point is enough.
  disc("iris", 0, 0, rx, ry, 12, 2, LAYER.iris);
  disc("ink", 0, 0, rx, ry, 24, 2, LAYER.rim, 0.86);
  disc("ink", 0, ry * 0.06, rx * 0.46, ry * 0.52, 18, 1, LAYER.pupil);
  // Highlights: same screen side on both eyes (key light from the avatar's right/top).
  const hx = -side * rx * 0.34;
  disc("white", hx, ry * 0.42, rx * 0.34, ry * 0.28, 14, 1, LAYER.shine);
  disc("white", -hx * 1.1, -ry * 0.5, rx * 0.15, ry * 0.12, 10, 1, LAYER.shine);
  // Upper lash line: thick band riding on the upper lid, with a flick past the outer corner.
  const NL = 20;
  const ls = em.pos.length;
  const lashRows = [-0.45, 0.35, 1.0];
  for (const d of lashRows)
    for (let i = 0; i <= NL; i++) {
      const f = -1.04 + (i / NL) * 2.2; // -1.04 .. 1.16
      const u = f * W;
      const over = Math.max(0, f - 1);
      const base = f <= 1 ? U(u) : U(W) + over * W * 0.55;
      const th = crEven(e.T, Math.min(1, f)) * (f > 1 ? Math.max(0, 1 - over / 0.16) : 1) * (f < -0.85 ? 0.5 + 0.5 * ((f + 1.04) / 0.19) : 1);
      V(u, base + d * th, LAYER.lash);
    }
  emitGridOriented(em, "ink", ls, lashRows.length, NL + 1, side);
  // Lower lash: short thin stroke under the outer half.
  if (L.lowerLash > 0) {
    const NB = 8;
    const lb = em.pos.length;
    for (const d of [-1, 0.2])
      for (let i = 0; i <= NB; i++) {
        const f = 0.3 + (i / NB) * 0.72;
        const u = f * W;
        const th = L.lowerLash * Math.sin(Math.PI * Math.min(1, (f - 0.3) / 0.72)) ** 0.6;
        V(u, Lo(u) + d * th, LAYER.lash);
      }
    emitGridOriented(em, "ink", lb, 2, NB + 1, side);
  }
}

export function emitBrow(em: DecalEmitter, L: FaceLayout, b: BrowState, side: 1 | -1): void {
  const N = 10;
  const first = em.pos.length;
  const [xi, xo] = L.browX;
  for (const d of [-1, 1])
    for (let i = 0; i <= N; i++) {
      const f = i / N;
      const x = xi - b.dxInner * (1 - f) + (xo - xi) * f;
      const y = crEven(b.y, f * 2 - 1);
      const th = (L.browThick[0] + (L.browThick[1] - L.browThick[0]) * f) * (f > 0.85 ? 1 - (f - 0.85) / 0.2 : 1) * (f < 0.06 ? 0.75 : 1);
      em.v(side * x, y + d * th * 0.5, LAYER.brow);
    }
  emitGridOriented(em, "ink", first, 2, N + 1, side);
}

export function emitMouth(em: DecalEmitter, L: FaceLayout, m: MouthState): void {
  const U = (s: number): number => m.corner * s * s + m.upF * Math.max(0, 1 - s ** 4) + m.upR * Math.sqrt(Math.max(0, 1 - s * s));
  const Lo = (s: number): number => m.corner * s * s - m.dnF * Math.max(0, 1 - s ** 4) - m.dnR * Math.sqrt(Math.max(0, 1 - s * s));
  const P = (s: number, w: number, layer: number): number => em.v(s * m.W, L.mouthY + U(s) + (Lo(s) - U(s)) * w, layer);
  const region = (slot: FaceSlot, s0: number, s1: number, w0: (s: number) => number, w1: (s: number) => number, ns: number, nw: number, layer: number): void => {
    const first = em.pos.length;
    for (let j = 0; j <= nw; j++)
      for (let i = 0; i <= ns; i++) {
        const s = s0 + ((s1 - s0) * i) / ns;
        const a = w0(s), b = w1(s);
        P(s, a + ((b - a) * j) / nw, layer);
      }
    emitGridOriented(em, slot, first, nw + 1, ns + 1, 1, true);
  };
  region("mouth", -1, 1, () => 0, () => 1, 16, 5, LAYER.mouth);
  // Upper teeth: a band under the upper lip, rounded off toward the corners.
  region("white", -0.72, 0.72, () => 0.02, (s) => 0.24 * (1 - (s / 0.72) ** 4) ** 0.5, 10, 2, LAYER.teeth);
  // Tongue: soft mound at the bottom.
  region("blush", -0.62, 0.62, (s) => 0.62 + 0.3 * (s / 0.62) ** 2, () => 0.97, 10, 2, LAYER.teeth);
  // Lip line: follows the upper lip, thicker in the middle, tapering at the corners.
  const first = em.pos.length;
  const N = 18;
  for (const d of [-0.5, 0.5])
    for (let i = 0; i <= N; i++) {
      const s = -1.08 + (2.16 * i) / N;
      const th = L.lineThick * (1 - 0.55 * Math.min(1, s * s));
      em.v(s * m.W, L.mouthY + U(clamp(s, -1, 1)) + (Math.abs(s) > 1 ? (Math.abs(s) - 1) * m.corner * 8 : 0) + d * th, LAYER.line);
    }
  emitGridOriented(em, "ink", first, 2, N + 1, 1);
}

export function emitBlush(em: DecalEmitter, L: FaceLayout, scale: number): void {
  for (const side of [1, -1] as const) {
    const SEG = 16;
    const c = em.v(side * L.blush.x, L.blush.y, LAYER.blush);
    // Two rings: one flat fan this wide would sink into the coarser cheek skin.
    for (const k of [0.55, 1])
      for (let i = 0; i < SEG; i++) {
        const a = (i / SEG) * Math.PI * 2;
        em.v(side * L.blush.x + Math.cos(a) * L.blush.rx * scale * k, L.blush.y + Math.sin(a) * L.blush.ry * scale * k, LAYER.blush);
      }
    // The rings are generated counter-clockwise on both cheeks (not mirrored), so no winding swap.
    fanOriented(em, "blush", c, 2, SEG, 1);
  }
  // Nose hint: a tiny soft wedge under the nose tip in the blush colour.
  const nx = L.nose.x, ny = L.nose.y, nw = L.nose.w;
  const a = em.v(nx - nw, ny + nw * 0.35, LAYER.blush), b = em.v(nx + nw * 0.45, ny - nw * 0.25, LAYER.blush), c = em.v(nx + nw * 0.15, ny + nw * 0.6, LAYER.blush);
  em.tri("blush", a, b, c);
}

// Decal triangles must face +Z (toward the viewer). Mirroring x flips winding, so
// the right side (-X) swaps two indices.
function orientedTri(em: DecalEmitter, slot: FaceSlot, a: number, b: number, c: number, side: number): void {
  if (side > 0) em.tri(slot, a, b, c);
  else em.tri(slot, a, c, b);
}

function emitGridOriented(em: DecalEmitter, slot: FaceSlot, first: number, rows: number, cols: number, side: number, mouth = false): void {
  // Rows go upward (v increases) and columns outward (u increases); for side=+1 that is CCW from the front.
  // The mouth runs rows downward (w from upper to lower lip), which flips the winding once more.
  const s = mouth ? -side : side;
  for (let j = 0; j + 1 < rows; j++)
    for (let i = 0; i + 1 < cols; i++) {
      const a = first + j * cols + i, b = a + 1, c = a + cols + 1, d = a + cols;
      orientedTri(em, slot, a, b, c, s);
      orientedTri(em, slot, a, c, d, s);
    }
}

function fanOriented(em: DecalEmitter, slot: FaceSlot, center: number, rings: number, seg: number, side: number): void {
  for (let i = 0; i < seg; i++) orientedTri(em, slot, center, center + 1 + i, center + 1 + ((i + 1) % seg), side);
  for (let r = 1; r < rings; r++)
    for (let i = 0; i < seg; i++) {
      const a = center + 1 + (r - 1) * seg + i, b = center + 1 + (r - 1) * seg + ((i + 1) % seg);
      const c = b + seg, d = a + seg;
      orientedTri(em, slot, a, c, b, side);
      orientedTri(em, slot, a, d, c, side);
    }
}
