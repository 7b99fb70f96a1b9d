// Collects skinned vertices/triangles per material slot and turns them into a
// BufferGeometry with one group per slot (= one glTF primitive = one draw call).
import * as THREE from "three";
import type { Slot } from "./materials.js";
import { v3, type V3 } from "./util.js";

/** Up to 4 [boneIndex, weight] pairs; normalised on insert. */
export type Skin = ReadonlyArray<readonly [number, number]>;

export function rigid(bone: number): Skin {
  return [[bone, 1]];
}

/** Linear blend between two bones: t=0 -> a, t=1 -> b. */
export function blend2(a: number, b: number, t: number): Skin {
  if (t <= 0.001) return [[a, 1]];
  if (t >= 0.999) return [[b, 1]];
  return [[a, 1 - t], [b, t]];
}

export interface SurfaceOpts {
  /** true when the surface is a closed volume: winding is fixed by signed volume. */
  closed?: boolean;
  /** For open sheets: the direction the front faces should point at a position (winding is flipped to match). */
  facing?: (p: V3) => V3;
}

interface PendingTri {
  slot: Slot;
  a: number;
  b: number;
  c: number;
}

export class MeshBuilder {
  readonly pos: number[] = [];
  readonly nrm: number[] = [];
  readonly joints: number[] = [];
  readonly weights: number[] = [];
  private readonly tris = new Map<Slot, number[]>();

  get vertexCount(): number {
    return this.pos.length / 3;
  }

  vertex(p: V3, n: V3, skin: Skin): number {
    const i = this.vertexCount;
    this.pos.push(p.x, p.y, p.z);
    this.nrm.push(n.x, n.y, n.z);
    const sorted = [...skin].filter((s) => s[1] > 1e-4).sort((a, b) => b[1] - a[1]).slice(0, 4);
    const total = sorted.reduce((s, w) => s + w[1], 0) || 1;
    // Quantise to bytes that sum to exactly 255 so the loader needs no renormalisation.
    const q = sorted.map((s) => Math.round((s[1] / total) * 255));
    const diff = 255 - q.reduce((a, b) => a + b, 0);
    if (q.length > 0) q[0] = (q[0] ?? 0) + diff;
    for (let k = 0; k < 4; k++) {
      this.joints.push(sorted[k]?.[0] ?? 0);
      this.weights.push(q[k] ?? 0);
    }
    return i;
  }

  private pushTri(t: PendingTri): void {
    let list = this.tris.get(t.slot);
    if (!list) {
      list = [];
      this.tris.set(t.slot, list);
    }
    list.push(t.a, t.b, t.c);
  }

  /**
   * Parametric grid surface. u wraps around (if wrapU), v runs along.
   * Rows whose points all coincide (poles/tips) collapse into one shared vertex.
   * Normals are area-weighted face normals computed within this surface only.
   */
  surface(
    slot: Slot,
    nu: number,
    nv: number,
    wrapU: boolean,
    f: (u: number, v: number) => V3,
    skin: (u: number, v: number, p: V3) => Skin,
    opts: SurfaceOpts = {},
  ): void {
    const cols = wrapU ? nu : nu + 1;
    const grid: number[][] = [];
    const first = this.vertexCount;
    for (let j = 0; j <= nv; j++) {
      const v = j / nv;
      const pts: V3[] = [];
      for (let i = 0; i < cols; i++) pts.push(f(i / nu, v));
      const p0 = pts[0] as V3;
      const collapsed = pts.every((p) => p.distanceToSquared(p0) < 1e-12);
      const row: number[] = [];
      if (collapsed) {
        const idx = this.vertex(p0, v3(0, 1, 0), skin(0, v, p0));
        for (let i = 0; i < cols; i++) row.push(idx);
      } else {
        pts.forEach((p, i) => row.push(this.vertex(p, v3(0, 1, 0), skin(i / nu, v, p))));
      }
      grid.push(row);
    }
    const local: PendingTri[] = [];
    for (let j = 0; j < nv; j++) {
      const r0 = grid[j] as number[], r1 = grid[j + 1] as number[];
      for (let i = 0; i < nu; i++) {
        const i1 = wrapU ? (i + 1) % nu : i + 1;
        const a = r0[i] as number, b = r0[i1] as number, c = r1[i1] as number, d = r1[i] as number;
        if (a !== b && b !== c && a !== c) local.push({ slot, a, b, c });
        if (a !== c && c !== d && a !== d) local.push({ slot, a, b: c, c: d });
      }
    }
    this.finishPart(first, local, opts.closed ?? false, opts.facing);
  }

