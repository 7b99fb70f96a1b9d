/**
 * Whisper through onnxruntime-node (transformers.js-layout exports: tiny, base, small,
 * or any directory in that layout), multilingual through its language tokens.
 *
 * Whisper is not a streaming model. Partials come from re-decoding the audio so far
 * every `partialIntervalMs` of new audio, skipped while a decode is still running so
 * CPU stays bounded; the final comes from one decode after `end()`. Whisper sees 30 s
 * at a time: audio is buffered per window of `windowMs` (at most 30 s). When a window
 * fills, it is cut at its quietest 100 ms in the last 5 s, decoded once and its text
 * kept; the next window starts there. So a long utterance is transcribed window by
 * window with bounded memory (one window of samples plus the text so far), and a word
 * straddling a cut may be garbled.
 */
import { readFile } from "node:fs/promises";
import * as ort from "onnxruntime-node";
import type { AsrOptions, AsrProvider, AsrStream } from "./types.js";
import type { ModelStatus } from "../models/ModelStatus.js";
import { ASR_SAMPLE_RATE } from "./types.js";
import { AsrError } from "./errors.js";
import { ResultChannel } from "./ResultChannel.js";
import { fetchModelSet } from "./fetchModelSet.js";
import { resolveWhisperModel, type WhisperDtype, type WhisperFileSet } from "./catalog.js";
import { WhisperFeatureExtractor, WHISPER_CHUNK_SAMPLES } from "./whisperFeatures.js";
import { WhisperTokenizer } from "./whisperTokenizer.js";
import { WhisperDecoder, type WhisperGenerationConfig } from "./whisperDecode.js";
import { isAbortError } from "../util/errors.js";
import { joinTranscripts, quietestCut } from "./text.js";

export interface WhisperOnnxOptions {
  /** tiny | base | small, hf:owner/repo, or a local model directory */
  model: string;
  dtype: WhisperDtype;
  cacheDir: string;
  offline: boolean;
  status: ModelStatus;
  /** onnxruntime intra-op threads (the machine's cores) */
  threads: number;
  downloadStallMs?: number;
  /** new audio between partial re-decodes, ms; 0: final only */
  partialIntervalMs: number;
  /** audio per Whisper window, ms (<= 30 000) */
  windowMs: number;
  /** longest text per window, tokens */
  maxNewTokens: number;
  /** with language "auto": candidate languages (empty: all Whisper knows) */
  detectLanguages: string[];
  noSpeechThreshold: number;
  logprobThreshold: number;
}

export const WHISPER_ONNX_DEFAULTS = {
  dtype: "fp32",
  offline: false,
  partialIntervalMs: 1000,
  windowMs: 30_000,
  maxNewTokens: 224,
  detectLanguages: [] as string[],
  noSpeechThreshold: 0.6,
  logprobThreshold: -1,
} satisfies Partial<WhisperOnnxOptions>;

export type WhisperOnnxInit = Pick<WhisperOnnxOptions, "model" | "cacheDir" | "status" | "threads"> & Partial<WhisperOnnxOptions>;

interface Loaded { decoder: WhisperDecoder; features: WhisperFeatureExtractor; nMels: number }

const readJson = async (path: string | undefined): Promise<Record<string, unknown>> => (path ? (JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>) : {});

export class WhisperOnnxAsr implements AsrProvider {
  readonly label: string;
  readonly streaming: boolean;
  private readonly o: WhisperOnnxOptions;
  private loading: Promise<Loaded> | null = null;
  private sessions: ort.InferenceSession[] = [];
  private closed = false;

