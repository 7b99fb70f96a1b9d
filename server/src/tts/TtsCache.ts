/**
 * A caching decorator for any voice: greetings, names and stock phrases repeat,
 * and a repeated segment should play at once. Key: provider + the voice's
 * settings (stable JSON) + the text (NFC, trimmed, spaces collapsed; case kept,
 * it can change how a line is said). Recent segments stay in memory (LRU by
 * count and bytes); all go to disk (TtsDiskStore). Requests for a segment that
 * is being made share that one synthesis; it is abandoned only when every
 * listener has aborted, and only complete segments are stored.
 */
import { createHash } from "node:crypto";
import type { VoiceConfig } from "@parley/shared";
import type { TtsPiece, TtsProvider, TtsVoiceInfo } from "./types.js";
import { voiceHasTimings, type VoiceTimings } from "./withAudioVisemes.js";
import { MAX_PIECE_SAMPLES, concatInt16, piecesOf } from "./pcm.js";
import { TtsDiskStore, type CachedSegment } from "./TtsDiskStore.js";

export interface TtsCacheOptions {
  /** segments kept in memory */
  memoryEntries: number;
  /** memory budget, bytes of audio */
  memoryBytes: number;
  /** where segments are stored; null keeps the cache in memory only */
  diskDir: string | null;
  /** disk budget for everything in diskDir, bytes */
  maxDiskBytes: number;
  /** size of replayed pieces, samples */
  pieceSamples: number;
}

export const TTS_CACHE_DEFAULTS: TtsCacheOptions = { memoryEntries: 200, memoryBytes: 64 * 2 ** 20, diskDir: null, maxDiskBytes: 200 * 2 ** 20, pieceSamples: MAX_PIECE_SAMPLES };

export interface TtsCacheStats { memoryHits: number; diskHits: number; shared: number; misses: number }

/** JSON with sorted keys, so equal voices give equal keys whatever their field order. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => `${JSON.stringify(k)}:${stableJson(x)}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

export const normalizeCacheText = (text: string): string => text.normalize("NFC").trim().replace(/\s+/g, " ");

/** One synthesis in progress, heard by every request for the same key. */
class Recording {
  readonly pieces: TtsPiece[] = [];
  done = false;
  error: unknown = null;
  private listeners = 0;
  private waiters: (() => void)[] = [];
  readonly ac = new AbortController();
  /** settles when the synthesis has ended (completed, failed or aborted) */
  readonly ended: Promise<void>;

  constructor(source: (signal: AbortSignal) => AsyncIterable<TtsPiece>, onComplete: (r: Recording) => void, onEnd: () => void) {
    this.ended = (async () => {
      try {
        for await (const p of source(this.ac.signal)) { this.pieces.push(p); this.wake(); }
        if (!this.ac.signal.aborted) { this.done = true; onComplete(this); }
      } catch (err) {
        this.error = err;
      } finally {
        onEnd();
        this.done = true;
        this.wake();
      }
    })();
  }

  private wake(): void { for (const w of this.waiters.splice(0)) w(); }

  async *listen(signal: AbortSignal): AsyncGenerator<TtsPiece> {
    this.listeners++;
    let i = 0;
    try {
      for (;;) {
        if (signal.aborted) return;
        if (i < this.pieces.length) { yield this.pieces[i++]!; continue; }
        if (this.error) throw this.error;
        if (this.done) return;
        await new Promise<void>((resolve) => {
          const stop = (): void => resolve();
          signal.addEventListener("abort", stop, { once: true });
          this.waiters.push(() => { signal.removeEventListener("abort", stop); resolve(); });
        });
      }
    } finally {
      // the last listener leaving stops a synthesis nobody will hear
      if (--this.listeners === 0 && !this.done) this.ac.abort();
    }
  }
}

