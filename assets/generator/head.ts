// Stylised head surface: a deformed ellipsoid (big cranium, soft cheeks, small
// pointed chin, flat-ish face). The same analytic surface is used to project the
// face decals (eyes, brows, mouth) so they sit exactly on the skin.
import * as THREE from "three";
import type { MeshBuilder } from "./meshBuilder.js";
import { rigid } from "./meshBuilder.js";
import type { Dims } from "./proportions.js";
import type { Rig } from "./skeleton.js";
import { ellipsoid } from "./shapes.js";
import { smoothstep, v3, type V3 } from "./util.js";

export class HeadShape {
  readonly center: V3;
  constructor(readonly dims: Dims) {
    this.center = v3(...dims.head.center);
  }

  /** Head-local surface point for a unit direction s (poles along Y, face toward +Z). */
  local(s: V3): V3 {
    const { halfWidth: a, top, bottom, front, back } = this.dims.head;
    const fem = this.dims.fem;
    const lower = Math.max(0, -s.y);
    const y = s.y * (s.y > 0 ? top : bottom);
    // Jaw narrows toward a small chin; fuller cheeks just below the eyes.
    const jaw = 1 - (0.4 + 0.04 * fem) * smoothstep(0.1, 1.0, lower) ** 1.25;
    const cheek = 1 + 0.05 * Math.exp(-(((s.y + 0.28) / 0.22) ** 2)) * Math.max(0, s.z);
    const x = s.x * a * jaw * cheek;
    let z: number;
    if (s.z >= 0) {
      // Flatter face: |sz|^0.8 pushes the front out to a gentle plateau.
      const zz = s.z ** 0.8;
      const recede = 1 - 0.2 * smoothstep(0.35, 1.0, lower);
      z = zz * front * recede;
      // Tiny chin point and nose hint.
      z += 0.05 * front * Math.exp(-((s.x / 0.25) ** 2)) * smoothstep(0.7, 0.97, lower);
      z += 0.035 * front * Math.exp(-((s.x / 0.07) ** 2 + ((s.y + 0.36) / 0.1) ** 2));
    } else {
      // Cranium bulges back above, tucks into the neck below.
      const tuck = 1 - 0.42 * smoothstep(0.15, 0.95, lower);
      z = s.z * back * tuck;
    }
    return v3(x, y, z);
  }

  world(s: V3): V3 {
    return this.local(s).add(this.center);
  }

  /** Outward surface normal (head-local) at unit direction s, by finite differences. */
  normal(s: V3): V3 {
    const t1 = Math.abs(s.y) < 0.95 ? v3(0, 1, 0).cross(s).normalize() : v3(1, 0, 0).cross(s).normalize();
    const t2 = s.clone().cross(t1).normalize();
    const e = 1e-3;
    const d1 = this.local(s.clone().addScaledVector(t1, e).normalize()).sub(this.local(s.clone().addScaledVector(t1, -e).normalize()));
    const d2 = this.local(s.clone().addScaledVector(t2, e).normalize()).sub(this.local(s.clone().addScaledVector(t2, -e).normalize()));
    const n = d1.cross(d2).normalize();
    if (n.dot(this.local(s)) < 0) n.negate();
    return n;
  }

  /** Direction from spherical angles: theta from the top (0) down, phi around from the face (+Z). */
  static dir(theta: number, phi: number): V3 {
    return v3(Math.sin(theta) * Math.sin(phi), Math.cos(theta), Math.sin(theta) * Math.cos(phi));
  }

  /** Head-local point at (theta, phi) pushed out along the normal by `off` metres. */
  surf(theta: number, phi: number, off: number): V3 {
    const s = HeadShape.dir(theta, phi);
    return this.local(s).addScaledVector(this.normal(s), off);
  }

  /**
   * Projects a face-plane point (head-local x, y) onto the front of the head along -Z.
   * Returns the surface point and normal (both head-local).
   */
  projectFront(x: number, y: number): { p: V3; n: V3 } {
    const { halfWidth: a, top, bottom } = this.dims.head;
    let sx = x / a, sy = y / (y > 0 ? top : bottom);
    const toS = (px: number, py: number): V3 => {
      const r = px * px + py * py;
      const k = r > 0.97 ? Math.sqrt(0.97 / r) : 1;
      const qx = px * k, qy = py * k;
      return v3(qx, qy, Math.sqrt(Math.max(0, 1 - qx * qx - qy * qy)));
    };
    // Newton iterations with a numeric Jacobian; converges in a few steps on this smooth surface.
    for (let it = 0; it < 12; it++) {
      const p = this.local(toS(sx, sy));
      const ex = x - p.x, ey = y - p.y;
      if (ex * ex + ey * ey < 1e-14) break;
      const h = 1e-4;
      const px = this.local(toS(sx + h, sy)), py = this.local(toS(sx, sy + h));
      const j11 = (px.x - p.x) / h, j12 = (py.x - p.x) / h, j21 = (px.y - p.y) / h, j22 = (py.y - p.y) / h;
      const det = j11 * j22 - j12 * j21;
      if (Math.abs(det) < 1e-12) break;
      sx += (j22 * ex - j12 * ey) / det;
      sy += (-j21 * ex + j11 * ey) / det;
    }
    const s = toS(sx, sy);
    return { p: this.local(s), n: this.normal(s) };
  }
}

/**
 * Latitude rows (theta, degrees from the crown): the crown is always under the hair
 * cap (its hairline starts at 48 deg), so it is a single fan; the face and jaw,
 * whose outline shows in close-ups, get rows every 6-9 degrees.
 */
const HEAD_THETA = [0, 42, 55, 64, 72, 80, 88, 95, 102, 109, 115, 121, 127, 133, 139, 145, 151, 158, 166, 180];
/** Columns around the head; twice as dense over the face as over the back of the head. */
const HEAD_COLUMNS = 36;
const headPhi = (u: number): number => (u - (0.34 / (2 * Math.PI)) * Math.sin(2 * Math.PI * u)) * Math.PI * 2;

export function buildHead(mb: MeshBuilder, head: HeadShape, rig: Rig): void {
  const hb = rig.idx("head");
  const lat = HEAD_THETA.length - 1;
  mb.surface(
    "skin",
    HEAD_COLUMNS,
    lat,
    true,
    (u, v) => head.world(HeadShape.dir(((HEAD_THETA[Math.round(v * lat)] ?? 180) * Math.PI) / 180, headPhi(u))),
    () => rigid(hb),
    { closed: true },
  );
  // Small rounded ears, mostly hidden by hair but visible on short styles.
  const d = head.dims.head;
  for (const side of [1, -1]) {
    const s = HeadShape.dir(Math.PI * 0.55, side * Math.PI * 0.5 - side * 0.1);
    const base = head.world(s);
    // Flattened against the head and tilted back a little; about 1/6 of the head height.
    const q = new THREE.Quaternion().setFromEuler(new THREE.Euler(0.2, side * -0.2, side * 0.1));
    ellipsoid(mb, "skin", base.add(v3(-side * d.halfWidth * 0.03, 0, -d.front * 0.03)), v3(d.halfWidth * 0.07, d.height * 0.085, d.front * 0.12), () => rigid(hb), {
      lat: 6,
      lon: 10,
      rotate: q,
    });
  }
}
