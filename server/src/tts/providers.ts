/**
 * The voice providers this build knows, by the `provider` name used in character
 * configs. espeak-ng is always there (it is the fallback); the others are created
 * on first use.
 */
import type { ParleyConfig } from "../config.js";
import type { ModelStatus } from "../models/ModelStatus.js";
import type { EspeakTts } from "./EspeakTts.js";
import type { TtsFactory } from "./TtsRouter.js";

export interface TtsDeps {
  config: ParleyConfig;
  models: ModelStatus;
  /** the offline voice, also the phonemizer for neural voices */
  espeak: EspeakTts;
}

export function ttsFactories(_deps: TtsDeps): Record<string, TtsFactory> {
  return {};
}
