/**
 * Catalog names for downloadable neural voices, so a character file can say
 * "en_US-lessac-medium" or "kokoro-v1.0" instead of a URL. Piper names map onto
 * the layout of the rhasspy/piper-voices repository on Hugging Face, so any voice
 * published there resolves, listed here or not.
 */

/** "hf:owner/repo/file.onnx#rev" -> ["hf:owner/repo/file.onnx", "#rev"]: a sibling file keeps the revision */
export function splitRevision(uri: string): [string, string] {
  const i = uri.startsWith("hf:") ? uri.indexOf("#") : -1;
  return i < 0 ? [uri, ""] : [uri.slice(0, i), uri.slice(i)];
}

/** rhasspy/piper-voices stores `<lang>/<lang>_<REGION>/<name>/<quality>/<lang>_<REGION>-<name>-<quality>.onnx` */
const PIPER_NAME = /^([a-z]{2,3})_([A-Z]{2})-([A-Za-z0-9_]+)-(x_low|low|medium|high)$/;

/** Sample rate by Piper quality level, Hz (the voices' training rates). */
const PIPER_QUALITY_RATE: Readonly<Record<string, number>> = { x_low: 16000, low: 16000, medium: 22050, high: 22050 };

export interface PiperCatalogEntry {
  name: string;
  onnx: string;
  config: string;
  languages: string[];
  sampleRate: number;
}

/** The model and config URIs of a Piper voice name, or null when the name is not a catalog name. */
export function piperCatalog(name: string): PiperCatalogEntry | null {
  const m = PIPER_NAME.exec(name);
  if (!m) return null;
  const [, lang, region, , quality] = m as unknown as [string, string, string, string, string];
  const onnx = `hf:rhasspy/piper-voices/${lang}/${lang}_${region}/${m[3]}/${quality}/${name}.onnx`;
  return { name, onnx, config: `${onnx}.json`, languages: [`${lang}-${region}`, lang], sampleRate: PIPER_QUALITY_RATE[quality] ?? 22050 };
}

/** Well-known Piper voices, offered by listVoices before anything is downloaded. */
export const PIPER_VOICES: readonly string[] = [
  "en_US-lessac-medium", "en_US-amy-medium", "en_US-ryan-high", "en_US-libritts-high",
  "en_GB-alan-medium", "en_GB-alba-medium", "de_DE-thorsten-medium", "fr_FR-siwis-medium",
  "es_ES-davefx-medium", "ru_RU-denis-medium", "zh_CN-huayan-medium",
];

export interface KokoroCatalogEntry {
  /** the ONNX graph */
  model: string;
  /** where `voices/<name>.bin` style files and `tokenizer.json` live */
  assets: string;
}

const KOKORO_ONNX = "hf:onnx-community/Kokoro-82M-v1.0-ONNX";
const KOKORO_TIMESTAMPED = "hf:onnx-community/Kokoro-82M-v1.0-ONNX-timestamped";

/**
 * Kokoro-82M v1.0 exports. The "timestamped" export also outputs per-token
 * durations (real phoneme timings); its style files and tokenizer are the same,
 * so they come from the main repository.
 */
export const KOKORO_MODELS: Readonly<Record<string, KokoroCatalogEntry>> = {
  "kokoro-v1.0": { model: `${KOKORO_ONNX}/onnx/model_quantized.onnx`, assets: KOKORO_ONNX },
  "kokoro-v1.0-fp32": { model: `${KOKORO_ONNX}/onnx/model.onnx`, assets: KOKORO_ONNX },
  "kokoro-v1.0-fp16": { model: `${KOKORO_ONNX}/onnx/model_fp16.onnx`, assets: KOKORO_ONNX },
  "kokoro-v1.0-timestamped": { model: `${KOKORO_TIMESTAMPED}/onnx/model_quantized.onnx`, assets: KOKORO_ONNX },
};

export const KOKORO_DEFAULT_MODEL = "kokoro-v1.0";

/** Kokoro v1.0 English styles ("a" = American, "b" = British; "f"/"m" = female/male). */
export const KOKORO_VOICES: readonly string[] = [
  "af_heart", "af_alloy", "af_aoede", "af_bella", "af_jessica", "af_kore", "af_nicole", "af_nova", "af_river", "af_sarah", "af_sky",
  "am_adam", "am_echo", "am_eric", "am_fenrir", "am_liam", "am_michael", "am_onyx", "am_puck", "am_santa",
  "bf_alice", "bf_emma", "bf_isabella", "bf_lily", "bm_daniel", "bm_fable", "bm_george", "bm_lewis",
];
