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

interface Camera { eye: V3; right: V3; up: V3; fwd: V3; focal: number; w: number; h: number }

/** Renders `vrm` (a checked VRM file); `color` (#rrggbb) tints the backdrop. */
export function renderPortrait(vrm: Uint8Array, color = "#6c5bd6"): Uint8Array {
  const scene = loadVrmScene(vrm);
  const s = PORTRAIT.supersample;
  const w = PORTRAIT.width * s, h = PORTRAIT.height * s;
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
  return encodePng(downsample(rgb, w, h, s), PORTRAIT.width, PORTRAIT.height);
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
  for (let t = 0; t + 2 < m.indices.length; t += 3) {
    const a = m.indices[t]!, b = m.indices[t + 1]!, c = m.indices[t + 2]!;
    if (sz[a]! < 0.05 || sz[b]! < 0.05 || sz[c]! < 0.05) continue;
    const area = (sx[b]! - sx[a]!) * (sy[c]! - sy[a]!) - (sx[c]! - sx[a]!) * (sy[b]! - sy[a]!);
    if (Math.abs(area) < 1e-9) continue;
    const face = faceNormal(m, a, b, c);
    const x0 = Math.max(0, Math.floor(Math.min(sx[a]!, sx[b]!, sx[c]!))), x1 = Math.min(cam.w - 1, Math.ceil(Math.max(sx[a]!, sx[b]!, sx[c]!)));
    const y0 = Math.max(0, Math.floor(Math.min(sy[a]!, sy[b]!, sy[c]!))), y1 = Math.min(cam.h - 1, Math.ceil(Math.max(sy[a]!, sy[b]!, sy[c]!)));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const px = x + 0.5, py = y + 0.5;
        const wa = ((sx[b]! - px) * (sy[c]! - py) - (sx[c]! - px) * (sy[b]! - py)) / area;
        const wb = ((sx[c]! - px) * (sy[a]! - py) - (sx[a]! - px) * (sy[c]! - py)) / area;
        const wc = 1 - wa - wb;
        if (wa < 0 || wb < 0 || wc < 0) continue;
        // perspective-correct weights
        const ia = wa / sz[a]!, ib = wb / sz[b]!, ic = wc / sz[c]!;
        const iz = ia + ib + ic;
        const z = 1 / iz;
        const at = y * cam.w + x;
        if (z >= depth[at]!) continue;
        let r = base[0], g = base[1], bl = base[2], alpha = base[3];
        if (texture && m.uvs) {
          const u = (ia * m.uvs[a * 2]! + ib * m.uvs[b * 2]! + ic * m.uvs[c * 2]!) / iz;
          const v = (ia * m.uvs[a * 2 + 1]! + ib * m.uvs[b * 2 + 1]! + ic * m.uvs[c * 2 + 1]!) / iz;
          const tx = ((Math.floor((u - Math.floor(u)) * texture.width) % texture.width) + texture.width) % texture.width;
          const ty = ((Math.floor((v - Math.floor(v)) * texture.height) % texture.height) + texture.height) % texture.height;
          const k = (ty * texture.width + tx) * 4;
          r *= fromSrgb(texture.rgba[k]! / 255); g *= fromSrgb(texture.rgba[k + 1]! / 255); bl *= fromSrgb(texture.rgba[k + 2]! / 255);
          alpha *= texture.rgba[k + 3]! / 255;
        }
        if (alpha < (cutoff || 0.02)) continue;
        let nrm = face;
        if (m.normals) nrm = norm([0, 1, 2].map((k) => (ia * m.normals![a * 3 + k]! + ib * m.normals![b * 3 + k]! + ic * m.normals![c * 3 + k]!) / iz) as V3);
        // two-sided: a surface seen from behind is lit from its front
        if (dot(nrm, cam.fwd) > 0) nrm = [-nrm[0], -nrm[1], -nrm[2]];
        const lit = Math.min(1, Math.max(0, (dot(nrm, light) + 0.1) / 0.25));
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
