/**
 * The recognizers this build knows, created on demand with the shared settings
 * (cache, offline mode, threads, model status) filled in from the configuration.
 * `createAsr` picks one from the settings the config will carry (PARLEY_ASR, ...)
 * and routes a language without a streaming model to Whisper.
 */
import type { ParleyConfig } from "../config.js";
import type { ModelStatus } from "../models/ModelStatus.js";
import type { AsrProvider } from "./types.js";
import { WhisperOnnxAsr, type WhisperOnnxOptions } from "./WhisperOnnxAsr.js";
import { StreamingTransducerAsr, type StreamingTransducerOptions } from "./StreamingTransducerAsr.js";
import { OpenAITranscriptionAsr, type OpenAITranscriptionInit } from "./OpenAITranscriptionAsr.js";
import { streamingModelFor, STREAMING_MODELS } from "./catalog.js";
import { AsrError } from "./errors.js";
import { WorkerAsr } from "./WorkerAsr.js";

export interface AsrDeps {
  config: Pick<ParleyConfig, "cacheDir" | "offline" | "threads" | "downloadStallMs">;
  models: ModelStatus;
  /** local models run in a worker thread (default); false runs them on the calling thread */
  worker?: boolean;
}

export interface AsrFactories {
  /** Whisper through onnxruntime (default model "base") */
  whisper: (opts?: Partial<WhisperOnnxOptions>) => WhisperOnnxAsr;
  /** a streaming transducer; `model` or else the catalog model for `language` (default "en") */
  streaming: (opts?: Partial<StreamingTransducerOptions> & { language?: string }) => StreamingTransducerAsr;
  /** an OpenAI-compatible /v1/audio/transcriptions server */
  openai: (opts: OpenAITranscriptionInit) => OpenAITranscriptionAsr;
}

const sharedOptions = (deps: AsrDeps) => ({
  cacheDir: deps.config.cacheDir, offline: deps.config.offline, threads: deps.config.threads, downloadStallMs: deps.config.downloadStallMs,
});

function streamingOptions({ language, ...opts }: Partial<StreamingTransducerOptions> & { language?: string }, deps: AsrDeps) {
  const model = opts.model ?? streamingModelFor(language ?? "en");
  if (!model) throw new AsrError(`no streaming model for language "${language}" (streaming models: ${Object.keys(STREAMING_MODELS).join(", ")}); use Whisper`);
  return { ...sharedOptions(deps), ...opts, model };
}

export function asrFactories(deps: AsrDeps): AsrFactories {
  return {
    whisper: (opts = {}) => new WhisperOnnxAsr({ model: "base", ...sharedOptions(deps), status: deps.models, ...opts }),
    streaming: (opts = {}) => new StreamingTransducerAsr({ ...streamingOptions(opts, deps), status: deps.models }),
    openai: (opts) => new OpenAITranscriptionAsr(opts),
  };
}

type LocalFactories = {
  whisper: (opts?: Partial<WhisperOnnxOptions>) => AsrProvider;
  streaming: (opts?: Partial<StreamingTransducerOptions> & { language?: string }) => AsrProvider;
};

/** The local recognizers, each in its own worker thread unless `deps.worker` is false. */
function localAsr(deps: AsrDeps): LocalFactories {
  if (deps.worker === false) return asrFactories(deps);
  return {
    whisper: (opts = {}) => new WorkerAsr({ kind: "whisper", options: { model: "base", ...sharedOptions(deps), ...opts } }, deps.models),
    streaming: (opts = {}) => new WorkerAsr({ kind: "streaming", options: streamingOptions(opts, deps) }, deps.models),
  };
}

/** What the configuration will say about recognition (names as in config.ts, camelCase). */
export interface AsrSettings {
  /** PARLEY_ASR */
  asr: "whisper" | "streaming" | "openai" | "none";
  /** PARLEY_ASR_MODEL: whisper tiny|base|small|dir; streaming en|zh-en|zh|ru|dir; the server's model name for openai */
  asrModel?: string;
  /** PARLEY_ASR_LANGUAGE: "auto" or a code */
  asrLanguage: string;
  /** PARLEY_ASR_URL, PARLEY_ASR_API_KEY: the openai-compatible server */
  asrUrl?: string;
  asrApiKey?: string;
  /** PARLEY_ASR_PARTIAL_MS: re-decode interval for Whisper / re-post interval for openai; 0 = final only */
  asrPartialMs?: number;
}

export interface CreatedAsr {
  provider: AsrProvider | null;
  /** why the choice differs from the settings, for the log */
  note?: string;
}

export function createAsr(s: AsrSettings, deps: AsrDeps): CreatedAsr {
  const f = { ...localAsr(deps), openai: asrFactories(deps).openai };
  const partial = s.asrPartialMs !== undefined ? { partialIntervalMs: s.asrPartialMs } : {};
  switch (s.asr) {
    case "none":
      return { provider: null };
    case "whisper":
      return { provider: f.whisper({ ...(s.asrModel ? { model: s.asrModel } : {}), ...partial }) };
    case "streaming": {
      if (s.asrModel) return { provider: f.streaming({ model: s.asrModel }) };
      const model = streamingModelFor(s.asrLanguage);
      if (model) return { provider: f.streaming({ model }) };
      return {
        provider: f.whisper(partial),
        note: `no streaming model for language "${s.asrLanguage}" (there are: en, zh, ru); using Whisper instead`,
      };
    }
    case "openai":
      if (!s.asrUrl) throw new AsrError("PARLEY_ASR=openai needs PARLEY_ASR_URL, e.g. http://127.0.0.1:8000/v1");
      return { provider: f.openai({ baseUrl: s.asrUrl, model: s.asrModel ?? "", ...(s.asrApiKey ? { apiKey: s.asrApiKey } : {}), ...partial }) };
    default: {
      const never: never = s.asr;
      throw new AsrError(`unknown recognizer "${String(never)}"`);
    }
  }
}
