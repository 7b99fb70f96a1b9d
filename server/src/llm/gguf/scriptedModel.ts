/**
 * A "scripted" GGUF: a real llama-architecture model whose weights make it answer
 * from a fixed script, deterministically under greedy sampling and with variety
 * under temperature sampling. It runs through node-llama-cpp's real load, tokenize,
 * evaluate and sample path, so the demo and the tests exercise the product's code.
 *
 * How: one-hot token embeddings, zero attention and FFN (the residual stream stays
 * the embedding), and an output matrix that acts as a next-token table. Every token
 * outside the script shares one "other" direction whose successors are the script's
 * openers, so any prompt ends in a reply. A reply is one sentence per stage; the last
 * token of a sentence branches to every option of the next stage.
 */
import { writeGguf, GgmlType, u32, f32, bool, str, strings, f32s, i32s, type GgufTensor } from "./GgufWriter.js";

export interface Script {
  /** Each reply takes one option from every stage, in order; "" ends the reply early. */
  stages: readonly (readonly string[])[];
}

const TokenKind = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, BYTE: 6 } as const;
const SPACE = "\u2581"; // SentencePiece's visible space
const LOGIT = 24; // margin that makes the table near-deterministic
const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

export interface ScriptedVocab {
  tokens: string[];
  kinds: number[];
  eos: number;
  /** ids of script tokens, in embedding order (dimension = index + 1) */
  scriptIds: number[];
  /** successor table over embedding dimensions: dim -> ordered candidate token ids ("" end -> eos) */
  next: Map<number, number[]>;
}

/** Splits a sentence into word pieces whose text is unique across the vocabulary. */
function chunkSentence(sentence: string, leadingSpace: boolean, used: Set<string>): string[] {
  const words = sentence.split(/\s+/).filter(Boolean).map((w, i) => (i === 0 && !leadingSpace ? w : SPACE + w));
  const out: string[] = [];
  let i = 0;
  while (i < words.length) {
    let piece = words[i++]!;
    while (used.has(piece) && i < words.length) piece += words[i++]!;
    if (used.has(piece)) {
      // the tail is still a duplicate: fold it into the previous piece
      const prev = out.pop();
      if (prev === undefined) throw new Error(`script sentence cannot be made unique: "${sentence}"`);
      used.delete(prev);
      piece = prev + piece;
    }
    used.add(piece);
    out.push(piece);
  }
  return out;
}

