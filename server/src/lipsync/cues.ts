/**
 * Turns a TTS timeline (phonemes at sample positions) into VRM viseme cues and
 * cuts PCM into chunks that carry their own cues, with times in samples from the
 * chunk's first sample. Works incrementally, so chunks leave while TTS still runs.
 */
import type { VisemeCue, VisemeWeights } from "@parley/shared";
import { phonemeToShapes } from "./visemes.js";

export interface TimedPhoneme {
  /** sample position within the segment */
  t: number;
  /** IPA; "" marks a pause */
  ipa: string;
}

/** Absolute cue (segment samples). */
export interface SegmentCue { t: number; w: VisemeWeights }

/** Cues for a phoneme that lasts until `end` (samples). A diphthong gets a second cue halfway. */
export function cuesForPhoneme(p: TimedPhoneme, end: number): SegmentCue[] {
  const shapes = phonemeToShapes(p.ipa);
  if (shapes.length === 1) return [{ t: p.t, w: shapes[0]! }];
  const mid = p.t + Math.max(1, Math.floor((end - p.t) / 2));
  return [{ t: p.t, w: shapes[0]! }, { t: mid, w: shapes[1]! }];
}

export interface AudioChunk {
  /** first sample of the chunk within the segment */
  start: number;
  pcm: Int16Array;
  cues: VisemeCue[];
}

/**
 * Collects PCM and phonemes for one segment and releases fixed-size chunks once
 * every cue inside them is known (a phoneme's cue is final when the next one arrives).
 */
export class ChunkAssembler {
  private pcm: Int16Array[] = [];
  private pcmLength = 0;
  private emittedSamples = 0;
  private pendingPhoneme: TimedPhoneme | null = null;
  private cues: SegmentCue[] = [];
  private lastCue: VisemeWeights = {};
  private chunkIndex = 0;

  constructor(
    private readonly chunkSamples: number,
    private readonly firstChunkSamples = chunkSamples,
  ) {}

  push(pcm: Int16Array, phonemes: readonly TimedPhoneme[]): AudioChunk[] {
    if (pcm.length) { this.pcm.push(pcm); this.pcmLength += pcm.length; }
    for (const p of phonemes) {
      if (this.pendingPhoneme) this.cues.push(...cuesForPhoneme(this.pendingPhoneme, p.t));
      this.pendingPhoneme = p;
    }
    return this.release(false);
  }

  end(): AudioChunk[] {
    if (this.pendingPhoneme) {
      this.cues.push(...cuesForPhoneme(this.pendingPhoneme, this.pcmLength));
      this.pendingPhoneme = null;
    }
    // the mouth closes when the segment's audio ends
    this.cues.push({ t: Math.max(0, this.pcmLength - 1), w: {} });
    return this.release(true);
  }

  private release(final: boolean): AudioChunk[] {
    const out: AudioChunk[] = [];
    for (;;) {
      const size = this.chunkIndex === 0 ? this.firstChunkSamples : this.chunkSamples;
      const available = this.pcmLength - this.emittedSamples;
      const chunkEnd = this.emittedSamples + size;
      const cuesKnownUntil = this.pendingPhoneme ? this.pendingPhoneme.t : Infinity;
      if (available <= 0) break;
      if (!final && (available < size || cuesKnownUntil < chunkEnd)) break;
      const n = Math.min(size, available);
      out.push(this.takeChunk(n));
    }
    return out;
  }

  private takeChunk(n: number): AudioChunk {
    const start = this.emittedSamples;
    const pcm = new Int16Array(n);
    let filled = 0;
    while (filled < n) {
      const head = this.pcm[0]!;
      const take = Math.min(head.length, n - filled);
      pcm.set(head.subarray(0, take), filled);
      filled += take;
      if (take === head.length) this.pcm.shift();
      else this.pcm[0] = head.subarray(take);
    }
    this.emittedSamples += n;
    const end = start + n;
    const cues: VisemeCue[] = [];
    let i = 0;
    while (i < this.cues.length && this.cues[i]!.t < end) i++;
    const mine = this.cues.splice(0, i);
    // each chunk states the shape at its first sample, so it can be played on its own
    if (mine.length === 0 || mine[0]!.t > start) cues.push({ t: 0, w: this.lastCue });
    for (const c of mine) cues.push({ t: Math.max(0, c.t - start), w: c.w });
    if (mine.length) this.lastCue = mine[mine.length - 1]!.w;
    this.chunkIndex++;
    return { start, pcm, cues };
  }
}
