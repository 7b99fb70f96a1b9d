/**
 * The offline voice: espeak-ng compiled to WASM (GPL-3.0), 100+ languages, with
 * phoneme events at audio positions. Synthesis runs in a worker thread so the
 * room's event loop keeps sending audio while the next segment is made.
 */
import { Worker } from "node:worker_threads";
import type { VoiceConfig } from "@parley/shared";
import type { TtsPiece, TtsProvider } from "./types.js";
import { AsyncQueue } from "../util/AsyncQueue.js";
import { TtsError } from "../util/errors.js";

type WorkerMessage =
  | { type: "ready"; sampleRate: number }
  | { type: "piece"; id: number; pcm: Int16Array; phonemes: TtsPiece["phonemes"] }
  | { type: "done"; id: number }
  | { type: "error"; id: number; message: string };

export class EspeakTts implements TtsProvider {
  readonly label = "espeak-ng";
  sampleRate = 22050;
  private worker: Worker;
  private ready: Promise<void>;
  private jobs = new Map<number, AsyncQueue<TtsPiece>>();
  private nextId = 1;
  private closed = false;

  constructor() {
    this.worker = new Worker(new URL("./espeak.worker.mjs", import.meta.url));
    this.worker.unref();
    this.ready = new Promise((resolve, reject) => {
      this.worker.once("error", reject);
      this.worker.on("message", (m: WorkerMessage) => {
        if (m.type === "ready") { this.sampleRate = m.sampleRate; resolve(); return; }
        const q = this.jobs.get(m.id);
        if (!q) return;
        if (m.type === "piece") q.push({ pcm: m.pcm, phonemes: m.phonemes });
        else if (m.type === "done") { q.close(); this.jobs.delete(m.id); }
        else { q.fail(new TtsError(`espeak-ng failed: ${m.message}`)); this.jobs.delete(m.id); }
      });
    });
    this.worker.on("error", (err) => {
      for (const q of this.jobs.values()) q.fail(new TtsError("espeak-ng worker crashed", true, { cause: err }));
      this.jobs.clear();
    });
  }

  /** Resolves when the engine is loaded (about 200 ms). */
  async init(): Promise<void> { await this.ready; }

  async *synthesize(text: string, voice: VoiceConfig, signal: AbortSignal): AsyncIterable<TtsPiece> {
    if (this.closed) throw new TtsError("espeak-ng is closed");
    await this.ready;
    if (signal.aborted) return;
    const id = this.nextId++;
    const q = new AsyncQueue<TtsPiece>();
    this.jobs.set(id, q);
    const onAbort = (): void => {
      this.worker.postMessage({ type: "cancel", id });
      q.close();
      this.jobs.delete(id);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    // SSML is off: the text is spoken as written, so markup in it cannot steer the engine
    this.worker.postMessage({ type: "synth", id, text, voice: voice.voice, rate: voice.rate, pitch: voice.pitch });
    try {
      for await (const piece of q) {
        if (signal.aborted) return;
        yield piece;
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.worker.terminate();
  }
}
