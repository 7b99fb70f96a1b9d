/**
 * A VRM (glTF binary) read into world-space triangles in its rest pose, for the
 * software portrait renderer: node transforms, skinning with the rest pose's
 * joint matrices, normals, texture coordinates and each material's colours.
 * Only what a still portrait needs; checkVrm has already vetted the file.
 */
import { decodePng, type DecodedImage } from "./pngDecode.js";

type Mat4 = Float64Array;

interface Accessor { bufferView?: number; byteOffset?: number; count: number; type: string; componentType: number; normalized?: boolean }
interface BufferView { byteOffset?: number; byteLength: number; byteStride?: number }
interface Node { children?: number[]; mesh?: number; skin?: number; matrix?: number[]; translation?: number[]; rotation?: number[]; scale?: number[] }
interface Primitive { attributes: Record<string, number>; indices?: number; material?: number; mode?: number }
interface Material {
  pbrMetallicRoughness?: { baseColorFactor?: number[]; baseColorTexture?: { index: number } };
  alphaMode?: string; alphaCutoff?: number;
  extensions?: { VRMC_materials_mtoon?: { shadeColorFactor?: number[] } };
}
export interface Gltf {
  nodes?: Node[]; meshes?: { primitives: Primitive[] }[]; accessors?: Accessor[]; bufferViews?: BufferView[]; skins?: { joints: number[]; inverseBindMatrices?: number }[];
  materials?: Material[]; textures?: { source?: number }[]; images?: { bufferView?: number; mimeType?: string }[]; scenes?: { nodes?: number[] }[]; scene?: number;
  extensions?: { VRMC_vrm?: { humanoid?: { humanBones?: Record<string, { node?: number }> } }; VRM?: { humanoid?: { humanBones?: { bone?: string; node?: number }[] }; materialProperties?: { vectorProperties?: Record<string, number[]> }[] } };
}

/** A material as the renderer needs it: linear RGBA base, linear RGB shade, an optional texture. */
export interface Surface { base: [number, number, number, number]; shade: [number, number, number]; texture: DecodedImage | null; cutoff: number }

export interface SceneMesh {
  positions: Float32Array; // world, xyz per vertex
  normals: Float32Array | null;
  uvs: Float32Array | null;
  indices: Uint32Array;
  surface: Surface;
}

export interface VrmScene { meshes: SceneMesh[]; head: [number, number, number]; /** +1: faces +z (VRM 1.0), -1: faces -z (VRM 0.x) */ facing: 1 | -1; version: "0" | "1" }

const COMPONENTS: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4, MAT4: 16 };

export function parseGlb(bytes: Uint8Array): { json: Gltf; bin: Uint8Array } {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const jsonLen = v.getUint32(12, true);
  const json = JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + jsonLen))) as Gltf;
  const binAt = 20 + jsonLen;
  const bin = binAt + 8 <= bytes.length ? bytes.subarray(binAt + 8, binAt + 8 + v.getUint32(binAt, true)) : new Uint8Array(0);
  return { json, bin };
}

function readAccessor(g: Gltf, bin: Uint8Array, index: number): { data: Float64Array; size: number } {
  const a = g.accessors![index]!;
  const size = COMPONENTS[a.type] ?? 1;
  const data = new Float64Array(a.count * size);
  if (a.bufferView === undefined) return { data, size };
  const bv = g.bufferViews![a.bufferView]!;
  const bytesPer = a.componentType === 5126 || a.componentType === 5125 ? 4 : a.componentType === 5122 || a.componentType === 5123 ? 2 : 1;
  const stride = bv.byteStride ?? size * bytesPer;
  const dv = new DataView(bin.buffer, bin.byteOffset + (bv.byteOffset ?? 0) + (a.byteOffset ?? 0));
  const norm = a.normalized ? ({ 5120: 127, 5121: 255, 5122: 32767, 5123: 65535 } as Record<number, number>)[a.componentType] ?? 1 : 1;
  for (let i = 0; i < a.count; i++) {
    for (let k = 0; k < size; k++) {
      const at = i * stride + k * bytesPer;
      let x: number;
      switch (a.componentType) {
        case 5126: x = dv.getFloat32(at, true); break;
        case 5125: x = dv.getUint32(at, true); break;
        case 5123: x = dv.getUint16(at, true); break;
        case 5122: x = dv.getInt16(at, true); break;
        case 5121: x = dv.getUint8(at); break;
        default: x = dv.getInt8(at);
      }
      data[i * size + k] = x / norm;
    }
  }
  return { data, size };
}

