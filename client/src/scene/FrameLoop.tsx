/**
 * The single per-frame update: every avatar rig in a fixed order, audio progress
 * reports, head positions for gaze, and the measured frame rate.
 */
import { useFrame, useThree } from "@react-three/fiber";
import { Vector3 } from "three";

const _forward = new Vector3();
import { runtime } from "../state/runtime.js";
import { uiStore } from "../state/store.js";
import { personSeat, SEATED_EYE_HEIGHT } from "./layout.js";
import type { CharacterState } from "@parley/shared";

const EMPTY: string[] = [];
/** candidate gaze targets per character, rebuilt only when the room snapshot changes */
let candidatesFor = new Map<string, string[]>();
let candidatesRoom: unknown = null;

export function FrameLoop() {
  const camera = useThree((s) => s.camera);
  const gl = useThree((s) => s.gl);
  useFrame((_, rawDelta) => {
    runtime.render.calls = gl.info.render.calls;
    runtime.render.triangles = gl.info.render.triangles;
    // a hidden tab can deliver huge deltas; clamp so springs and easing stay stable
    const delta = Math.min(rawDelta, 0.1);
    runtime.frameMs = rawDelta * 1000;
    runtime.fps = runtime.fps === 0 ? 1 / Math.max(rawDelta, 1e-3) : runtime.fps * 0.95 + (1 / Math.max(rawDelta, 1e-3)) * 0.05;
    const ui = uiStore.get();
    const room = ui.room;
    runtime.camera.copy(camera.position);
    // heads: me at the camera, other people at their seats, characters at their eyes
    for (const p of Object.values(room.people)) {
      let v = runtime.heads.get(p.sessionId);
      if (!v) runtime.heads.set(p.sessionId, (v = new Vector3()));
      if (p.sessionId === ui.sessionId) v.copy(camera.position);
      else { const s = personSeat(p.seat); v.set(s.x, SEATED_EYE_HEIGHT, s.z); }
    }
    for (const [id, rig] of runtime.rigs) {
      let v = runtime.heads.get(id);
      if (!v) runtime.heads.set(id, (v = new Vector3()));
      rig.eyePosition(v);
    }
    const audio = runtime.audio;
    audio?.tick(performance.now());
    if (audio) {
      camera.getWorldDirection(_forward);
      audio.placeListener(camera.position.x, camera.position.y, camera.position.z, _forward.x, _forward.y, _forward.z);
      for (const [id, rig] of runtime.rigs) { const h = runtime.heads.get(id); if (h && rig) audio.placeVoice(id, h.x, h.y, h.z); }
    }
    const playing = audio ? audio.playing() : EMPTY;
    let speaker = playing[0] ?? "";
    if (!speaker) for (const c of Object.values(room.characters)) if (c.state === "speaking" || c.state === "thinking") speaker = c.id;
    if (candidatesRoom !== room) {
      candidatesRoom = room;
      const people = Object.keys(room.people);
      candidatesFor = new Map(Object.keys(room.characters).map((id) => [id, [...people, ...Object.keys(room.characters).filter((x) => x !== id)]]));
    }
    for (const [id, rig] of runtime.rigs) {
      const c = room.characters[id];
      if (!c) continue;
      const candidates = candidatesFor.get(id) ?? EMPTY;
      rig.update(delta, {
        state: c.state as CharacterState,
        emotion: c.emotion,
        roomLookAt: c.lookAt,
        speaker,
        candidates,
        mouth: audio?.mouthFor(id) ?? null,
        heads: runtime.heads,
      });
    }
  });
  return null;
}
