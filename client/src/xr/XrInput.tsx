/**
 * Acting without a keyboard. Each controller (or tracked hand) shows a pointing
 * ray; its trigger (or a pinch) does what it points at: a panel button presses
 * it, a character gets the turn, and anywhere else it is push-to-talk for as long
 * as it is held (the page's own push-to-talk path; a microphone that is off is
 * started in push-to-talk). In AR, before the table is placed, it places it.
 * Squeezing the left controller moves the panel between the wrist and the table.
 */
import { useThree } from "@react-three/fiber";
import { useXRInputSourceEvent, useXRInputSourceStateContext } from "@react-three/xr";
import { useEffect, useRef } from "react";
import { Matrix4, Raycaster, Vector3, type Group } from "three";
import { runtime } from "../state/runtime.js";
import { xrActions, xrStatus, xrEnded, type XrMode } from "./xrSupport.js";
import { buttonAt, type PanelButton } from "./panelLayout.js";
import { xrScene } from "./xrScene.js";

/** a character within this angle of the ray counts as pointed at, rad (~10°) */
const AIM_CONE = 0.18;
const RAY_LENGTH = 1.6;

const _origin = new Vector3();
const _dir = new Vector3();
const _ray = new Matrix4();
const _to = new Vector3();
const raycaster = new Raycaster();

/** The ray drawn for a controller or a hand (registered for the panel to ride on the left one). */
export function PointerRay() {
  const state = useXRInputSourceStateContext();
  const group = useRef<Group>(null);
  useEffect(() => {
    const g = group.current;
    if (!g) return;
    xrScene.rays.set(state.inputSource, g);
    return () => { xrScene.rays.delete(state.inputSource); };
  }, [state.inputSource]);
  return (
    <group ref={group}>
      <mesh position={[0, 0, -RAY_LENGTH / 2]} rotation={[Math.PI / 2, 0, 0]}>
        <cylinderGeometry args={[0.002, 0.002, RAY_LENGTH, 6]} />
        <meshBasicMaterial color="#c9b8ff" transparent opacity={0.6} />
      </mesh>
      <mesh>
        <sphereGeometry args={[0.012, 12, 8]} />
        <meshBasicMaterial color="#c9b8ff" />
      </mesh>
    </group>
  );
}

/** The character whose head is nearest the ray, within the aiming cone, or "". */
function pointedCharacter(): string {
  let best = "";
  let bestAngle = AIM_CONE;
  for (const id of runtime.rigs.keys()) {
    const head = runtime.heads.get(id);
    if (!head) continue;
    _to.copy(head).sub(_origin);
    const angle = _to.angleTo(_dir);
    if (angle < bestAngle) { bestAngle = angle; best = id; }
  }
  return best;
}

function pointedButton(): PanelButton | null {
  const panel = xrScene.panel;
  if (!panel) return null;
  raycaster.set(_origin, _dir);
  const hit = raycaster.intersectObject(panel, false)[0];
  return hit?.uv ? buttonAt(hit.uv.x, hit.uv.y) : null;
}

export function XrInput({ mode, session, origin }: { mode: XrMode; session: XRSession; origin: React.RefObject<Group | null> }) {
  const gl = useThree((s) => s.gl);
  /** the input source holding push-to-talk, and whether its release must still end it */
  const talking = useRef<{ source: XRInputSource | null; held: boolean }>({ source: null, held: false });

  const press = (b: PanelButton): void => {
    const a = xrActions();
    if (b === "stop") a?.stop();
    else if (b === "recenter") xrScene.recenter = true;
    else if (b === "leave") void session.end().catch(() => xrEnded());
    else if (b === "mic" && a) {
      const s = a.micState();
      const next = s.mode === "ptt" ? "handsfree" : "ptt";
      if (s.mic === "off" || s.mic === "error") void a.mic.start(next);
      else a.mic.setMode(next);
    }
  };

  const talk = async (source: XRInputSource): Promise<void> => {
    const a = xrActions();
    if (!a) return;
    const t = talking.current;
    t.source = source;
    t.held = true;
    const s = a.micState();
    if (s.mic === "off" || s.mic === "error") await a.mic.start("ptt");
    else if (s.mode !== "ptt") return; // hands-free already listens: the trigger does not talk
    // released while the microphone was starting: nothing to say
    if (t.source === source && t.held) a.mic.pressTalk();
  };

  useXRInputSourceEvent("all", "selectstart", (e) => {
    // where it points at this very frame, in the room (its drawn ray may not exist yet)
    const ref = gl.xr.getReferenceSpace();
    const pose = ref ? e.frame.getPose(e.inputSource.targetRaySpace, ref) : undefined;
    const o = origin.current;
    if (!pose || !o) return;
    _ray.fromArray(pose.transform.matrix).premultiply(o.matrixWorld);
    _origin.setFromMatrixPosition(_ray);
    _dir.set(0, 0, -1).transformDirection(_ray); // a ray points along its -z
    if (mode === "ar" && !xrStatus.anchored) { xrScene.place = e.inputSource; return; }
    const button = pointedButton();
    if (button) { press(button); return; }
    const character = pointedCharacter();
    if (character) { xrActions()?.nominate(character); return; }
    void talk(e.inputSource);
  }, [mode, session, gl, origin]);

  useXRInputSourceEvent("all", "selectend", (e) => {
    const t = talking.current;
    if (t.source !== e.inputSource) return;
    t.held = false;
    t.source = null;
    xrActions()?.mic.releaseTalk();
  }, []);

  useXRInputSourceEvent("all", "squeezestart", (e) => {
    if (e.inputSource.handedness === "left") xrScene.wrist = !xrScene.wrist;
  }, []);

  return null;
}