  /** Adds pre-built triangles (indices into this builder) as one part and computes normals. */
  triangles(slot: Slot, first: number, tris: number[], closed: boolean): void {
    const local: PendingTri[] = [];
    for (let i = 0; i + 2 < tris.length; i += 3) local.push({ slot, a: tris[i] ?? 0, b: tris[i + 1] ?? 0, c: tris[i + 2] ?? 0 });
    this.finishPart(first, local, closed);
  }

  private finishPart(first: number, local: PendingTri[], closed: boolean, facing?: (p: V3) => V3): void {
    const P = (i: number): V3 => v3(this.pos[i * 3], this.pos[i * 3 + 1], this.pos[i * 3 + 2]);
    if (closed) {
      let vol = 0;
      for (const t of local) vol += P(t.a).dot(P(t.b).cross(P(t.c)));
      if (vol < 0) for (const t of local) [t.b, t.c] = [t.c, t.b];
    } else if (facing) {
      let score = 0;
      for (const t of local) {
        const a = P(t.a), b = P(t.b), c = P(t.c);
        const n = b.clone().sub(a).cross(c.clone().sub(a));
        score += n.dot(facing(a.add(b).add(c).multiplyScalar(1 / 3)));
      }
      if (score < 0) for (const t of local) [t.b, t.c] = [t.c, t.b];
    }
    const acc = new Map<number, V3>();
    for (const t of local) {
      const a = P(t.a), b = P(t.b), c = P(t.c);
      const n = b.clone().sub(a).cross(c.clone().sub(a)); // length = 2*area => area weighting
      for (const k of [t.a, t.b, t.c]) {
        const cur = acc.get(k);
        if (cur) cur.add(n);
        else acc.set(k, n.clone());
      }
    }
    for (let i = first; i < this.vertexCount; i++) {
      const n = acc.get(i);
      if (!n || n.lengthSq() < 1e-20) continue;
      n.normalize();
      this.nrm[i * 3] = n.x;
      this.nrm[i * 3 + 1] = n.y;
      this.nrm[i * 3 + 2] = n.z;
    }
    for (const t of local) this.pushTri(t);
  }

  slots(): Slot[] {
    return [...this.tris.keys()];
  }

  /** Builds the geometry; `slotOrder` fixes the group (primitive) order. */
  toGeometry(slotOrder: Slot[], merge: (s: Slot) => Slot = (s) => s): { geometry: THREE.BufferGeometry; slots: Slot[] } {
    const g = new THREE.BufferGeometry();
    g.setAttribute("position", new THREE.Float32BufferAttribute(this.pos, 3));
    g.setAttribute("normal", new THREE.Float32BufferAttribute(this.nrm, 3));
    const maxJoint = Math.max(0, ...this.joints);
    const jointArr = maxJoint < 256 ? new Uint8Array(this.joints) : new Uint16Array(this.joints);
    g.setAttribute("skinIndex", new THREE.BufferAttribute(jointArr, 4));
    g.setAttribute("skinWeight", new THREE.BufferAttribute(new Uint8Array(this.weights), 4, true));
    // Merge slots that share a material (same colour) into one group/primitive.
    const merged = new Map<Slot, number[]>();
    for (const s of slotOrder) {
      const list = this.tris.get(s);
      if (!list || list.length === 0) continue;
      const key = merge(s);
      const dst = merged.get(key) ?? [];
      dst.push(...list);
      merged.set(key, dst);
    }
    const index: number[] = [];
    const used: Slot[] = [];
    for (const [s, list] of merged) {
      g.addGroup(index.length, list.length, used.length);
      index.push(...list);
      used.push(s);
    }
    g.setIndex(this.vertexCount < 65536 ? new THREE.Uint16BufferAttribute(index, 1) : new THREE.Uint32BufferAttribute(index, 1));
    return { geometry: g, slots: used };
  }
}
