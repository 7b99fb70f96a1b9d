/**
 * window.parleyDebug: read-only diagnostics for tests and benchmarks. Each read
 * returns a fresh snapshot of the current frame, so callers cannot change the app.
 */
import { VISEMES, type CharacterState, type Emotion, type Language, type Viseme } from "@parley/shared";
import { currentUiLanguage, type UiLanguage } from "../i18n/i18n.js";
import { uiStore } from "../state/store.js";
import { runtime } from "../state/runtime.js";
import { voiceStatus, type VoiceStatus } from "../voice/voiceStore.js";
import { lastTypedSentAt, latencyHistory, latencyStore, type ReplyStages } from "../audio/replyLatency.js";
import type { OutputMark } from "../audio/outputMeter.js";
import type { LoopbackView } from "../audio/AecLoopback.js";
import { myMouth } from "../voice/MouthSender.js";
import { xrStatus, type XrStatus } from "../xr/xrSupport.js";
import { api, forTable } from "../net/place.js";

export interface ParleyDebug {
  connected: boolean;
  roomId: string;
  sessionId: string;
  /** the page's language ("en", "ru", "zh-Hans") */
  ui: { lang: UiLanguage };
  /** the table's language: what its characters answer, speak and hear in */
  table: { language: Language };
  /** the table this page sits at ("main" is the default one) */
  tableId: string;
  /** this person's role at the table */
  role: "host" | "guest";
  llm: { ready: boolean; provider: string; model: string; error?: string; choice?: string; measured?: string };
  /** this machine's measured profile (npm run doctor, the first start) and the latency it means, from /api/status */
  machine: unknown;
  characters: Record<string, {
    name: string;
    state: CharacterState;
    emotion: Emotion;
    visemes: Record<Viseme, number>;
    lookAt: string;
    /** the point the eyes aim at (the head of whom they look at), world m */
    lookPoint: { x: number; y: number; z: number };
    /** the character's place at the table */
    seat: number;
    avatar: { url: string; loaded: boolean; error: string };
  }>;
  /**
   * People at the table: visemes are the mouth weights applied to that person's
   * avatar on this page (for me: the shapes I send, since my own avatar is drawn
   * only for the others); head is where they look, as the room knows it.
   */
  people: Record<string, {
    name: string;
    seat: number;
    avatarUrl: string;
    speaking: boolean;
    visemes: Record<Viseme, number>;
    head: { yaw: number; pitch: number };
    avatar: { loaded: boolean; error: string };
  }>;
  transcript: { id: string; speaker: string; text: string; heardText?: string; interrupted?: boolean }[];
  audio: {
    contextState: string; playing: string[]; lagMs: number; stops: { utteranceId: string; at: number; reason: string }[];
    peers: Record<string, { playing: boolean; lagMs: number; bufferMs: number; underruns: number }>; peerOnsets: { from: string; at: number }[];
    /** when each utterance's first sample played, wall clock ms (from the audio clock) */
    firstPlays: { utteranceId: string; characterId: string; at: number }[];
    /** the page's output turning audible / silent, observed on the audio graph (wall clock ms) */
    output: OutputMark[];
    /** the output through a local WebRTC loop so Chrome's echo canceller hears it: state and its measured delay */
    loopback: LoopbackView;
  };
  /** the last replies' stages, from the end of the person's speech to their first audio playing here */
  latency: { last: ReplyStages | null; history: ReplyStages[]; /** when this page last sent a typed message, wall clock ms */ typedSentAt: number };
  fps: number;
  /** headsets: what this browser offers, the session, my seat and head in it, AR placement, frame budget */
  xr: XrStatus;
  /** microphone and voice activity (extra diagnostics for voice tests) */
  voice: VoiceStatus;
  /** renderer counters of the last frame */
  render: { calls: number; triangles: number };
  /** lip-sync lag per character: applied mouth shape vs the audio clock, ms, for shapes that got halfway */
  lipsync: Record<string, number[]>;
  /** per character: mouth shapes that never reached half their target, with the whole time each had, ms */
  lipsyncMisses: Record<string, number[]>;
}