  constructor(opts: WhisperOnnxInit) {
    this.o = { ...WHISPER_ONNX_DEFAULTS, ...opts };
    if (!this.o.model) throw new AsrError("a Whisper model is required (tiny, base, small or a directory)");
    if (!this.o.cacheDir) throw new AsrError("a cache directory is required for Whisper models");
    if (!(this.o.threads >= 1)) throw new AsrError(`threads must be at least 1 (got ${this.o.threads})`);
    if (!(this.o.windowMs > 0 && this.o.windowMs <= 30_000)) throw new AsrError(`windowMs must be in (0, 30000] (got ${this.o.windowMs})`);
    if (!(this.o.partialIntervalMs >= 0)) throw new AsrError(`partialIntervalMs must be >= 0 (got ${this.o.partialIntervalMs})`);
    this.label = `whisper-onnx:${this.o.model}`;
    this.streaming = this.o.partialIntervalMs > 0;
  }

  prepare(signal?: AbortSignal): Promise<void> {
    return this.load(signal).then(() => undefined);
  }

  private load(signal?: AbortSignal): Promise<Loaded> {
    if (this.closed) return Promise.reject(new AsrError(`${this.label} is closed`));
    if (!this.loading) {
      this.loading = this.doLoad(signal);
      // a failed load can be retried (e.g. after going online)
      this.loading.catch(() => { this.loading = null; });
    }
    return this.loading;
  }

  private async doLoad(signal?: AbortSignal): Promise<Loaded> {
    const m = resolveWhisperModel(this.o.model, this.o.dtype);
    const paths = await fetchModelSet<keyof WhisperFileSet>(m.files as Record<keyof WhisperFileSet, string>, {
      cacheDir: this.o.cacheDir, offline: this.o.offline, status: this.o.status, id: m.id, name: m.label,
      ...(this.o.downloadStallMs !== undefined ? { stallMs: this.o.downloadStallMs } : {}), ...(signal ? { signal } : {}),
    });
    try {
      const [config, gen, pre, tok] = await Promise.all([readJson(paths.config), readJson(paths.generationConfig), readJson(paths.preprocessorConfig), readJson(paths.tokenizer)]);
      const tokenizer = WhisperTokenizer.fromTokenizerJson(tok);
      const opts: ort.InferenceSession.SessionOptions = { intraOpNumThreads: this.o.threads, interOpNumThreads: 1, logSeverityLevel: 3 };
      const encoder = await ort.InferenceSession.create(paths.encoder, opts);
      this.sessions.push(encoder);
      const decoderSession = await ort.InferenceSession.create(paths.decoder, opts);
      this.sessions.push(decoderSession);
      const fromEncoder = WhisperDecoder.melBinsOf(encoder);
      const nMels = Number(pre.feature_size ?? config.num_mel_bins ?? fromEncoder ?? 80);
      if (fromEncoder !== undefined && fromEncoder !== nMels) throw new AsrError(`the model config says ${nMels} mel bins but the encoder takes ${fromEncoder}`);
      const vocabSize = Number(config.vocab_size ?? tokenizer.vocabSize);
      const multilingual = typeof gen.is_multilingual === "boolean" ? gen.is_multilingual : vocabSize >= 51865;
      const decoder = new WhisperDecoder(encoder, decoderSession, tokenizer, multilingual, gen as WhisperGenerationConfig, Number(config.max_target_positions ?? 448));
      return { decoder, features: new WhisperFeatureExtractor(nMels), nMels };
    } catch (err) {
      await this.releaseSessions();
      const msg = `cannot load ${m.label}: ${err instanceof Error ? err.message : String(err)}`;
      this.o.status.report(m.id, { kind: "asr", name: m.label, ready: false, error: msg });
      throw new AsrError(msg, false, { cause: err });
    }
  }

  start(opts: AsrOptions): AsrStream {
    return new WhisperStream(() => this.load(), this.o, opts);
  }

  private async releaseSessions(): Promise<void> {
    const s = this.sessions.splice(0);
    await Promise.all(s.map((x) => x.release().catch(() => undefined)));
  }

  async close(): Promise<void> {
    this.closed = true;
    const loading = this.loading;
    this.loading = null;
    await loading?.catch(() => undefined);
    await this.releaseSessions();
  }
}

const MS = ASR_SAMPLE_RATE / 1000;

