/**
 * AR: point at a surface and pull the trigger. A hit test from the pointing ray
 * (or from the head, without controllers) shows a ring where the table would
 * go; the trigger makes an anchor there, and every frame the origin is set so
 * the anchor stays at the table's place, 1:1. A surface well above the floor is
 * a real table: the characters' chairs go around it and the virtual table hides;
 * on the floor the whole table stands there.
 */
import { useFrame, useThree } from "@react-three/fiber";
import { useEffect, useRef } from "react";
import type { Group, Mesh } from "three";
import { useUi } from "../state/store.js";
import { seatPose, TABLE } from "../scene/layout.js";
import { xrStatus, xrUi } from "./xrSupport.js";
import { xrScene } from "./xrScene.js";
import { anchoredOrigin, anchorYaw } from "./origin.js";

/** a surface this far above the floor is a table top, not the floor, m */
const TABLE_TOP_MIN = 0.4;

interface Placed { anchor: XRAnchor | null; pose: { x: number; y: number; z: number }; yaw: number; target: { x: number; y: number; z: number } }

export function ArPlacement({ origin, session }: { origin: React.RefObject<Group | null>; session: XRSession }) {
  const gl = useThree((s) => s.gl);
  const seat = useUi((s) => s.room.people[s.sessionId]?.seat ?? 0);
  const reticle = useRef<Mesh>(null);
  const sources = useRef(new Map<XRInputSource | "viewer", XRHitTestSource>());
  const placed = useRef<Placed | null>(null);

  useEffect(() => {
    // nothing of the room shows until it stands somewhere; the passthrough is the room
    xrUi.set({ view: { shell: false, table: false, cast: false } });
    const clear = gl.getClearAlpha();
    gl.setClearAlpha(0);
    let alive = true;
    const map = sources.current;
    const want = async (key: XRInputSource | "viewer", space: XRSpace): Promise<void> => {
      if (map.has(key)) return;
      const src = await session.requestHitTestSource?.({ space });
      if (!src) return;
      if (alive) map.set(key, src); else src.cancel();
    };
    const refresh = (): void => {
      for (const s of session.inputSources) if (s.targetRayMode === "tracked-pointer") void want(s, s.targetRaySpace);
    };
    void session.requestReferenceSpace("viewer").then((v) => want("viewer", v)).catch(() => {});
    refresh();
    session.addEventListener("inputsourceschange", refresh);
    return () => {
      alive = false;
      session.removeEventListener("inputsourceschange", refresh);
      for (const s of map.values()) s.cancel();
      map.clear();
      placed.current?.anchor?.delete?.();
      gl.setClearAlpha(clear);
      xrUi.set({ view: { shell: true, table: true, cast: true } });
    };
  }, [gl, session]);

  useFrame((_, __, frame: XRFrame | undefined) => {
    const ref = gl.xr.getReferenceSpace();
    const o = origin.current;
    if (!frame || !ref || !o) return;
    const p = placed.current;
    if (p) {
      // the anchor is where the surface really is now (tracking corrects it)
      const pose = p.anchor ? frame.getPose(p.anchor.anchorSpace, ref) : null;
      if (pose) { const t = pose.transform.position; p.pose = { x: t.x, y: t.y, z: t.z }; }
      xrStatus.anchored = pose !== null;
      const op = anchoredOrigin(p.pose, p.target, p.yaw);
      o.position.set(op.x, op.y, op.z);
      o.rotation.set(0, op.yaw, 0);
      if (reticle.current) reticle.current.visible = false;
      return;
    }
    // the surface pointed at now: from the hand that asked to place, else any controller, else the head
    const want = xrScene.place;
    const key = want && sources.current.has(want) ? want : [...sources.current.keys()].find((k) => k !== "viewer") ?? "viewer";
    const src = sources.current.get(key);
    const hit = src ? frame.getHitTestResults(src)[0] : undefined;
    const hitPose = hit?.getPose(ref);
    if (reticle.current) {
      reticle.current.visible = !!hitPose;
      if (hitPose) { const t = hitPose.transform.position; reticle.current.position.set(t.x, t.y + 0.002, t.z); }
    }
    if (!want) return;
    xrScene.place = null;
    if (!hit || !hitPose) return;
    const t = hitPose.transform.position;
    const view = frame.getViewerPose(ref)?.transform.position;
    const realTable = t.y > TABLE_TOP_MIN;
    const target = { x: 0, y: realTable ? TABLE.height : 0, z: 0 };
    const yaw = anchorYaw(t, view ?? { x: t.x, z: t.z + 1 }, seatPose(seat));
    const entry: Placed = { anchor: null, pose: { x: t.x, y: t.y, z: t.z }, yaw, target };
    placed.current = entry;
    xrUi.set({ view: { shell: false, table: !realTable, cast: true } });
    void hit.createAnchor?.()?.then((a) => { if (placed.current === entry) entry.anchor = a; else a.delete(); }, () => { /* no anchors here: the hit pose holds */ });
  });

  // the ring lives in the origin's (reference space) coordinates, like the hit poses
  return (
    <mesh ref={reticle} rotation={[-Math.PI / 2, 0, 0]} visible={false}>
      <ringGeometry args={[0.09, 0.12, 32]} />
      <meshBasicMaterial color="#c9b8ff" />
    </mesh>
  );
}