function localMatrix(n: Node): Mat4 {
  if (n.matrix?.length === 16) return Float64Array.from(n.matrix);
  const [x, y, z, w] = n.rotation ?? [0, 0, 0, 1];
  const [sx, sy, sz] = n.scale ?? [1, 1, 1];
  const [tx, ty, tz] = n.translation ?? [0, 0, 0];
  return Float64Array.of(
    (1 - 2 * (y! * y! + z! * z!)) * sx!, 2 * (x! * y! + z! * w!) * sx!, 2 * (x! * z! - y! * w!) * sx!, 0,
    2 * (x! * y! - z! * w!) * sy!, (1 - 2 * (x! * x! + z! * z!)) * sy!, 2 * (y! * z! + x! * w!) * sy!, 0,
    2 * (x! * z! + y! * w!) * sz!, 2 * (y! * z! - x! * w!) * sz!, (1 - 2 * (x! * x! + y! * y!)) * sz!, 0,
    tx!, ty!, tz!, 1,
  );
}

function multiply(a: Mat4, b: Mat4): Mat4 {
  const out = new Float64Array(16);
  for (let c = 0; c < 4; c++) for (let r = 0; r < 4; r++) {
    let s = 0;
    for (let k = 0; k < 4; k++) s += a[k * 4 + r]! * b[c * 4 + k]!;
    out[c * 4 + r] = s;
  }
  return out;
}

/** A rotation about z by `rad`. */
function rotationZ(rad: number): Mat4 {
  const c = Math.cos(rad), s = Math.sin(rad);
  return Float64Array.of(c, s, 0, 0, -s, c, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1);
}

function worldMatrices(g: Gltf, extra: ReadonlyMap<number, Mat4> = new Map()): Mat4[] {
  const nodes = g.nodes ?? [];
  const world: Mat4[] = new Array(nodes.length);
  const visit = (i: number, parent: Mat4 | null, depth: number): void => {
    if (depth > 256 || world[i]) return;
    const own = extra.has(i) ? multiply(localMatrix(nodes[i]!), extra.get(i)!) : localMatrix(nodes[i]!);
    world[i] = parent ? multiply(parent, own) : own;
    for (const c of nodes[i]!.children ?? []) if (c >= 0 && c < nodes.length) visit(c, world[i]!, depth + 1);
  };
  const roots = g.scenes?.[g.scene ?? 0]?.nodes ?? nodes.map((_, i) => i);
  for (const r of roots) visit(r, null, 0);
  for (let i = 0; i < nodes.length; i++) if (!world[i]) visit(i, null, 0);
  return world;
}

function surfaceOf(g: Gltf, bin: Uint8Array, index: number | undefined, images: Map<number, DecodedImage | null>): Surface {
  const m = index === undefined ? undefined : g.materials?.[index];
  const pbr = m?.pbrMetallicRoughness;
  const v0 = index === undefined ? undefined : g.extensions?.VRM?.materialProperties?.[index]?.vectorProperties;
  const base = (pbr?.baseColorFactor ?? v0?._Color ?? [0.8, 0.8, 0.8, 1]) as [number, number, number, number];
  const shade = (m?.extensions?.VRMC_materials_mtoon?.shadeColorFactor ?? v0?._ShadeColor ?? base.slice(0, 3).map((c) => c * 0.6)) as [number, number, number];
  const source = pbr?.baseColorTexture ? g.textures?.[pbr.baseColorTexture.index]?.source : undefined;
  let texture: DecodedImage | null = null;
  if (source !== undefined) {
    if (!images.has(source)) images.set(source, imageOf(g, bin, source));
    texture = images.get(source) ?? null;
  }
  const cutoff = m?.alphaMode === "MASK" ? m.alphaCutoff ?? 0.5 : m?.alphaMode === "BLEND" ? 0.5 : 0;
  return { base, shade, texture, cutoff };
}

/** An embedded PNG texture; other formats (JPEG, KTX) leave the material's colour alone. */
function imageOf(g: Gltf, bin: Uint8Array, index: number): DecodedImage | null {
  const img = g.images?.[index];
  if (img?.bufferView === undefined) return null;
  const bv = g.bufferViews?.[img.bufferView];
  if (!bv) return null;
  try { return decodePng(bin.subarray(bv.byteOffset ?? 0, (bv.byteOffset ?? 0) + bv.byteLength)); } catch { return null; }
}

function boneNode(g: Gltf, bone: string): number | undefined {
  return g.extensions?.VRMC_vrm?.humanoid?.humanBones?.[bone]?.node ?? g.extensions?.VRM?.humanoid?.humanBones?.find((b) => b.bone === bone)?.node;
}

/** how far the arms come down from the T pose for a portrait, rad */
const ARMS_DOWN = (68 * Math.PI) / 180;