class WhisperStream implements AsrStream {
  readonly results;
  private readonly channel: ResultChannel;
  private readonly windowCap: number;
  private readonly partialEvery: number;
  private window: Float32Array[] = [];
  private windowLen = 0;
  /** samples before the current window */
  private windowStart = 0;
  private partialMark = 0;
  private committed = "";
  private language: string | undefined;
  private jobs: Promise<void> = Promise.resolve();
  private pending = 0;
  private ended = false;

  constructor(private readonly model: () => Promise<Loaded>, private readonly o: WhisperOnnxOptions, private readonly opts: AsrOptions) {
    this.channel = new ResultChannel(opts.signal);
    this.results = this.channel.results;
    this.windowCap = Math.min(WHISPER_CHUNK_SAMPLES, Math.round(o.windowMs * MS));
    this.partialEvery = Math.round(o.partialIntervalMs * MS);
    // load (or download) while the person is still talking; not counted as a pending decode
    this.enqueue(async () => { await this.model(); }, false);
  }

  push(pcm: Int16Array): void {
    if (this.ended || this.channel.closed || pcm.length === 0) return;
    const f = new Float32Array(pcm.length);
    for (let i = 0; i < pcm.length; i++) f[i] = pcm[i]! / 32768;
    this.window.push(f);
    this.windowLen += f.length;
    while (this.windowLen >= this.windowCap) this.cutWindow();
    if (this.partialEvery > 0 && this.pending === 0 && this.windowLen - this.partialMark >= this.partialEvery) {
      this.partialMark = this.windowLen;
      const samples = this.windowSamples();
      const endMs = (this.windowStart + samples.length) / MS;
      this.enqueue(async () => {
        const text = await this.decode(samples);
        this.channel.partial(joinTranscripts(this.committed, text), endMs, this.language);
      });
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    const samples = this.windowSamples();
    const endMs = (this.windowStart + samples.length) / MS;
    this.window = [];
    this.enqueue(async () => {
      const text = samples.length ? await this.decode(samples) : "";
      this.channel.final(joinTranscripts(this.committed, text), endMs, this.language);
    });
  }

  private windowSamples(): Float32Array {
    const out = new Float32Array(this.windowLen);
    let o = 0;
    for (const c of this.window) { out.set(c, o); o += c.length; }
    return out;
  }

  /** Closes a full window at a quiet point and queues its decode; the rest starts the next window. */
  private cutWindow(): void {
    const all = this.windowSamples();
    const cut = quietestCut(all.subarray(0, this.windowCap), Math.min(5 * ASR_SAMPLE_RATE, this.windowCap >> 1), 100 * MS);
    const head = all.slice(0, cut);
    this.window = [all.slice(cut)];
    this.windowLen = all.length - cut;
    this.windowStart += cut;
    this.partialMark = 0;
    const endMs = this.windowStart / MS;
    this.enqueue(async () => {
      const text = await this.decode(head);
      this.committed = joinTranscripts(this.committed, text);
      this.channel.partial(this.committed, endMs, this.language);
    });
  }

  private async decode(samples: Float32Array): Promise<string> {
    const m = await this.model();
    const features = m.features.compute(samples);
    const r = await m.decoder.transcribe(features, m.nMels, {
      language: this.opts.language || "auto", signal: this.opts.signal, maxNewTokens: this.o.maxNewTokens,
      detectLanguages: this.o.detectLanguages, noSpeechThreshold: this.o.noSpeechThreshold, logprobThreshold: this.o.logprobThreshold,
    });
    if (r.text) this.language = r.language;
    else this.language ??= r.language;
    return r.text;
  }

  /** Decodes run one at a time, in order; a failure ends the stream with its reason. */
  private enqueue(job: () => Promise<void>, counts = true): void {
    if (counts) this.pending++;
    this.jobs = this.jobs.then(async () => {
      try {
        if (!this.channel.closed) await job();
      } catch (err) {
        if (this.opts.signal.aborted || isAbortError(err)) return;
        this.channel.fail(err, "Whisper failed");
      } finally {
        if (counts) this.pending--;
      }
    });
  }
}
