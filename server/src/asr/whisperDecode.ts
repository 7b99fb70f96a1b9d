/**
 * Whisper's decoding loop over ONNX exports in the transformers.js / optimum layout:
 *
 * - encoder: `input_features` [batch, n_mels, 3000] -> `last_hidden_state` [batch, 1500, d_model]
 * - merged decoder (`decoder_model_merged.onnx`): `input_ids` int64 [batch, seq],
 *   `encoder_hidden_states`, `past_key_values.{i}.{decoder,encoder}.{key,value}`
 *   [batch, heads, past_len, head_dim], `use_cache_branch` bool [1] -> `logits`
 *   [batch, seq, vocab], `present.{i}.{decoder,encoder}.{key,value}`. The first step runs
 *   the no-cache branch on the whole prompt with empty caches; later steps feed only the
 *   newest token, the decoder caches from the previous step and the encoder (cross-
 *   attention) caches from the first step (the cache branch's encoder outputs are
 *   placeholders, as transformers.js `getPastKeyValues` notes).
 * - plain decoder (`decoder_model.onnx`): `input_ids`, `encoder_hidden_states` -> `logits`;
 *   the whole sequence is fed at every step.
 *
 * Greedy: prompt <|startoftranscript|> <|lang|> <|transcribe|> <|notimestamps|>; with
 * language "auto" the language token is the argmax over language tokens after
 * <|startoftranscript|>. Special tokens (and timestamps) are suppressed in the text, as
 * are the generation config's suppress_tokens / begin_suppress_tokens. A result with
 * no-speech probability > 0.6 and average log-probability < -1 is empty (Whisper's rule).
 */
import * as ort from "onnxruntime-node";
import type { WhisperTokenizer } from "./whisperTokenizer.js";
import { AsrError } from "./errors.js";
import { WHISPER_FRAMES } from "./whisperFeatures.js";
import { floatTensor, readFloats, zerosFor } from "./onnxTensors.js";

export interface WhisperGenerationConfig {
  is_multilingual?: boolean;
  suppress_tokens?: number[];
  begin_suppress_tokens?: number[];
  max_length?: number;
}

export interface WhisperDecodeOptions {
  /** "auto" or a language code */
  language: string;
  signal?: AbortSignal;
  /** longest transcript per 30 s window, tokens */
  maxNewTokens: number;
  /** with "auto": only these languages are candidates (empty: all the model knows) */
  detectLanguages: readonly string[];
  noSpeechThreshold: number;
  logprobThreshold: number;
}

export interface WhisperTranscript {
  text: string;
  language: string | undefined;
  tokens: number[];
  noSpeechProb: number;
  avgLogprob: number;
}

const abortError = (): Error => new DOMException("decoding aborted", "AbortError");

export class WhisperDecoder {
  readonly merged: boolean;
  private readonly pastInputs: ort.InferenceSession.TensorValueMetadata[];
  private readonly suppressAlways: number[];

  constructor(
    private readonly encoder: ort.InferenceSession,
    private readonly decoder: ort.InferenceSession,
    readonly tokenizer: WhisperTokenizer,
    readonly multilingual: boolean,
    private readonly gen: WhisperGenerationConfig,
    private readonly maxTargetPositions = 448,
  ) {
    for (const name of ["input_ids", "encoder_hidden_states"]) {
      if (!decoder.inputNames.includes(name)) throw new AsrError(`Whisper decoder has no "${name}" input (inputs: ${decoder.inputNames.join(", ")})`);
    }
    if (!decoder.outputNames.includes("logits")) throw new AsrError("Whisper decoder has no \"logits\" output");
    if (!encoder.inputNames.includes("input_features")) throw new AsrError(`Whisper encoder has no "input_features" input (inputs: ${encoder.inputNames.join(", ")})`);
    this.pastInputs = decoder.inputMetadata.filter((m): m is ort.InferenceSession.TensorValueMetadata => m.name.startsWith("past_key_values.") && m.isTensor);
    this.merged = decoder.inputNames.includes("use_cache_branch");
    if (this.pastInputs.length > 0 && !this.merged) {
      throw new AsrError("this Whisper decoder needs past key values but has no use_cache_branch: use decoder_model_merged.onnx or decoder_model.onnx");
    }
    this.suppressAlways = [...(gen.suppress_tokens ?? [])];
  }

  /** The encoder's mel bin count, from its input shape (when it is fixed). */
  static melBinsOf(encoder: ort.InferenceSession): number | undefined {
    const m = encoder.inputMetadata.find((x) => x.name === "input_features");
    const d = m?.isTensor ? m.shape[1] : undefined;
    return typeof d === "number" ? d : undefined;
  }

