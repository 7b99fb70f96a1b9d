/**
 * The XR chunk's entry: loaded only when a person asks for a session. Mounts
 * @react-three/xr's store into the existing canvas, starts the session, and runs
 * its parts: the seat (VR) or the placement (AR) that sets the origin, the head
 * pose for gaze, voices and the others' view of my avatar, the headset profile,
 * the pointing rays and the panel. Ends cleanly however the session ends.
 */
import { useFrame, useThree } from "@react-three/fiber";
import { createXRStore, XR, XROrigin } from "@react-three/xr";
import { useEffect, useRef, useState } from "react";
import i18next from "i18next";
import { Quaternion, Vector3, type Group } from "three";
import { useUi, uiStore } from "../state/store.js";
import { runtime } from "../state/runtime.js";
import { seatPose } from "../scene/layout.js";
import { xrStatus, xrEnded, type XrMode } from "./xrSupport.js";
import { enterHeadsetProfile, FrameBudget, HEADSET, startRate } from "./headsetProfile.js";
import { seatedOrigin, facingTable, wrapAngle } from "./origin.js";
import { xrScene } from "./xrScene.js";
import { PointerRay, XrInput } from "./XrInput.js";
import { XrPanel } from "./XrPanel.js";
import { ArPlacement } from "./ArPlacement.js";

// no emulator, no network: controller and hand models would come from a CDN, so both draw our own
// ray, and the controllers' button layout is one generic profile Parley serves itself
const store = createXRStore({
  emulate: false,
  baseAssetPath: new URL("/xr-profiles/", location.origin).href,
  defaultControllerProfileId: "generic-trigger",
  offerSession: false,
  enterGrantedSession: false,
  controller: PointerRay,
  hand: PointerRay,
  transientPointer: false,
  gaze: false,
  screenInput: false,
  foveation: HEADSET.foveation,
  frameRate: (rates) => startRate(rates),
  handTracking: true,
  hitTest: true,
  anchors: true,
  layers: false,
  meshDetection: false,
  planeDetection: false,
  bodyTracking: false,
  depthSensing: false,
  domOverlay: false,
});

const _q = new Quaternion();
const _f = new Vector3();
const _p = new Vector3();
const UP = new Vector3(0, 1, 0);

/** VR: keeps me seated at my place (Recenter and the session's start put the seat under me); both modes: my head for everyone. */
function SessionRig({ mode, origin, session }: { mode: XrMode; origin: React.RefObject<Group | null>; session: XRSession }) {
  const gl = useThree((s) => s.gl);
  const scene = useThree((s) => s.scene);
  const seat = useUi((s) => s.room.people[s.sessionId]?.seat ?? 0);
  const budget = useRef<FrameBudget | null>(null);
  /** when this frame's work began (performance.now(), ms) and how long after the previous one, s */
  const frameStart = useRef({ at: 0, delta: 0 });

  useEffect(() => {
    xrScene.recenter = true;
    xrStatus.seat = seat;
  }, [seat]);

  useEffect(() => {
    const rates = session.supportedFrameRates ?? [];
    budget.current = rates.length > 0 && session.frameRate ? new FrameBudget(rates, session.frameRate) : null;
    // the frame's work ends when the scene has been drawn for both eyes
    const before = scene.onAfterRender;
    scene.onAfterRender = (...args) => {
      before.apply(scene, args);
      const b = budget.current;
      const f = frameStart.current;
      if (!b || f.at === 0) return;
      if (session.frameRate) b.follow(session.frameRate);
      const next = b.sample(performance.now() - f.at, f.delta);
      xrStatus.budgetMs = b.budgetMs;
      xrStatus.frameMs = b.frameMs;
      if (next !== null) void session.updateTargetFrameRate?.(next).catch(() => {});
    };
    return () => { scene.onAfterRender = before; };
  }, [scene, session]);

  useFrame((_, delta, frame: XRFrame | undefined) => {
    frameStart.current.at = performance.now();
    frameStart.current.delta = delta;
    const ref = gl.xr.getReferenceSpace();
    const o = origin.current;
    const pose = frame && ref ? frame.getViewerPose(ref) : undefined;
    if (!o || !pose) return;
    const t = pose.transform.position;
    const r = pose.transform.orientation;
    _q.set(r.x, r.y, r.z, r.w);
    _f.set(0, 0, -1).applyQuaternion(_q);
    const place = seatPose(seat);
    if (mode === "vr" && xrScene.recenter) {
      xrScene.recenter = false;
      const op = seatedOrigin(place, { x: t.x, z: t.z, yaw: Math.atan2(-_f.x, -_f.z) });
      o.position.set(op.x, op.y, op.z);
      o.rotation.set(0, op.yaw, 0);
      o.updateMatrixWorld();
    }
    // my head in the room, and where it looks relative to facing the table from my place
    o.localToWorld(_p.set(t.x, t.y, t.z));
    _f.applyAxisAngle(UP, o.rotation.y);
    const h = xrStatus.head;
    h.x = _p.x; h.y = _p.y; h.z = _p.z;
    h.yaw = wrapAngle(Math.atan2(-_f.x, -_f.z) - facingTable(place));
    h.pitch = Math.asin(Math.max(-1, Math.min(1, _f.y)));
    runtime.head?.offer(h.yaw, h.pitch, performance.now());
  }, -900);
  return null;
}

export function XrLayer({ mode }: { mode: XrMode }) {
  const origin = useRef<Group>(null);
  const seat = useUi((s) => s.room.people[s.sessionId]?.seat ?? 0);
  const [session, setSession] = useState<XRSession | null>(null);

  useEffect(() => {
    let done = false;
    const restore = enterHeadsetProfile();
    const finish = (error = ""): void => {
      if (done) return;
      done = true;
      off();
      restore();
      Object.assign(xrStatus, { mode: "none", seat: -1, anchored: false, budgetMs: 0, frameMs: 0 });
      xrScene.wrist = false;
      xrScene.place = null;
      setSession(null);
      xrEnded(error);
    };
    const off = store.onSessionEnd(() => finish());
    (mode === "vr" ? store.enterVR() : store.enterAR()).then((s) => {
      if (!s) { finish(i18next.t("xr.notStarted")); return; }
      if (done) { void s.end(); return; }
      xrStatus.mode = mode;
      xrStatus.seat = uiStore.get().room.people[uiStore.get().sessionId]?.seat ?? -1;
      setSession(s);
    }, (err: unknown) => finish(i18next.t("xr.startFailed", { error: err instanceof Error ? err.message : String(err) })));
    return () => {
      const s = store.getState().session;
      finish();
      void s?.end().catch(() => {});
    };
  }, [mode]);

  return (
    <XR store={store}>
      <XROrigin ref={origin}>
        {session && mode === "ar" && <ArPlacement origin={origin} session={session} />}
      </XROrigin>
      {session && (
        <>
          <SessionRig mode={mode} origin={origin} session={session} />
          <XrInput mode={mode} session={session} origin={origin} />
          <XrPanel mode={mode} seat={seat} />
        </>
      )}
    </XR>
  );
}
