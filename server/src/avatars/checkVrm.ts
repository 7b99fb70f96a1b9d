/**
 * Is this file a VRM a browser can load and seat? Checked without loading it:
 * a glTF 2.0 binary whose JSON parses, whose binary chunk holds every buffer
 * view and accessor it declares, with a scene of nodes, meshes with positions,
 * and a VRM 0.x or 1.0 humanoid whose required bones point at real nodes.
 */
export class VrmError extends Error {
  constructor(message: string, readonly status = 400) { super(message); }
}

const GLB_MAGIC = 0x46546c67;
const JSON_CHUNK = 0x4e4f534a;
const BIN_CHUNK = 0x004e4942;

/** The bones VRM requires (1.0 names; 0.x uses the same names for these). */
export const REQUIRED_BONES = [
  "hips", "spine", "head",
  "leftUpperArm", "leftLowerArm", "leftHand", "rightUpperArm", "rightLowerArm", "rightHand",
  "leftUpperLeg", "leftLowerLeg", "leftFoot", "rightUpperLeg", "rightLowerLeg", "rightFoot",
] as const;

const COMPONENTS: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4, MAT2: 4, MAT3: 9, MAT4: 16 };
const BYTES: Record<number, number> = { 5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4 };

interface Gltf {
  asset?: { version?: unknown };
  scenes?: { nodes?: unknown }[];
  nodes?: unknown[];
  meshes?: { primitives?: { attributes?: { POSITION?: unknown } }[] }[];
  buffers?: { byteLength?: unknown; uri?: unknown }[];
  bufferViews?: { buffer?: unknown; byteOffset?: unknown; byteLength?: unknown; byteStride?: unknown }[];
  accessors?: { bufferView?: unknown; byteOffset?: unknown; count?: unknown; type?: unknown; componentType?: unknown }[];
  extensions?: { VRMC_vrm?: { humanoid?: { humanBones?: Record<string, { node?: unknown }> } }; VRM?: { humanoid?: { humanBones?: { bone?: unknown; node?: unknown }[] } } };
}

const isIndex = (v: unknown, length: number): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) < length;
const nonNeg = (v: unknown, fallback = 0): number => (Number.isInteger(v) && (v as number) >= 0 ? (v as number) : v === undefined ? fallback : NaN);

function chunks(bytes: Uint8Array): { json: Gltf; binLength: number } {
  if (bytes.byteLength < 28) throw new VrmError("not a VRM file: too short");
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (v.getUint32(0, true) !== GLB_MAGIC) throw new VrmError("not a VRM file: it is not a glTF binary (.vrm/.glb)");
  if (v.getUint32(4, true) !== 2) throw new VrmError("not a VRM file: only glTF 2.0 is supported");
  if (v.getUint32(8, true) > bytes.byteLength) throw new VrmError("not a VRM file: it is cut short");
  const jsonLen = v.getUint32(12, true);
  if (v.getUint32(16, true) !== JSON_CHUNK || 20 + jsonLen > bytes.byteLength) throw new VrmError("not a VRM file: its JSON chunk is broken");
  let json: Gltf;
  try { json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(20, 20 + jsonLen))) as Gltf; } catch {
    throw new VrmError("not a VRM file: its JSON chunk does not parse");
  }
  if (!json || typeof json !== "object" || Array.isArray(json)) throw new VrmError("not a VRM file: its JSON chunk is not an object");
  let binLength = 0;
  const binAt = 20 + jsonLen;
  if (binAt + 8 <= bytes.byteLength) {
    if (v.getUint32(binAt + 4, true) !== BIN_CHUNK) throw new VrmError("not a VRM file: its second chunk is not binary data");
    binLength = v.getUint32(binAt, true);
    if (binAt + 8 + binLength > bytes.byteLength) throw new VrmError("not a VRM file: its binary chunk is cut short");
  }
  return { json, binLength };
}

