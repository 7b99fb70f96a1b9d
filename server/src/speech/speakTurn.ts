/**
 * One character's utterance, from LLM text deltas to paced audio chunks, one
 * way: tags -> segments -> TTS (running ahead of playback) -> chunks with viseme
 * and emotion cues -> the sink (the wire). The turn handle rules it: its
 * AbortSignal stops every stage, an unauthorized (held) turn sends nothing yet
 * (a reply prepared while someone else still talks), and its pauses stop and
 * resume the audio (a person starting to speak). Every stage reports how it goes
 * to the handle (TurnEvent): the text as it is generated, the whole reply, the
 * start, each segment (a checkpoint), each emotion, the first audio.
 */
import type { VoiceConfig, EmotionCue, Language } from "@parley/shared";
import type { TtsProvider } from "../tts/types.js";
import { segmentsOf, type Segment } from "./segmentStream.js";
import { audioOf, collectAll, type OutChunk } from "./audioStream.js";
import { UtteranceSender, type UtteranceSink } from "./UtteranceSender.js";
import type { PlaybackReports } from "./PlaybackReports.js";
import type { TurnHandle, TurnOutcome } from "../turn/TurnHandle.js";
import { bufferAhead } from "../util/bufferAhead.js";
import { onFirst } from "../util/onFirst.js";

export type { UtteranceSink } from "./UtteranceSender.js";

export interface SpeakOptions {
  turn: TurnHandle;
  text: AsyncIterable<string>;
  tts: TtsProvider;
  voice: VoiceConfig;
  /** the table's language: how the reply is cut into sentences and clauses */
  language?: Language;
  sink: UtteranceSink;
  /** what clients report they played (for what was heard) */
  reports?: PlaybackReports;
  /** how far ahead of real-time playback chunks may be sent, ms */
  leadMs?: number;
  chunkMs?: number;
  firstChunkMs?: number;
  now?: () => number;
  /**
   * The naive pipeline, for comparison: the whole reply, then the whole speech,
   * then sending. Only benchmarks turn this on.
   */
  unstreamed?: boolean;
}

export type SpeakResult = TurnOutcome;

export async function speakTurn(o: SpeakOptions): Promise<SpeakResult> {
  const sr = o.tts.sampleRate(o.voice);
  const turn = o.turn;
  const signal = turn.signal;
  const sender = new UtteranceSender(turn, { characterId: turn.characterId, sampleRate: sr, addressee: turn.addressee }, o.sink, o.leadMs ?? 1000, o.now ?? (() => performance.now()), o.reports);
  let currentSegment: Segment | null = null;
  const audioOpts = { tts: o.tts, voice: o.voice, signal, chunkMs: o.chunkMs ?? 200, firstChunkMs: o.firstChunkMs ?? 100 };
  const deltas = onFirst(o.text, () => turn.trace?.mark("firstToken"));
  const segments = onFirst(segmentsOf(deltas, turn, o.language ? { language: o.language } : {}), () => turn.trace?.mark("firstClause"));
  const open = async (): Promise<boolean> => {
    if (sender.started) return true;
    if (!(await turn.untilAuthorized())) return false;
    sender.begin();
    turn.report({ kind: "started" });
    return true;
  };

  let failure: unknown = null;
  try {
    const chunks: AsyncIterable<OutChunk> | OutChunk[] = o.unstreamed ? await collectAll(segments, audioOpts) : bufferAhead(audioOf(segments, audioOpts), 8);
    for await (const c of chunks) {
      if (!(await open())) break;
      const newSegment = c.segment !== currentSegment;
      if (newSegment) {
        turn.report({ kind: "segment", index: sender.spoken.length, text: c.segment.text, emotion: c.segment.emotion?.emotion ?? null, heard: sender.heard() });
        if (signal.aborted) break;
        currentSegment = c.segment;
      }
      const emotions: EmotionCue[] = [];
      if (c.firstOfSegment && c.segment.emotion) {
        emotions.push({ t: 0, emotion: c.segment.emotion.emotion, intensity: c.segment.emotion.intensity });
        turn.report({ kind: "emotion", emotion: c.segment.emotion.emotion, intensity: c.segment.emotion.intensity });
      }
      const first = !sender.firstAudioSent;
      const ok = await sender.send({ pcm: c.pcm, cues: c.cues, emotions, segmentText: c.segment.text, newSegment, ...(c.firstOfSegment ? { text: c.segment.text } : {}) });
      if (!ok) break;
      if (first) turn.report({ kind: "audible" });
    }
  } catch (err) {
    failure = err;
  }
  const text = turn.text.replace(/\s+/g, " ").trim();
  try {
    if (!signal.aborted && !failure && (await open()) && (await sender.finish(text))) {
      return { text, heardText: text, interrupted: false, totalSamples: sender.totalSamples, started: true };
    }
    sender.cancel(failure && !signal.aborted ? "error" : turn.reason || "interrupted");
    return {
      text, heardText: sender.heard(), interrupted: signal.aborted, totalSamples: sender.totalSamples, started: sender.started,
      ...(failure && !signal.aborted ? { error: failure } : {}),
    };
  } finally {
    sender.close();
  }
}
