// Assembles one avatar: skeleton, body + hair + clothes mesh, face mesh, and the
// data vrmExtensions.ts needs (bones, expressions, springs, colliders, MToon).
import * as THREE from "three";
import { buildAccessories } from "./accessories.js";
import { buildHand, buildNeck } from "./body.js";
import type { AvatarDescription } from "./description.js";
import { buildFace, emitGlasses, EXPRESSION_PRESETS, faceLayout, type Preset } from "./face.js";
import { buildHair } from "./hair.js";
import type { ChainKind, HairCtx } from "./hairKit.js";
import { buildHead, HeadShape } from "./head.js";
import { BODY_SLOTS, makeMaterial, makePalette, mtoonFor, type Slot } from "./materials.js";
import { MeshBuilder } from "./meshBuilder.js";
import { buildBottom } from "./outfitBottom.js";
import { buildTop } from "./outfitTop.js";
import { computeDims } from "./proportions.js";
import { buildSkeleton, humanBoneNames, type Side } from "./skeleton.js";
import { hashString, mulberry32, v3 } from "./util.js";
import type { VrmSpec, SpringParams } from "./vrmExtensions.js";

export interface BuiltAvatar {
  scene: THREE.Scene;
  vrm: VrmSpec;
  stats: { vertices: number; triangles: number; drawCalls: number; materials: string[]; bones: number; springJoints: number };
}

const SPRING: Record<ChainKind, SpringParams> = {
  tail: { stiffness: 0.9, gravityPower: 0.35, dragForce: 0.45, hitRadius: 0.028 },
  lock: { stiffness: 1.2, gravityPower: 0.25, dragForce: 0.5, hitRadius: 0.018 },
  short: { stiffness: 2.0, gravityPower: 0.1, dragForce: 0.6, hitRadius: 0.012 },
  ahoge: { stiffness: 1.6, gravityPower: 0.04, dragForce: 0.25, hitRadius: 0.008 },
};

