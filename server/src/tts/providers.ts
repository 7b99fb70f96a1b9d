/**
 * The voice providers this build knows, by the `provider` name used in character
 * configs. espeak-ng is always there (it is the fallback); the others are created
 * on first use. Each is wrapped so that every voice carries a phoneme timeline
 * (engine timings, or mouth shapes estimated from its audio) and then cached,
 * so the cache keeps the estimated shapes too and repeated lines play at once.
 */
import { join } from "node:path";
import type { ParleyConfig } from "../config.js";
import type { ModelStatus } from "../models/ModelStatus.js";
import type { EspeakTts } from "./EspeakTts.js";
import type { TtsFactory } from "./TtsRouter.js";
import type { TtsProvider } from "./types.js";
import { withAudioVisemes } from "./withAudioVisemes.js";
import { CachedTts, type TtsCacheOptions } from "./TtsCache.js";
import { FliteTts } from "./FliteTts.js";
import { PiperTts } from "./PiperTts.js";
import { KokoroTts } from "./KokoroTts.js";
import { OpenAISpeechTts } from "./OpenAISpeechTts.js";
import { GptSovitsTts } from "./GptSovitsTts.js";

export interface TtsDeps {
  config: ParleyConfig;
  models: ModelStatus;
  /** the offline voice, also the phonemizer for neural voices */
  espeak: EspeakTts;
}

/** Recent segments in memory, and up to 200 MB of them on disk (shared by all providers). */
export function ttsCacheOptions(config: ParleyConfig): Partial<TtsCacheOptions> {
  return { memoryEntries: 200, diskDir: join(config.cacheDir, "tts"), maxDiskBytes: 200 * 2 ** 20 };
}

export function ttsFactories(deps: TtsDeps): Record<string, TtsFactory> {
  const { config, models, espeak } = deps;
  const ready = (p: TtsProvider): TtsProvider => new CachedTts(withAudioVisemes(p), ttsCacheOptions(config));
  const neural = { phonemizer: espeak, models, cacheDir: config.cacheDir, offline: config.offline, threads: config.threads, stallMs: config.downloadStallMs };
  return {
    flite: () => ready(new FliteTts()),
    piper: () => ready(new PiperTts(neural)),
    kokoro: () => ready(new KokoroTts(neural)),
    openai: () => ready(new OpenAISpeechTts()),
    "gpt-sovits": () => ready(new GptSovitsTts()),
  };
}