/** Checks the bytes; returns the VRM version ("0" or "1") or throws a VrmError saying what is wrong. */
export function checkVrm(bytes: Uint8Array): "0" | "1" {
  const { json: g, binLength } = chunks(bytes);
  const version = g.extensions?.VRMC_vrm ? "1" : g.extensions?.VRM ? "0" : null;
  if (!version) throw new VrmError("a glTF file without VRM data: export it as VRM (0.x or 1.0)");
  if (g.asset?.version !== "2.0") throw new VrmError("not a loadable VRM: asset.version must be \"2.0\"");
  const nodes = Array.isArray(g.nodes) ? g.nodes : [];
  if (nodes.length === 0) throw new VrmError("not a loadable VRM: it has no nodes");
  if (!Array.isArray(g.scenes) || !g.scenes.some((s) => Array.isArray(s?.nodes) && s.nodes.length > 0 && s.nodes.every((n) => isIndex(n, nodes.length)))) {
    throw new VrmError("not a loadable VRM: it has no scene of valid nodes");
  }
  const buffers = Array.isArray(g.buffers) ? g.buffers : [];
  if (buffers.length !== 1 || buffers[0]?.uri !== undefined || nonNeg(buffers[0]?.byteLength, -1) > binLength || nonNeg(buffers[0]?.byteLength, -1) < 0) {
    throw new VrmError("not a loadable VRM: it must carry exactly one buffer, inside the file");
  }
  const views = Array.isArray(g.bufferViews) ? g.bufferViews : [];
  const bufferLength = nonNeg(buffers[0]!.byteLength);
  for (const [i, bv] of views.entries()) {
    const end = nonNeg(bv?.byteOffset) + nonNeg(bv?.byteLength, -1);
    if (!isIndex(bv?.buffer, buffers.length) || !(end <= bufferLength) || nonNeg(bv?.byteLength, -1) <= 0) throw new VrmError(`not a loadable VRM: buffer view ${i} lies outside its buffer`);
  }
  const accessors = Array.isArray(g.accessors) ? g.accessors : [];
  for (const [i, a] of accessors.entries()) {
    const size = (COMPONENTS[String(a?.type)] ?? NaN) * (BYTES[Number(a?.componentType)] ?? NaN);
    const count = nonNeg(a?.count, -1);
    if (!(size > 0) || !(count > 0)) throw new VrmError(`not a loadable VRM: accessor ${i} is malformed`);
    if (a?.bufferView === undefined) continue;
    if (!isIndex(a.bufferView, views.length)) throw new VrmError(`not a loadable VRM: accessor ${i} names a missing buffer view`);
    const bv = views[a.bufferView]!;
    const stride = nonNeg(bv.byteStride, size) || size;
    if (!(nonNeg(a.byteOffset) + stride * (count - 1) + size <= nonNeg(bv.byteLength))) throw new VrmError(`not a loadable VRM: accessor ${i} reads past its buffer view`);
  }
  const meshes = Array.isArray(g.meshes) ? g.meshes : [];
  if (!meshes.some((m) => Array.isArray(m?.primitives) && m.primitives.some((p) => isIndex(p?.attributes?.POSITION, accessors.length)))) {
    throw new VrmError("not a loadable VRM: it has no mesh with vertex positions");
  }
  const bones = new Map<string, unknown>();
  if (version === "1") for (const [bone, b] of Object.entries(g.extensions!.VRMC_vrm!.humanoid?.humanBones ?? {})) bones.set(bone, b?.node);
  else for (const b of g.extensions!.VRM!.humanoid?.humanBones ?? []) if (typeof b?.bone === "string") bones.set(b.bone, b.node);
  const missing = REQUIRED_BONES.filter((b) => !isIndex(bones.get(b), nodes.length));
  if (missing.length) throw new VrmError(`not a loadable VRM: its humanoid lacks ${missing.slice(0, 4).join(", ")}${missing.length > 4 ? ` and ${missing.length - 4} more` : ""}`);
  return version;
}