  async transcribe(features: Float32Array, nMels: number, o: WhisperDecodeOptions): Promise<WhisperTranscript> {
    const inputMeta = this.encoder.inputMetadata.find((m) => m.name === "input_features");
    const inputType = inputMeta?.isTensor ? inputMeta.type : "float32";
    const enc = await this.encoder.run({ input_features: floatTensor(inputType, features, [1, nMels, WHISPER_FRAMES]) });
    const hidden = enc.last_hidden_state ?? enc[this.encoder.outputNames[0]!];
    if (!hidden) throw new AsrError("Whisper encoder returned no last_hidden_state");
    if (o.signal?.aborted) throw abortError();

    const sp = this.tokenizer.specials;
    let language: string | undefined;
    let noSpeechProb = 0;
    const prompt = [sp.sot];
    if (this.multilingual) {
      if (o.language === "auto") {
        const first = await this.step([sp.sot], hidden, null);
        const logits = first.logits;
        language = this.detectLanguage(logits, o.detectLanguages);
        noSpeechProb = probOf(logits, sp.noSpeech);
      } else {
        language = o.language.toLowerCase().split(/[-_]/)[0]!;
        if (!sp.languages.has(language)) throw new AsrError(`Whisper does not know the language "${o.language}"`);
      }
      prompt.push(sp.languages.get(language)!, sp.transcribe);
    } else {
      language = "en";
    }
    if (sp.noTimestamps !== undefined) prompt.push(sp.noTimestamps);

    const maxNew = Math.max(1, Math.min(o.maxNewTokens, this.maxTargetPositions - prompt.length));
    const out: number[] = [];
    let logprobSum = 0;
    let cache: Map<string, ort.Tensor> | null = null;
    for (let i = 0; i < maxNew; i++) {
      if (o.signal?.aborted) throw abortError();
      const ids = i === 0 || !this.merged ? [...prompt, ...out] : [out.at(-1)!];
      const r = await this.step(ids, hidden, cache);
      cache = r.cache;
      if (i === 0 && !(this.multilingual && o.language === "auto")) noSpeechProb = probOf(r.firstLogits, sp.noSpeech);
      const logits = r.logits;
      this.suppress(logits, i === 0);
      const { index, logprob } = argmaxWithLogprob(logits);
      logprobSum += logprob;
      if (index === sp.eot) { out.push(index); break; }
      out.push(index);
    }
    const avgLogprob = out.length ? logprobSum / out.length : 0;
    const textTokens = out.filter((t) => t !== sp.eot);
    let text = this.tokenizer.decode(textTokens).trim();
    if (noSpeechProb > o.noSpeechThreshold && avgLogprob < o.logprobThreshold) text = "";
    return { text, language, tokens: textTokens, noSpeechProb, avgLogprob };
  }

  /** One decoder run; returns the last position's logits (and the first position's), and the next cache. */
  private async step(ids: number[], hidden: ort.Tensor, cache: Map<string, ort.Tensor> | null): Promise<{ logits: Float32Array; firstLogits: Float32Array; cache: Map<string, ort.Tensor> | null }> {
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor("int64", BigInt64Array.from(ids, (x) => BigInt(x)), [1, ids.length]),
      encoder_hidden_states: hidden,
    };
    if (this.merged) {
      feeds.use_cache_branch = new ort.Tensor("bool", Uint8Array.of(cache ? 1 : 0), [1]);
      for (const m of this.pastInputs) feeds[m.name] = cache?.get(m.name) ?? zerosFor(m);
    }
    const r = await this.decoder.run(feeds);
    const logitsT = r.logits!;
    const [, seq, vocab] = logitsT.dims as [number, number, number];
    const all = readFloats(logitsT);
    const logits = all.slice((seq - 1) * vocab, seq * vocab);
    const firstLogits = seq === 1 ? logits : all.slice(0, vocab);
    if (!this.merged) return { logits, firstLogits, cache: null };
    const next = new Map<string, ort.Tensor>();
    for (const name of this.decoder.outputNames) {
      if (!name.startsWith("present.")) continue;
      const past = `past_key_values.${name.slice("present.".length)}`;
      // the cache branch's cross-attention outputs are placeholders: keep the first step's
      const keep = cache && name.includes(".encoder.") ? cache.get(past) : undefined;
      next.set(past, keep ?? r[name]!);
    }
    return { logits, firstLogits, cache: next };
  }

  private detectLanguage(logits: Float32Array, allowed: readonly string[]): string {
    let best: string | undefined;
    let bestScore = -Infinity;
    for (const [code, id] of this.tokenizer.specials.languages) {
      if (allowed.length && !allowed.includes(code)) continue;
      const s = logits[id] ?? -Infinity;
      if (s > bestScore) { bestScore = s; best = code; }
    }
    if (!best) throw new AsrError(`none of the languages ${allowed.join(", ")} is known to this Whisper model`);
    return best;
  }

  private suppress(logits: Float32Array, first: boolean): void {
    const eot = this.tokenizer.specials.eot;
    // special tokens and timestamps never belong in the text; <|endoftext|> ends it
    for (let i = eot + 1; i < logits.length; i++) logits[i] = -Infinity;
    for (const t of this.suppressAlways) if (t !== eot && t < logits.length) logits[t] = -Infinity;
    if (first) for (const t of this.gen.begin_suppress_tokens ?? []) if (t < logits.length) logits[t] = -Infinity;
  }
}

function argmaxWithLogprob(logits: Float32Array): { index: number; logprob: number } {
  let index = 0;
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) { max = logits[i]!; index = i; }
  let sum = 0;
  for (let i = 0; i < logits.length; i++) if (logits[i] !== -Infinity) sum += Math.exp(logits[i]! - max);
  return { index, logprob: -Math.log(sum) };
}

function probOf(logits: Float32Array, id: number | undefined): number {
  if (id === undefined || id >= logits.length) return 0;
  let max = -Infinity;
  for (const v of logits) if (v > max) max = v;
  let sum = 0;
  for (const v of logits) sum += Math.exp(v - max);
  return Math.exp(logits[id]! - max) / sum;
}
