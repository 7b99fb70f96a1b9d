/**
 * A scripted Whisper in the transformers.js layout: tiny ONNX graphs with the real
 * tensor names, dtypes and ranks (see asr/whisperDecode.ts), a byte-level BPE
 * tokenizer.json with Whisper's special tokens, and the three configs. It runs through
 * the provider's real path (log-mel -> encoder -> prompt with language tokens ->
 * greedy loop with KV cache -> detokenisation) and answers deterministically:
 *
 * - encoder: per output frame, the louder of two mel frames' mean log-mel.
 * - decoder: a next-token table (logits = table[current token]), plus
 *   - a language bias read from the decoder self-attention cache: each position's key
 *     is the one-hot of its language token, so the sum over the cache says which
 *     language the prompt named, and only that language's words can follow;
 *   - a speech score read from the cross-attention cache (max loudness): every word
 *     needs it, so silence ends at once with <|endoftext|>, and <|nospeech|> after
 *     <|startoftranscript|> follows silence.
 * - after <|startoftranscript|> the language tokens tie except `detectLanguage` (+5).
 * - a timestamp token outscores the second word: the text only comes out right when
 *   special tokens are suppressed.
 * Dropping the decoder cache loses the language, and feeding the cache branch's
 * placeholder encoder outputs back loses the speech score: either way the text stops
 * after its first piece.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GraphBuilder, DType, encodeModel, type Dim } from "./onnxBuilder.js";
import { byteLevelEncode } from "../asr/whisperTokenizer.js";

export const WHISPER_FIXTURE_LANGUAGES = ["en", "zh", "de", "es", "ru"] as const;
export type FixtureLanguage = "en" | "ru" | "zh";

const utf8 = (t: string): number[] => [...new TextEncoder().encode(t)];
const HAO = utf8("好");
/** sentences as token pieces (UTF-8 bytes); 好 is split between two tokens to test byte-level joining */
const PIECES: Record<FixtureLanguage, number[][]> = {
  en: [" Hello", " there,", " Ada", "."].map(utf8),
  ru: [" Привет,", " как", " дела", "?"].map(utf8),
  zh: [[...utf8("你"), HAO[0]!], [HAO[1]!, HAO[2]!, ...utf8("，")], utf8("世界")],
};
export const WHISPER_FIXTURE_TEXT: Record<FixtureLanguage, string> = { en: "Hello there, Ada.", ru: "Привет, как дела?", zh: "你好，世界" };

export interface WhisperFixtureOptions {
  decoder: "merged" | "plain";
  detectLanguage: FixtureLanguage;
  nMels: number;
}

const LOW = -50;
const HEADS = 2;
const HEAD_DIM = 4;
const D_MODEL = HEADS * HEAD_DIM;
const LAYERS = 2;

interface Vocab { vocab: Record<string, number>; added: Record<string, number>; size: number; first: Record<FixtureLanguage, number>; words: Record<FixtureLanguage, number[]> }

function buildVocab(): Vocab {
  const vocab: Record<string, number> = {};
  let id = 0;
  // the 256 single-byte tokens, then one token per sentence piece
  for (let b = 0; b < 256; b++) vocab[byteLevelEncode(Uint8Array.of(b))] = id++;
  const words = {} as Record<FixtureLanguage, number[]>;
  const first = {} as Record<FixtureLanguage, number>;
  for (const lang of ["en", "ru", "zh"] as FixtureLanguage[]) {
    words[lang] = PIECES[lang].map((p) => {
      const enc = byteLevelEncode(Uint8Array.from(p));
      vocab[enc] ??= id++;
      return vocab[enc]!;
    });
    first[lang] = words[lang][0]!;
  }
  const added: Record<string, number> = {};
  const specials = ["<|endoftext|>", "<|startoftranscript|>", ...WHISPER_FIXTURE_LANGUAGES.map((l) => `<|${l}|>`),
    "<|translate|>", "<|transcribe|>", "<|startoflm|>", "<|startofprev|>", "<|nospeech|>", "<|notimestamps|>", "<|0.00|>", "<|0.02|>"];
  for (const s of specials) added[s] = id++;
  return { vocab, added, size: id, first, words };
}

