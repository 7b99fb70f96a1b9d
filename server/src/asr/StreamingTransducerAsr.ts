/**
 * Low-latency local recognition with a sherpa-onnx streaming zipformer transducer:
 * Kaldi fbank frames are computed as audio arrives, every `decode_chunk_len` frames
 * (320 ms for chunk-16 models) one encoder call with cached states advances the
 * greedy search, and a partial follows whenever the text grew. After `end()` the
 * audio is padded with silence so the last words pass the encoder's look-ahead, and
 * the final is the text so far. Memory stays bounded for any length: consumed frames
 * are dropped and the states have fixed sizes.
 *
 * Each model knows its own languages (en, zh+en, zh, ru in the catalog); route other
 * languages, and "auto", to Whisper (see `streamingModelFor`).
 */
import type { AsrOptions, AsrProvider, AsrStream } from "./types.js";
import type { ModelStatus } from "../models/ModelStatus.js";
import { ASR_SAMPLE_RATE } from "./types.js";
import { AsrError } from "./errors.js";
import { ResultChannel } from "./ResultChannel.js";
import { fetchModelSet } from "./fetchModelSet.js";
import { resolveStreamingModel, type TransducerFileSet } from "./catalog.js";
import { OnlineFbank, FBANK_DEFAULTS } from "./fbankFeatures.js";
import { TransducerModel, type Hypothesis } from "./transducerModel.js";
import type * as ort from "onnxruntime-node";
import { isAbortError } from "../util/errors.js";

export interface StreamingTransducerOptions {
  /** catalog name (en, zh-en, zh, ru) or a local directory */
  model: string;
  cacheDir: string;
  offline: boolean;
  status: ModelStatus;
  threads: number;
  downloadStallMs?: number;
  /** LibriSpeech-style models write ALL CAPS; lower-case such text */
  lowercaseAllCaps: boolean;
}

export const STREAMING_TRANSDUCER_DEFAULTS = { offline: false, lowercaseAllCaps: true } satisfies Partial<StreamingTransducerOptions>;

export type StreamingTransducerInit = Pick<StreamingTransducerOptions, "model" | "cacheDir" | "status" | "threads"> & Partial<StreamingTransducerOptions>;

interface Loaded { model: TransducerModel; languages: readonly string[] }

export class StreamingTransducerAsr implements AsrProvider {
  readonly label: string;
  readonly streaming = true;
  private readonly o: StreamingTransducerOptions;
  private loading: Promise<Loaded> | null = null;
  private closed = false;

  constructor(opts: StreamingTransducerInit) {
    this.o = { ...STREAMING_TRANSDUCER_DEFAULTS, ...opts };
    if (!this.o.model) throw new AsrError("a streaming model is required (en, zh-en, zh, ru or a directory)");
    if (!this.o.cacheDir) throw new AsrError("a cache directory is required for streaming models");
    if (!(this.o.threads >= 1)) throw new AsrError(`threads must be at least 1 (got ${this.o.threads})`);
    this.label = `streaming-transducer:${this.o.model}`;
  }

  prepare(signal?: AbortSignal): Promise<void> {
    return this.load(signal).then(() => undefined);
  }

  private load(signal?: AbortSignal): Promise<Loaded> {
    if (this.closed) return Promise.reject(new AsrError(`${this.label} is closed`));
    if (!this.loading) {
      this.loading = this.doLoad(signal);
      this.loading.catch(() => { this.loading = null; });
    }
    return this.loading;
  }

  private async doLoad(signal?: AbortSignal): Promise<Loaded> {
    const m = resolveStreamingModel(this.o.model);
    const paths = await fetchModelSet<keyof TransducerFileSet>({ ...m.files }, {
      cacheDir: this.o.cacheDir, offline: this.o.offline, status: this.o.status, id: m.id, name: m.label,
      ...(this.o.downloadStallMs !== undefined ? { stallMs: this.o.downloadStallMs } : {}), ...(signal ? { signal } : {}),
    });
    try {
      return { model: await TransducerModel.load(paths, this.o.threads), languages: m.languages };
    } catch (err) {
      const msg = `cannot load ${m.label}: ${err instanceof Error ? err.message : String(err)}`;
      this.o.status.report(m.id, { kind: "asr", name: m.label, ready: false, error: msg });
      throw new AsrError(msg, false, { cause: err });
    }
  }

  start(opts: AsrOptions): AsrStream {
    return new TransducerStream(() => this.load(), this.o, opts);
  }

  async close(): Promise<void> {
    this.closed = true;
    const loading = this.loading;
    this.loading = null;
    const m = await loading?.catch(() => undefined);
    await m?.model.release();
  }
}

const FRAME_SHIFT = FBANK_DEFAULTS.frameShift;
const FRAME_LENGTH = FBANK_DEFAULTS.frameLength;

