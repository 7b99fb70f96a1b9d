/**
 * How long the last reply took, stage by stage: the server's stages arrive on
 * utt:start; this page adds how long that took to reach it (from the server's
 * first audio, on this page's reckoning of the server's clock) and when the
 * reply's first sample began to play (on its AudioContext clock, mapped to
 * performance time). Every stage begins where the one before ends, so they add
 * up to the whole: from the end of the speech (dated by the speaker's page) to
 * the first sample playing here. Read by the latency panel and
 * window.parleyDebug.latency.
 */
import type { ReplyLatency, UttStart } from "@parley/shared";
import { Store } from "../state/store.js";
import { serverClock } from "../net/serverClock.js";

export interface ReplyStages extends ReplyLatency {
  utteranceId: string;
  characterId: string;
  /** the first audio synthesized at the server → utt:start handled here (network, and this page's busy main thread), ms; null without the server's clock */
  deliveryMs: number | null;
  /** utt:start handled here → the first sample playing (its first chunk, the scheduling lead, the output's latency), ms */
  playingMs: number;
  /** the sum of every stage, ms */
  totalMs: number;
  /** when it began to play (wall clock, ms) */
  at: number;
  /** where the stages begin (the end of speech, or the typed message's arrival), on this page's clock (wall ms); null without the server's clock */
  startedAt: number | null;
  /** the reckoning of the server's clock used: server minus page, and the round trip it rests on, ms */
  clock: { offsetMs: number; rttMs: number } | null;
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
  const r = (ms: number): number => Math.round(ms * 10) / 10;
  const playingMs = r(Math.max(0, playAt - p.receivedAt));
  // measured across the two clocks: off by the reckoning's error (at most half its round trip), which
  // the first stage carries the other way (on the speaker's own page), so the whole is exact on this page's clock
  const deliveryMs = serverClock.synced ? r(performance.timeOrigin + p.receivedAt - serverClock.toPage(l.firstAudioAt)) : null;
  const totalMs = r(l.endOfTurnMs + l.recognitionMs + l.firstTokenMs + l.firstClauseMs + l.firstAudioMs + (deliveryMs ?? 0) + playingMs);
  const last: ReplyStages = {
    ...l, utteranceId, characterId: p.characterId, deliveryMs, playingMs, totalMs, at: performance.timeOrigin + playAt,
    startedAt: serverClock.synced ? r(serverClock.toPage(l.startAt)) : null,
    clock: serverClock.synced ? { offsetMs: r(serverClock.offsetMs), rttMs: r(serverClock.rttMs) } : null,
  };
  history.push(last);
  if (history.length > 50) history.shift();
  latencyStore.set({ last });
}

export function latencyHistory(): ReplyStages[] { return [...history]; }
