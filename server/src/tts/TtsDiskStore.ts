/**
 * The on-disk half of the TTS cache: one file per segment (a small JSON header
 * with the rate and phonemes, then the 16-bit samples), written atomically
 * (temp file + rename), kept under a byte budget by evicting the least recently
 * used files. Every CachedTts that uses the same directory shares one store, so
 * the budget holds for all voices together.
 */
import { mkdir, readdir, readFile, rename, stat, unlink, utimes, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { TimedPhoneme } from "../lipsync/cues.js";
import { log } from "../util/log.js";

export interface CachedSegment {
  /** Hz */
  rate: number;
  pcm: Int16Array;
  phonemes: TimedPhoneme[];
}

const SUFFIX = ".tts";

export class TtsDiskStore {
  private index: Map<string, { bytes: number; used: number }> | null = null;
  private indexing: Promise<void> | null = null;
  private total = 0;

  private constructor(readonly dir: string, private maxBytes: number) {}

  private static readonly stores = new Map<string, TtsDiskStore>();

  /** The store for `dir`; the largest budget asked for wins. */
  static for(dir: string, maxBytes: number): TtsDiskStore {
    const key = resolve(dir);
    let s = TtsDiskStore.stores.get(key);
    if (!s) { s = new TtsDiskStore(key, maxBytes); TtsDiskStore.stores.set(key, s); }
    s.maxBytes = Math.max(s.maxBytes, maxBytes);
    return s;
  }

  get bytes(): number { return this.total; }

  async get(key: string): Promise<CachedSegment | null> {
    await this.ready();
    const meta = this.index!.get(key);
    if (!meta) return null;
    const file = this.path(key);
    try {
      const buf = await readFile(file);
      const headerBytes = buf.readUInt32LE(0);
      const header = JSON.parse(buf.subarray(4, 4 + headerBytes).toString("utf8")) as { rate: number; samples: number; phonemes: TimedPhoneme[] };
      const start = 4 + headerBytes;
      // copy: the samples must be 2-byte aligned for an Int16Array view
      const pcm = new Int16Array(header.samples);
      new Uint8Array(pcm.buffer).set(buf.subarray(start, start + header.samples * 2));
      meta.used = Date.now();
      // the file's mtime keeps the LRU order across restarts
      void utimes(file, new Date(), new Date(meta.used)).catch(() => undefined);
      return { rate: header.rate, pcm, phonemes: header.phonemes };
    } catch {
      // gone (another process evicted it) or damaged: a miss
      this.forget(key);
      return null;
    }
  }

  async put(key: string, seg: CachedSegment): Promise<void> {
    await this.ready();
    const header = Buffer.from(JSON.stringify({ rate: seg.rate, samples: seg.pcm.length, phonemes: seg.phonemes }), "utf8");
    const len = Buffer.alloc(4);
    len.writeUInt32LE(header.length, 0);
    const body = Buffer.concat([len, header, Buffer.from(seg.pcm.buffer, seg.pcm.byteOffset, seg.pcm.byteLength)]);
    const file = this.path(key);
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await writeFile(tmp, body);
      await rename(tmp, file);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      log.warn(`TTS cache: cannot write ${file}: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    this.forget(key);
    this.index!.set(key, { bytes: body.length, used: Date.now() });
    this.total += body.length;
    await this.evict();
  }

  private path(key: string): string { return join(this.dir, key + SUFFIX); }

  private forget(key: string): void {
    const m = this.index?.get(key);
    if (m) { this.total -= m.bytes; this.index!.delete(key); }
  }

  private async evict(): Promise<void> {
    if (this.total <= this.maxBytes) return;
    const oldest = [...this.index!.entries()].sort((a, b) => a[1].used - b[1].used);
    for (const [key] of oldest) {
      if (this.total <= this.maxBytes) break;
      this.forget(key);
      await unlink(this.path(key)).catch(() => undefined);
    }
  }

  private ready(): Promise<void> {
    this.indexing ??= (async () => {
      const index = new Map<string, { bytes: number; used: number }>();
      await mkdir(this.dir, { recursive: true });
      for (const name of await readdir(this.dir)) {
        const full = join(this.dir, name);
        // temp files of writers that died midway are litter (a live writer renames within a second)
        if (name.endsWith(".tmp")) {
          const t = await stat(full).catch(() => null);
          if (t && Date.now() - t.mtimeMs > 60_000) await unlink(full).catch(() => undefined);
          continue;
        }
        if (!name.endsWith(SUFFIX)) continue;
        const s = await stat(full).catch(() => null);
        if (s) { index.set(name.slice(0, -SUFFIX.length), { bytes: s.size, used: s.mtimeMs }); this.total += s.size; }
      }
      this.index = index;
      await this.evict();
    })();
    return this.indexing;
  }
}
