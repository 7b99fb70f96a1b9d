/**
 * Where everyone sits: one ring of eight places around a round table, shared by
 * characters and people (the server numbers the places; see shared/src/seats.ts).
 * Each person's camera is at their own place. Units: m, rad.
 */
import { NO_SEAT, placeAngle } from "@parley/shared";

export const TABLE = { radius: 0.72, height: 0.74, seatRadius: 1.08, seatHeight: 0.46 } as const;
/** eye height of a seated person, m */
export const SEATED_EYE_HEIGHT = 1.16;

export interface SeatPose { x: number; z: number; /** rotation about y so the seat faces the table */ yaw: number; angle: number }

/** how far behind the ring someone without a place watches from, m */
const GALLERY_BACK = 1.0;

/**
 * The pose of place `seat` of the ring: angle 0 is the far side of the table
 * (-z), the camera side of place 0 is +z. Without a place (NO_SEAT), a spot
 * behind place 0, outside the ring, facing the table.
 */
export function seatPose(seat: number): SeatPose {
  const angle = seat === NO_SEAT ? Math.PI : placeAngle(seat);
  const r = seat === NO_SEAT ? TABLE.seatRadius + GALLERY_BACK : TABLE.seatRadius;
  const x = Math.sin(angle) * r;
  const z = -Math.cos(angle) * r;
  return { x, z, yaw: Math.atan2(-x, -z), angle };
}

/**
 * Where my camera sits: behind and a little above my seat, so the whole table and
 * every face fit in view (a seated person's real eye point would show mostly table).
 */
export const CAMERA = { back: 0.6, height: 1.45, lookAtHeight: 0.95 } as const;

/** Width of the side panel over the canvas, px (mirrors styles.css .side). */
export const sidePanelWidth = (viewportWidth: number): number => Math.min(416, viewportWidth * 0.4);
