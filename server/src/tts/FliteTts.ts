/**
 * flite (CMU, BSD-style licence) compiled to WASI: five built-in English voices
 * with phone timings (`-psdur`), no download. Runs in a worker thread because a
 * WASI run is synchronous; text goes sentence by sentence so the first audio
 * leaves after the first sentence.
 */
import { Worker } from "node:worker_threads";
import { rm } from "node:fs/promises";
import type { VoiceConfig } from "@parley/shared";
import type { TimedPhoneme } from "../lipsync/cues.js";
import type { TtsPiece, TtsProvider, TtsVoiceInfo } from "./types.js";
import { arpabetToIpa } from "../lipsync/arpabet.js";
import { splitSentences } from "./clauses.js";
import { MAX_PIECE_SAMPLES, piecesOf } from "./pcm.js";
import { PcmStreamDecoder } from "./PcmStreamDecoder.js";
import { TtsError } from "../util/errors.js";

export interface FliteOptions {
  /** longest piece yielded, samples */
  maxPieceSamples: number;
  /** a sentence longer than this is run in smaller parts (clauses, then words), characters */
  maxChunkChars: number;
}

export const FLITE_DEFAULTS: FliteOptions = { maxPieceSamples: MAX_PIECE_SAMPLES, maxChunkChars: 240 };

interface FliteVoiceSpec { name: string; languages: string[]; sampleRate: number; f0: number }

/**
 * The built-in voices. `sampleRate` is what each really writes (read from its WAV
 * header: kal is 8 kHz, the others 16 kHz); `f0` is its measured mean pitch, Hz,
 * the centre that `pitch` moves from. rms ignores a pitch target.
 */
export const FLITE_VOICES: Readonly<Record<"kal" | "kal16" | "awb" | "rms" | "slt", FliteVoiceSpec>> = {
  kal: { name: "Kal (diphone, 8 kHz)", languages: ["en-US", "en"], sampleRate: 8000, f0: 87 },
  kal16: { name: "Kal (diphone)", languages: ["en-US", "en"], sampleRate: 16000, f0: 87 },
  awb: { name: "Alan (Scottish English)", languages: ["en-GB", "en"], sampleRate: 16000, f0: 130 },
  rms: { name: "Richard", languages: ["en-US", "en"], sampleRate: 16000, f0: 101 },
  slt: { name: "Sally", languages: ["en-US", "en"], sampleRate: 16000, f0: 172 },
};

type WorkerMessage =
  | { type: "ready"; dir: string }
  | { type: "result"; id: number; wav: Uint8Array; phones: string }
  | { type: "error"; id: number; message: string };

interface Job { resolve: (r: { wav: Uint8Array; phones: string }) => void; reject: (e: Error) => void }

export class FliteTts implements TtsProvider {
  readonly label = "flite";
  readonly hasTimings = true;
  private readonly o: FliteOptions;
  private readonly worker: Worker;
  private readonly ready: Promise<string>;
  private readonly jobs = new Map<number, Job>();
  private nextId = 1;
  private closed = false;

  constructor(opts: Partial<FliteOptions> = {}) {
    this.o = { ...FLITE_DEFAULTS, ...opts };
    if (!(this.o.maxPieceSamples >= 256)) throw new TtsError("FliteTts: maxPieceSamples must be at least 256 samples");
    if (!(this.o.maxChunkChars >= 20)) throw new TtsError("FliteTts: maxChunkChars must be at least 20 characters");
    this.worker = new Worker(new URL("./flite.worker.mjs", import.meta.url));
    this.ready = new Promise((resolve, reject) => {
      this.worker.once("error", reject);
      this.worker.on("message", (m: WorkerMessage) => {
        // ref'd while it starts and while it works, so a caller waiting on it is not cut short
        if (m.type === "ready") { if (this.jobs.size === 0) this.worker.unref(); resolve(m.dir); return; }
        const job = this.jobs.get(m.id);
        this.jobs.delete(m.id);
        if (this.jobs.size === 0) this.worker.unref();
        if (m.type === "result") job?.resolve(m);
        else job?.reject(new TtsError(`flite failed: ${m.message}`));
      });
    });
    this.ready.catch(() => undefined);
    this.worker.on("error", (err) => {
      for (const j of this.jobs.values()) j.reject(new TtsError("flite worker crashed", true, { cause: err }));
      this.jobs.clear();
    });
  }

