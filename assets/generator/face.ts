// Face mesh: decals (eyes, brows, mouth, blush) + glasses, with one morph target
// per VRM expression preset. Expression shapes are written as FaceStates so they
// read like a small animation sheet.
import * as THREE from "three";
import type { AvatarDescription } from "./description.js";
import { DecalEmitter, emitBlush, emitBrow, emitEye, emitMouth, type EyeState, type FaceLayout, type FaceState } from "./faceParts.js";
import type { HeadShape } from "./head.js";
import { FACE_SLOTS, type FaceSlot } from "./materials.js";
import type { Dims } from "./proportions.js";
import { v3, type V3 } from "./util.js";

export const EXPRESSION_PRESETS = [
  "aa", "ih", "ou", "ee", "oh",
  "happy", "angry", "sad", "relaxed", "surprised", "neutral",
  "blink", "blinkLeft", "blinkRight",
  "lookUp", "lookDown", "lookLeft", "lookRight",
] as const;
export type Preset = (typeof EXPRESSION_PRESETS)[number];

export function faceLayout(d: AvatarDescription, dims: Dims): FaceLayout {
  const h = dims.head;
  const fem = dims.fem;
  const size = d.eyes.size;
  const eyeHalfW = h.halfWidth * (0.192 + 0.012 * fem) * size;
  const eyeY = -h.bottom * 0.12;
  const eyeX = h.halfWidth * 0.43;
  const sharp = d.eyes.shape === "sharp";
  const irisR: [number, number] = [eyeHalfW * (sharp ? 0.56 : 0.6), eyeHalfW * (sharp ? 0.7 : 0.78) * (fem ? 1 : 0.9)];
  return {
    eyeX,
    eyeY,
    eyeHalfW,
    irisR,
    irisY: -eyeHalfW * 0.06,
    browX: [eyeX - eyeHalfW * 0.85, eyeX + eyeHalfW * 1.12],
    browThick: fem ? [0.0032, 0.0013] : [0.0046, 0.002],
    mouthY: -h.bottom * 0.6,
    lineThick: 0.0011 + 0.0002 * (1 - fem),
    blush: { x: eyeX + eyeHalfW * 0.25, y: eyeY - eyeHalfW * 1.55, rx: eyeHalfW * 0.8, ry: eyeHalfW * 0.36 },
    lowerLash: fem ? 0.0008 : 0,
    nose: { x: -h.halfWidth * 0.012, y: -h.bottom * 0.36, w: h.halfWidth * 0.045 },
  };
}

function scaled(a: number[], k: number): number[] {
  return a.map((x) => x * k);
}

export function neutralState(d: AvatarDescription, dims: Dims, L: FaceLayout): FaceState {
  const W = L.eyeHalfW;
  const fem = dims.fem;
  // Lid heights as fractions of the eye half width, inner corner -> outer corner.
  const shapes = {
    round: { U: [0.02, 0.78, 1.06, 1.0, 0.45], L: [0.0, -0.68, -0.9, -0.76, 0.12] },
    sharp: { U: [-0.06, 0.58, 0.88, 0.98, 0.72], L: [-0.08, -0.52, -0.72, -0.58, 0.3] },
    sleepy: { U: [0.02, 0.5, 0.68, 0.6, 0.2], L: [0.0, -0.54, -0.7, -0.56, -0.04] },
  }[d.eyes.shape];
  const vert = (fem ? 1 : 0.8) * (d.age === "senior" ? 0.92 : 1);
  const lash = (fem ? 1 : 0.72) * W;
  const eye = (): EyeState => ({
    U: scaled(shapes.U, W * vert),
    L: scaled(shapes.L, W * vert),
    T: scaled([0.07, 0.15, 0.2, 0.25, 0.29], lash),
    dx: 0,
    dy: 0,
    irisScale: 1,
  });
  const top = L.eyeY + W * vert * 1.06 + W * 0.62;
  const brow = () => ({ y: [top - W * 0.06, top + W * 0.1, top - W * 0.04], dxInner: 0 });
  return {
    eyes: [eye(), eye()],
    brows: [brow(), brow()],
    mouth: { W: 0.0098, upF: 0, upR: 0, dnF: 0, dnR: 0, corner: 0.0016 },
    blush: 1,
  };
}

type Edit = (s: FaceState, L: FaceLayout) => void;

