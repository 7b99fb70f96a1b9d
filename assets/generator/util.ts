// Small numeric helpers shared by every generator module.
// All lengths in the generator are metres, angles radians unless a name says "Deg".
import * as THREE from "three";

export type V3 = THREE.Vector3;

export function v3(x = 0, y = 0, z = 0): V3 {
  return new THREE.Vector3(x, y, z);
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

export function lerp(a: number, b: number, t: number): number {
  return a + (b - a) * t;
}

/** Hermite smoothstep; returns 0 below e0, 1 above e1 (works for e0 > e1 too). */
export function smoothstep(e0: number, e1: number, x: number): number {
  const t = clamp((x - e0) / (e1 - e0), 0, 1);
  return t * t * (3 - 2 * t);
}

/** Deterministic PRNG (mulberry32) so the same description always yields the same bytes. */
export { seededRandom as mulberry32 } from "@parley/shared";

/** FNV-1a hash of a string, used to seed the PRNG from an avatar id. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Uniform Catmull-Rom through evenly spaced control values on [-1, 1].
 * Linear in the control values, which matters for morph targets: the sum of two
 * morph deltas equals the shape made from the summed control deltas.
 */
export function crEven(values: readonly number[], x: number): number {
  const n = values.length;
  if (n === 0) return 0;
  if (n === 1) return values[0] ?? 0;
  const f = ((clamp(x, -1, 1) + 1) / 2) * (n - 1);
  const i = Math.min(n - 2, Math.floor(f));
  const t = f - i;
  const at = (k: number): number => values[clamp(k, 0, n - 1)] ?? 0;
  const p0 = at(i - 1), p1 = at(i), p2 = at(i + 1), p3 = at(i + 2);
  const t2 = t * t, t3 = t2 * t;
  return 0.5 * (2 * p1 + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2 + (-p0 + 3 * p1 - 3 * p2 + p3) * t3);
}

/**
 * Monotone cubic interpolation (Fritsch-Carlson) of keyed rows.
 * rows[k] = [key, c1, c2, ...] sorted by key; returns the interpolated channels.
 * Monotone so body profiles never overshoot into negative radii.
 */
export class Profile {
  private readonly keys: number[];
  private readonly chans: number[][];
  private readonly slopes: number[][];

  constructor(rows: ReadonlyArray<readonly number[]>) {
    this.keys = rows.map((r) => r[0] ?? 0);
    const nc = (rows[0]?.length ?? 1) - 1;
    this.chans = [];
    this.slopes = [];
    for (let c = 0; c < nc; c++) {
      const ys = rows.map((r) => r[c + 1] ?? 0);
      this.chans.push(ys);
      this.slopes.push(monotoneSlopes(this.keys, ys));
    }
  }

  at(x: number): number[] {
    const ks = this.keys;
    const n = ks.length;
    const out: number[] = [];
    if (x <= (ks[0] ?? 0)) return this.chans.map((c) => c[0] ?? 0);
    if (x >= (ks[n - 1] ?? 0)) return this.chans.map((c) => c[n - 1] ?? 0);
    let i = 0;
    while (i < n - 2 && x > (ks[i + 1] ?? 0)) i++;
    const x0 = ks[i] ?? 0, x1 = ks[i + 1] ?? 1;
    const h = x1 - x0;
    const t = (x - x0) / h;
    const h00 = 2 * t ** 3 - 3 * t ** 2 + 1, h10 = t ** 3 - 2 * t ** 2 + t;
    const h01 = -2 * t ** 3 + 3 * t ** 2, h11 = t ** 3 - t ** 2;
    for (let c = 0; c < this.chans.length; c++) {
      const y = this.chans[c] ?? [], m = this.slopes[c] ?? [];
      out.push(h00 * (y[i] ?? 0) + h10 * h * (m[i] ?? 0) + h01 * (y[i + 1] ?? 0) + h11 * h * (m[i + 1] ?? 0));
    }
    return out;
  }

  /** First channel only (convenience for single-valued profiles). */
  one(x: number): number {
    return this.at(x)[0] ?? 0;
  }
}

function monotoneSlopes(xs: number[], ys: number[]): number[] {
  const n = xs.length;
  const d: number[] = [];
  for (let i = 0; i < n - 1; i++) d.push(((ys[i + 1] ?? 0) - (ys[i] ?? 0)) / ((xs[i + 1] ?? 1) - (xs[i] ?? 0)));
  const m: number[] = new Array<number>(n).fill(0);
  if (n < 2) return m;
  m[0] = d[0] ?? 0;
  m[n - 1] = d[n - 2] ?? 0;
  for (let i = 1; i < n - 1; i++) {
    const a = d[i - 1] ?? 0, b = d[i] ?? 0;
    m[i] = a * b <= 0 ? 0 : (a + b) / 2;
  }
  for (let i = 0; i < n - 1; i++) {
    const di = d[i] ?? 0;
    if (di === 0) {
      m[i] = 0;
      m[i + 1] = 0;
      continue;
    }
    const a = (m[i] ?? 0) / di, b = (m[i + 1] ?? 0) / di;
    const s = a * a + b * b;
    if (s > 9) {
      const t = 3 / Math.sqrt(s);
      m[i] = t * a * di;
      m[i + 1] = t * b * di;
    }
  }
  return m;
}

/** Colour helpers. Hex strings are sRGB; THREE.Color stores linear-sRGB internally. */
export function color(hex: string): THREE.Color {
  return new THREE.Color(hex);
}

/** Adjust HSL in sRGB space (perceptual-ish), returning a new colour. */
export function hsl(c: THREE.Color, dh: number, sMul: number, lMul: number): THREE.Color {
  const o = { h: 0, s: 0, l: 0 };
  c.getHSL(o, THREE.SRGBColorSpace);
  const out = new THREE.Color();
  out.setHSL((o.h + dh + 1) % 1, clamp(o.s * sMul, 0, 1), clamp(o.l * lMul, 0, 1), THREE.SRGBColorSpace);
  return out;
}

export function mixColor(a: THREE.Color, b: THREE.Color, t: number): THREE.Color {
  return a.clone().lerp(b, t);
}

export function rgbArray(c: THREE.Color): [number, number, number] {
  return [round4(c.r), round4(c.g), round4(c.b)];
}

export function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
