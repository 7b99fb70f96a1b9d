/**
 * Aiming emulated controllers at things in the room: the session's origin maps
 * reference-space poses into the room (client/src/xr/origin.ts); a test knows
 * where things are in the room and needs reference-space poses for the device.
 */
import { Quaternion, Vector3 } from "three";
import type { OriginPose } from "../../client/src/xr/origin.js";
import type { DevicePose } from "./xrEmulator.js";

/** A room point in the reference space of a session whose origin is `o`. */
export function toReference(o: OriginPose, p: { x: number; y: number; z: number }): Vector3 {
  return new Vector3(p.x - o.x, p.y - o.y, p.z - o.z).applyAxisAngle(new Vector3(0, 1, 0), -o.yaw);
}

/** A controller pose at `from` (reference space) whose ray points at `to` (reference space). */
export function aimFrom(from: Vector3, to: Vector3): DevicePose {
  const q = new Quaternion().setFromUnitVectors(new Vector3(0, 0, -1), to.clone().sub(from).normalize());
  return { position: [from.x, from.y, from.z], quaternion: [q.x, q.y, q.z, q.w] };
}

/** A head pose at `at` looking along the view yaw `yaw` (rad, three.js convention) and pitch `pitch`. */
export function headPose(at: [number, number, number], yaw: number, pitch = 0): DevicePose {
  const q = new Quaternion().setFromAxisAngle(new Vector3(0, 1, 0), yaw).multiply(new Quaternion().setFromAxisAngle(new Vector3(1, 0, 0), pitch));
  return { position: at, quaternion: [q.x, q.y, q.z, q.w] };
}
