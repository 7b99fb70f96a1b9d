/**
 * Any OpenAI-compatible speech server (Kokoro-FastAPI, openedai-speech, LocalAI,
 * OpenAI itself): POST {url}/audio/speech with {model, input, voice,
 * response_format, speed}; the body is read as it arrives, so playback starts
 * with the first chunk. "pcm" is 16-bit mono at 24 kHz by OpenAI's convention
 * (or the voice's `sampleRate`); "wav" states its real rate in the header, so
 * prepare() learns it with a tiny request. No phoneme timings.
 */
import type { VoiceConfig } from "@parley/shared";
import type { TtsPiece, TtsProvider, TtsVoiceInfo } from "./types.js";
import { TtsError } from "../util/errors.js";
import { audioChunks, connectionProblem, decodePieces, probeWavRate, type AudioRequest } from "./httpAudio.js";
import { MAX_PIECE_SAMPLES } from "./pcm.js";
import { PcmStreamDecoder } from "./PcmStreamDecoder.js";

export interface OpenAISpeechOptions {
  /** prepare()'s reachability check gives up after this, ms */
  probeTimeoutMs: number;
  /** a request must start answering within this, ms (servers synthesize the first sentence first) */
  firstByteMs: number;
  /** longest silence of the server mid-stream, ms */
  stallMs: number;
  maxPieceSamples: number;
}

export const OPENAI_SPEECH_DEFAULTS: OpenAISpeechOptions = { probeTimeoutMs: 3000, firstByteMs: 30_000, stallMs: 15_000, maxPieceSamples: MAX_PIECE_SAMPLES };

/** OpenAI's documented rate for response_format "pcm", Hz */
export const OPENAI_PCM_RATE = 24000;

type OpenAIVoice = Extract<VoiceConfig, { provider: "openai" }>;

const endpoint = (base: string, path: string): string => `${base.replace(/\/+$/, "")}${path}`;
const LABEL = "OpenAI speech server";

export class OpenAISpeechTts implements TtsProvider {
  readonly label = "openai";
  readonly hasTimings = false;
  private readonly o: OpenAISpeechOptions;
  /** rates read from WAV headers, by server + model + voice, Hz */
  private readonly wavRates = new Map<string, number>();

  constructor(opts: Partial<OpenAISpeechOptions> = {}) {
    this.o = { ...OPENAI_SPEECH_DEFAULTS, ...opts };
    if (!(this.o.probeTimeoutMs > 0 && this.o.firstByteMs > 0 && this.o.stallMs > 0)) throw new TtsError("OpenAISpeechTts: timeouts must be positive (ms)");
  }

  async prepare(voice: VoiceConfig, signal?: AbortSignal): Promise<void> {
    const v = this.openai(voice);
    const timeout = AbortSignal.timeout(this.o.probeTimeoutMs);
    let res: Response;
    try {
      res = await fetch(endpoint(v.url, "/models"), { headers: this.headers(v), signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
      await res.body?.cancel();
    } catch (err) {
      if (timeout.aborted) throw new TtsError(`${LABEL} at ${new URL(v.url).host} did not answer within ${this.o.probeTimeoutMs} ms`, true, { cause: err });
      throw connectionProblem(err, LABEL, v.url);
    }
    // any answer means the server is up (some have no /models); only a refused key is worth stopping for
    if (res.status === 401 || res.status === 403) throw new TtsError(`${LABEL} at ${new URL(v.url).host} refused the API key (HTTP ${res.status}): set voice.apiKey`);
    if (v.format === "wav" && !this.wavRates.has(this.key(v))) {
      // sampleRate() must be known before the first utterance: one short request reads the header
      this.wavRates.set(this.key(v), await probeWavRate(this.request("Hi.", v, signal ?? new AbortController().signal)));
    }
  }

  sampleRate(voice: VoiceConfig): number {
    const v = this.openai(voice);
    if (v.format !== "wav") return v.sampleRate ?? OPENAI_PCM_RATE;
    const rate = this.wavRates.get(this.key(v));
    if (!rate) throw new TtsError(`OpenAI voice ${v.voice} sends WAV whose rate is not known yet: prepare() it first`);
    return rate;
  }

  async listVoices(): Promise<TtsVoiceInfo[]> {
    // the servers share no way to list their voices
    return [];
  }

  async *synthesize(text: string, voice: VoiceConfig, signal: AbortSignal): AsyncIterable<TtsPiece> {
    const v = this.openai(voice);
    // every server answers an empty input with HTTP 400; it is simply silence
    if (!/[\p{L}\p{N}]/u.test(text)) return;
    const rate = this.sampleRate(v);
    const decoder = v.format === "wav" ? new PcmStreamDecoder() : new PcmStreamDecoder({ sampleRate: rate, channels: 1, bitsPerSample: 16, float: false });
    yield* decodePieces(audioChunks(this.request(text, v, signal)), decoder, rate, signal, this.o.maxPieceSamples);
  }

  async close(): Promise<void> {}

  private request(text: string, v: OpenAIVoice, signal: AbortSignal): AudioRequest {
    const body = JSON.stringify({ model: v.model, input: text, voice: v.voice, response_format: v.format === "wav" ? "wav" : "pcm", speed: v.speed });
    return {
      label: LABEL, url: endpoint(v.url, "/audio/speech"), signal, firstByteMs: this.o.firstByteMs, stallMs: this.o.stallMs,
      init: { method: "POST", headers: { ...this.headers(v), "content-type": "application/json" }, body },
    };
  }

  private openai(voice: VoiceConfig): OpenAIVoice {
    if (voice.provider !== "openai") throw new TtsError(`the OpenAI speech provider cannot speak a ${voice.provider} voice`);
    return voice;
  }

  private key(v: OpenAIVoice): string { return `${v.url}|${v.model}|${v.voice}`; }

  private headers(v: OpenAIVoice): Record<string, string> {
    return v.apiKey ? { authorization: `Bearer ${v.apiKey}` } : {};
  }
}
