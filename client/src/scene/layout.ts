/**
 * Where everyone sits: one ring of eight places around a round table, shared by
 * characters and people (the server numbers the places; see shared/src/seats.ts).
 * Each person's camera is at their own place. Units: m, rad.
 */
import { placeAngle } from "@parley/shared";

export const TABLE = { radius: 0.72, height: 0.74, seatRadius: 1.08, seatHeight: 0.46 } as const;
/** eye height of a seated person, m */
export const SEATED_EYE_HEIGHT = 1.16;

export interface SeatPose { x: number; z: number; /** rotation about y so the seat faces the table */ yaw: number; angle: number }

/** The pose of place `seat` of the ring: angle 0 is the far side of the table (-z), the camera side of place 0 is +z. */
export function seatPose(seat: number): SeatPose {
  const angle = placeAngle(seat);
  const x = Math.sin(angle) * TABLE.seatRadius;
  const z = -Math.cos(angle) * TABLE.seatRadius;
  return { x, z, yaw: Math.atan2(-x, -z), angle };
}

/**
 * Where my camera sits: behind and a little above my seat, so the whole table and
 * every face fit in view (a seated person's real eye point would show mostly table).
 */
export const CAMERA = { back: 0.6, height: 1.45, lookAtHeight: 0.95 } as const;

/** Width of the side panel over the canvas, px (mirrors styles.css .side). */
export const sidePanelWidth = (viewportWidth: number): number => Math.min(416, viewportWidth * 0.4);
