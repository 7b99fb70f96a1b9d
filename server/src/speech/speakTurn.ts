/**
 * One character's utterance, from LLM text deltas to paced audio chunks:
 * tags -> segments -> TTS (running ahead of playback) -> chunks with viseme and
 * emotion cues -> the sink. The turn's AbortSignal stops every stage. A gate can
 * hold the first chunk back (a reply prepared while someone else still talks).
 */
import type { UttChunk, UttStart, UttEnd, UttCancel, VoiceConfig, Emotion, EmotionCue } from "@parley/shared";
import type { TtsProvider } from "../tts/types.js";
import { segmentsOf, type Segment } from "./segmentStream.js";
import { audioOf, collectAll, type OutChunk, type PhonemeEstimator } from "./audioStream.js";
import { heardText, type SpokenSegment } from "./heard.js";
import { bufferAhead } from "../util/bufferAhead.js";

export interface UtteranceSink {
  start(m: UttStart): void;
  chunk(m: UttChunk): void;
  end(m: UttEnd): void;
  cancel(m: UttCancel): void;
}

export interface SpeakOptions {
  utteranceId: string;
  characterId: string;
  addressee: string;
  text: AsyncIterable<string>;
  tts: TtsProvider;
  voice: VoiceConfig;
  sink: UtteranceSink;
  signal: AbortSignal;
  /** nothing is sent before this resolves (default: at once) */
  gate?: Promise<void>;
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
  estimator?: (sampleRate: number) => PhonemeEstimator;
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

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(() => { signal.removeEventListener("abort", done); resolve(); }, ms);
    const done = (): void => { clearTimeout(t); resolve(); };
    signal.addEventListener("abort", done, { once: true });
  });

const untilOrAbort = (p: Promise<void>, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
    p.then(resolve, resolve);
  });

export async function speakTurn(o: SpeakOptions): Promise<SpeakResult> {
  const now = o.now ?? (() => performance.now());
  const sr = o.tts.sampleRate(o.voice);
  const lead = o.leadMs ?? 1000;
  let fullText = "";
  const spoken: SpokenSegment[] = [];
  let sent = 0; // samples sent
  let firstSentAt = -1;
  let seq = 0;
  let started = false;
  let currentSegment: Segment | null = null;
  const playedSamples = (): number => (firstSentAt < 0 ? 0 : Math.min(sent, Math.floor(((now() - firstSentAt) * sr) / 1000)));
  const audioOpts = { tts: o.tts, voice: o.voice, signal: o.signal, chunkMs: o.chunkMs ?? 200, firstChunkMs: o.firstChunkMs ?? 100, estimator: o.estimator };
  const segments = segmentsOf(o.text, {
    onText: (d) => { fullText += d; o.onText?.(d); },
    onTextComplete: o.onTextComplete,
  });

  let failure: unknown = null;
  try {
    const chunks: AsyncIterable<OutChunk> | OutChunk[] = o.unstreamed ? await collectAll(segments, audioOpts) : bufferAhead(audioOf(segments, audioOpts), 8);
    for await (const c of chunks) {
      if (!started) {
        if (o.gate) await untilOrAbort(o.gate, o.signal);
        if (o.signal.aborted) break;
        started = true;
        o.sink.start({ utteranceId: o.utteranceId, characterId: o.characterId, sampleRate: sr, addressee: o.addressee });
        o.onStart?.();
      }
      if (firstSentAt >= 0) {
        const aheadMs = (sent * 1000) / sr - (now() - firstSentAt);
        if (aheadMs > lead) await sleep(aheadMs - lead, o.signal);
      }
      if (o.signal.aborted) break;
      if (c.segment !== currentSegment) {
        currentSegment = c.segment;
        o.onSegmentStart?.(spoken.length, c.segment, heardText(spoken, playedSamples()));
        if (o.signal.aborted) break;
        spoken.push({ startSample: sent, endSample: sent, text: c.segment.text });
      }
      const emotions: EmotionCue[] = [];
      if (c.firstOfSegment && c.segment.emotion) {
        emotions.push({ t: 0, emotion: c.segment.emotion.emotion, intensity: c.segment.emotion.intensity });
        o.onEmotion?.(c.segment.emotion.emotion, c.segment.emotion.intensity);
      }
      const bytes = new Uint8Array(c.pcm.buffer, c.pcm.byteOffset, c.pcm.byteLength);
      o.sink.chunk({
        utteranceId: o.utteranceId, seq: seq++, sampleRate: sr, startSample: sent, pcm: bytes, cues: c.cues, emotions,
        ...(c.firstOfSegment ? { text: c.segment.text } : {}),
      });
      if (firstSentAt < 0) { firstSentAt = now(); o.onFirstAudio?.(); }
      sent += c.pcm.length;
      spoken[spoken.length - 1]!.endSample = sent;
    }
  } catch (err) {
    failure = err;
  }
  const text = fullText.replace(/\s+/g, " ").trim();
  if (!o.signal.aborted && !failure) {
    if (!started) {
      // nothing to say (an empty reply): the utterance still begins and ends
      if (o.gate) await untilOrAbort(o.gate, o.signal);
      if (!o.signal.aborted) {
        started = true;
        o.sink.start({ utteranceId: o.utteranceId, characterId: o.characterId, sampleRate: sr, addressee: o.addressee });
        o.onStart?.();
      }
    }
    if (started) {
      o.sink.end({ utteranceId: o.utteranceId, text, totalSamples: sent });
      // the turn lasts until listeners have heard it all; an interruption now still cuts it
      const remaining = firstSentAt < 0 ? 0 : (sent * 1000) / sr - (now() - firstSentAt);
      if (remaining > 0) await sleep(remaining, o.signal);
      if (!o.signal.aborted) return { text, heardText: text, interrupted: false, totalSamples: sent, started };
    }
  }
  const played = playedSamples();
  if (started) o.sink.cancel({ utteranceId: o.utteranceId, reason: failure && !o.signal.aborted ? "error" : String(o.signal.reason ?? "interrupted") });
  return {
    text, heardText: started ? heardText(spoken, played) : "", interrupted: o.signal.aborted, totalSamples: sent, started,
    ...(failure && !o.signal.aborted ? { error: failure } : {}),
  };
}