const mapEyes = (s: FaceState, f: (e: EyeState) => void, which: "both" | "left" | "right" = "both"): void => {
  if (which !== "right") f(s.eyes[0]);
  if (which !== "left") f(s.eyes[1]);
};
const mix = (a: number[], b: number[], t: number): number[] => a.map((x, i) => x + ((b[i] ?? 0) - x) * t);
const add = (a: number[], b: number[]): number[] => a.map((x, i) => x + (b[i] ?? 0));
const closeEye = (e: EyeState, W: number): void => {
  // Closed: both lids meet on a gentle downward curve a third of the way up.
  const c = add(mix(e.L, e.U, 0.3), [0, -0.08 * W, -0.12 * W, -0.08 * W, 0]);
  e.U = c;
  e.L = c.slice();
  e.T = e.T.map((t) => t * 0.8);
};

const EDITS: Record<Preset, Edit> = {
  aa: (s) => Object.assign(s.mouth, { W: 0.014375, upF: 0.00253, dnR: 0.01725, dnF: 0.0046, corner: 0.00092 }),
  ih: (s) => Object.assign(s.mouth, { W: 0.01725, upF: 0.00184, dnF: 0.005175, corner: 0.00299 }),
  ou: (s) => Object.assign(s.mouth, { W: 0.0069, upR: 0.00483, dnR: 0.008625, corner: 0 }),
  ee: (s) => Object.assign(s.mouth, { W: 0.015525, upF: 0.0023, dnF: 0.00782, dnR: 0.00322, corner: 0.00253 }),
  oh: (s) => Object.assign(s.mouth, { W: 0.01035, upR: 0.00598, dnR: 0.014375, corner: 0 }),
  happy: (s, L) => {
    const W = L.eyeHalfW;
    // "^ ^" smiling eyes: lids meet on an upward arch.
    mapEyes(s, (e) => {
      const c = add(mix(e.L, e.U, 0.42), [-0.1 * W, 0.14 * W, 0.24 * W, 0.14 * W, -0.12 * W]);
      e.U = c;
      e.L = c.slice();
      e.T = e.T.map((t) => t * 0.85);
    });
    s.brows.forEach((b) => (b.y = add(b.y, [0.1 * W, 0.16 * W, 0.04 * W])));
    Object.assign(s.mouth, { W: 0.014375, corner: 0.00529, dnR: 0.009775, upF: 0.00046 });
    s.blush = 1.3;
  },
  angry: (s, L) => {
    const W = L.eyeHalfW;
    mapEyes(s, (e) => {
      e.U = add(e.U, [-0.32 * W, -0.36 * W, -0.22 * W, -0.08 * W, 0]);
      e.L = add(e.L, [0.05 * W, 0.12 * W, 0.1 * W, 0.05 * W, 0]);
      e.irisScale = 0.92;
    });
    s.brows.forEach((b) => {
      b.y = add(b.y, [-0.5 * W, -0.2 * W, 0.1 * W]);
      b.dxInner = 0.14 * W;
    });
    Object.assign(s.mouth, { W: 0.010925, corner: -0.00368, dnF: 0.00391, upF: 0.00138 });
  },
  sad: (s, L) => {
    const W = L.eyeHalfW;
    mapEyes(s, (e) => {
      e.U = add(e.U, [0.04 * W, -0.02 * W, -0.14 * W, -0.3 * W, -0.24 * W]);
      e.L = add(e.L, [0, 0.12 * W, 0.14 * W, 0.1 * W, 0]);
      e.dy = -0.1 * W;
    });
    s.brows.forEach((b) => (b.y = add(b.y, [0.42 * W, 0.12 * W, -0.22 * W])));
    Object.assign(s.mouth, { W: 0.008625, corner: -0.00414, dnR: 0.00207 });
  },
  relaxed: (s, L) => {
    const W = L.eyeHalfW;
    // Content, half-lidded: the upper lid drops but keeps its arch, lower lid lifts (a soft smile in the eyes).
    mapEyes(s, (e) => {
      e.U = add(mix(e.U, e.L, 0.3), [0, 0.04 * W, 0.06 * W, 0.04 * W, 0]);
      e.L = add(e.L, [0, 0.16 * W, 0.2 * W, 0.14 * W, 0]);
    });
    s.brows.forEach((b) => (b.y = add(b.y, [0.06 * W, 0.02 * W, -0.06 * W])));
    Object.assign(s.mouth, { W: 0.01265, corner: 0.00391 });
  },
  surprised: (s, L) => {
    const W = L.eyeHalfW;
    mapEyes(s, (e) => {
      e.U = add(e.U, [0.04 * W, 0.16 * W, 0.2 * W, 0.16 * W, 0.06 * W]);
      e.L = add(e.L, [0, -0.1 * W, -0.14 * W, -0.1 * W, 0]);
      e.irisScale = 0.8;
    });
    s.brows.forEach((b) => (b.y = add(b.y, [0.42 * W, 0.5 * W, 0.36 * W])));
    Object.assign(s.mouth, { W: 0.007475, upR: 0.00552, dnR: 0.012075, corner: 0 });
  },
  neutral: (s, L) => {
    s.brows.forEach((b) => (b.y = add(b.y, [-0.04 * L.eyeHalfW, -0.06 * L.eyeHalfW, -0.04 * L.eyeHalfW])));
    Object.assign(s.mouth, { W: 0.0092, corner: 0.00046 });
  },
  blink: (s, L) => mapEyes(s, (e) => closeEye(e, L.eyeHalfW)),
  blinkLeft: (s, L) => mapEyes(s, (e) => closeEye(e, L.eyeHalfW), "left"),
  blinkRight: (s, L) => mapEyes(s, (e) => closeEye(e, L.eyeHalfW), "right"),
  lookUp: (s, L) =>
    mapEyes(s, (e) => {
      e.dy = 0.3 * L.eyeHalfW;
      e.U = add(e.U, [0, 0.06 * L.eyeHalfW, 0.08 * L.eyeHalfW, 0.06 * L.eyeHalfW, 0]);
    }),
  lookDown: (s, L) =>
    mapEyes(s, (e) => {
      e.dy = -0.3 * L.eyeHalfW;
      e.U = add(e.U, [0, -0.16 * L.eyeHalfW, -0.22 * L.eyeHalfW, -0.16 * L.eyeHalfW, 0]);
    }),
  lookLeft: (s, L) => mapEyes(s, (e) => (e.dx = 0.42 * L.eyeHalfW)),
  lookRight: (s, L) => mapEyes(s, (e) => (e.dx = -0.42 * L.eyeHalfW)),
};

