/** Loads a VRM avatar file and prepares it for the table. */
import { GLTFLoader } from "three/examples/jsm/loaders/GLTFLoader.js";
import { VRMLoaderPlugin, VRMUtils, type VRM } from "@pixiv/three-vrm";
import { Vector3, type Material, type Mesh } from "three";
import { QUALITY } from "../scene/quality.js";

const loader = new GLTFLoader();
loader.register((parser) => new VRMLoaderPlugin(parser));

export class AvatarLoadError extends Error {}

/** Loads and prepares a VRM: VRM 0.x turned to face +z, skeletons combined, unused vertices dropped. */
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
  VRMUtils.rotateVRM0(vrm);
  vrm.scene.traverse((o) => {
    o.frustumCulled = false;
    // MToon outlines are extra materials on the same meshes; the light profile hides them
    if (!QUALITY.outlines && (o as Mesh).isMesh) {
      const m = (o as Mesh).material;
      for (const mat of Array.isArray(m) ? m : [m]) if ((mat as Material & { isOutline?: boolean }).isOutline) mat.visible = false;
    }
  });
  // measured once in the rest pose, before the scene is placed anywhere
  vrm.scene.updateMatrixWorld(true);
  const hips = vrm.humanoid.getRawBoneNode("hips");
  vrm.scene.userData.hipsHeight = hips ? hips.getWorldPosition(new Vector3()).y : 0.9;
  return vrm;
}
