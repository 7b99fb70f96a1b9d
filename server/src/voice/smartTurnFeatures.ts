/**
 * Smart Turn v3's input, as pipecat-ai/smart-turn's reference inference prepares
 * it: the last 8 s of the turn's 16 kHz audio (shorter audio is zero-padded at the
 * *start*, so the speech sits at the end of the window), normalised to zero mean
 * and unit variance over the whole window (`do_normalize=True`), then Whisper's
 * log-mel with an 8 s window (`WhisperFeatureExtractor(chunk_length=8)`):
 * `input_features` float32 [1, 80, 800].
 */
import { WhisperFeatureExtractor, WHISPER_HOP, WHISPER_SAMPLE_RATE } from "../asr/whisperFeatures.js";

/** the model's window: 8 s at 16 kHz, samples */
export const SMART_TURN_SAMPLES = 8 * WHISPER_SAMPLE_RATE;
export const SMART_TURN_MELS = 80;
/** mel frames in the window */
export const SMART_TURN_FRAMES = SMART_TURN_SAMPLES / WHISPER_HOP;

/** The last 8 s of `pcm`, zero-padded at the start, normalised (Hugging Face's zero_mean_unit_var_norm). */
export function smartTurnWindow(pcm: Int16Array | Float32Array): Float32Array {
  const out = new Float32Array(SMART_TURN_SAMPLES);
  const n = Math.min(pcm.length, SMART_TURN_SAMPLES);
  const from = pcm.length - n;
  const scale = pcm instanceof Int16Array ? 1 / 32768 : 1;
  const pad = SMART_TURN_SAMPLES - n;
  for (let i = 0; i < n; i++) out[pad + i] = pcm[from + i]! * scale;
  let mean = 0;
  for (let i = 0; i < out.length; i++) mean += out[i]!;
  mean /= out.length;
  let variance = 0;
  for (let i = 0; i < out.length; i++) variance += (out[i]! - mean) ** 2;
  variance /= out.length;
  const inv = 1 / Math.sqrt(variance + 1e-7);
  for (let i = 0; i < out.length; i++) out[i] = (out[i]! - mean) * inv;
  return out;
}

let extractor: WhisperFeatureExtractor | null = null;

/** `input_features` for Smart Turn, [80, 800] row-major (index m·800 + t). */
export function smartTurnFeatures(pcm: Int16Array | Float32Array): Float32Array {
  extractor ??= new WhisperFeatureExtractor(SMART_TURN_MELS, SMART_TURN_SAMPLES);
  return extractor.compute(smartTurnWindow(pcm));
}
