/**
 * The single per-frame update: every avatar rig in a fixed order, audio progress
 * reports, the listener and voice positions, head positions for gaze, and the
 * measured frame rate. Nothing here allocates per frame: lists derived from the
 * room snapshot are rebuilt only when the snapshot changes.
 */
import { useFrame, useThree } from "@react-three/fiber";
import { Vector3 } from "three";
import type { CharacterView, PersonView, RoomStateView } from "@parley/shared";
import { runtime } from "../state/runtime.js";
import { uiStore } from "../state/store.js";
import { seatPose, SEATED_EYE_HEIGHT } from "./layout.js";
import type { RigInput } from "../avatar/AvatarRig.js";
import { peopleMouths } from "../people/peopleMouths.js";
import { xrStatus } from "../xr/xrSupport.js";

const _forward = new Vector3();
const _eye = new Vector3();
const EMPTY: string[] = [];

/** what the frame loop needs from a room snapshot */
interface RoomLists { room: RoomStateView | null; people: PersonView[]; characters: CharacterView[]; candidates: Map<string, string[]> }
const lists: RoomLists = { room: null, people: [], characters: [], candidates: new Map() };

function listsFor(room: RoomStateView): RoomLists {
  if (lists.room === room) return lists;
  lists.room = room;
  lists.people = Object.values(room.people);
  lists.characters = Object.values(room.characters);
  const people = Object.keys(room.people);
  // people first: idle gaze prefers them
  lists.candidates = new Map(lists.characters.map((c) => [c.id, [...people, ...lists.characters.filter((x) => x.id !== c.id).map((x) => x.id)]]));
  return lists;
}

/** one input object, refilled for each rig */
const input: RigInput = { state: "idle", emotion: "neutral", roomLookAt: "", speaker: "", candidates: EMPTY, mouth: null, heads: runtime.heads, head: null };

export function FrameLoop() {
  const camera = useThree((s) => s.camera);
  const gl = useThree((s) => s.gl);
  useFrame((_, rawDelta) => {
    runtime.render.calls = gl.info.render.calls;
    runtime.render.triangles = gl.info.render.triangles;
    // a hidden tab can deliver huge deltas; clamp so springs and easing stay stable
    const delta = Math.min(rawDelta, 0.1);
    runtime.fps = runtime.fps === 0 ? 1 / Math.max(rawDelta, 1e-3) : runtime.fps * 0.95 + (1 / Math.max(rawDelta, 1e-3)) * 0.05;
    const ui = uiStore.get();
    const l = listsFor(ui.room);
    // in a headset my head is the viewer pose the session reports this frame, in the room;
    // on a desktop the camera (world coordinates either way)
    if (xrStatus.mode !== "none") _eye.set(xrStatus.head.x, xrStatus.head.y, xrStatus.head.z);
    else camera.getWorldPosition(_eye);
    runtime.camera.copy(_eye);
    // heads: me at the camera, other people at their avatars' eyes (or their seats), characters at their eyes
    for (const p of l.people) {
      let v = runtime.heads.get(p.sessionId);
      if (!v) runtime.heads.set(p.sessionId, (v = new Vector3()));
      const rig = runtime.people.get(p.sessionId);
      if (p.sessionId === ui.sessionId) v.copy(_eye);
      else if (rig) rig.eyePosition(v);
      else { const s = seatPose(p.seat); v.set(s.x, SEATED_EYE_HEIGHT, s.z); }
    }
    for (const [id, rig] of runtime.rigs) {
      let v = runtime.heads.get(id);
      if (!v) runtime.heads.set(id, (v = new Vector3()));
      rig.eyePosition(v);
    }
    const audio = runtime.audio;
    let speaker = "";
    if (audio) {
      audio.tick(performance.now());
      camera.getWorldDirection(_forward);
      audio.placeListener(_eye.x, _eye.y, _eye.z, _forward.x, _forward.y, _forward.z);
      for (const id of runtime.rigs.keys()) { const h = runtime.heads.get(id); if (h) audio.placeVoice(id, h.x, h.y, h.z); }
      // the other people's voices come from their heads too
      for (const p of l.people) { if (p.sessionId === ui.sessionId) continue; const h = runtime.heads.get(p.sessionId); if (h) audio.placeVoice(p.sessionId, h.x, h.y, h.z); }
      speaker = audio.firstPlaying();
    }
    if (!speaker) for (const c of l.characters) if (c.state === "speaking" || c.state === "thinking") speaker = c.id;
    // a person speaking draws every eye (the room says so too; this answers before its patch)
    if (!speaker) for (const p of l.people) if (p.speaking) speaker = p.sessionId;
    for (const [id, rig] of runtime.rigs) {
      const c = ui.room.characters[id];
      if (!c) continue;
      input.state = c.state;
      input.emotion = c.emotion;
      input.roomLookAt = c.lookAt;
      input.speaker = speaker;
      input.candidates = l.candidates.get(id) ?? EMPTY;
      input.mouth = audio?.mouthFor(id) ?? null;
      rig.update(delta, input);
    }
    // other people: their head follows where they look, their mouth their voice
    const now = performance.now();
    for (const [id, rig] of runtime.people) {
      const p = ui.room.people[id];
      if (!p) continue;
      input.state = p.speaking ? "speaking" : "listening";
      input.emotion = "neutral";
      input.roomLookAt = "";
      input.candidates = EMPTY;
      input.mouth = peopleMouths.mouthFor(p.seat, now);
      input.head = p.head;
      rig.update(delta, input);
    }
    input.head = null;
  });
  return null;
}