export function snapshot(): ParleyDebug {
  const ui = uiStore.get();
  const room = ui.room;
  const characters: ParleyDebug["characters"] = {};
  for (const c of Object.values(room.characters)) {
    const rig = runtime.rigs.get(c.id);
    const visemes = Object.fromEntries(VISEMES.map((v) => [v, rig ? rig.applied[v] : 0])) as Record<Viseme, number>;
    characters[c.id] = {
      name: c.name,
      state: rig ? rig.state : c.state,
      emotion: rig && rig.emotion.current !== "neutral" ? rig.emotion.current : c.emotion,
      visemes,
      lookAt: rig ? rig.lookingAt : c.lookAt,
      lookPoint: rig ? { x: rig.lookPoint.x, y: rig.lookPoint.y, z: rig.lookPoint.z } : { x: 0, y: 0, z: 0 },
      seat: c.seat,
      avatar: { ...(runtime.avatars.get(c.id) ?? { url: c.avatarUrl, loaded: false, error: "" }) },
    };
  }
  const people: ParleyDebug["people"] = {};
  for (const p of Object.values(room.people)) {
    const rig = runtime.people.get(p.sessionId);
    const mine = p.sessionId === ui.sessionId;
    const status = runtime.avatars.get(p.sessionId);
    people[p.sessionId] = {
      name: p.name, seat: p.seat, avatarUrl: p.avatarUrl, speaking: p.speaking,
      visemes: Object.fromEntries(VISEMES.map((v) => [v, mine ? myMouth[v] : rig ? rig.applied[v] : 0])) as Record<Viseme, number>,
      head: { yaw: p.head.yaw, pitch: p.head.pitch },
      avatar: { loaded: mine || (status?.loaded ?? false), error: status?.error ?? "" },
    };
  }
  const audio = runtime.audio;
  return {
    connected: ui.connected,
    roomId: ui.roomId,
    sessionId: ui.sessionId,
    ui: { lang: currentUiLanguage() },
    table: { language: room.settings.language },
    tableId: room.tableId,
    role: room.people[ui.sessionId]?.role ?? "guest",
    llm: { ready: room.llm.ready, provider: room.llm.provider, model: room.llm.model, ...(room.llm.error ? { error: room.llm.error } : {}), ...(room.llm.choice ? { choice: room.llm.choice } : {}), ...(room.llm.measured ? { measured: room.llm.measured } : {}) },
    machine,
    characters,
    people,
    transcript: room.transcript.map((l) => ({
      id: l.id, speaker: l.speakerName, text: l.text,
      ...(l.interrupted ? { heardText: l.heardText, interrupted: true } : {}),
    })),
    audio: {
      contextState: audio?.ctx.state ?? "none", playing: audio ? audio.playing() : [], lagMs: audio?.lagMs ?? 0, stops: audio ? [...audio.stops] : [],
      peers: audio ? audio.peers.view() : {}, peerOnsets: audio ? [...audio.peers.onsets] : [],
      firstPlays: audio ? [...audio.firstPlays] : [], output: audio ? [...audio.output.marks] : [],
      loopback: audio ? audio.loopback.view() : { state: "off", delayMs: 0, statsDelayMs: 0, measured: 0, recentMs: [], energy: 0, reason: "" },
    },
    latency: { last: latencyStore.get().last, history: latencyHistory(), typedSentAt: lastTypedSentAt() },
    fps: Math.round(runtime.fps * 10) / 10,
    voice: { ...voiceStatus, onsets: [...voiceStatus.onsets], endSilences: [...voiceStatus.endSilences], soundOnsets: [...voiceStatus.soundOnsets], speechEnds: [...voiceStatus.speechEnds] },
    xr: { ...xrStatus, supported: { ...xrStatus.supported }, head: { ...xrStatus.head } },
    render: { ...runtime.render },
    lipsync: Object.fromEntries([...runtime.rigs].map(([id, rig]) => [id, [...rig.lipOffsets]])),
    lipsyncMisses: Object.fromEntries([...runtime.rigs].map(([id, rig]) => [id, [...rig.lipMisses]])),
  };
}

let machine: unknown = null;
/** the server's measured profile, read once and again when the model's status changes (the first start measures it) */
async function readMachine(): Promise<void> {
  try { machine = ((await (await api(forTable("/api/status"))).json()) as { machine?: unknown }).machine ?? null; } catch { /* diagnostics only */ }
}

export function installParleyDebug(): void {
  Object.defineProperty(window, "parleyDebug", { get: snapshot, configurable: false, enumerable: true });
  void readMachine();
  let measured = "";
  uiStore.subscribe(() => { const m = uiStore.get().room.llm.measured; if (m !== measured) { measured = m; void readMachine(); } });
}
