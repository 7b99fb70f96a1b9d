// The torso as a vertical loft of superellipse cross-sections. Garments build it
// with some "ease" (looseness); panels, buttons and ties are placed on it.
import type { Slot } from "./materials.js";
import type { MeshBuilder } from "./meshBuilder.js";
import type { Dims } from "./proportions.js";
import type { Rig } from "./skeleton.js";
import { rowStations, tube, type RowFocus } from "./shapes.js";
import { Profile, v3, type V3 } from "./util.js";
import { torsoSkin } from "./weights.js";

export class Torso {
  private readonly prof: Profile;
  readonly y0: number;
  readonly y1: number;
  readonly exponent = 2.5;

  /**
   * rows: [y, halfWidth, halfDepth, zOffset] bottom -> top (world metres).
   * yBottom/yTop cut the loft inside the rows while keeping the same interpolated
   * shape, so a garment and the one layered over it follow identical curves.
   */
  constructor(rows: number[][], private readonly dims: Dims, private readonly ease: number, yBottom?: number, yTop?: number) {
    this.prof = new Profile(rows);
    this.y0 = yBottom ?? rows[0]?.[0] ?? 0;
    this.y1 = yTop ?? rows[rows.length - 1]?.[0] ?? 1;
  }

  /** Half extents + z offset at height y, including ease. */
  section(y: number): { rx: number; rz: number; z: number } {
    const [rx = 0, rz = 0, z = 0] = this.prof.at(y);
    return { rx: rx + this.ease, rz: rz + this.ease, z };
  }

  /** Front bulges (bust/belly) and back (seat) as radial multipliers. */
  radial(y: number, a: number): number {
    const d = this.dims;
    const front = Math.max(0, Math.sin(a)) ** 2;
    const back = Math.max(0, -Math.sin(a)) ** 2;
    const H = d.H;
    const bust = (d.torso.bust / Math.max(0.05, this.section(y).rz)) * Math.exp(-(((y - (d.y.chest + H * 0.012)) / (H * 0.035)) ** 2));
    const belly = (d.bw > 1.05 ? 0.06 : 0) * Math.exp(-(((y - d.y.waist) / (H * 0.05)) ** 2));
    const seat = 0.08 * Math.exp(-(((y - (d.y.hips - H * 0.02)) / (H * 0.04)) ** 2));
    return 1 + (bust + belly) * front + seat * back;
  }

  /** Surface point at height y and section angle a (pi/2 = front centre), lifted by `lift` metres. */
  point(y: number, a: number, lift = 0): V3 {
    const { rx, rz, z } = this.section(y);
    const e = 2 / this.exponent;
    const ca = Math.cos(a), sa = Math.sin(a);
    const k = this.radial(y, a);
    return v3(Math.sign(ca) * Math.abs(ca) ** e * (rx * k + lift), y, z + Math.sign(sa) * Math.abs(sa) ** e * (rz * k + lift));
  }

  /**
   * Row params (0 = y0, 1 = y1) for a loft over this torso: most rows where the
   * profile turns fast (shoulders, bust), few on the straight belly. A hem rib
   * (rows below `rib` are pushed out) gets an exact row pair at its edge.
   */
  stations(rows: number, rib = 0): number[] {
    const { y, H } = this.dims;
    const len = this.y1 - this.y0;
    const at = (yy: number): number => (yy - this.y0) / len;
    const focus: RowFocus[] = [
      { at: at(y.shoulder - H * 0.004), width: (H * 0.022) / len, gain: 4 },
      { at: at(y.chest + H * 0.012), width: (H * 0.04) / len, gain: this.dims.torso.bust > 0 ? 1.2 : 0.3 },
      { at: at(y.hips), width: (H * 0.04) / len, gain: 0.4 },
    ];
    if (rib <= 0) return rowStations(rows, focus);
    // Rib band: one row just inside its top edge and one just above it, then the rest.
    const r0 = rib * 0.85, r1 = rib + 0.01;
    const rest = rowStations(Math.max(2, rows - 2), focus.map((f) => ({ ...f, at: (f.at - r1) / (1 - r1), width: f.width / (1 - r1) })));
    return [0, r0, ...rest.map((t) => r1 + (1 - r1) * t)];
  }

  build(mb: MeshBuilder, slot: Slot, rig: Rig, opts: { capBottom?: number; capTop?: number; rows?: number; hemRib?: number } = {}): void {
    const sk = torsoSkin(this.dims, rig);
    const len = this.y1 - this.y0;
    const rib = opts.hemRib ?? 0;
    tube(mb, {
      slot,
      points: [v3(0, this.y0, 0), v3(0, this.y1, 0)],
      radius: (t) => {
        const s = this.section(this.y0 + t * len);
        return [s.rx, s.rz];
      },
      offset: (t) => v3(0, 0, this.section(this.y0 + t * len).z),
      radial: (t, a) => this.radial(this.y0 + t * len, a) * (rib > 0 && t < rib ? 1.025 : 1),
      up: v3(0, 0, 1),
      exponent: this.exponent,
      around: 24,
      stations: this.stations(opts.rows ?? 16, rib),
      capStart: opts.capBottom ?? 0,
      capEnd: opts.capTop ?? 0.25,
      // The hem is a flat disc (one ring is enough); the neck end closes around the neck.
      capStartRows: (opts.capBottom ?? 0) > 0 ? 2 : 1,
      capEndRows: 2,
      skin: (_t, p) => sk(p),
    });
  }
}

/**
 * The body's torso rows (hips-7% of height up to the neck), before ease. Every
 * garment uses these same rows (cut with yBottom/yTop) so layers never cross.
 * The hips row is a local maximum in both width and depth, which pins the
 * monotone-spline slope there to zero whatever rows are added below it.
 */
export function torsoRows(d: Dims): number[][] {
  const { y, torso: t, r, H } = d;
  return [
    [y.hips - H * 0.07, t.hipHalf * 0.97, t.hipHalf * 0.68, -0.004],
    [y.hips, t.hipHalf, t.hipHalf * 0.7, -0.006],
    [y.waist, t.waistHalf, t.waistHalf * 0.8, 0],
    [y.chest, t.chestHalf, t.chestHalf * t.depth, 0.002],
    [y.upperChest, t.chestHalf * 1.06, t.chestHalf * 0.74, -0.002],
    [y.shoulder - H * 0.024, t.shoulderHalf * 0.94, t.chestHalf * 0.64, -0.006],
    [y.shoulder - H * 0.011, t.shoulderHalf * 0.8, t.chestHalf * 0.58, -0.008],
    [y.shoulder, t.shoulderHalf * 0.52, t.chestHalf * 0.5, -0.009],
    [y.shoulder + H * 0.008, r.neck * 1.75, r.neck * 1.5, -0.01],
    [y.shoulder + H * 0.014, r.neck * 1.3, r.neck * 1.2, -0.01],
  ];
}