function emitAll(em: DecalEmitter, L: FaceLayout, s: FaceState): void {
  emitBlush(em, L, s.blush);
  emitEye(em, L, s.eyes[0], 1);
  emitEye(em, L, s.eyes[1], -1);
  emitBrow(em, L, s.brows[0], 1);
  emitBrow(em, L, s.brows[1], -1);
  emitMouth(em, L, s.mouth);
}

export interface FaceMeshData {
  geometry: THREE.BufferGeometry;
  slots: FaceSlot[];
  morphNames: Preset[];
  layout: FaceLayout;
}

/** Builds the face geometry (head-bone rigid) with one morph target per preset. */
export function buildFace(d: AvatarDescription, dims: Dims, head: HeadShape, headBone: number, extras: (em: DecalEmitter) => void): FaceMeshData {
  const L = faceLayout(d, dims);
  const neutral = neutralState(d, dims, L);
  const base = new DecalEmitter(head, true);
  emitAll(base, L, neutral);
  extras(base);
  const n = base.pos.length;
  const g = new THREE.BufferGeometry();
  const flat = (a: V3[]): number[] => a.flatMap((p) => [p.x, p.y, p.z]);
  g.setAttribute("position", new THREE.Float32BufferAttribute(flat(base.pos), 3));
  g.setAttribute("normal", new THREE.Float32BufferAttribute(flat(base.nrm), 3));
  g.setAttribute("skinIndex", new THREE.BufferAttribute(new Uint8Array(n * 4).map((_, i) => (i % 4 === 0 ? headBone : 0)), 4));
  g.setAttribute("skinWeight", new THREE.BufferAttribute(new Uint8Array(n * 4).map((_, i) => (i % 4 === 0 ? 255 : 0)), 4, true));
  const morphs: THREE.Float32BufferAttribute[] = [];
  for (const preset of EXPRESSION_PRESETS) {
    const st: FaceState = structuredClone(neutral);
    EDITS[preset](st, L);
    const em = new DecalEmitter(head, false);
    emitAll(em, L, st);
    extras(em);
    if (em.pos.length !== n) throw new Error(`morph ${preset} changed topology`);
    // Relative deltas (glTF morph targets are offsets from the base mesh).
    const delta = em.pos.map((p, i) => p.clone().sub(base.pos[i] as V3));
    const attr = new THREE.Float32BufferAttribute(flat(delta), 3);
    attr.name = preset;
    morphs.push(attr);
  }
  g.morphAttributes.position = morphs;
  g.morphTargetsRelative = true;
  const index: number[] = [];
  const slots: FaceSlot[] = [];
  for (const s of FACE_SLOTS) {
    const list = base.tris.get(s);
    if (!list?.length) continue;
    g.addGroup(index.length, list.length, slots.length);
    index.push(...list);
    slots.push(s);
  }
  g.setIndex(index);
  return { geometry: g, slots, morphNames: [...EXPRESSION_PRESETS], layout: L };
}

