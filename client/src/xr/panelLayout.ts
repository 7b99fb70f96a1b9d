/**
 * The headset panel's size, place and buttons. In front of you it rests just
 * above the table's edge at your place, leaning back toward your eyes; on your
 * wrist it rides on the left controller. Units: m, rad; button rectangles in
 * the panel's canvas pixels (origin top left).
 */
import { Euler, Vector3 } from "three";
import type { SeatPose } from "../scene/layout.js";
import { eyePoint, facingTable } from "./origin.js";

export const PANEL = {
  width: 0.36,
  height: 0.225,
  /** canvas pixels */
  px: { w: 640, h: 400 },
  /** from the eye point toward the table, m */
  forward: 0.3,
  /** height of its centre above the floor, m */
  y: 0.96,
  /** leaning back, rad */
  tilt: 0.6,
} as const;

export type PanelButton = "mic" | "stop" | "recenter" | "leave";

export const PANEL_BUTTONS: readonly { id: PanelButton; x: number; y: number; w: number; h: number }[] = [
  { id: "mic", x: 16, y: 320, w: 170, h: 64 },
  { id: "stop", x: 196, y: 320, w: 120, h: 64 },
  { id: "recenter", x: 326, y: 320, w: 140, h: 64 },
  { id: "leave", x: 476, y: 320, w: 148, h: 64 },
];

/** The button under a point of the panel (uv: 0..1, v up), or null. */
export function buttonAt(u: number, v: number): PanelButton | null {
  const x = u * PANEL.px.w;
  const y = (1 - v) * PANEL.px.h;
  for (const b of PANEL_BUTTONS) if (x >= b.x && x <= b.x + b.w && y >= b.y && y <= b.y + b.h) return b.id;
  return null;
}

/** The panel's pose in front of a seat: its centre and its rotation (yaw toward the person, then the tilt). */
export function panelPose(seat: SeatPose): { position: Vector3; rotation: Euler } {
  const eye = eyePoint(seat);
  const r = Math.hypot(eye.x, eye.z);
  const k = r > 0 ? (r - PANEL.forward) / r : 1;
  return { position: new Vector3(eye.x * k, PANEL.y, eye.z * k), rotation: new Euler(-PANEL.tilt, facingTable(seat), 0, "YXZ") };
}

/** A point of the panel in front of a seat, in the room (tests aim controllers with it). */
export function panelPointInRoom(seat: SeatPose, u: number, v: number): Vector3 {
  const { position, rotation } = panelPose(seat);
  return new Vector3((u - 0.5) * PANEL.width, (v - 0.5) * PANEL.height, 0).applyEuler(rotation).add(position);
}

/** The centre of a button, as panel uv. */
export function buttonUv(id: PanelButton): { u: number; v: number } {
  const b = PANEL_BUTTONS.find((x) => x.id === id)!;
  return { u: (b.x + b.w / 2) / PANEL.px.w, v: 1 - (b.y + b.h / 2) / PANEL.px.h };
}