/** Upper arms lowered from the rest T pose, each turned towards its own side's down. */
function armsDown(g: Gltf): Map<number, Mat4> {
  const rest = worldMatrices(g);
  const out = new Map<number, Mat4>();
  for (const side of ["left", "right"]) {
    const upper = boneNode(g, `${side}UpperArm`), lower = boneNode(g, `${side}LowerArm`);
    if (upper === undefined || lower === undefined || !rest[upper] || !rest[lower]) continue;
    const outward = rest[lower]![12]! - rest[upper]![12]!;
    out.set(upper, rotationZ(outward > 0 ? -ARMS_DOWN : ARMS_DOWN));
  }
  return out;
}

export function loadVrmScene(bytes: Uint8Array): VrmScene {
  const { json: g, bin } = parseGlb(bytes);
  const world = worldMatrices(g, armsDown(g));
  const images = new Map<number, DecodedImage | null>();
  const meshes: SceneMesh[] = [];
  (g.nodes ?? []).forEach((node, ni) => {
    if (node.mesh === undefined) return;
    const skin = node.skin === undefined ? undefined : g.skins?.[node.skin];
    const jointMats = skin ? skin.joints.map((j, k) => {
      const ibm = skin.inverseBindMatrices === undefined ? null : readAccessor(g, bin, skin.inverseBindMatrices).data.subarray(k * 16, k * 16 + 16);
      return ibm ? multiply(world[j]!, Float64Array.from(ibm)) : world[j]!;
    }) : null;
    for (const p of g.meshes?.[node.mesh]?.primitives ?? []) {
      if ((p.mode ?? 4) !== 4 || p.attributes.POSITION === undefined) continue;
      const pos = readAccessor(g, bin, p.attributes.POSITION).data;
      const nrm = p.attributes.NORMAL === undefined ? null : readAccessor(g, bin, p.attributes.NORMAL).data;
      const uv = p.attributes.TEXCOORD_0 === undefined ? null : readAccessor(g, bin, p.attributes.TEXCOORD_0).data;
      const joints = jointMats && p.attributes.JOINTS_0 !== undefined ? readAccessor(g, bin, p.attributes.JOINTS_0).data : null;
      const weights = jointMats && p.attributes.WEIGHTS_0 !== undefined ? readAccessor(g, bin, p.attributes.WEIGHTS_0).data : null;
      const count = pos.length / 3;
      const positions = new Float32Array(count * 3);
      const normals = nrm ? new Float32Array(count * 3) : null;
      const m = new Float64Array(16);
      for (let i = 0; i < count; i++) {
        if (joints && weights && jointMats) {
          m.fill(0);
          for (let k = 0; k < 4; k++) {
            const w = weights[i * 4 + k]!;
            const jm = jointMats[joints[i * 4 + k]!];
            if (w && jm) for (let e = 0; e < 16; e++) m[e]! += w * jm[e]!;
          }
        } else m.set(world[ni]!);
        const x = pos[i * 3]!, y = pos[i * 3 + 1]!, z = pos[i * 3 + 2]!;
        positions[i * 3] = m[0]! * x + m[4]! * y + m[8]! * z + m[12]!;
        positions[i * 3 + 1] = m[1]! * x + m[5]! * y + m[9]! * z + m[13]!;
        positions[i * 3 + 2] = m[2]! * x + m[6]! * y + m[10]! * z + m[14]!;
        if (normals && nrm) {
          const a = nrm[i * 3]!, b = nrm[i * 3 + 1]!, c = nrm[i * 3 + 2]!;
          const nx = m[0]! * a + m[4]! * b + m[8]! * c, ny = m[1]! * a + m[5]! * b + m[9]! * c, nz = m[2]! * a + m[6]! * b + m[10]! * c;
          const len = Math.hypot(nx, ny, nz) || 1;
          normals[i * 3] = nx / len; normals[i * 3 + 1] = ny / len; normals[i * 3 + 2] = nz / len;
        }
      }
      const indices = p.indices === undefined ? Uint32Array.from({ length: count }, (_, i) => i) : Uint32Array.from(readAccessor(g, bin, p.indices).data);
      meshes.push({ positions, normals, uvs: uv ? Float32Array.from(uv) : null, indices, surface: surfaceOf(g, bin, p.material, images) });
    }
  });
  const h = boneNode(g, "head");
  const hw = h === undefined ? null : world[h];
  const version = g.extensions?.VRMC_vrm ? "1" : "0";
  return { meshes, head: hw ? [hw[12]!, hw[13]!, hw[14]!] : [0, 1.4, 0], facing: version === "1" ? 1 : -1, version };
}