export function buildScriptedVocab(script: Script): ScriptedVocab {
  const tokens = ["<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>"];
  const kinds: number[] = [TokenKind.UNKNOWN, TokenKind.CONTROL, TokenKind.CONTROL, TokenKind.CONTROL, TokenKind.CONTROL];
  const eos = 4;
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`);
    kinds.push(TokenKind.BYTE);
  }
  tokens.push(SPACE);
  kinds.push(TokenKind.NORMAL);
  for (let c = 0x21; c <= 0x7e; c++) {
    tokens.push(String.fromCharCode(c));
    kinds.push(TokenKind.NORMAL);
  }
  const used = new Set(tokens);
  const scriptIds: number[] = [];
  // per stage: per option, the token ids of that sentence ([] for an early end)
  const stages = script.stages.map((options, stageIndex) =>
    options.map((sentence) => {
      if (sentence.trim() === "") return [];
      return chunkSentence(sentence, stageIndex > 0, used).map((piece) => {
        tokens.push(piece);
        kinds.push(TokenKind.NORMAL);
        scriptIds.push(tokens.length - 1);
        return tokens.length - 1;
      });
    }),
  );
  const dimOf = (id: number): number => scriptIds.indexOf(id) + 1;
  const next = new Map<number, number[]>();
  const openers = (stage: number): number[] =>
    stage >= stages.length ? [eos] : stages[stage]!.map((ids) => (ids.length > 0 ? ids[0]! : eos));
  next.set(0, openers(0));
  stages.forEach((options, s) => {
    for (const ids of options) {
      ids.forEach((id, k) => next.set(dimOf(id), k + 1 < ids.length ? [ids[k + 1]!] : openers(s + 1)));
    }
  });
  return { tokens, kinds, eos, scriptIds, next };
}

/** one-hot width: a dimension per script token plus the shared "other" one, in whole heads */
const HEAD_DIM = 32;
const embeddingWidth = (vocab: ScriptedVocab): number => Math.max(64, Math.ceil((vocab.scriptIds.length + 1) / HEAD_DIM) * HEAD_DIM);

export interface ScriptedModelOptions {
  name?: string;
  contextLength?: number;
}

export async function writeScriptedModel(path: string, script: Script, opts: ScriptedModelOptions = {}): Promise<void> {
  const vocab = buildScriptedVocab(script);
  const nVocab = vocab.tokens.length;
  const headDim = HEAD_DIM;
  const nEmbd = embeddingWidth(vocab);
  const nHead = nEmbd / headDim;
  const nFf = 32;
  const dimOfToken = new Int32Array(nVocab); // 0 = the shared "other" direction
  vocab.scriptIds.forEach((id, i) => (dimOfToken[id] = i + 1));

  const ones = (out: Float32Array): void => { out.fill(1); };
  const zeros = (): void => {};
  const layer = (i: number): GgufTensor[] => [
    { name: `blk.${i}.attn_norm.weight`, dims: [nEmbd], type: GgmlType.F32, fill: ones },
    { name: `blk.${i}.attn_q.weight`, dims: [nEmbd, nEmbd], type: GgmlType.F32, fill: zeros },
    { name: `blk.${i}.attn_k.weight`, dims: [nEmbd, headDim], type: GgmlType.F32, fill: zeros },
    { name: `blk.${i}.attn_v.weight`, dims: [nEmbd, headDim], type: GgmlType.F32, fill: zeros },
    { name: `blk.${i}.attn_output.weight`, dims: [nEmbd, nEmbd], type: GgmlType.F32, fill: zeros },
    { name: `blk.${i}.ffn_norm.weight`, dims: [nEmbd], type: GgmlType.F32, fill: ones },
    { name: `blk.${i}.ffn_gate.weight`, dims: [nEmbd, nFf], type: GgmlType.F32, fill: zeros },
    { name: `blk.${i}.ffn_up.weight`, dims: [nEmbd, nFf], type: GgmlType.F32, fill: zeros },
    { name: `blk.${i}.ffn_down.weight`, dims: [nFf, nEmbd], type: GgmlType.F32, fill: zeros },
  ];
  const tensors: GgufTensor[] = [
    {
      name: "token_embd.weight", dims: [nEmbd, nVocab], type: GgmlType.F32,
      fill: (out) => { for (let t = 0; t < nVocab; t++) out[t * nEmbd + dimOfToken[t]!] = 1; },
    },
    { name: "output_norm.weight", dims: [nEmbd], type: GgmlType.F32, fill: ones },
    {
      name: "output.weight", dims: [nEmbd, nVocab], type: GgmlType.F32,
      fill: (out) => {
        // after RMS norm a one-hot row has magnitude sqrt(nEmbd)
        const scale = 1 / Math.sqrt(nEmbd);
        for (const [dim, candidates] of vocab.next) {
          // the first candidate wins under greedy sampling; the rest stay close for variety
          candidates.forEach((id, rank) => (out[id * nEmbd + dim] = (LOGIT - 0.05 * rank) * scale));
        }
      },
    },
    ...layer(0),
  ];
  const scores = new Float32Array(nVocab);
  await writeGguf(path, {
    "general.architecture": str("llama"),
    "general.name": str(opts.name ?? "parley-scripted"),
    "general.alignment": u32(32),
    "llama.context_length": u32(opts.contextLength ?? 8192),
    "llama.embedding_length": u32(nEmbd),
    "llama.block_count": u32(1),
    "llama.feed_forward_length": u32(nFf),
    "llama.attention.head_count": u32(nHead),
    "llama.attention.head_count_kv": u32(1),
    "llama.rope.dimension_count": u32(headDim),
    "llama.rope.freq_base": f32(10000),
    "llama.attention.layer_norm_rms_epsilon": f32(1e-5),
    "llama.vocab_size": u32(nVocab),
    "tokenizer.ggml.model": str("llama"),
    "tokenizer.ggml.tokens": strings(vocab.tokens),
    "tokenizer.ggml.scores": f32s(scores),
    "tokenizer.ggml.token_type": i32s(vocab.kinds),
    "tokenizer.ggml.bos_token_id": u32(1),
    "tokenizer.ggml.eos_token_id": u32(vocab.eos),
    "tokenizer.ggml.unknown_token_id": u32(0),
    "tokenizer.ggml.padding_token_id": u32(0),
    "tokenizer.ggml.add_bos_token": bool(false),
    "tokenizer.ggml.add_eos_token": bool(false),
    "tokenizer.chat_template": str(CHATML_TEMPLATE),
  }, tensors);
}

/**
 * A rank-1 LoRA adapter for a scripted model that makes it open its replies with
 * stage 0's option `option` instead of the first one: it raises that opener's
 * logit (and lowers the default's) for the shared "other" direction only.
 */
export async function writeOpenerLora(path: string, script: Script, option: number): Promise<void> {
  const vocab = buildScriptedVocab(script);
  const nVocab = vocab.tokens.length;
  const nEmbd = embeddingWidth(vocab);
  const openers = vocab.next.get(0)!;
  const target = openers[option];
  if (target === undefined) throw new Error(`stage 0 has no option ${option}`);
  const scale = 1 / Math.sqrt(nEmbd);
  await writeGguf(path, {
    "general.architecture": str("llama"),
    "general.type": str("adapter"),
    "adapter.type": str("lora"),
    "adapter.lora.alpha": f32(1),
  }, [
    // A picks the "other" direction (dim 0); B turns it into a logit change
    { name: "output.weight.lora_a", dims: [nEmbd, 1], type: GgmlType.F32, fill: (out) => { out[0] = 1; } },
    {
      name: "output.weight.lora_b", dims: [1, nVocab], type: GgmlType.F32,
      fill: (out) => { out[target] = 8 * scale; out[openers[0]!] = -8 * scale; },
    },
  ]);
}
