/**
 * Where everyone sits: characters around the far side of a round table, people on
 * the near side (each person's camera is at their own seat). Units: m, rad.
 */
export const TABLE = { radius: 0.72, height: 0.74, seatRadius: 1.08, seatHeight: 0.46 } as const;
/** eye height of a seated person, m */
export const SEATED_EYE_HEIGHT = 1.16;

export interface SeatPose { x: number; z: number; /** rotation about y so the seat faces the table */ yaw: number; angle: number }

function seatAt(angle: number, radius: number): SeatPose {
  // angle 0 is the far side of the table (-z); the camera side is +z
  const x = Math.sin(angle) * radius;
  const z = -Math.cos(angle) * radius;
  return { x, z, yaw: Math.atan2(-x, -z), angle };
}

/** Seat of character `index` of `count` (up to 6), spread over the far arc. */
export function characterSeat(index: number, count: number): SeatPose {
  const spread = count <= 1 ? 0 : Math.min((100 * Math.PI) / 180, ((24 * Math.PI) / 180) * (count - 1));
  const a = count <= 1 ? 0 : -spread + (2 * spread * index) / (count - 1);
  return seatAt(a, TABLE.seatRadius);
}

/** Seat of person `index` on the near arc: the first in the middle, then alternating sides. */
export function personSeat(index: number): SeatPose {
  const step = (28 * Math.PI) / 180;
  const k = Math.ceil(index / 2) * (index % 2 === 1 ? -1 : 1);
  return seatAt(Math.PI + k * step, TABLE.seatRadius + 0.2);
}

/**
 * Where my camera sits: behind and a little above my seat, so the whole table and
 * every face fit in view (a seated person's real eye point would show mostly table).
 */
export const CAMERA = { back: 0.6, height: 1.45, lookAtHeight: 0.95 } as const;

/** Width of the side panel over the canvas, px (mirrors styles.css .side). */
export const sidePanelWidth = (viewportWidth: number): number => Math.min(416, viewportWidth * 0.4);
