/**
 * Any server with OpenAI's `/v1/audio/transcriptions`: faster-whisper-server /
 * speaches, whisper.cpp's server (with --inference-path /v1/audio/transcriptions),
 * LocalAI, or a cloud API. The utterance is posted as a 16 kHz mono WAV in a
 * multipart form (file, model, language unless "auto", response_format). Final only
 * by default; with `partialIntervalMs` the audio so far is re-posted every interval
 * (one request at a time) for partials. Audio past `maxAudioMs` is not sent (the
 * result's audioMs says how much was).
 */
import type { AsrOptions, AsrProvider, AsrStream } from "./types.js";
import { ASR_SAMPLE_RATE } from "./types.js";
import { AsrError } from "./errors.js";
import { ResultChannel } from "./ResultChannel.js";
import { encodeWav } from "./wav.js";
import { errorMessage, isAbortError } from "../util/errors.js";

export interface OpenAITranscriptionOptions {
  /** e.g. http://127.0.0.1:8000/v1 */
  baseUrl: string;
  /** e.g. Systran/faster-whisper-small, whisper-1 */
  model: string;
  apiKey?: string;
  responseFormat: "json" | "verbose_json";
  /** re-post the audio so far this often for partials, ms; 0 = final only */
  partialIntervalMs: number;
  /** a request that has not answered after this long fails, ms */
  timeoutMs: number;
  /** longest audio sent per utterance, ms */
  maxAudioMs: number;
  temperature?: number;
}

export const OPENAI_TRANSCRIPTION_DEFAULTS = {
  responseFormat: "json",
  partialIntervalMs: 0,
  timeoutMs: 30_000,
  maxAudioMs: 120_000,
} satisfies Partial<OpenAITranscriptionOptions>;

export type OpenAITranscriptionInit = Pick<OpenAITranscriptionOptions, "baseUrl" | "model"> & Partial<OpenAITranscriptionOptions>;

/** verbose_json from OpenAI names languages ("english"); servers like speaches send codes */
const LANGUAGE_NAMES: Record<string, string> = {
  english: "en", russian: "ru", chinese: "zh", german: "de", french: "fr", spanish: "es", italian: "it",
  japanese: "ja", korean: "ko", portuguese: "pt", ukrainian: "uk", polish: "pl", dutch: "nl", turkish: "tr", arabic: "ar",
};
const languageCode = (l: unknown): string | undefined => {
  if (typeof l !== "string" || !l) return undefined;
  const s = l.toLowerCase();
  return LANGUAGE_NAMES[s] ?? (/^[a-z]{2,3}$/.test(s) ? s : undefined);
};

export class OpenAITranscriptionAsr implements AsrProvider {
  readonly label = "openai-transcription";
  readonly streaming: boolean;
  readonly o: OpenAITranscriptionOptions;
  private readonly base: string;

