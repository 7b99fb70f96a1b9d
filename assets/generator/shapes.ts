// Soft primitive shapes built on MeshBuilder.surface: lofted tubes with rounded
// caps (limbs, torso, fingers, hair locks) and deformed ellipsoids.
import * as THREE from "three";
import type { Slot } from "./materials.js";
import type { MeshBuilder, Skin } from "./meshBuilder.js";
import { clamp, v3, type V3 } from "./util.js";

export interface TubeSpec {
  slot: Slot;
  /** Path control points (world, metres). 2 points = straight, more = centripetal Catmull-Rom. */
  points: V3[];
  /** Half extents of the cross-section at path parameter t in [0,1]: [side, up]. */
  radius: (t: number) => [number, number];
  /** Reference direction for the cross-section "up" axis (projected perpendicular to the path). */
  up: V3 | ((t: number) => V3);
  around?: number;
  /** Rows along the path (uniform in t); ignored when `stations` is given. */
  along?: number;
  /** Explicit path params of the rows, ascending from 0 to 1 (see `rowStations`). */
  stations?: readonly number[];
  /** Superellipse exponent (2 = ellipse, >2 = squarer); may vary along the path. */
  exponent?: number | ((t: number) => number);
  /** Rounded cap lengths as multiples of the end radius (0 = flat disc, undefined = open end). */
  capStart?: number;
  capEnd?: number;
  capRows?: number;
  /** Rows per cap when the two ends need different detail (default capRows). */
  capStartRows?: number;
  capEndRows?: number;
  /** Radial multiplier by (t, angle) for pleats, ribs, bulges. Angle 0 = +side axis. */
  radial?: (t: number, a: number) => number;
  /** Extra centre offset by t (world). */
  offset?: (t: number) => V3;
  /** Force the closed-volume winding fix (e.g. an open cap but a tip that collapses to a point). */
  closed?: boolean;
  /** For open tubes: which way the front faces should point (see SurfaceOpts.facing). */
  facing?: (p: V3) => V3;
  skin: (t: number, p: V3) => Skin;
}

/** Straight segment for 2 points, centripetal Catmull-Rom (no cusps/overshoot loops) otherwise. */
export function makeCurve(points: V3[]): THREE.Curve<THREE.Vector3> {
  if (points.length === 2) return new THREE.LineCurve3(points[0] as V3, points[1] as V3);
  return new THREE.CatmullRomCurve3(points, false, "centripetal");
}

export function tube(mb: MeshBuilder, s: TubeSpec): void {
  const curve = makeCurve(s.points);
  const len = curve.getLength();
  const around = s.around ?? 16;
  const ts = s.stations ?? null;
  const along = ts ? ts.length - 1 : s.along ?? Math.max(4, Math.round(len / 0.02));
  const capRows = s.capRows ?? 4;
  const hasStart = s.capStart !== undefined;
  const hasEnd = s.capEnd !== undefined;
  const nStart = hasStart ? s.capStartRows ?? capRows : 0;
  const nEnd = hasEnd ? s.capEndRows ?? capRows : 0;
  const nv = nStart + along + nEnd;
  const expo = (t: number): number => (typeof s.exponent === "function" ? s.exponent(t) : s.exponent ?? 2);
  const upAt = (t: number): V3 => (typeof s.up === "function" ? s.up(t) : s.up).clone();

  const frame = (t: number): { c: V3; T: V3; B: V3; N: V3 } => {
    const tt = clamp(t, 0, 1);
    const c = curve.getPointAt(tt);
    if (s.offset) c.add(s.offset(tt));
    const T = curve.getTangentAt(tt).normalize();
    let N = upAt(tt);
    N.addScaledVector(T, -N.dot(T));
    if (N.lengthSq() < 1e-8) N = Math.abs(T.y) < 0.9 ? v3(0, 1, 0) : v3(0, 0, 1);
    N.addScaledVector(T, -N.dot(T)).normalize();
    const B = T.clone().cross(N).normalize();
    return { c, T, B, N };
  };

  // Row j -> (t on path, axial offset beyond the ends, radius scale).
  const row = (j: number): { t: number; ax: number; k: number } => {
    if (j < nStart) {
      const beta = (j / nStart) * (Math.PI / 2); // 0 = pole
      const [rx, ry] = s.radius(0);
      const capLen = (s.capStart ?? 0) * Math.max(rx, ry);
      return { t: 0, ax: -capLen * Math.cos(beta), k: Math.sin(beta) };
    }
    if (j > nStart + along) {
      const e = j - (nStart + along); // 1..nEnd
      const beta = (1 - e / nEnd) * (Math.PI / 2);
      const [rx, ry] = s.radius(1);
      const capLen = (s.capEnd ?? 0) * Math.max(rx, ry);
      return { t: 1, ax: capLen * Math.cos(beta), k: Math.sin(beta) };
    }
    return { t: ts ? ts[j - nStart] ?? 1 : (j - nStart) / along, ax: 0, k: 1 };
  };

  const point = (u: number, v: number): V3 => {
    const j = Math.round(v * nv);
    const { t, ax, k } = row(j);
    const { c, T, B, N } = frame(t);
    const [rx, ry] = s.radius(t);
    const a = u * Math.PI * 2;
    const e = 2 / expo(t);
    const ca = Math.cos(a), sa = Math.sin(a);
    const x = Math.sign(ca) * Math.abs(ca) ** e;
    const y = Math.sign(sa) * Math.abs(sa) ** e;
    const rm = s.radial ? s.radial(t, a) : 1;
    return c
      .addScaledVector(T, ax)
      .addScaledVector(B, x * rx * k * rm)
      .addScaledVector(N, y * ry * k * rm);
  };

  mb.surface(
    s.slot,
    around,
    nv,
    true,
    point,
    (_u, v, p) => {
      const { t, ax } = row(Math.round(v * nv));
      const tt = t + (len > 0 ? ax / len : 0);
      return s.skin(tt, p);
    },
    { closed: s.closed ?? (hasStart && hasEnd), ...(s.facing ? { facing: s.facing } : {}) },
  );
}

