/** Loads a VRM avatar file and prepares it for the table. */
import { GLTFLoader } from "three/examples/jsm/loaders/GLTFLoader.js";
import { VRMLoaderPlugin, VRMUtils, type VRM } from "@pixiv/three-vrm";
import { Vector3, type Material, type Mesh } from "three";
import { renderProfile } from "../scene/profile.js";

const loader = new GLTFLoader();
loader.register((parser) => new VRMLoaderPlugin(parser));

export class AvatarLoadError extends Error {}

/** Loads and prepares a VRM: VRM 0.x turned to face +z, skeletons and morphs combined, unused vertices dropped. */
export async function loadVrm(url: string): Promise<VRM> {
  let gltf;
  try {
    gltf = await loader.loadAsync(url);
  } catch (err) {
    throw new AvatarLoadError(`cannot load avatar ${url}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const vrm = gltf.userData.vrm as VRM | undefined;
  if (!vrm) throw new AvatarLoadError(`${url} is a glTF file without VRM data`);
  VRMUtils.removeUnnecessaryVertices(vrm.scene);
  VRMUtils.combineSkeletons(vrm.scene);
  // one morph target per expression instead of many face morphs: fewer influences per vertex (headsets)
  VRMUtils.combineMorphs(vrm);
  VRMUtils.rotateVRM0(vrm);
  vrm.scene.traverse((o) => { o.frustumCulled = false; });
  showOutlines(vrm, renderProfile.outlines);
  // measured once in the rest pose, before the scene is placed anywhere
  vrm.scene.updateMatrixWorld(true);
  const hips = vrm.humanoid.getRawBoneNode("hips");
  vrm.scene.userData.hipsHeight = hips ? hips.getWorldPosition(new Vector3()).y : 0.9;
  return vrm;
}

/** MToon outlines are extra materials on the same meshes; the light and headset profiles hide them. */
export function showOutlines(vrm: VRM, visible: boolean): void {
  vrm.scene.traverse((o) => {
    if (!(o as Mesh).isMesh) return;
    const m = (o as Mesh).material;
    for (const mat of Array.isArray(m) ? m : [m]) if ((mat as Material & { isOutline?: boolean }).isOutline) mat.visible = visible;
  });
}