export class CachedTts implements TtsProvider, VoiceTimings {
  readonly stats: TtsCacheStats = { memoryHits: 0, diskHits: 0, shared: 0, misses: 0 };
  private readonly o: TtsCacheOptions;
  private readonly memory = new Map<string, CachedSegment>();
  private memoryBytes = 0;
  private readonly recording = new Map<string, Recording>();
  private readonly disk: TtsDiskStore | null;
  /** recordings and disk writes still going on */
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly inner: TtsProvider, opts: Partial<TtsCacheOptions> = {}) {
    this.o = { ...TTS_CACHE_DEFAULTS, ...opts };
    if (!(this.o.memoryEntries >= 0 && this.o.maxDiskBytes >= 0 && this.o.pieceSamples >= 256)) throw new RangeError("CachedTts: sizes must be >= 0 and pieceSamples >= 256");
    this.disk = this.o.diskDir ? TtsDiskStore.for(this.o.diskDir, this.o.maxDiskBytes) : null;
  }

  get label(): string { return this.inner.label; }
  get hasTimings(): boolean { return this.inner.hasTimings; }
  timingsFor(voice: VoiceConfig): boolean { return voiceHasTimings(this.inner, voice); }
  prepare(voice: VoiceConfig, signal?: AbortSignal): Promise<void> { return this.inner.prepare(voice, signal); }
  sampleRate(voice: VoiceConfig): number { return this.inner.sampleRate(voice); }
  listVoices(): Promise<TtsVoiceInfo[]> { return this.inner.listVoices(); }
  close(): Promise<void> { return this.inner.close(); }

  /** Resolves once every synthesis started so far has ended and its segment is on disk (tests, shutdown). */
  async flushed(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  private track(p: Promise<void>): void {
    const t = p.catch(() => {}).finally(() => this.pending.delete(t));
    this.pending.add(t);
  }

  /** The cache key of a segment. */
  key(text: string, voice: VoiceConfig): string {
    return createHash("sha256").update(`${this.inner.label}\n${stableJson(voice)}\n${normalizeCacheText(text)}`).digest("hex").slice(0, 40);
  }

  async *synthesize(text: string, voice: VoiceConfig, signal: AbortSignal): AsyncIterable<TtsPiece> {
    const key = this.key(text, voice);
    const rate = this.inner.sampleRate(voice);
    const mem = this.memory.get(key);
    // a segment made at another rate (the server changed models) is stale
    if (mem && mem.rate === rate) {
      this.stats.memoryHits++;
      this.memory.delete(key);
      this.memory.set(key, mem);
      yield* this.replay(mem, signal);
      return;
    }
    const live = this.recording.get(key);
    // a recording everyone left is winding down: start afresh
    if (live && !live.ac.signal.aborted) { this.stats.shared++; yield* live.listen(signal); return; }
    const stored = this.disk ? await this.disk.get(key) : null;
    if (signal.aborted) return;
    if (stored && stored.rate === rate) {
      this.stats.diskHits++;
      this.remember(key, stored);
      yield* this.replay(stored, signal);
      return;
    }
    this.stats.misses++;
    const rec = new Recording(
      (s) => this.inner.synthesize(text, voice, s),
      (r) => this.store(key, { rate, pcm: concatInt16(r.pieces.map((p) => p.pcm)), phonemes: r.pieces.flatMap((p) => p.phonemes) }),
      () => { if (this.recording.get(key) === rec) this.recording.delete(key); },
    );
    this.recording.set(key, rec);
    this.track(rec.ended);
    yield* rec.listen(signal);
  }

  private *replay(seg: CachedSegment, signal: AbortSignal): Generator<TtsPiece> {
    for (const piece of piecesOf(seg.pcm, seg.phonemes, 0, this.o.pieceSamples)) {
      if (signal.aborted) return;
      yield piece;
    }
  }

  private store(key: string, seg: CachedSegment): void {
    if (seg.pcm.length === 0) return;
    this.remember(key, seg);
    if (this.disk) this.track(this.disk.put(key, seg));
  }

  private remember(key: string, seg: CachedSegment): void {
    const old = this.memory.get(key);
    if (old) { this.memoryBytes -= old.pcm.byteLength; this.memory.delete(key); }
    this.memory.set(key, seg);
    this.memoryBytes += seg.pcm.byteLength;
    for (const [k, v] of this.memory) {
      if (this.memory.size <= this.o.memoryEntries && this.memoryBytes <= this.o.memoryBytes) break;
      this.memory.delete(k);
      this.memoryBytes -= v.pcm.byteLength;
    }
  }
}
