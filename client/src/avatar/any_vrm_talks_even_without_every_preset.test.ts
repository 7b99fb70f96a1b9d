import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Mesh } from "three";
import { GLTFLoader } from "three/examples/jsm/loaders/GLTFLoader.js";
import { VRMLoaderPlugin, type VRM } from "@pixiv/three-vrm";
import { toVrm0 } from "../../../tests/support/vrm0.js";
import { ExpressionOut } from "./ExpressionOut.js";
import { REPO_ROOT } from "../../../server/src/config.js";

async function load(bytes: Uint8Array): Promise<VRM> {
  const loader = new GLTFLoader();
  loader.register((parser) => new VRMLoaderPlugin(parser));
  const gltf = await loader.parseAsync(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, "");
  return gltf.userData.vrm as VRM;
}

const ada = new Uint8Array(readFileSync(join(REPO_ROOT, "assets", "avatars", "ada.vrm")));

/** Sum of all morph influences in the model: does anything move on the face? */
function faceMotion(vrm: VRM): number {
  let sum = 0;
  vrm.scene.traverse((o) => { for (const v of (o as Mesh).morphTargetInfluences ?? []) sum += v; });
  return sum;
}

describe("avatars people bring", () => {
  it("a VRM 0.x file loads with its presets under the 1.0 names and moves its mouth", async () => {
    const vrm = await load(toVrm0(ada));
    expect(vrm.meta.metaVersion).toBe("0");
    for (const name of ["aa", "ih", "ou", "ee", "oh", "happy", "sad", "blink", "lookLeft"]) expect(vrm.expressionManager?.getExpression(name), name).toBeTruthy();
    expect(vrm.humanoid.getRawBoneNode("leftThumbMetacarpal")).toBeTruthy();
    const out = new ExpressionOut(vrm.expressionManager!);
    out.setValue("aa", 1);
    out.flush();
    vrm.update(0);
    expect(faceMotion(vrm)).toBeGreaterThan(0.5);
  });

  it("a model without 'ih' still talks: the shape falls back to the nearest one it has", async () => {
    const vrm = await load(toVrm0(ada, ["ih", "relaxed"]));
    expect(vrm.expressionManager!.getExpression("ih")).toBeNull();
    const out = new ExpressionOut(vrm.expressionManager!);
    out.setValue("ih", 0.8);
    out.setValue("relaxed", 0.6);
    out.flush();
    vrm.update(0);
    expect(vrm.expressionManager!.getValue("ee")).toBeCloseTo(0.8);
    expect(vrm.expressionManager!.getValue("happy")).toBeCloseTo(0.6);
    expect(faceMotion(vrm)).toBeGreaterThan(0.5);
    // what the debug view reports as applied comes from the fallback
    expect(out.appliedWeight("ih", out.mouthMultiplier())).toBeGreaterThan(0);
  });

  it("two shapes that share a fallback take the stronger value", async () => {
    const vrm = await load(toVrm0(ada, ["ih"]));
    const out = new ExpressionOut(vrm.expressionManager!);
    out.setValue("ee", 0.3);
    out.setValue("ih", 0.7);
    out.flush();
    expect(vrm.expressionManager!.getValue("ee")).toBeCloseTo(0.7);
  });
});
