/**
 * Recognition models Parley knows by name, as download URIs (hf:owner/repo/path),
 * plus the rule for local directories. Nothing here downloads: providers fetch the
 * files on first use through `fetchModelSet`.
 *
 * Whisper: transformers.js-layout ONNX exports (onnx-community/whisper-*): encoder and
 * merged decoder under onnx/, tokenizer and configs at the top. Streaming: sherpa-onnx
 * streaming zipformer transducers (encoder/decoder/joiner + tokens.txt), int8 encoder
 * and joiner with the float decoder, as sherpa-onnx's own examples pair them.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { AsrError } from "./errors.js";

export const WHISPER_MODELS = {
  tiny: { repo: "onnx-community/whisper-tiny", label: "Whisper tiny" },
  base: { repo: "onnx-community/whisper-base", label: "Whisper base" },
  small: { repo: "onnx-community/whisper-small", label: "Whisper small" },
} as const;
export type WhisperModelName = keyof typeof WHISPER_MODELS;

/** fp32: encoder_model.onnx + decoder_model_merged.onnx; q8: their dynamically quantized `_quantized` twins */
export type WhisperDtype = "fp32" | "q8";

export interface WhisperFileSet {
  encoder: string;
  decoder: string;
  tokenizer: string;
  /** optional in a local directory: the defaults are Whisper's (80 mel bins, 448 positions) */
  config?: string;
  generationConfig?: string;
  preprocessorConfig?: string;
}

export interface ResolvedModel<F> { id: string; label: string; files: F }

const suffix = (dtype: WhisperDtype): string => (dtype === "q8" ? "_quantized" : "");

function whisperRepoFiles(prefix: string, dtype: WhisperDtype): WhisperFileSet {
  return {
    config: `${prefix}/config.json`,
    generationConfig: `${prefix}/generation_config.json`,
    preprocessorConfig: `${prefix}/preprocessor_config.json`,
    tokenizer: `${prefix}/tokenizer.json`,
    encoder: `${prefix}/onnx/encoder_model${suffix(dtype)}.onnx`,
    decoder: `${prefix}/onnx/decoder_model_merged${suffix(dtype)}.onnx`,
  };
}

const firstExisting = (dir: string, names: string[]): string | undefined => names.map((n) => join(dir, n)).find((p) => existsSync(p));

