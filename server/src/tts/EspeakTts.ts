/**
 * The offline voice: espeak-ng compiled to WASM (GPL-3.0), 100+ languages, with
 * phoneme events at audio positions. Synthesis runs in a worker thread so the
 * room's event loop keeps sending audio while the next segment is made. The same
 * worker turns text into IPA for the neural voices' phonemizers.
 */
import { Worker } from "node:worker_threads";
import type { VoiceConfig } from "@parley/shared";
import type { TtsPiece, TtsProvider, TtsVoiceInfo } from "./types.js";
import { AsyncQueue } from "../util/AsyncQueue.js";
import { TtsError } from "../util/errors.js";

type WorkerMessage =
  | { type: "ready"; sampleRate: number; voices: { identifier: string; name: string; languages: { name: string }[] }[] }
  | { type: "piece"; id: number; pcm: Int16Array; phonemes: TtsPiece["phonemes"] }
  | { type: "done"; id: number }
  | { type: "ipa"; id: number; ipa: string }
  | { type: "error"; id: number; message: string };

/** espeak-ng's normal pace, words per minute */
const BASE_WPM = 175;

/**
 * espeak-ng's Russian voices name ы "y" in their phoneme events (the phoneme
 * table's name); in IPA, and for the lips, it is ɨ: spread, not rounded like y.
 */
const russianIpa = (p: TtsPiece): TtsPiece => ({ ...p, phonemes: p.phonemes.map((e) => ({ ...e, ipa: e.ipa.replace(/y/g, "ɨ") })) });

export class EspeakTts implements TtsProvider {
  readonly label = "espeak";
  readonly hasTimings = true;
  private rate = 22050;
  private worker: Worker;
  private ready: Promise<void>;
  private voices: TtsVoiceInfo[] = [];
  private jobs = new Map<number, AsyncQueue<TtsPiece>>();
  private ipaJobs = new Map<number, { resolve: (s: string) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private closed = false;

  constructor() {
    this.worker = new Worker(new URL("./espeak.worker.mjs", import.meta.url));
    this.worker.unref();
    this.ready = new Promise((resolve, reject) => {
      this.worker.once("error", reject);
      this.worker.on("message", (m: WorkerMessage) => this.onMessage(m, resolve));
    });
    this.worker.on("error", (err) => {
      for (const q of this.jobs.values()) q.fail(new TtsError("espeak-ng worker crashed", true, { cause: err }));
      for (const j of this.ipaJobs.values()) j.reject(new TtsError("espeak-ng worker crashed", true, { cause: err }));
      this.jobs.clear();
      this.ipaJobs.clear();
    });
  }

  private onMessage(m: WorkerMessage, ready: () => void): void {
    if (m.type === "ready") {
      this.rate = m.sampleRate;
      this.voices = m.voices.map((v) => ({ provider: "espeak", id: v.identifier.split("/").pop()!.toLowerCase(), name: v.name, languages: v.languages.map((l) => l.name), sampleRate: m.sampleRate }));
      ready();
      return;
    }
    if (m.type === "ipa") { this.ipaJobs.get(m.id)?.resolve(m.ipa); this.ipaJobs.delete(m.id); return; }
    const ipa = this.ipaJobs.get(m.id);
    if (ipa && m.type === "error") { ipa.reject(new TtsError(`espeak-ng failed: ${m.message}`)); this.ipaJobs.delete(m.id); return; }
    const q = this.jobs.get(m.id);
    if (!q) return;
    if (m.type === "piece") q.push({ pcm: m.pcm, phonemes: m.phonemes });
    else if (m.type === "done") { q.close(); this.jobs.delete(m.id); }
    else if (m.type === "error") { q.fail(new TtsError(`espeak-ng failed: ${m.message}`)); this.jobs.delete(m.id); }
  }

  /** Resolves when the engine is loaded (about 200 ms). */
  async init(): Promise<void> { await this.ready; }

  async prepare(voice: VoiceConfig): Promise<void> {
    await this.ready;
    if (voice.provider !== "espeak") throw new TtsError(`espeak-ng cannot speak a ${voice.provider} voice`);
  }

  sampleRate(_voice?: VoiceConfig): number { return this.rate; }

  async listVoices(): Promise<TtsVoiceInfo[]> {
    await this.ready;
    return this.voices;
  }

  async *synthesize(text: string, voice: VoiceConfig, signal: AbortSignal): AsyncIterable<TtsPiece> {
    if (this.closed) throw new TtsError("espeak-ng is closed");
    await this.ready;
    if (signal.aborted) return;
    const v = voice.provider === "espeak" ? voice : voice.fallback ?? { voice: "en-us", speed: voice.speed, pitch: voice.pitch };
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
    this.worker.postMessage({ type: "synth", id, text, voice: v.voice, rate: Math.round(BASE_WPM * v.speed), pitch: v.pitch });
    const ipa = /^ru\b/.test(v.voice) ? russianIpa : (p: TtsPiece): TtsPiece => p;
    try {
      for await (const piece of q) {
        if (signal.aborted) return;
        yield ipa(piece);
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  /** Text to IPA with espeak-ng's phonemizer (for Piper, Kokoro and tests). Words are separated by spaces. */
  async phonemize(text: string, espeakVoice: string): Promise<string> {
    await this.ready;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.ipaJobs.set(id, { resolve, reject });
      this.worker.postMessage({ type: "ipa", id, text, voice: espeakVoice });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.worker.terminate();
  }
}
