// Generates every cast avatar into a temp dir and loads it back with
// GLTFLoader + VRMLoaderPlugin, checking meta, humanoid, expressions, springs, MToon.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as THREE from "three";
import { GLTFLoader } from "three/examples/jsm/loaders/GLTFLoader.js";
import { MToonMaterial, VRMLoaderPlugin, type VRM, type VRMHumanBoneName } from "@pixiv/three-vrm";
import { afterAll, describe, expect, it } from "vitest";
import { CAST } from "./cast.js";
import { generateVrm } from "./exportVrm.js";
import { readGlb } from "./glb.js";
import { FINGERS, FINGER_SEGMENTS } from "./skeleton.js";

const PRESETS = [
  "aa", "ih", "ou", "ee", "oh",
  "happy", "angry", "sad", "relaxed", "surprised", "neutral",
  "blink", "blinkLeft", "blinkRight",
  "lookUp", "lookDown", "lookLeft", "lookRight",
] as const;

const CORE_BONES = [
  "hips", "spine", "chest", "upperChest", "neck", "head",
  "leftShoulder", "leftUpperArm", "leftLowerArm", "leftHand",
  "rightShoulder", "rightUpperArm", "rightLowerArm", "rightHand",
  "leftUpperLeg", "leftLowerLeg", "leftFoot", "leftToes",
  "rightUpperLeg", "rightLowerLeg", "rightFoot", "rightToes",
];
/** Per-avatar geometry budget (body + face): about half of the original ~27,600 triangles / ~14,400 vertices. */
const TRIANGLE_BUDGET = 13_000;
const VERTEX_BUDGET = 7_500;

const FINGER_BONES = ["left", "right"].flatMap((s) => FINGERS.flatMap((f) => FINGER_SEGMENTS[f].map((n) => `${s}${f}${n}`)));