  constructor(opts: OpenAITranscriptionInit) {
    this.o = { ...OPENAI_TRANSCRIPTION_DEFAULTS, ...opts };
    if (!/^https?:\/\//.test(this.o.baseUrl ?? "")) throw new AsrError(`transcription base URL must start with http:// or https:// (got "${this.o.baseUrl}")`);
    if (!this.o.model) throw new AsrError("a model name is required for an OpenAI-compatible transcription server");
    if (!(this.o.timeoutMs > 0)) throw new AsrError(`timeoutMs must be positive (got ${this.o.timeoutMs})`);
    this.base = this.o.baseUrl.replace(/\/+$/, "");
    this.streaming = this.o.partialIntervalMs > 0;
  }

  private headers(): Record<string, string> {
    return this.o.apiKey ? { authorization: `Bearer ${this.o.apiKey}` } : {};
  }

  /** Checks the server answers at all (a 404 on /models still means it is there) and takes the key. */
  async prepare(signal?: AbortSignal): Promise<void> {
    const ac = AbortSignal.any([AbortSignal.timeout(this.o.timeoutMs), ...(signal ? [signal] : [])]);
    const res = await fetch(`${this.base}/models`, { headers: this.headers(), signal: ac }).catch((err: unknown) => {
      throw new AsrError(`cannot reach the transcription server at ${this.base}: ${errorMessage(err)}`, true, { cause: err });
    });
    await res.body?.cancel();
    if (res.status === 401 || res.status === 403) throw new AsrError(`${this.base} rejected the API key (${res.status})`, false);
    if (res.status >= 500) throw new AsrError(`${this.base}/models answered ${res.status}`, true);
  }

  start(opts: AsrOptions): AsrStream {
    return new TranscriptionStream(this, this.base, opts);
  }

  /** Posts one WAV; resolves to the text and language the server heard. */
  async transcribe(pcm: Int16Array, language: string, signal: AbortSignal): Promise<{ text: string; language?: string }> {
    const form = new FormData();
    form.append("file", new Blob([encodeWav(pcm, ASR_SAMPLE_RATE)], { type: "audio/wav" }), "speech.wav");
    form.append("model", this.o.model);
    form.append("response_format", this.o.responseFormat);
    if (language && language !== "auto") form.append("language", language);
    if (this.o.temperature !== undefined) form.append("temperature", String(this.o.temperature));
    const timeout = AbortSignal.timeout(this.o.timeoutMs);
    const url = `${this.base}/audio/transcriptions`;
    let res: Response;
    try {
      res = await fetch(url, { method: "POST", headers: this.headers(), body: form, signal: AbortSignal.any([signal, timeout]) });
    } catch (err) {
      if (signal.aborted) throw err;
      if (timeout.aborted) throw new AsrError(`${url} did not answer within ${this.o.timeoutMs} ms`, true, { cause: err });
      throw new AsrError(`cannot reach ${url}: ${errorMessage(err)}`, true, { cause: err });
    }
    const body = await res.text().catch((err: unknown) => {
      if (signal.aborted) throw err;
      throw new AsrError(`${url} dropped the answer: ${errorMessage(err)}`, true, { cause: err });
    });
    if (!res.ok) {
      let detail = body.slice(0, 300);
      try { detail = String((JSON.parse(body) as { error?: { message?: string } }).error?.message ?? detail); } catch { /* plain text */ }
      throw new AsrError(`${url} answered ${res.status}${detail ? `: ${detail}` : ""}`, res.status >= 500 || res.status === 429);
    }
    let parsed: { text?: unknown; language?: unknown };
    try { parsed = JSON.parse(body) as typeof parsed; } catch (err) {
      throw new AsrError(`${url} sent malformed JSON: ${body.slice(0, 100)}`, true, { cause: err });
    }
    if (typeof parsed?.text !== "string") throw new AsrError(`${url} sent no "text" in its answer`, true);
    const lang = languageCode(parsed.language) ?? (language !== "auto" ? language : undefined);
    return { text: parsed.text.trim(), ...(lang ? { language: lang } : {}) };
  }

  async close(): Promise<void> {}
}

const MS = ASR_SAMPLE_RATE / 1000;

class TranscriptionStream implements AsrStream {
  readonly results;
  private readonly channel: ResultChannel;
  private readonly cap: number;
  private chunks: Int16Array[] = [];
  private length = 0;
  private partialMark = 0;
  private inflight: Promise<void> | null = null;
  private ended = false;

  constructor(private readonly p: OpenAITranscriptionAsr, private readonly base: string, private readonly opts: AsrOptions) {
    this.channel = new ResultChannel(opts.signal);
    this.results = this.channel.results;
    this.cap = Math.round(p.o.maxAudioMs * MS);
  }

  push(pcm: Int16Array): void {
    if (this.ended || this.channel.closed || this.length >= this.cap) return;
    const take = pcm.subarray(0, this.cap - this.length);
    this.chunks.push(take.slice());
    this.length += take.length;
    const every = this.p.o.partialIntervalMs * MS;
    if (every > 0 && !this.inflight && this.length - this.partialMark >= every) {
      this.partialMark = this.length;
      this.inflight = this.post(false).finally(() => { this.inflight = null; });
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    void this.post(true);
  }

  private audio(): Int16Array {
    const out = new Int16Array(this.length);
    let o = 0;
    for (const c of this.chunks) { out.set(c, o); o += c.length; }
    return out;
  }

  /** A partial is skipped while another request runs; the final waits for it. */
  private async post(final: boolean): Promise<void> {
    if (final) await this.inflight;
    if (this.channel.closed) return;
    const pcm = this.audio();
    const audioMs = pcm.length / MS;
    if (final && pcm.length === 0) { this.channel.final("", 0); return; }
    try {
      const r = await this.p.transcribe(pcm, this.opts.language, this.opts.signal);
      if (final) this.channel.final(r.text, audioMs, r.language);
      else this.channel.partial(r.text, audioMs, r.language);
    } catch (err) {
      if (this.opts.signal.aborted || isAbortError(err)) return;
      // a failed partial is not worth ending the turn for; the final reports the reason
      if (final) this.channel.fail(err, `transcription at ${this.base} failed`);
    }
  }
}