export async function writeWhisperFixture(dir: string, opts: Partial<WhisperFixtureOptions> = {}): Promise<{ dir: string; vocabSize: number }> {
  const o: WhisperFixtureOptions = { decoder: "merged", detectLanguage: "en", nMels: 80, ...opts };
  const v = buildVocab();
  await mkdir(join(dir, "onnx"), { recursive: true });
  await writeFile(join(dir, "onnx", "encoder_model.onnx"), encoderModel(o.nMels));
  const decoderName = o.decoder === "merged" ? "decoder_model_merged.onnx" : "decoder_model.onnx";
  await writeFile(join(dir, "onnx", decoderName), decoderModel(v, o));
  const tokenizer = {
    version: "1.0",
    added_tokens: Object.entries(v.added).map(([content, id]) => ({ id, content, special: true, single_word: false, lstrip: false, rstrip: false, normalized: false })),
    model: { type: "BPE", vocab: v.vocab, merges: [] },
  };
  const t = (s: string): number => v.added[s]!;
  await writeFile(join(dir, "tokenizer.json"), JSON.stringify(tokenizer));
  await writeFile(join(dir, "config.json"), JSON.stringify({ model_type: "whisper", num_mel_bins: o.nMels, vocab_size: v.size, max_target_positions: 448, d_model: D_MODEL, decoder_layers: LAYERS, decoder_attention_heads: HEADS }));
  await writeFile(join(dir, "generation_config.json"), JSON.stringify({
    is_multilingual: true, decoder_start_token_id: t("<|startoftranscript|>"), no_timestamps_token_id: t("<|notimestamps|>"),
    lang_to_id: Object.fromEntries(WHISPER_FIXTURE_LANGUAGES.map((l) => [`<|${l}|>`, t(`<|${l}|>`)])),
    task_to_id: { transcribe: t("<|transcribe|>"), translate: t("<|translate|>") },
    // real exports suppress " " and <|endoftext|> at the start; the fixture ends silence with <|endoftext|>
    suppress_tokens: [], begin_suppress_tokens: [],
  }));
  await writeFile(join(dir, "preprocessor_config.json"), JSON.stringify({ feature_extractor_type: "WhisperFeatureExtractor", feature_size: o.nMels, hop_length: 160, n_fft: 400, n_samples: 480000, nb_max_frames: 3000, sampling_rate: 16000 }));
  return { dir, vocabSize: v.size };
}

function encoderModel(nMels: number): Uint8Array {
  const g = new GraphBuilder();
  const x = g.input("input_features", DType.float, ["batch_size", nMels, 3000]);
  const mean = g.op1("ReduceMean", [x], { axes: { ints: [1] }, keepdims: { i: 1 } });
  const pairs = g.op1("Reshape", [mean, g.int64s([0, 1500, 2])]);
  const loud = g.op1("ReduceMax", [pairs], { axes: { ints: [2] }, keepdims: { i: 1 } });
  const proj = g.floats([1, 0.5, 0.25, 0, 0, 0, 0, 0], [1, D_MODEL]);
  g.output("last_hidden_state", g.op1("MatMul", [loud, proj]), DType.float, ["batch_size", 1500, D_MODEL]);
  return encodeModel(g.graph("whisper_encoder_fixture"));
}

