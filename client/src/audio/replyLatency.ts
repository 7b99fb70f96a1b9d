/**
 * How long the last reply took, stage by stage: the server's stages arrive on
 * utt:start, this page adds when the reply's first sample began to play (on its
 * AudioContext clock, mapped to performance time). Read by the latency panel and
 * window.parleyDebug.latency.
 */
import type { ReplyLatency, UttStart } from "@parley/shared";
import { Store } from "../state/store.js";

export interface ReplyStages extends ReplyLatency {
  utteranceId: string;
  characterId: string;
  /** utt:start's arrival → the first sample playing here, ms */
  playingMs: number;
  /** the sum of every stage, ms */
  totalMs: number;
  /** when it began to play (wall clock, ms) */
  at: number;
}

/** when this page last sent a typed message (wall clock ms) */
let typedSentAt = 0;
export function noteTypedSent(): void { typedSentAt = performance.timeOrigin + performance.now(); }
export function lastTypedSentAt(): number { return typedSentAt; }

const pending = new Map<string, { latency: ReplyLatency; characterId: string; receivedAt: number }>();
const history: ReplyStages[] = [];
export const latencyStore = new Store<{ last: ReplyStages | null }>({ last: null });

export function noteReplyStart(m: UttStart): void {
  if (!m.latency) return;
  pending.set(m.utteranceId, { latency: m.latency, characterId: m.characterId, receivedAt: performance.now() });
  if (pending.size > 20) pending.delete(pending.keys().next().value!);
}

/** The utterance's first sample plays at `playAt` (performance.now() ms). */
export function noteFirstPlay(utteranceId: string, playAt: number): void {
  const p = pending.get(utteranceId);
  if (!p) return;
  pending.delete(utteranceId);
  const l = p.latency;
  const playingMs = Math.round(Math.max(0, playAt - p.receivedAt) * 10) / 10;
  const totalMs = Math.round((l.endOfTurnMs + l.recognitionMs + l.firstTokenMs + l.firstClauseMs + l.firstAudioMs + playingMs) * 10) / 10;
  const last: ReplyStages = { ...l, utteranceId, characterId: p.characterId, playingMs, totalMs, at: performance.timeOrigin + playAt };
  history.push(last);
  if (history.length > 50) history.shift();
  latencyStore.set({ last });
}

export function latencyHistory(): ReplyStages[] { return [...history]; }
