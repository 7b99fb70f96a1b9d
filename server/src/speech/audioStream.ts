/**
 * Segments to audio chunks: each segment goes to the voice, its PCM and phoneme
 * timeline are cut into chunks carrying viseme cues. (Voices whose engine gives no
 * timings come wrapped with withAudioVisemes, which estimates them from the audio.)
 */
import type { UttChunk, VoiceConfig } from "@parley/shared";
import type { TtsProvider } from "../tts/types.js";
import type { Segment } from "./segmentStream.js";
import { ChunkAssembler } from "../lipsync/cues.js";

export interface OutChunk { pcm: Int16Array; cues: UttChunk["cues"]; segment: Segment; firstOfSegment: boolean }

export interface AudioOptions {
  tts: TtsProvider;
  voice: VoiceConfig;
  signal: AbortSignal;
  chunkMs: number;
  firstChunkMs: number;
}

export async function* audioOf(segments: AsyncIterable<Segment>, o: AudioOptions): AsyncIterable<OutChunk> {
  const sr = o.tts.sampleRate(o.voice);
  for await (const segment of segments) {
    if (o.signal.aborted) return;
    const asm = new ChunkAssembler(Math.round((sr * o.chunkMs) / 1000), Math.round((sr * o.firstChunkMs) / 1000));
    let first = true;
    const wrap = (c: { pcm: Int16Array; cues: UttChunk["cues"] }): OutChunk => {
      const out = { pcm: c.pcm, cues: c.cues, segment, firstOfSegment: first };
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

/** The naive pipeline: all segments first, then all audio (benchmark baseline). */
export async function collectAll(segments: AsyncIterable<Segment>, o: AudioOptions): Promise<OutChunk[]> {
  const all: Segment[] = [];
  for await (const s of segments) all.push(s);
  async function* replay(): AsyncIterable<Segment> { yield* all; }
  const chunks: OutChunk[] = [];
  for await (const c of audioOf(replay(), o)) chunks.push(c);
  return chunks;
}