function decoderModel(v: Vocab, o: WhisperFixtureOptions): Uint8Array {
  const V = v.size;
  const t = (s: string): number => v.added[s]!;
  const eot = t("<|endoftext|>");
  const sot = t("<|startoftranscript|>");
  const next = new Float32Array(V * V).fill(LOW);
  const set = (from: number, to: number, val: number): void => { next[from * V + to] = val; };
  for (const l of WHISPER_FIXTURE_LANGUAGES) set(sot, t(`<|${l}|>`), l === o.detectLanguage ? 5 : 0);
  set(sot, t("<|nospeech|>"), 0);
  for (const l of WHISPER_FIXTURE_LANGUAGES) set(t(`<|${l}|>`), t("<|transcribe|>"), 10);
  set(t("<|transcribe|>"), t("<|notimestamps|>"), 10);
  set(t("<|notimestamps|>"), eot, 0);
  for (const lang of ["en", "ru", "zh"] as FixtureLanguage[]) {
    const w = v.words[lang];
    set(t("<|notimestamps|>"), w[0]!, -15);
    // each next word needs both biases (+20 language, +10 speech) to beat <|endoftext|> at 5
    for (let i = 0; i + 1 < w.length; i++) { set(w[i]!, w[i + 1]!, -10); set(w[i]!, eot, 5); }
    set(w.at(-1)!, eot, 10);
    set(w[0]!, t("<|0.00|>"), 30);
  }
  // key embedding: language tokens -> one-hot over the fixture's languages
  const embK = new Float32Array(V * D_MODEL);
  WHISPER_FIXTURE_LANGUAGES.forEach((l, i) => { embK[t(`<|${l}|>`) * D_MODEL + i] = 1; });
  const langBias = new Float32Array(D_MODEL * V);
  WHISPER_FIXTURE_LANGUAGES.forEach((l, i) => { for (const w of v.words[l as FixtureLanguage] ?? []) langBias[i * V + w] = 20; });
  const speechBias = new Float32Array(V);
  for (const words of Object.values(v.words)) for (const w of words) speechBias[w] = 10;
  speechBias[t("<|nospeech|>")] = -10;

  const g = new GraphBuilder();
  const ids = g.input("input_ids", DType.int64, ["batch_size", "decoder_sequence_length"]);
  const hidden = g.input("encoder_hidden_states", DType.float, ["batch_size", "encoder_sequence_length", D_MODEL]);
  const merged = o.decoder === "merged";
  const pastDims: Dim[] = ["batch_size", HEADS, "past_decoder_sequence_length", HEAD_DIM];
  const encDims: Dim[] = ["batch_size", HEADS, "encoder_sequence_length_out", HEAD_DIM];
  const past = (i: number, kind: string, kv: string): string => `past_key_values.${i}.${kind}.${kv}`;
  if (merged) {
    for (let i = 0; i < LAYERS; i++) {
      for (const kv of ["key", "value"]) g.input(past(i, "decoder", kv), DType.float, pastDims);
      for (const kv of ["key", "value"]) g.input(past(i, "encoder", kv), DType.float, encDims);
    }
  }
  const useCache = merged ? g.input("use_cache_branch", DType.bool, [1]) : "";

  const tokLogits = g.op1("Gather", [g.floats(next, [V, V]), ids], { axis: { i: 0 } });
  const heads = (x: string): string => g.op1("Transpose", [g.op1("Reshape", [x, g.int64s([0, -1, HEADS, HEAD_DIM])])], { perm: { ints: [0, 2, 1, 3] } });
  const newKey = heads(g.op1("Gather", [g.floats(embK, [V, D_MODEL]), ids], { axis: { i: 0 } }));
  const presentDims: Dim[] = ["batch_size", HEADS, "present_decoder_sequence_length", HEAD_DIM];
  let selfCache = newKey;
  for (let i = 0; i < LAYERS; i++) {
    const k = merged ? g.op1("Concat", [past(i, "decoder", "key"), newKey], { axis: { i: 2 } }) : newKey;
    const val = merged ? g.op1("Concat", [past(i, "decoder", "value"), newKey], { axis: { i: 2 } }) : newKey;
    g.output(`present.${i}.decoder.key`, k, DType.float, presentDims);
    g.output(`present.${i}.decoder.value`, val, DType.float, presentDims);
    if (i === 0) selfCache = k;
  }
  const langVec = g.op1("Reshape", [g.op1("ReduceSum", [selfCache, g.int64s([2])], { keepdims: { i: 0 } }), g.int64s([-1, D_MODEL])]);
  const langLogits = g.op1("Unsqueeze", [g.op1("MatMul", [langVec, g.floats(langBias, [D_MODEL, V])]), g.int64s([1])]);

  let crossKey: string;
  const crossOuts: string[] = [];
  for (let i = 0; i < LAYERS; i++) for (const kv of ["key", "value"]) crossOuts.push(`present.${i}.encoder.${kv}`);
  if (merged) {
    // no cache: project the encoder states; cache: reuse the past cross-attention keys, placeholders out
    const noCache = new GraphBuilder("else_");
    const proj = noCache.op1("Transpose", [noCache.op1("Reshape", [hidden, noCache.int64s([0, -1, HEADS, HEAD_DIM])])], { perm: { ints: [0, 2, 1, 3] } });
    const elseG = noCache.branch("no_cache", [{ name: "cross_used_else", from: proj, type: DType.float }, ...crossOuts.map((n) => ({ name: `${n}_else`, from: proj, type: DType.float }))]);
    const cached = new GraphBuilder("then_");
    const empty = cached.floats([], [1, HEADS, 0, HEAD_DIM]);
    const thenG = cached.branch("with_cache", [{ name: "cross_used_then", from: past(0, "encoder", "key"), type: DType.float }, ...crossOuts.map((n) => ({ name: `${n}_then`, from: empty, type: DType.float }))]);
    const outs = g.op("If", [useCache], { then_branch: { g: thenG }, else_branch: { g: elseG } }, ["cross_used", ...crossOuts.map((n) => `${n}_if`)]);
    crossKey = outs[0]!;
    crossOuts.forEach((n, j) => g.output(n, outs[j + 1]!, DType.float, encDims));
  } else {
    crossKey = heads(hidden);
    for (const n of crossOuts) g.output(n, crossKey, DType.float, encDims);
  }
  const loudness = g.op1("ReduceMax", [g.op1("Slice", [crossKey, g.int64s([0, 0]), g.int64s([1, 1]), g.int64s([1, 3])])], { axes: { ints: [1, 2, 3] }, keepdims: { i: 0 } });
  // silence is -1.5 after Whisper's normalisation; speech peaks well above -0.5
  const score = g.op1("Clip", [g.op1("Mul", [g.op1("Add", [loudness, g.floats([0.5], [])]), g.floats([4], [])]), g.floats([-1], []), g.floats([1], [])]);
  const speechLogits = g.op1("Mul", [g.op1("Unsqueeze", [score, g.int64s([1])]), g.floats(speechBias, [V])]);
  const logits = g.op1("Add", [g.op1("Add", [tokLogits, langLogits]), g.op1("Unsqueeze", [speechLogits, g.int64s([1])])]);
  g.output("logits", logits, DType.float, ["batch_size", "decoder_sequence_length", V]);
  return encodeModel(g.graph("whisper_decoder_fixture"));
}