export function buildAvatar(desc: AvatarDescription): BuiltAvatar {
  const dims = computeDims(desc);
  const head = new HeadShape(dims);
  const layout = faceLayout(desc, dims);
  const eyeSurf = head.projectFront(layout.eyeX, layout.eyeY).p;
  const skel = buildSkeleton(dims, { x: layout.eyeX, y: layout.eyeY, z: eyeSurf.z });
  const rig = skel.rig;
  const palette = makePalette(desc);
  const mb = new MeshBuilder();

  buildHead(mb, head, rig);
  buildNeck(mb, dims, rig);
  for (const side of [1, -1] as Side[]) buildHand(mb, dims, skel, side);
  const topInfo = buildTop(mb, dims, rig, desc);
  buildBottom(mb, dims, rig, desc, topInfo);
  const ctx: HairCtx = { mb, head, rig, dims, desc, rand: mulberry32(hashString(desc.id)), chains: [] };
  buildHair(ctx);
  buildAccessories(ctx);

  const glasses = desc.accessories.includes("glasses") || desc.accessories.includes("roundGlasses");
  const face = buildFace(desc, dims, head, rig.idx("head"), (em) => {
    if (glasses) emitGlasses(em, head, layout, desc.accessories.includes("roundGlasses"));
  });

  const scene = new THREE.Scene();
  scene.name = desc.id;
  scene.add(rig.bone("hips"));
  scene.updateMatrixWorld(true);
  const skeleton = new THREE.Skeleton(rig.bones);

  const { geometry: bodyGeo, slots: bodySlots } = mb.toGeometry([...BODY_SLOTS], palette.canonical);
  const materials = new Map<Slot, THREE.Material>();
  const mat = (s: Slot): THREE.Material => {
    let m = materials.get(s);
    if (!m) materials.set(s, (m = makeMaterial(s, palette)));
    return m;
  };
  const body = new THREE.SkinnedMesh(bodyGeo, bodySlots.map(mat));
  body.name = "Body";
  body.frustumCulled = false;
  const faceMesh = new THREE.SkinnedMesh(face.geometry, face.slots.map(mat));
  faceMesh.name = "Face";
  faceMesh.frustumCulled = false;
  scene.add(body, faceMesh);
  body.bind(skeleton, new THREE.Matrix4());
  faceMesh.bind(skeleton, new THREE.Matrix4());

  // Spring colliders (bone-local offsets = world offsets: bones carry no rotation).
  const headBone = rig.world("head");
  const hd = dims.head;
  const colliders = [
    { node: "head", offset: v3(...hd.center).sub(headBone), radius: Math.min(hd.halfWidth, hd.back, hd.top) * 0.95 },
    { node: "neck", offset: v3(0, dims.H * 0.01, -0.004), radius: dims.r.neck * 1.35 },
    { node: "upperChest", offset: v3(0, dims.H * 0.012, -0.012), radius: dims.torso.chestHalf * 0.8 },
    { node: "leftUpperArm", offset: v3(0.01, 0, 0), radius: dims.r.upperArm * 1.6 },
    { node: "rightUpperArm", offset: v3(-0.01, 0, 0), radius: dims.r.upperArm * 1.6 },
  ];
  // Shrink any collider that would start intersecting a hair joint at rest,
  // otherwise the simulation snaps the hair outward on the first frame.
  for (const c of colliders) {
    const center = rig.world(c.node).add(c.offset);
    for (const ch of ctx.chains) {
      const hit = SPRING[ch.kind].hitRadius;
      for (const n of ch.nodes.slice(1)) {
        const d = rig.world(n).distanceTo(center);
        if (d < c.radius + hit + 0.004) c.radius = Math.max(0.02, d - hit - 0.004);
      }
    }
  }

  const ov = (blink: "none" | "block" | "blend", look: "none" | "block" | "blend", mouth: "none" | "block" | "blend") => ({ overrideBlink: blink, overrideLookAt: look, overrideMouth: mouth });
  const overrides: Record<Preset, ReturnType<typeof ov>> = {
    aa: ov("none", "none", "none"),
    ih: ov("none", "none", "none"),
    ou: ov("none", "none", "none"),
    ee: ov("none", "none", "none"),
    oh: ov("none", "none", "none"),
    // Emotions soften blinking (their lids already move) but keep lip-sync alive.
    happy: ov("blend", "blend", "none"),
    angry: ov("blend", "none", "none"),
    sad: ov("blend", "none", "none"),
    relaxed: ov("blend", "none", "none"),
    surprised: ov("blend", "none", "blend"),
    neutral: ov("none", "none", "none"),
    // Closed eyes: suppress iris look-at so the lid line stays clean.
    blink: ov("none", "blend", "none"),
    blinkLeft: ov("none", "none", "none"),
    blinkRight: ov("none", "none", "none"),
    lookUp: ov("none", "none", "none"),
    lookDown: ov("none", "none", "none"),
    lookLeft: ov("none", "none", "none"),
    lookRight: ov("none", "none", "none"),
  };

  const eyeWorld = v3(0, skel.eyeY, hd.center[2] + eyeSurf.z);
  const mtoon = new Map<string, Record<string, unknown>>();
  for (const [s, m] of materials) mtoon.set(m.name, mtoonFor(s, palette));

  const vrm: VrmSpec = {
    name: desc.name,
    blurb: desc.blurb,
    humanBones: humanBoneNames(),
    faceNode: "Face",
    bodyNode: "Body",
    morphNames: face.morphNames,
    expressions: Object.fromEntries(EXPRESSION_PRESETS.map((p) => [p, overrides[p]])) as VrmSpec["expressions"],
    lookAtOffset: eyeWorld.sub(headBone).toArray(),
    springs: ctx.chains.map((c) => ({ name: c.name, nodes: c.nodes, params: SPRING[c.kind] })),
    colliders: colliders.map((c) => ({ node: c.node, offset: c.offset.toArray(), radius: c.radius })),
    mtoon,
  };
  const vertices = (bodyGeo.getAttribute("position")?.count ?? 0) + (face.geometry.getAttribute("position")?.count ?? 0);
  const triangles = ((bodyGeo.getIndex()?.count ?? 0) + (face.geometry.getIndex()?.count ?? 0)) / 3;
  return {
    scene,
    vrm,
    stats: {
      vertices,
      triangles,
      drawCalls: bodySlots.length + face.slots.length,
      materials: [...bodySlots, ...face.slots],
      bones: rig.bones.length,
      springJoints: ctx.chains.reduce((a, c) => a + c.nodes.length - 1, 0),
    },
  };
}
