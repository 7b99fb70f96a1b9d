/**
 * GPT-SoVITS through its api_v2 (RVC-Boss/GPT-SoVITS api_v2.py): POST {url}/tts
 * with text, text_lang, ref_audio_path, prompt_text, prompt_lang, media_type
 * "wav", streaming_mode true and speed_factor. Streaming, the server first sends
 * a WAV header whose data size is 0 (its rate is the model's: 32 kHz for v2,
 * 24 kHz for v3, 48 kHz for v4), then raw 16-bit chunks as fragments are made.
 * prepare() learns the rate with one short request. No phoneme timings.
 */
import type { VoiceConfig } from "@parley/shared";
import type { TtsPiece, TtsProvider, TtsVoiceInfo } from "./types.js";
import { TtsError } from "../util/errors.js";
import { audioChunks, connectionProblem, decodePieces, probeWavRate, type AudioRequest } from "./httpAudio.js";
import { MAX_PIECE_SAMPLES } from "./pcm.js";
import { PcmStreamDecoder } from "./PcmStreamDecoder.js";

export interface GptSovitsOptions {
  /** prepare()'s reachability check gives up after this, ms */
  probeTimeoutMs: number;
  /** the first synthesis (model warm-up included) must start answering within this, ms */
  firstByteMs: number;
  /** longest silence mid-stream, ms (GPT-SoVITS makes a sentence at a time) */
  stallMs: number;
  /** api_v2's text_split_method: "cut5" splits at every punctuation mark */
  textSplitMethod: string;
  maxPieceSamples: number;
}

export const GPT_SOVITS_DEFAULTS: GptSovitsOptions = { probeTimeoutMs: 3000, firstByteMs: 60_000, stallMs: 30_000, textSplitMethod: "cut5", maxPieceSamples: MAX_PIECE_SAMPLES };

type SovitsVoice = Extract<VoiceConfig, { provider: "gpt-sovits" }>;

const LABEL = "GPT-SoVITS";
/** a short probe sentence the model can say in its own language */
const PROBE_TEXT: Readonly<Record<string, string>> = { zh: "你好。", yue: "你好。", ja: "こんにちは。", ko: "안녕하세요." };

export class GptSovitsTts implements TtsProvider {
  readonly label = "gpt-sovits";
  readonly hasTimings = false;
  private readonly o: GptSovitsOptions;
  /** the model's output rate per server, Hz */
  private readonly rates = new Map<string, number>();

  constructor(opts: Partial<GptSovitsOptions> = {}) {
    this.o = { ...GPT_SOVITS_DEFAULTS, ...opts };
    if (!(this.o.probeTimeoutMs > 0 && this.o.firstByteMs > 0 && this.o.stallMs > 0)) throw new TtsError("GptSovitsTts: timeouts must be positive (ms)");
  }

  async prepare(voice: VoiceConfig, signal?: AbortSignal): Promise<void> {
    const v = this.sovits(voice);
    const timeout = AbortSignal.timeout(this.o.probeTimeoutMs);
    try {
      // any HTTP answer (FastAPI's 404 for "/") shows the server is up
      const res = await fetch(`${v.url.replace(/\/+$/, "")}/`, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
      await res.body?.cancel();
    } catch (err) {
      if (timeout.aborted) throw new TtsError(`${LABEL} at ${new URL(v.url).host} did not answer within ${this.o.probeTimeoutMs} ms`, true, { cause: err });
      throw connectionProblem(err, LABEL, v.url);
    }
    if (!this.rates.has(v.url)) {
      // also surfaces a wrong ref_audio_path or language now, as the server's own message
      this.rates.set(v.url, await probeWavRate(this.request(PROBE_TEXT[v.textLang.toLowerCase()] ?? "Hi.", v, signal ?? new AbortController().signal)));
    }
  }

  sampleRate(voice: VoiceConfig): number {
    const v = this.sovits(voice);
    const rate = this.rates.get(v.url);
    if (!rate) throw new TtsError(`${LABEL} at ${v.url}: its sample rate is not known yet: prepare() the voice first`);
    return rate;
  }

  async listVoices(): Promise<TtsVoiceInfo[]> {
    // a GPT-SoVITS voice is a reference clip on the server; there is nothing to list
    return [];
  }

  async *synthesize(text: string, voice: VoiceConfig, signal: AbortSignal): AsyncIterable<TtsPiece> {
    const v = this.sovits(voice);
    // api_v2 rejects empty text with HTTP 400; it is simply silence
    if (!/[\p{L}\p{N}]/u.test(text)) return;
    const rate = this.sampleRate(v);
    yield* decodePieces(audioChunks(this.request(text, v, signal)), new PcmStreamDecoder(), rate, signal, this.o.maxPieceSamples);
  }

  async close(): Promise<void> {}

  private request(text: string, v: SovitsVoice, signal: AbortSignal): AudioRequest {
    const body = JSON.stringify({
      text, text_lang: v.textLang.toLowerCase(), ref_audio_path: v.refAudio, prompt_text: v.promptText, prompt_lang: v.promptLang.toLowerCase(),
      text_split_method: this.o.textSplitMethod, media_type: "wav", streaming_mode: true, speed_factor: v.speed,
    });
    return {
      label: LABEL, url: `${v.url.replace(/\/+$/, "")}/tts`, signal, firstByteMs: this.o.firstByteMs, stallMs: this.o.stallMs,
      init: { method: "POST", headers: { "content-type": "application/json" }, body },
    };
  }

  private sovits(voice: VoiceConfig): SovitsVoice {
    if (voice.provider !== "gpt-sovits") throw new TtsError(`GPT-SoVITS cannot speak a ${voice.provider} voice`);
    return voice;
  }
}
