/**
 * One character's utterance, from LLM text deltas to paced audio chunks:
 * tags -> segments -> TTS (running ahead of playback) -> chunks with viseme and
 * emotion cues -> the sink. The turn's AbortSignal stops every stage.
 */
import type { UttChunk, UttStart, UttEnd, UttCancel, VoiceConfig, Emotion, EmotionCue } from "@parley/shared";
import type { TtsProvider } from "../tts/types.js";
import { EmotionTagParser } from "./emotionTags.js";
import { Segmenter } from "./segmenter.js";
import { ChunkAssembler } from "./cues.js";
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
  /** spoken text as it is generated (tags removed) */
  onText?: (delta: string) => void;
  onEmotion?: (emotion: Emotion, intensity: number) => void;
  /** the first chunk left: the character is audibly speaking */
  onFirstAudio?: () => void;
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
  /** set when a stage failed (LLM or TTS); what was spoken before it stays valid */
  error?: unknown;
}

interface Segment { text: string; emotion: { emotion: Emotion; intensity: number } | null }
interface OutChunk { pcm: Int16Array; startInSegment: number; cues: UttChunk["cues"]; segment: Segment; firstOfSegment: boolean }

async function* segmentsOf(text: AsyncIterable<string>, onText: SpeakOptions["onText"], onAll: (s: string) => void): AsyncIterable<Segment> {
  const tags = new EmotionTagParser();
  const seg = new Segmenter();
  let emotion: Segment["emotion"] = null;
  const emit = function* (texts: string[]): Generator<Segment> {
    for (const t of texts) { yield { text: t, emotion }; emotion = null; }
  };
  for await (const delta of text) {
    for (const piece of tags.push(delta)) {
      if (piece.kind === "emotion") { yield* emit(seg.end()); emotion = { emotion: piece.emotion, intensity: piece.intensity }; continue; }
      onText?.(piece.text);
      onAll(piece.text);
      yield* emit(seg.push(piece.text));
    }
  }
  for (const piece of tags.end()) if (piece.kind === "text") { onText?.(piece.text); onAll(piece.text); yield* emit(seg.push(piece.text)); }
  yield* emit(seg.end());
}

async function* audioOf(segments: AsyncIterable<Segment>, o: SpeakOptions): AsyncIterable<OutChunk> {
  const sr = o.tts.sampleRate(o.voice);
  for await (const segment of segments) {
    if (o.signal.aborted) return;
    const asm = new ChunkAssembler(Math.round((sr * (o.chunkMs ?? 200)) / 1000), Math.round((sr * (o.firstChunkMs ?? 100)) / 1000));
    let first = true;
    const wrap = (c: { start: number; pcm: Int16Array; cues: UttChunk["cues"] }): OutChunk => {
      const out = { pcm: c.pcm, startInSegment: c.start, cues: c.cues, segment, firstOfSegment: first };
      first = false;
      return out;
    };
    for await (const piece of o.tts.synthesize(segment.text, o.voice, o.signal)) {
      for (const c of asm.push(piece.pcm, piece.phonemes)) yield wrap(c);
    }
    if (o.signal.aborted) return;
    for (const c of asm.end()) yield wrap(c);
  }
}

/** Whole text first, then all audio, before anything is sent. */
async function unstreamedChunks(o: SpeakOptions, onAll: (s: string) => void): Promise<OutChunk[]> {
  const segments: Segment[] = [];
  for await (const s of segmentsOf(o.text, o.onText, onAll)) segments.push(s);
  async function* all(): AsyncIterable<Segment> { yield* segments; }
  const chunks: OutChunk[] = [];
  for await (const c of audioOf(all(), o)) chunks.push(c);
  return chunks;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(() => { signal.removeEventListener("abort", done); resolve(); }, ms);
    const done = (): void => { clearTimeout(t); resolve(); };
    signal.addEventListener("abort", done, { once: true });
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
  let currentSegment: Segment | null = null;

  o.sink.start({ utteranceId: o.utteranceId, characterId: o.characterId, sampleRate: sr, addressee: o.addressee });
  const playedSamples = (): number => (firstSentAt < 0 ? 0 : Math.min(sent, Math.floor(((now() - firstSentAt) * sr) / 1000)));
  let failure: unknown = null;
  try {
    const chunks = o.unstreamed
      ? await unstreamedChunks(o, (t) => (fullText += t))
      : bufferAhead(audioOf(segmentsOf(o.text, o.onText, (t) => (fullText += t)), o), 8);
    for await (const c of chunks) {
      if (o.signal.aborted) break;
      if (firstSentAt >= 0) {
        const aheadMs = ((sent * 1000) / sr) - (now() - firstSentAt);
        if (aheadMs > lead) await sleep(aheadMs - lead, o.signal);
        if (o.signal.aborted) break;
      }
      if (c.segment !== currentSegment) {
        currentSegment = c.segment;
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
    o.sink.end({ utteranceId: o.utteranceId, text, totalSamples: sent });
    // the turn lasts until listeners have heard it all; an interruption now still cuts it
    const remaining = firstSentAt < 0 ? 0 : (sent * 1000) / sr - (now() - firstSentAt);
    if (remaining > 0) await sleep(remaining, o.signal);
    if (!o.signal.aborted) return { text, heardText: text, interrupted: false, totalSamples: sent };
  }
  const played = playedSamples();
  o.sink.cancel({ utteranceId: o.utteranceId, reason: failure && !o.signal.aborted ? "error" : String(o.signal.reason ?? "interrupted") });
  return {
    text, heardText: heardText(spoken, played), interrupted: o.signal.aborted, totalSamples: sent,
    ...(failure && !o.signal.aborted ? { error: failure } : {}),
  };
}