class TransducerStream implements AsrStream {
  readonly results;
  private readonly channel: ResultChannel;
  private fbank: OnlineFbank | null = null;
  /** audio that arrived before the model was loaded */
  private early: Float32Array[] = [];
  private frames: Float32Array[] = [];
  /** absolute index of frames[0], and of the next chunk's first frame */
  private offset = 0;
  private processed = 0;
  private samples = 0;
  private states: Map<string, ort.Tensor> | null = null;
  private hyp: Hypothesis | null = null;
  private loaded: Loaded | null = null;
  private running: Promise<void> | null = null;
  private ended = false;
  private lastText = "";

  constructor(loader: () => Promise<Loaded>, private readonly o: StreamingTransducerOptions, private readonly opts: AsrOptions) {
    this.channel = new ResultChannel(opts.signal);
    this.results = this.channel.results;
    loader().then((l) => {
      this.loaded = l;
      this.fbank = new OnlineFbank({ numBins: l.model.featureDim });
      this.states = l.model.initStates();
      this.hyp = l.model.newHypothesis();
      for (const e of this.early.splice(0)) this.accept(e);
      this.pump();
    }, (err: unknown) => this.channel.fail(err, "cannot load the streaming model"));
  }

  push(pcm: Int16Array): void {
    if (this.ended || this.channel.closed || pcm.length === 0) return;
    const f = new Float32Array(pcm.length);
    for (let i = 0; i < pcm.length; i++) f[i] = pcm[i]! / 32768;
    this.samples += f.length;
    if (!this.fbank) { this.early.push(f); return; }
    this.accept(f);
    this.pump();
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.pump();
  }

  private accept(f: Float32Array): void {
    try {
      this.frames.push(...this.fbank!.accept(f));
    } catch (err) {
      this.channel.fail(err, "feature extraction failed");
    }
  }

  /** Runs chunks while enough frames are buffered, one at a time; finishes after end(). */
  private pump(): void {
    if (this.running || !this.loaded || this.channel.closed) return;
    this.running = this.run().catch((err: unknown) => {
      if (!this.opts.signal.aborted && !isAbortError(err)) this.channel.fail(err, "streaming recognition failed");
    }).finally(() => {
      this.running = null;
      if (!this.channel.closed && (this.ready() || this.ended)) this.pump();
    });
  }

  private ready(): boolean {
    return this.offset + this.frames.length - this.processed >= this.loaded!.model.T;
  }

  private async run(): Promise<void> {
    const m = this.loaded!.model;
    while (this.ready() && !this.channel.closed) await this.chunk();
    if (!this.ended || this.channel.closed) return;
    const realFrames = this.fbank!.frames;
    if (realFrames > 0) {
      // silence after the end so every real frame gets a full chunk, look-ahead included
      const needFrames = Math.ceil(realFrames / m.shift) * m.shift + (m.T - m.shift);
      const needSamples = (needFrames - 1) * FRAME_SHIFT + FRAME_SHIFT / 2 + FRAME_LENGTH / 2;
      const pad = Math.max(0, needSamples - this.samples);
      if (pad > 0) this.frames.push(...this.fbank!.accept(new Float32Array(pad)));
      while (this.processed < realFrames && this.ready() && !this.channel.closed) await this.chunk();
    }
    this.channel.final(this.text(), (this.samples / ASR_SAMPLE_RATE) * 1000, this.language());
  }

  private async chunk(): Promise<void> {
    const m = this.loaded!.model;
    const start = this.processed - this.offset;
    const x = new Float32Array(m.T * m.featureDim);
    for (let t = 0; t < m.T; t++) x.set(this.frames[start + t]!, t * m.featureDim);
    this.states = await m.decodeChunk(x, this.states!, this.hyp!);
    if (this.channel.closed) return;
    this.processed += m.shift;
    this.frames.splice(0, this.processed - this.offset);
    this.offset = this.processed;
    const text = this.text();
    if (text !== this.lastText) {
      this.lastText = text;
      const coveredMs = Math.min(this.processed * 10, (this.samples / ASR_SAMPLE_RATE) * 1000);
      this.channel.partial(text, coveredMs, this.language());
    }
  }

  private text(): string {
    const t = this.loaded!.model.text(this.hyp!);
    return this.o.lowercaseAllCaps && /\p{Lu}/u.test(t) && !/\p{Ll}/u.test(t) ? t.toLowerCase() : t;
  }

  /** the model's language when it has just one; else the requested one if the model has it (or its languages are unknown) */
  private language(): string | undefined {
    const langs = this.loaded?.languages ?? [];
    if (langs.length === 1) return langs[0];
    const requested = this.opts.language.toLowerCase().split(/[-_]/)[0]!;
    if (requested === "auto") return undefined;
    return langs.length === 0 || langs.includes(requested) ? requested : undefined;
  }
}