/** Where `rowStations` packs rows more densely: around path param `at`, within about +-width, `gain` times denser. */
export interface RowFocus {
  at: number;
  width: number;
  gain: number;
}

/**
 * `rows` + 1 path params from 0 to 1, spaced evenly except near each focus (bending
 * joints, fast-changing profiles), where the spacing shrinks by up to 1 + gain.
 * Lets a limb spend its rows on the knee or elbow instead of the straight parts.
 */
export function rowStations(rows: number, focus: readonly RowFocus[] = []): number[] {
  return stationsByDensity(rows, (t) => 1 + focus.reduce((a, f) => a + f.gain * Math.exp(-(((t - f.at) / f.width) ** 2)), 0));
}

/** `rows` + 1 params from 0 to 1 with equal integrals of `density` between neighbours. */
export function stationsByDensity(rows: number, density: (t: number) => number): number[] {
  const N = 512;
  const cum: number[] = [0];
  for (let i = 1; i <= N; i++) cum.push((cum[i - 1] ?? 0) + Math.max(1e-6, density((i - 0.5) / N)) / N);
  const total = cum[N] ?? 1;
  const out: number[] = [0];
  let i = 0;
  for (let k = 1; k < rows; k++) {
    const target = (k / rows) * total;
    while (i < N - 1 && (cum[i + 1] ?? 0) < target) i++;
    const c0 = cum[i] ?? 0, c1 = cum[i + 1] ?? total;
    out.push((i + (c1 > c0 ? (target - c0) / (c1 - c0) : 0)) / N);
  }
  out.push(1);
  return out;
}

/** Ellipsoid (optionally deformed) on a lat/long grid with poles along `axis`. */
export function ellipsoid(
  mb: MeshBuilder,
  slot: Slot,
  center: V3,
  radii: V3,
  skin: (p: V3) => Skin,
  opts: { lat?: number; lon?: number; deform?: (unit: V3) => V3; rotate?: THREE.Quaternion } = {},
): void {
  const lat = opts.lat ?? 12;
  const lon = opts.lon ?? 16;
  mb.surface(
    slot,
    lon,
    lat,
    true,
    (u, v) => {
      const th = v * Math.PI;
      const ph = u * Math.PI * 2;
      let unit = v3(Math.sin(th) * Math.sin(ph), Math.cos(th), Math.sin(th) * Math.cos(ph));
      if (opts.deform) unit = opts.deform(unit);
      const p = v3(unit.x * radii.x, unit.y * radii.y, unit.z * radii.z);
      if (opts.rotate) p.applyQuaternion(opts.rotate);
      return p.add(center);
    },
    (_u, _v, p) => skin(p),
    { closed: true },
  );
}

/** Weights along a chain of bones laid out on a path: joints at arc-length params. */
export function chainSkin(bones: number[], jointT: number[], blend: number): (t: number) => Skin {
  // bones[k] owns t in [jointT[k-1], jointT[k]); blend is the half width (in t) of the crossfade.
  return (t: number): Skin => {
    let k = 0;
    while (k < jointT.length && t > (jointT[k] ?? 1)) k++;
    const cur = bones[Math.min(k, bones.length - 1)] as number;
    // Crossfade with the previous/next bone near a joint.
    const jPrev = k > 0 ? (jointT[k - 1] as number) : -Infinity;
    const jNext = k < jointT.length ? (jointT[k] as number) : Infinity;
    if (t - jPrev < blend && k > 0) {
      const w = 0.5 + 0.5 * ((t - jPrev) / blend);
      return [[cur, w], [bones[k - 1] as number, 1 - w]];
    }
    if (jNext - t < blend && k + 1 < bones.length) {
      const w = 0.5 + 0.5 * ((jNext - t) / blend);
      return [[cur, w], [bones[k + 1] as number, 1 - w]];
    }
    return [[cur, 1]];
  };
}
