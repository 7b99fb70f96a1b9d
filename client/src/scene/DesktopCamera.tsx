/**
 * My view on a desktop: the camera sits behind and above my place, facing the
 * table; dragging on the room turns it to look around (my head, as the others see
 * it on my avatar). The pose goes to the room as where I look. In a headset the
 * session owns the camera and this stays out of the way.
 */
import { useFrame, useThree } from "@react-three/fiber";
import { useEffect } from "react";
import type { Camera, PerspectiveCamera } from "three";
import { useUi } from "../state/store.js";
import { runtime } from "../state/runtime.js";
import { seatPose, CAMERA, sidePanelWidth } from "./layout.js";

/** radians of turn per pixel dragged */
const DRAG_RAD_PER_PX = 0.005;
const MAX_YAW = 1.3;
const MAX_PITCH = 0.9;

/** The page's own camera (a headset session's array camera belongs to the session). */
const isDesktopCamera = (c: Camera): c is PerspectiveCamera =>
  (c as PerspectiveCamera).isPerspectiveCamera === true && (c as Camera & { isArrayCamera?: boolean }).isArrayCamera !== true;

/** Where I look, relative to facing the table's centre from my place, rad (yaw to my left, pitch up). */
export const desktopLook = { yaw: 0, pitch: 0, dragging: false };

export function DesktopCamera() {
  const camera = useThree((s) => s.camera);
  const size = useThree((s) => s.size);
  const gl = useThree((s) => s.gl);
  const seat = useUi((s) => s.room.people[s.sessionId]?.seat ?? 0);
  // the eye point and the pitch that frames the table's centre, for this seat
  const pose = seatPose(seat);
  const r = Math.hypot(pose.x, pose.z);
  const k = (r + CAMERA.back) / r;
  const eye = { x: pose.x * k, z: pose.z * k };
  const basePitch = Math.atan2(CAMERA.lookAtHeight - CAMERA.height, r + CAMERA.back);
  const facing = Math.atan2(eye.x, eye.z);

  useEffect(() => {
    const el = gl.domElement;
    let last: { x: number; y: number } | null = null;
    const down = (e: PointerEvent): void => { if (e.button === 0) last = { x: e.clientX, y: e.clientY }; };
    const move = (e: PointerEvent): void => {
      if (!last || (e.buttons & 1) === 0) { last = null; desktopLook.dragging = false; return; }
      const dx = e.clientX - last.x;
      const dy = e.clientY - last.y;
      last = { x: e.clientX, y: e.clientY };
      if (!desktopLook.dragging && Math.abs(dx) + Math.abs(dy) < 3) return;
      desktopLook.dragging = true;
      // drag the room: moving the pointer right turns my view left, like grabbing the scene
      desktopLook.yaw = Math.max(-MAX_YAW, Math.min(MAX_YAW, desktopLook.yaw + dx * DRAG_RAD_PER_PX));
      desktopLook.pitch = Math.max(-MAX_PITCH, Math.min(MAX_PITCH, desktopLook.pitch + dy * DRAG_RAD_PER_PX));
    };
    const up = (): void => { last = null; desktopLook.dragging = false; };
    el.addEventListener("pointerdown", down);
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
    return () => {
      el.removeEventListener("pointerdown", down);
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
    };
  }, [gl]);

  useEffect(() => {
    if (!isDesktopCamera(camera)) return;
    // centre the table in the part of the canvas the side panel leaves free
    const shift = sidePanelWidth(size.width) / 2;
    (camera as PerspectiveCamera).setViewOffset(size.width, size.height, shift, 0, size.width, size.height);
  }, [camera, size]);

  useFrame(() => {
    // a headset session's camera is an array camera the session moves itself
    if (!isDesktopCamera(camera) || gl.xr.isPresenting) return;
    camera.position.set(eye.x, CAMERA.height, eye.z);
    camera.rotation.set(basePitch + desktopLook.pitch, facing + desktopLook.yaw, 0, "YXZ");
    runtime.head?.offer(desktopLook.yaw, basePitch + desktopLook.pitch, performance.now());
  });
  return null;
}
