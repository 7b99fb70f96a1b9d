/**
 * What the session's parts share while a session runs (inside the XR chunk):
 * the panel mesh to aim at, the pointing rays of controllers and hands, and
 * requests from buttons to the per-frame parts (Recenter, placing the table).
 */
import type { Mesh, Object3D } from "three";

export const xrScene = {
  panel: null as Mesh | null,
  /** the panel rides on the left controller instead of resting in front of the seat */
  wrist: false,
  /** each input source's target ray in the scene (its -z points where it points) */
  rays: new Map<XRInputSource, Object3D>(),
  /** put my seat back under me on the next frame */
  recenter: true,
  /** AR: place the table where the pointing ray meets a surface, on the next frame */
  place: null as XRInputSource | null,
};