const dir = mkdtempSync(join(tmpdir(), "parley-vrm-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function loadVrm(bytes: Uint8Array): Promise<VRM> {
  const loader = new GLTFLoader();
  loader.register((parser) => new VRMLoaderPlugin(parser));
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const gltf = await loader.parseAsync(ab, "");
  const vrm = gltf.userData.vrm as VRM | undefined;
  if (!vrm) throw new Error("no VRM in gltf.userData");
  return vrm;
}

describe("generated avatars load as VRM 1.0 with every expression preset", () => {
  it("has the required cast ids first", () => {
    expect(CAST.slice(0, 3).map((d) => d.id)).toEqual(["ada", "theo", "juno"]);
    for (const id of ["mira", "kenji", "oskar", "lena", "ravi"]) expect(CAST.some((d) => d.id === id)).toBe(true);
  });

  for (const desc of CAST) {
    it(`${desc.id}.vrm`, async () => {
      const { bytes, stats } = await generateVrm(desc);
      const file = join(dir, `${desc.id}.vrm`);
      writeFileSync(file, bytes);
      const vrm = await loadVrm(new Uint8Array(readFileSync(file)));

      // Meta (VRM 1.0).
      expect(vrm.meta.metaVersion).toBe("1");
      if (vrm.meta.metaVersion !== "1") return;
      expect(vrm.meta.authors).toContain("Parley");
      expect(vrm.meta.licenseUrl).toBe("https://vrm.dev/licenses/1.0/");

      // Humanoid incl. fingers.
      for (const b of [...CORE_BONES, ...FINGER_BONES]) {
        expect(vrm.humanoid.getRawBoneNode(b as VRMHumanBoneName), b).toBeTruthy();
      }

      // Every preset exists and binds to a real morph target.
      const em = vrm.expressionManager;
      expect(em).toBeTruthy();
      if (!em) return;
      let faceMesh: THREE.Mesh | undefined;
      for (const p of PRESETS) {
        const ex = em.getExpression(p);
        expect(ex, p).toBeTruthy();
        const binds = (ex?.binds ?? []) as unknown as Array<{ primitives?: THREE.Mesh[]; index?: number }>;
        const morphBinds = binds.filter((b) => Array.isArray(b.primitives) && typeof b.index === "number");
        expect(morphBinds.length, p).toBeGreaterThan(0);
        for (const b of morphBinds) {
          for (const prim of b.primitives ?? []) {
            expect(prim.morphTargetInfluences?.length ?? 0).toBeGreaterThan(b.index ?? Infinity);
            faceMesh ??= prim;
          }
        }
      }
      expect(faceMesh).toBeTruthy();

      // Lip sync drives the face morphs.
      const before = [...(faceMesh?.morphTargetInfluences ?? [])];
      em.setValue("aa", 1);
      vrm.update(0);
      const after = [...(faceMesh?.morphTargetInfluences ?? [])];
      expect(after).not.toEqual(before);
      expect(after.some((w) => w > 0.99)).toBe(true);
      em.setValue("aa", 0);

      // Look-at is expression based and has an eye-height offset.
      expect(vrm.lookAt?.applier.constructor.name).toContain("Expression");
      expect(vrm.lookAt?.offsetFromHeadBone.y ?? 0).toBeGreaterThan(0.01);

      // Hair springs with colliders.
      expect(vrm.springBoneManager?.joints.size ?? 0).toBeGreaterThan(0);
      expect(vrm.springBoneManager?.colliderGroups.length ?? 0).toBeGreaterThan(0);

      // All materials are MToon.
      const mats = new Set<THREE.Material>();
      vrm.scene.traverse((o) => {
        const m = (o as THREE.Mesh).material;
        if (!m) return;
        for (const mm of Array.isArray(m) ? m : [m]) mats.add(mm);
      });
      expect(mats.size).toBeGreaterThan(0);
      for (const m of mats) expect(m instanceof MToonMaterial, m.name).toBe(true);

      // Geometry budget: four avatars must cost no more than the empty room on weak
      // GPUs / SwiftShader. Counted on the loaded scene: triangles from index counts,
      // vertices from the (shared) position attributes of every primitive.
      const geometries = new Set<THREE.BufferGeometry>();
      const positions = new Set<THREE.BufferAttribute | THREE.InterleavedBufferAttribute>();
      vrm.scene.traverse((o) => {
        const g = (o as THREE.Mesh).isMesh ? (o as THREE.Mesh).geometry : undefined;
        if (!g) return;
        geometries.add(g);
        const p = g.getAttribute("position");
        if (p) positions.add(p);
      });
      let triangles = 0;
      for (const g of geometries) {
        const index = g.getIndex();
        expect(index, "indexed geometry").toBeTruthy();
        triangles += (index?.count ?? 0) / 3;
      }
      const vertices = [...positions].reduce((sum, p) => sum + p.count, 0);
      expect(triangles).toBeLessThanOrEqual(TRIANGLE_BUDGET);
      expect(vertices).toBeLessThanOrEqual(VERTEX_BUDGET);
      expect(triangles).toBe(stats.triangles);
      expect(vertices).toBe(stats.vertices);

      // Budget + sanity.
      expect(stats.vertices).toBeLessThanOrEqual(VERTEX_BUDGET);
      expect(stats.triangles).toBeLessThanOrEqual(TRIANGLE_BUDGET);
      expect(stats.drawCalls).toBeLessThanOrEqual(12);
      const box = new THREE.Box3().setFromObject(vrm.scene);
      const height = box.max.y - box.min.y;
      expect(height).toBeGreaterThan(1.45);
      expect(height).toBeLessThan(1.85);
      let nonFinite = 0;
      vrm.scene.traverse((o) => {
        const g = (o as THREE.Mesh).geometry as THREE.BufferGeometry | undefined;
        for (const name of ["position", "normal"]) {
          const a = g?.getAttribute(name);
          if (a) for (let i = 0; i < a.array.length; i++) if (!Number.isFinite(a.array[i])) nonFinite++;
        }
      });
      expect(nonFinite).toBe(0);

      // VRM 1.0 rest pose: humanoid nodes carry translation only.
      const { json } = readGlb(bytes);
      const nodes = json.nodes as Array<Record<string, unknown>>;
      for (const n of nodes) {
        expect(n.rotation, String(n.name)).toBeUndefined();
        expect(n.scale, String(n.name)).toBeUndefined();
        expect(n.matrix, String(n.name)).toBeUndefined();
      }

      // Spring bones survive a vigorous head shake without blowing up.
      const head = vrm.humanoid.getNormalizedBoneNode("head");
      const headRaw = vrm.humanoid.getRawBoneNode("head");
      expect(head && headRaw).toBeTruthy();
      const joints = [...(vrm.springBoneManager?.joints ?? [])];
      const hp = new THREE.Vector3(), jp = new THREE.Vector3();
      let farthest = 0;
      for (let f = 0; f < 150; f++) {
        if (head) head.rotation.set(Math.sin(f / 7) * 0.3, Math.sin(f / 10) * 0.6, 0);
        vrm.update(1 / 60);
        headRaw?.getWorldPosition(hp);
        for (const j of joints) farthest = Math.max(farthest, j.bone.getWorldPosition(jp).distanceTo(hp));
      }
      expect(Number.isFinite(farthest)).toBe(true);
      expect(farthest).toBeLessThan(0.8);
    }, 60_000);
  }
});