  async prepare(voice: VoiceConfig): Promise<void> {
    if (voice.provider !== "flite") throw new TtsError(`flite cannot speak a ${voice.provider} voice`);
    try { await this.ready; } catch (err) { throw new TtsError("flite could not start", false, { cause: err }); }
  }

  sampleRate(voice: VoiceConfig): number {
    return FLITE_VOICES[this.spec(voice)].sampleRate;
  }

  async listVoices(): Promise<TtsVoiceInfo[]> {
    return Object.entries(FLITE_VOICES).map(([id, v]) => ({ provider: "flite", id, name: v.name, languages: v.languages, sampleRate: v.sampleRate }));
  }

  async *synthesize(text: string, voice: VoiceConfig, signal: AbortSignal): AsyncIterable<TtsPiece> {
    if (this.closed) throw new TtsError("flite is closed");
    const id = this.spec(voice);
    const spec = FLITE_VOICES[id];
    const v = voice as Extract<VoiceConfig, { provider: "flite" }>;
    await this.ready;
    // pitch 0..100 moves the mean by up to half an octave either way
    const f0Mean = v.pitch === 50 ? 0 : Math.round(spec.f0 * 2 ** ((v.pitch - 50) / 100));
    let offset = 0;
    for (const chunk of this.chunks(text)) {
      if (signal.aborted) return;
      const { wav, phones } = await this.run(chunk, id, 1 / v.speed, f0Mean);
      if (signal.aborted) return;
      const decoder = new PcmStreamDecoder();
      const pcm = decoder.push(wav);
      const rate = decoder.format?.sampleRate;
      if (rate !== spec.sampleRate) throw new TtsError(`flite voice ${id} wrote ${rate ?? "no"} Hz audio, expected ${spec.sampleRate} Hz`);
      for (const piece of piecesOf(pcm, parseFlitePhones(phones, rate), offset, this.o.maxPieceSamples)) {
        if (signal.aborted) return;
        yield piece;
      }
      offset += pcm.length;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const dir = await this.ready.catch(() => "");
    await this.worker.terminate();
    if (dir) await rm(dir, { recursive: true, force: true });
  }

  private spec(voice: VoiceConfig): keyof typeof FLITE_VOICES {
    if (voice.provider !== "flite") throw new TtsError(`flite cannot speak a ${voice.provider} voice`);
    return voice.voice;
  }

  /** Sentences, with long ones cut at clauses and then words; parts without letters or digits are silent and skipped. */
  private *chunks(text: string): Generator<string> {
    for (const s of splitSentences(text)) {
      const parts = s.text.length <= this.o.maxChunkChars ? [s.text] : s.clauses.flatMap((c) => cutWords(c.text + c.terminator, this.o.maxChunkChars));
      for (const p of parts) if (/[\p{L}\p{N}]/u.test(p)) yield p;
    }
  }

  private run(text: string, voice: string, stretch: number, f0Mean: number): Promise<{ wav: Uint8Array; phones: string }> {
    const id = this.nextId++;
    // an idle worker must not keep the process alive; a busy one must
    this.worker.ref();
    return new Promise((resolve, reject) => {
      this.jobs.set(id, { resolve, reject });
      this.worker.postMessage({ type: "synth", id, text, voice, stretch, f0Mean });
    });
  }
}

function cutWords(text: string, max: number): string[] {
  const out: string[] = [];
  let cur = "";
  for (const w of text.split(/\s+/).filter(Boolean)) {
    if (cur && cur.length + 1 + w.length > max) { out.push(cur); cur = ""; }
    cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) out.push(cur);
  return out;
}

/**
 * flite's `-psdur` trace: "pau:0.164 hh:0.255 ..." with each phone's END time in
 * seconds; a phone after a newline starts a new utterance whose times restart at 0.
 * Returns each phone's START, in samples at `rate`.
 */
export function parseFlitePhones(trace: string, rate: number): TimedPhoneme[] {
  const out: TimedPhoneme[] = [];
  let utteranceStart = 0;
  let prevEnd = 0;
  for (const token of trace.split(" ")) {
    if (!token.trim()) continue;
    if (token.startsWith("\n")) utteranceStart = prevEnd;
    const split = token.lastIndexOf(":");
    const end = utteranceStart + Number(token.slice(split + 1));
    if (split < 0 || !Number.isFinite(end)) continue;
    out.push({ t: Math.round(prevEnd * rate), ipa: arpabetToIpa(token.slice(0, split)) });
    prevEnd = Math.max(prevEnd, end);
  }
  return out;
}
