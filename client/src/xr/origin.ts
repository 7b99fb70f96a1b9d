/**
 * Where the session's origin (the reference space's floor point, with the
 * controllers and the camera inside it) sits in the room, so that the person is
 * seated at their own place (VR) or the table stands on the surface they chose
 * (AR). A pose is the origin's position on the floor and its turn about +y.
 * Pure math on plain numbers; units m, rad. Yaw angles follow three.js: a view
 * with rotation.y = θ looks along (-sin θ, 0, -cos θ).
 */
import type { SeatPose } from "../scene/layout.js";

export interface OriginPose { x: number; y: number; z: number; yaw: number }

/** how far in front of the seat's centre a seated person's eyes are, toward the table, m */
export const EYE_FORWARD = 0.1;

/** The yaw of a view from `seat` toward the table's centre. */
export const facingTable = (seat: SeatPose): number => Math.atan2(seat.x, seat.z);

/** Where a seated person's eyes are above the floor plan, m. */
export function eyePoint(seat: SeatPose): { x: number; z: number } {
  const r = Math.hypot(seat.x, seat.z);
  const k = r > 0 ? (r - EYE_FORWARD) / r : 1;
  return { x: seat.x * k, z: seat.z * k };
}

/** Turns (x, z) about +y by `a`. */
function turn(x: number, z: number, a: number): { x: number; z: number } {
  const c = Math.cos(a);
  const s = Math.sin(a);
  return { x: x * c + z * s, z: -x * s + z * c };
}

/**
 * VR: the origin that puts a head seen at (hx, hz) in the reference space, with
 * yaw `headYaw` there, right over the seat's eye point and facing the table
 * (Recenter does exactly this; so does the start of a session). Height is kept:
 * the floor stays the floor, so a seated person's real eye height is their height.
 */
export function seatedOrigin(seat: SeatPose, head: { x: number; z: number; yaw: number }): OriginPose {
  const yaw = facingTable(seat) - head.yaw;
  const e = eyePoint(seat);
  const h = turn(head.x, head.z, yaw);
  return { x: e.x - h.x, y: 0, z: e.z - h.z, yaw };
}

/**
 * AR: the origin that puts an anchor seen at `anchor` (reference space) at the
 * room point `target` (the table's centre on the floor, or its top when the
 * surface is a real table), turned by `yaw`.
 */
export function anchoredOrigin(anchor: { x: number; y: number; z: number }, target: { x: number; y: number; z: number }, yaw: number): OriginPose {
  const a = turn(anchor.x, anchor.z, yaw);
  return { x: target.x - a.x, y: target.y - anchor.y, z: target.z - a.z, yaw };
}

/**
 * AR: the turn that puts my place between me and the table: the direction from
 * the anchor to my head (reference space) becomes the direction from the table's
 * centre to my seat.
 */
export function anchorYaw(anchor: { x: number; z: number }, head: { x: number; z: number }, seat: SeatPose): number {
  const toMe = Math.atan2(head.x - anchor.x, head.z - anchor.z);
  const toSeat = Math.atan2(seat.x, seat.z);
  return toSeat - toMe;
}

/** Maps a reference-space point through an origin pose into the room. */
export function toRoom(o: OriginPose, p: { x: number; y: number; z: number }): { x: number; y: number; z: number } {
  const t = turn(p.x, p.z, o.yaw);
  return { x: o.x + t.x, y: o.y + p.y, z: o.z + t.z };
}

/** Wraps an angle into (-π, π]. */
export function wrapAngle(a: number): number {
  return a - 2 * Math.PI * Math.floor((a + Math.PI) / (2 * Math.PI));
}