/** Rectangular or round glasses as ink tubes emitted into the face mesh (no morphs). */
export function emitGlasses(em: DecalEmitter, head: HeadShape, L: FaceLayout, round: boolean): void {
  const r = 0.0014; // frame tube radius (m)
  const W = L.eyeHalfW;
  const hw = W * 1.28, hh = W * (round ? 1.2 : 0.95);
  const cy = L.eyeY + W * 0.1;
  const lift = 0.011; // distance in front of the skin (m)
  const ringPts = (side: number): V3[] => {
    const pts: V3[] = [];
    const N = 28;
    for (let i = 0; i < N; i++) {
      const a = (i / N) * Math.PI * 2;
      // Superellipse: rounded rectangle (n=4) or circle-ish (n=2.2).
      const e = round ? 2.2 : 4.5;
      const ca = Math.cos(a), sa = Math.sin(a);
      const x = Math.sign(ca) * Math.abs(ca) ** (2 / e) * hw;
      const y = Math.sign(sa) * Math.abs(sa) ** (2 / e) * hh;
      const fx = side * (L.eyeX + W * 0.06 + x);
      const { p, n } = head.projectFront(fx, cy + y);
      pts.push(p.addScaledVector(n, lift * 0.6).add(v3(0, 0, lift * 0.5)).add(head.center));
    }
    return pts;
  };
  const tubeAlong = (pts: V3[], closed: boolean): void => {
    const SEG = 6;
    const first = em.pos.length;
    const count = pts.length;
    for (let i = 0; i < count; i++) {
      const p = pts[i] as V3;
      const prev = pts[closed ? (i - 1 + count) % count : Math.max(0, i - 1)] as V3;
      const next = pts[closed ? (i + 1) % count : Math.min(count - 1, i + 1)] as V3;
      const T = next.clone().sub(prev).normalize();
      const A = Math.abs(T.z) < 0.9 ? v3(0, 0, 1) : v3(0, 1, 0);
      const N1 = A.clone().addScaledVector(T, -A.dot(T)).normalize();
      const N2 = T.clone().cross(N1);
      for (let k = 0; k < SEG; k++) {
        const a = (k / SEG) * Math.PI * 2;
        const dir = N1.clone().multiplyScalar(Math.cos(a)).addScaledVector(N2, Math.sin(a));
        em.raw(p.clone().addScaledVector(dir, r), dir);
      }
    }
    const segs = closed ? count : count - 1;
    for (let i = 0; i < segs; i++)
      for (let k = 0; k < SEG; k++) {
        const a = first + i * SEG + k, b = first + i * SEG + ((k + 1) % SEG);
        const c = first + ((i + 1) % count) * SEG + ((k + 1) % SEG), d = first + ((i + 1) % count) * SEG + k;
        em.tri("ink", a, b, c);
        em.tri("ink", a, c, d);
      }
  };
  const left = ringPts(1), right = ringPts(-1);
  tubeAlong(left, true);
  tubeAlong(right, true);
  // Bridge over the nose between the inner top edges.
  const li = head.projectFront(L.eyeX + W * 0.06 - hw, cy + hh * 0.45);
  const ri = head.projectFront(-(L.eyeX + W * 0.06 - hw), cy + hh * 0.45);
  const mid = head.projectFront(0, cy + hh * 0.55);
  const lift3 = (q: { p: V3; n: V3 }, k = 1): V3 => q.p.clone().addScaledVector(q.n, lift * 0.6 * k).add(v3(0, 0, lift * 0.5 * k)).add(head.center);
  tubeAlong([lift3(li), lift3(mid, 0.9), lift3(ri)], false);
  // Temples: from the outer rim edge back over the ears.
  for (const side of [1, -1]) {
    const outer = head.projectFront(side * (L.eyeX + W * 0.06 + hw), cy + hh * 0.5);
    const hd = head.dims.head;
    const p0 = lift3(outer);
    const p1 = head.center.clone().add(v3(side * hd.halfWidth * 1.02, cy + hh * 0.4, hd.front * 0.35));
    const p2 = head.center.clone().add(v3(side * hd.halfWidth * 1.0, cy + hh * 0.1, -hd.back * 0.25));
    tubeAlong([p0, p0.clone().lerp(p1, 0.5).add(v3(side * 0.004, 0, 0)), p1, p2], false);
  }
}
