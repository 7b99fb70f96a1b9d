/**
 * Turns one of our VRM 1.0 files into a VRM 0.x file (the format of most VRoid Hub
 * avatars), and can drop expression presets, so tests can prove that any avatar a
 * user brings works: 0.x metadata and bone names, blend shape groups with 0-100
 * weights, and a model facing -Z.
 */
const PRESET_0X: Record<string, string> = {
  aa: "a", ih: "i", ou: "u", ee: "e", oh: "o", happy: "joy", angry: "angry", sad: "sorrow", relaxed: "fun", neutral: "neutral",
  blink: "blink", blinkLeft: "blink_l", blinkRight: "blink_r", lookUp: "lookup", lookDown: "lookdown", lookLeft: "lookleft", lookRight: "lookright",
};
const THUMB_0X: Record<string, string> = { ThumbMetacarpal: "ThumbProximal", ThumbProximal: "ThumbIntermediate", ThumbDistal: "ThumbDistal" };

interface Glb { json: Record<string, unknown> & { nodes: { mesh?: number; children?: number[]; rotation?: number[]; name?: string }[]; scenes: { nodes: number[] }[]; extensionsUsed?: string[]; extensions?: Record<string, unknown>; materials?: { name?: string; extensions?: Record<string, unknown> }[] }; bin: Uint8Array }

export function readGlb(bytes: Uint8Array): Glb {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== 0x46546c67) throw new Error("not a glTF binary");
  const jsonLen = view.getUint32(12, true);
  const json = JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + jsonLen)));
  const binLen = view.getUint32(20 + jsonLen, true);
  return { json, bin: bytes.subarray(28 + jsonLen, 28 + jsonLen + binLen) };
}

export function writeGlb(g: Glb): Uint8Array {
  let json = new TextEncoder().encode(JSON.stringify(g.json));
  const pad = (4 - (json.length % 4)) % 4;
  json = Uint8Array.from([...json, ...new Array(pad).fill(0x20)]);
  const binPad = (4 - (g.bin.length % 4)) % 4;
  const total = 12 + 8 + json.length + 8 + g.bin.length + binPad;
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0x46546c67, true); v.setUint32(4, 2, true); v.setUint32(8, total, true);
  v.setUint32(12, json.length, true); v.setUint32(16, 0x4e4f534a, true); out.set(json, 20);
  const b = 20 + json.length;
  v.setUint32(b, g.bin.length + binPad, true); v.setUint32(b + 4, 0x004e4942, true); out.set(g.bin, b + 8);
  return out;
}

/** A VRM 0.x version of a VRM 1.0 file; `drop` leaves some presets out. */
export function toVrm0(vrm1: Uint8Array, drop: readonly string[] = []): Uint8Array {
  const g = readGlb(vrm1);
  const ext = (g.json.extensions ?? {}) as { VRMC_vrm?: { meta: { name: string; authors: string[] }; humanoid: { humanBones: Record<string, { node: number }> }; expressions: { preset: Record<string, { morphTargetBinds?: { node: number; index: number; weight: number }[]; isBinary?: boolean }> } } };
  const v1 = ext.VRMC_vrm;
  if (!v1) throw new Error("not a VRM 1.0 file");
  const humanBones = Object.entries(v1.humanoid.humanBones).map(([bone, { node }]) => {
    const thumb = /^(left|right)(Thumb\w+)$/.exec(bone);
    return { bone: thumb ? `${thumb[1]}${THUMB_0X[thumb[2]!] ?? thumb[2]}` : bone, node, useDefaultValues: true };
  });
  const groups = Object.entries(v1.expressions.preset)
    .filter(([name]) => PRESET_0X[name] && !drop.includes(name))
    .map(([name, e]) => ({
      name, presetName: PRESET_0X[name], isBinary: e.isBinary ?? false, materialValues: [],
      binds: (e.morphTargetBinds ?? []).map((b) => ({ mesh: g.json.nodes[b.node]!.mesh!, index: b.index, weight: b.weight * 100 })),
    }));
  const head = v1.humanoid.humanBones.head?.node ?? 0;
  delete (g.json.extensions as Record<string, unknown>).VRMC_vrm;
  delete (g.json.extensions as Record<string, unknown>).VRMC_springBone;
  for (const m of g.json.materials ?? []) delete m.extensions;
  g.json.extensionsUsed = ["VRM"];
  (g.json.extensions as Record<string, unknown>).VRM = {
    exporterVersion: "Parley test converter", specVersion: "0.0",
    meta: { title: v1.meta.name, version: "1", author: v1.meta.authors.join(", "), contactInformation: "", reference: "", texture: -1,
      allowedUserName: "Everyone", violentUssageName: "Disallow", sexualUssageName: "Disallow", commercialUssageName: "Allow", otherPermissionUrl: "", licenseName: "CC0", otherLicenseUrl: "" },
    humanoid: { humanBones, armStretch: 0.05, legStretch: 0.05, upperArmTwist: 0.5, lowerArmTwist: 0.5, upperLegTwist: 0.5, lowerLegTwist: 0.5, feetSpacing: 0, hasTranslationDoF: false },
    firstPerson: { firstPersonBone: head, firstPersonBoneOffset: { x: 0, y: 0.06, z: 0 }, meshAnnotations: [], lookAtTypeName: "BlendShape",
      lookAtHorizontalInner: { curve: [0, 0, 0, 1, 1, 1, 1, 0], xRange: 90, yRange: 10 }, lookAtHorizontalOuter: { curve: [0, 0, 0, 1, 1, 1, 1, 0], xRange: 90, yRange: 10 },
      lookAtVerticalDown: { curve: [0, 0, 0, 1, 1, 1, 1, 0], xRange: 90, yRange: 10 }, lookAtVerticalUp: { curve: [0, 0, 0, 1, 1, 1, 1, 0], xRange: 90, yRange: 10 } },
    blendShapeMaster: { blendShapeGroups: groups },
    secondaryAnimation: { boneGroups: [], colliderGroups: [] },
    materialProperties: (g.json.materials ?? []).map((m) => ({ name: m.name ?? "", shader: "VRM_USE_GLTFSHADER", renderQueue: 2000, floatProperties: {}, vectorProperties: {}, textureProperties: {}, keywordMap: {}, tagMap: {} })),
  };
  // VRM 0.x models face -Z: turn the whole model round under a new root
  const roots = g.json.scenes[0]!.nodes;
  g.json.nodes.push({ name: "vrm0-root", rotation: [0, 1, 0, 0], children: roots });
  g.json.scenes[0]!.nodes = [g.json.nodes.length - 1];
  return writeGlb(g);
}