/** A catalog name (tiny|base|small), `hf:owner/repo`, or a local directory in the same layout. */
export function resolveWhisperModel(model: string, dtype: WhisperDtype): ResolvedModel<WhisperFileSet> {
  const known = WHISPER_MODELS[model as WhisperModelName];
  if (known) return { id: `asr:whisper:${model}`, label: known.label, files: whisperRepoFiles(`hf:${known.repo}`, dtype) };
  const hf = /^hf:([^/]+\/[^/#]+)$/.exec(model);
  if (hf) return { id: `asr:whisper:${hf[1]}`, label: `Whisper ${hf[1]}`, files: whisperRepoFiles(model, dtype) };
  if (existsSync(model) && statSync(model).isDirectory()) {
    const s = suffix(dtype);
    const onnx = (base: string): string[] => [`onnx/${base}${s}.onnx`, `${base}${s}.onnx`, `onnx/${base}.onnx`, `${base}.onnx`];
    const encoder = firstExisting(model, onnx("encoder_model"));
    const decoder = firstExisting(model, [...onnx("decoder_model_merged"), ...onnx("decoder_model")]);
    const tokenizer = join(model, "tokenizer.json");
    if (!encoder || !decoder || !existsSync(tokenizer)) throw new AsrError(`${model} needs encoder_model*.onnx, decoder_model*.onnx and tokenizer.json`);
    const optional = (key: "config" | "generationConfig" | "preprocessorConfig", name: string): Partial<WhisperFileSet> =>
      existsSync(join(model, name)) ? { [key]: join(model, name) } : {};
    return {
      id: `asr:whisper:${model}`, label: `Whisper (${model})`,
      files: {
        encoder, decoder, tokenizer,
        ...optional("config", "config.json"), ...optional("generationConfig", "generation_config.json"), ...optional("preprocessorConfig", "preprocessor_config.json"),
      },
    };
  }
  throw new AsrError(`unknown Whisper model "${model}": use ${Object.keys(WHISPER_MODELS).join(", ")}, hf:owner/repo or a local directory`);
}

export interface TransducerFileSet { encoder: string; decoder: string; joiner: string; tokens: string }

export interface StreamingModelInfo {
  repo: string;
  label: string;
  /** languages it transcribes */
  languages: readonly string[];
  files: TransducerFileSet;
}

export const STREAMING_MODELS = {
  /** English, zipformer2 (chunk 16 = 320 ms, left context 128) */
  en: {
    repo: "csukuangfj/sherpa-onnx-streaming-zipformer-en-2023-06-26", label: "Streaming zipformer (English)", languages: ["en"],
    files: { encoder: "encoder-epoch-99-avg-1-chunk-16-left-128.int8.onnx", decoder: "decoder-epoch-99-avg-1-chunk-16-left-128.onnx", joiner: "joiner-epoch-99-avg-1-chunk-16-left-128.int8.onnx", tokens: "tokens.txt" },
  },
  /** Chinese + English code-switching, the older zipformer (pruned_transducer_stateless7_streaming) */
  "zh-en": {
    repo: "csukuangfj/sherpa-onnx-streaming-zipformer-bilingual-zh-en-2023-02-20", label: "Streaming zipformer (Chinese + English)", languages: ["zh", "en"],
    files: { encoder: "encoder-epoch-99-avg-1.int8.onnx", decoder: "decoder-epoch-99-avg-1.onnx", joiner: "joiner-epoch-99-avg-1.int8.onnx", tokens: "tokens.txt" },
  },
  /** Mandarin, zipformer2 */
  zh: {
    repo: "k2-fsa/sherpa-onnx-streaming-zipformer-multi-zh-hans-2023-12-12", label: "Streaming zipformer (Chinese)", languages: ["zh"],
    files: { encoder: "encoder-epoch-20-avg-1-chunk-16-left-128.int8.onnx", decoder: "decoder-epoch-20-avg-1-chunk-16-left-128.onnx", joiner: "joiner-epoch-20-avg-1-chunk-16-left-128.int8.onnx", tokens: "tokens.txt" },
  },
  /** Russian: Vosk's small streaming zipformer2 (icefall export), Apache-2.0 */
  ru: {
    repo: "alphacep/vosk-model-small-streaming-ru", label: "Streaming zipformer (Russian, Vosk small)", languages: ["ru"],
    files: { encoder: "am/encoder.int8.onnx", decoder: "am/decoder.onnx", joiner: "am/joiner.int8.onnx", tokens: "lang/tokens.txt" },
  },
} as const satisfies Record<string, StreamingModelInfo>;
export type StreamingModelName = keyof typeof STREAMING_MODELS;

/**
 * The streaming model for a language, or undefined: then route to Whisper. "auto"
 * has none (a transducer cannot detect the language); en, ru and zh each have one.
 */
export function streamingModelFor(language: string): StreamingModelName | undefined {
  const code = language.toLowerCase().split(/[-_]/)[0];
  if (code === "en") return "en";
  if (code === "ru") return "ru";
  if (code === "zh") return "zh-en";
  return undefined;
}

/** A catalog name, or a local directory with encoder*.onnx, decoder*.onnx, joiner*.onnx and tokens.txt. */
export function resolveStreamingModel(model: string): ResolvedModel<TransducerFileSet> & { languages: readonly string[] } {
  const known = (STREAMING_MODELS as Record<string, StreamingModelInfo>)[model];
  if (known) {
    const f = known.files;
    const uri = (p: string): string => `hf:${known.repo}/${p}`;
    return { id: `asr:streaming:${model}`, label: known.label, languages: known.languages, files: { encoder: uri(f.encoder), decoder: uri(f.decoder), joiner: uri(f.joiner), tokens: uri(f.tokens) } };
  }
  if (existsSync(model) && statSync(model).isDirectory()) {
    const names = readdirSync(model).filter((n) => n.endsWith(".onnx")).sort();
    // int8 encoder/joiner and float decoder when both exist (sherpa-onnx's usual pairing)
    const pick = (part: string, preferInt8: boolean): string | undefined => {
      const c = names.filter((n) => n.startsWith(part));
      const int8 = c.filter((n) => n.includes(".int8."));
      const plain = c.filter((n) => !n.includes(".int8."));
      return (preferInt8 ? [...int8, ...plain] : [...plain, ...int8])[0];
    };
    const encoder = pick("encoder", true);
    const decoder = pick("decoder", false);
    const joiner = pick("joiner", true);
    const tokens = join(model, "tokens.txt");
    if (!encoder || !decoder || !joiner || !existsSync(tokens)) throw new AsrError(`${model} needs encoder*.onnx, decoder*.onnx, joiner*.onnx and tokens.txt`);
    return { id: `asr:streaming:${model}`, label: `Streaming transducer (${model})`, languages: [], files: { encoder: join(model, encoder), decoder: join(model, decoder), joiner: join(model, joiner), tokens } };
  }
  throw new AsrError(`unknown streaming model "${model}": use ${Object.keys(STREAMING_MODELS).join(", ")} or a local directory`);
}
