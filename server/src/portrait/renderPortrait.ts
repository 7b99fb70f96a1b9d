/**
 * A portrait of a VRM avatar, rendered on the CPU: head and shoulders from the
 * front in its rest pose, toon-shaded like MToon (lit colour, shade colour),
 * over a backdrop in the character's colour, as a PNG. No browser and no GPU:
 * it runs in the server for every export and for any uploaded VRM, the same
 * way on every machine. Supersampled 2x for smooth edges.
 */
import { encodePng } from "../cards/png.js";
import { loadVrmScene, type SceneMesh } from "./gltfScene.js";

export const PORTRAIT = {
  width: 400,
  height: 600,
  /** head to camera, m */
  distance: 1.4,
  /** half the height in view at the head, m */
  halfHeight: 0.33,
  /** the view's centre above the head bone, m */
  lift: 0.02,
  supersample: 2,
} as const;

type V3 = [number, number, number];
const dot = (a: V3, b: V3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const norm = (a: V3): V3 => { const l = Math.hypot(...a) || 1; return [a[0] / l, a[1] / l, a[2] / l]; };
const toSrgb = (c: number): number => Math.round(255 * (c <= 0.0031308 ? 12.92 * c : 1.055 * Math.pow(Math.max(0, c), 1 / 2.4) - 0.055));
const fromSrgb = (c: number): number => (c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
/** 8-bit sRGB to linear, for texture texels */
const SRGB = Float32Array.from({ length: 256 }, (_, i) => fromSrgb(i / 255));

interface Camera { eye: V3; right: V3; up: V3; fwd: V3; focal: number; w: number; h: number }

/** Sizes a portrait is drawn at: a card's picture, and a thumbnail for lists (rendering time grows with pixels). */
export const PORTRAIT_SIZES = { card: 1, small: 0.2 } as const;
export type PortraitSize = keyof typeof PORTRAIT_SIZES;

/** Renders `vrm` (a checked VRM file); `color` (#rrggbb) tints the backdrop. */
export function renderPortrait(vrm: Uint8Array, color = "#6c5bd6", size: PortraitSize = "card"): Uint8Array {
  const scene = loadVrmScene(vrm);
  const s = PORTRAIT.supersample;
  const ow = Math.round(PORTRAIT.width * PORTRAIT_SIZES[size]), oh = Math.round(PORTRAIT.height * PORTRAIT_SIZES[size]);
  const w = ow * s, h = oh * s;
  const target: V3 = [scene.head[0], scene.head[1] + PORTRAIT.lift, scene.head[2]];
  const fwd: V3 = [0, 0, -scene.facing];
  const cam: Camera = {
    eye: [target[0], target[1], target[2] + scene.facing * PORTRAIT.distance], fwd,
    right: [scene.facing, 0, 0], up: [0, 1, 0],
    focal: (h / 2) * (PORTRAIT.distance / PORTRAIT.halfHeight), w, h,
  };
  const light = norm([-0.45 * cam.right[0], 0.6, -0.65 * fwd[2]]);
  const rgb = new Float32Array(w * h * 3);
  backdrop(rgb, w, h, color);
  const depth = new Float32Array(w * h).fill(Infinity);
  for (const m of scene.meshes) drawMesh(m, cam, light, rgb, depth);
  return encodePng(downsample(rgb, w, h, s), ow, oh);
}

function backdrop(rgb: Float32Array, w: number, h: number, color: string): void {
  const c = [1, 3, 5].map((i) => fromSrgb(parseInt(color.slice(i, i + 2), 16) / 255) || 0.2);
  const dark = [0.018, 0.011, 0.016];
  for (let y = 0; y < h; y++) {
    const t = 0.25 + 0.35 * (1 - y / h);
    for (let x = 0; x < w; x++) {
      const r = Math.hypot(x / w - 0.5, y / h - 0.4) * 1.4;
      const k = t * Math.max(0.35, 1 - r);
      for (let i = 0; i < 3; i++) rgb[(y * w + x) * 3 + i] = dark[i]! + (c[i]! - dark[i]!) * k;
    }
  }
}

function drawMesh(m: SceneMesh, cam: Camera, light: V3, rgb: Float32Array, depth: Float32Array): void {
  const n = m.positions.length / 3;
  // every vertex in camera space: sx, sy in pixels, z in m along the view
  const sx = new Float32Array(n), sy = new Float32Array(n), sz = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const d: V3 = [m.positions[i * 3]! - cam.eye[0], m.positions[i * 3 + 1]! - cam.eye[1], m.positions[i * 3 + 2]! - cam.eye[2]];
    const z = dot(d, cam.fwd);
    sz[i] = z;
    sx[i] = cam.w / 2 + (dot(d, cam.right) / z) * cam.focal;
    sy[i] = cam.h / 2 - (dot(d, cam.up) / z) * cam.focal;
  }
  const { base, shade, texture, cutoff } = m.surface;
  const nrm = m.normals, uvs = m.uvs;
  const [lx, ly, lz] = light;
  const [fx, fy, fz] = cam.fwd;
  for (let t = 0; t + 2 < m.indices.length; t += 3) {
    const a = m.indices[t]!, b = m.indices[t + 1]!, c = m.indices[t + 2]!;
    const za = sz[a]!, zb = sz[b]!, zc = sz[c]!;
    if (za < 0.05 || zb < 0.05 || zc < 0.05) continue;
    const ax = sx[a]!, ay = sy[a]!, bx = sx[b]!, by = sy[b]!, cx = sx[c]!, cy = sy[c]!;
    const area = (bx - ax) * (cy - ay) - (cx - ax) * (by - ay);
    if (Math.abs(area) < 1e-9) continue;
    const x0 = Math.max(0, Math.floor(Math.min(ax, bx, cx))), x1 = Math.min(cam.w - 1, Math.ceil(Math.max(ax, bx, cx)));
    const y0 = Math.max(0, Math.floor(Math.min(ay, by, cy))), y1 = Math.min(cam.h - 1, Math.ceil(Math.max(ay, by, cy)));
    if (x0 > x1 || y0 > y1) continue;
    const face = nrm ? null : faceNormal(m, a, b, c);
    const inv = 1 / area;
    for (let y = y0; y <= y1; y++) {
      const py = y + 0.5;
      for (let x = x0; x <= x1; x++) {
        const px = x + 0.5;
        const wa = ((bx - px) * (cy - py) - (cx - px) * (by - py)) * inv;
        if (wa < 0) continue;
        const wb = ((cx - px) * (ay - py) - (ax - px) * (cy - py)) * inv;
        const wc = 1 - wa - wb;
        if (wb < 0 || wc < 0) continue;
        // perspective-correct weights
        const ia = wa / za, ib = wb / zb, ic = wc / zc;
        const iz = ia + ib + ic;
        const z = 1 / iz;
        const at = y * cam.w + x;
        if (z >= depth[at]!) continue;
        let r = base[0], g = base[1], bl = base[2], alpha = base[3];
        if (texture && uvs) {
          const u = (ia * uvs[a * 2]! + ib * uvs[b * 2]! + ic * uvs[c * 2]!) * z;
          const v = (ia * uvs[a * 2 + 1]! + ib * uvs[b * 2 + 1]! + ic * uvs[c * 2 + 1]!) * z;
          const tx = Math.min(texture.width - 1, Math.floor((u - Math.floor(u)) * texture.width));
          const ty = Math.min(texture.height - 1, Math.floor((v - Math.floor(v)) * texture.height));
          const k = (ty * texture.width + tx) * 4;
          r *= SRGB[texture.rgba[k]!]!; g *= SRGB[texture.rgba[k + 1]!]!; bl *= SRGB[texture.rgba[k + 2]!]!;
          alpha *= texture.rgba[k + 3]! / 255;
        }
        if (alpha < (cutoff || 0.02)) continue;
        let nx: number, ny: number, nz: number;
        if (nrm) {
          nx = (ia * nrm[a * 3]! + ib * nrm[b * 3]! + ic * nrm[c * 3]!) * z;
          ny = (ia * nrm[a * 3 + 1]! + ib * nrm[b * 3 + 1]! + ic * nrm[c * 3 + 1]!) * z;
          nz = (ia * nrm[a * 3 + 2]! + ib * nrm[b * 3 + 2]! + ic * nrm[c * 3 + 2]!) * z;
          const len = Math.hypot(nx, ny, nz) || 1;
          nx /= len; ny /= len; nz /= len;
        } else [nx, ny, nz] = face!;
        // two-sided: a surface seen from behind is lit from its front
        const side = nx * fx + ny * fy + nz * fz > 0 ? -1 : 1;
        const lit = Math.min(1, Math.max(0, (side * (nx * lx + ny * ly + nz * lz) + 0.1) / 0.25));
        depth[at] = z;
        const o = at * 3;
        rgb[o] = shade[0] * (1 - lit) * (r / (base[0] || 1)) + r * lit;
        rgb[o + 1] = shade[1] * (1 - lit) * (g / (base[1] || 1)) + g * lit;
        rgb[o + 2] = shade[2] * (1 - lit) * (bl / (base[2] || 1)) + bl * lit;
      }
    }
  }
}

function faceNormal(m: SceneMesh, a: number, b: number, c: number): V3 {
  const p = m.positions;
  const u: V3 = [p[b * 3]! - p[a * 3]!, p[b * 3 + 1]! - p[a * 3 + 1]!, p[b * 3 + 2]! - p[a * 3 + 2]!];
  const v: V3 = [p[c * 3]! - p[a * 3]!, p[c * 3 + 1]! - p[a * 3 + 1]!, p[c * 3 + 2]! - p[a * 3 + 2]!];
  return norm([u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]]);
}

function downsample(rgb: Float32Array, w: number, h: number, s: number): Uint8Array {
  const ow = w / s, oh = h / s;
  const out = new Uint8Array(ow * oh * 4);
  for (let y = 0; y < oh; y++) for (let x = 0; x < ow; x++) {
    for (let k = 0; k < 3; k++) {
      let sum = 0;
      for (let dy = 0; dy < s; dy++) for (let dx = 0; dx < s; dx++) sum += rgb[((y * s + dy) * w + x * s + dx) * 3 + k]!;
      out[(y * ow + x) * 4 + k] = Math.min(255, Math.max(0, toSrgb(sum / (s * s))));
    }
    out[(y * ow + x) * 4 + 3] = 255;
  }
  return out;
}
