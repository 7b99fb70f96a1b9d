/**
 * One character's utterance, from LLM text deltas to paced audio chunks:
 * tags -> segments -> TTS (running ahead of playback) -> chunks with viseme and
 * emotion cues -> the sink. The turn's AbortSignal stops every stage. A gate can
 * hold the first chunk back (a reply prepared while someone else still talks);
 * a playback control can pause and resume it (a person starting to speak).
 */
import type { VoiceConfig, Emotion, EmotionCue, Language } from "@parley/shared";
import type { TtsProvider } from "../tts/types.js";
import { segmentsOf, type Segment } from "./segmentStream.js";
import { audioOf, collectAll, type OutChunk } from "./audioStream.js";
import { UtteranceSender, type UtteranceSink } from "./UtteranceSender.js";
import type { PlaybackControl } from "./PlaybackControl.js";
import type { PlaybackReports } from "./PlaybackReports.js";
import { bufferAhead } from "../util/bufferAhead.js";

export type { UtteranceSink } from "./UtteranceSender.js";

export interface SpeakOptions {
  utteranceId: string;
  characterId: string;
  addressee: string;
  text: AsyncIterable<string>;
  tts: TtsProvider;
  voice: VoiceConfig;
  /** the table's language: how the reply is cut into sentences and clauses */
  language?: Language;
  sink: UtteranceSink;
  signal: AbortSignal;
  /** nothing is sent before this resolves (default: at once) */
  gate?: Promise<void>;
  control?: PlaybackControl;
  /** what clients report they played (for what was heard) */
  reports?: PlaybackReports;
  /** spoken text as it is generated (tags removed) */
  onText?: (delta: string) => void;
  /** the LLM finished: the whole spoken text */
  onTextComplete?: (text: string) => void;
  onEmotion?: (emotion: Emotion, intensity: number) => void;
  /** the gate opened and utt:start went out */
  onStart?: () => void;
  /** the first chunk left: the character is audibly speaking */
  onFirstAudio?: () => void;
  /** a new segment is about to be sent: a checkpoint where others may cut in */
  onSegmentStart?: (index: number, segment: Segment, heardSoFar: string) => void;
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

export interface SpeakResult {
  text: string;
  heardText: string;
  interrupted: boolean;
  totalSamples: number;
  /** false when the turn was dropped before its gate opened: nothing was said */
  started: boolean;
  /** set when a stage failed (LLM or TTS); what was spoken before it stays valid */
  error?: unknown;
}

const untilOrAbort = (p: Promise<void>, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
    p.then(resolve, resolve);
  });

export async function speakTurn(o: SpeakOptions): Promise<SpeakResult> {
  const sr = o.tts.sampleRate(o.voice);
  const sender = new UtteranceSender(o.utteranceId, { characterId: o.characterId, sampleRate: sr, addressee: o.addressee }, o.sink, o.signal, o.control, o.leadMs ?? 1000, o.now ?? (() => performance.now()), o.reports);
  let fullText = "";
  let currentSegment: Segment | null = null;
  const audioOpts = { tts: o.tts, voice: o.voice, signal: o.signal, chunkMs: o.chunkMs ?? 200, firstChunkMs: o.firstChunkMs ?? 100 };
  const segments = segmentsOf(o.text, { onText: (d) => { fullText += d; o.onText?.(d); }, onTextComplete: o.onTextComplete }, o.language ? { language: o.language } : {});
  const open = async (): Promise<boolean> => {
    if (sender.started) return true;
    if (o.gate) await untilOrAbort(o.gate, o.signal);
    if (o.signal.aborted) return false;
    sender.begin();
    o.onStart?.();
    return true;
  };

  let failure: unknown = null;
  try {
    const chunks: AsyncIterable<OutChunk> | OutChunk[] = o.unstreamed ? await collectAll(segments, audioOpts) : bufferAhead(audioOf(segments, audioOpts), 8);
    for await (const c of chunks) {
      if (!(await open())) break;
      const newSegment = c.segment !== currentSegment;
      if (newSegment) {
        o.onSegmentStart?.(sender.spoken.length, c.segment, sender.heard());
        if (o.signal.aborted) break;
        currentSegment = c.segment;
      }
      const emotions: EmotionCue[] = [];
      if (c.firstOfSegment && c.segment.emotion) {
        emotions.push({ t: 0, emotion: c.segment.emotion.emotion, intensity: c.segment.emotion.intensity });
        o.onEmotion?.(c.segment.emotion.emotion, c.segment.emotion.intensity);
      }
      const first = !sender.firstAudioSent;
      const ok = await sender.send({ pcm: c.pcm, cues: c.cues, emotions, segmentText: c.segment.text, newSegment, ...(c.firstOfSegment ? { text: c.segment.text } : {}) });
      if (!ok) break;
      if (first) o.onFirstAudio?.();
    }
  } catch (err) {
    failure = err;
  }
  const text = fullText.replace(/\s+/g, " ").trim();
  try {
    if (!o.signal.aborted && !failure && (await open()) && (await sender.finish(text))) {
      return { text, heardText: text, interrupted: false, totalSamples: sender.totalSamples, started: true };
    }
    sender.cancel(failure && !o.signal.aborted ? "error" : String(o.signal.reason ?? "interrupted"));
    return {
      text, heardText: sender.heard(), interrupted: o.signal.aborted, totalSamples: sender.totalSamples, started: sender.started,
      ...(failure && !o.signal.aborted ? { error: failure } : {}),
    };
  } finally {
    sender.close();
  }
}
