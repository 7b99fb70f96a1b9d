/**
 * A "scripted" GGUF: a real llama-architecture model whose weights make it answer
 * from a fixed script, deterministically under greedy sampling and with variety
 * under temperature sampling. It runs through node-llama-cpp's real load, tokenize,
 * evaluate and sample path, so the demo and the tests exercise the product's code.
 *
 * How: one-hot token embeddings, zero FFN, and an output matrix that acts as a
 * next-token table. Every token outside the script shares one "other" direction
 * whose successors are the script's openers, so any prompt ends in a reply. A reply
 * is one sentence per stage; the last token of a sentence branches to every option
 * of the next stage.
 *
 * Languages: a script may key replies in other languages on a marker word in the
 * prompt (the table's language instruction). One attention head looks only at
 * marker tokens (a constant query, keys only on markers) and copies the marker's
 * language into a direction of its own; that direction pulls the language's
 * openers above the default ones, and stays too weak to pull a reply off its
 * own next piece. Without a marker, attention averages zeros and the default
 * script answers.
 */
import { writeGguf, GgmlType, u32, f32, bool, str, strings, f32s, i32s, type GgufTensor } from "./GgufWriter.js";
import { buildScriptedVocab, type ScriptedVocab, type Script } from "./scriptedVocab.js";

export { buildScriptedVocab, type Script, type ScriptedVocab } from "./scriptedVocab.js";

/** logit of the next piece of the script; candidates of one stage differ by 0.05 per rank, for variety */
const LOGIT = 72;
/** how much a keyed language's opener trails the default one when its marker is absent */
const KEYED_HANDICAP = 12;
/** what a language direction adds to its openers (between the two, so the marker wins and the script's own next piece still does) */
const KEYED_PULL = 36;
/** attention score of a marker over any other position: far above log(context length) */
const MARKER_SCORE = 40;
/** head dimension whose rotary frequency is the lowest, so the marker's score barely depends on distance */
const QK_SLOT = 30;
const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

const HEAD_DIM = 32;

/** Where each kind of token lives in the residual stream. */
interface Layout {
  nEmbd: number;
  /** embedding dimension per token (0 = the shared "other" direction) */
  dimOfToken: Int32Array;
  /** per keyed language: its marker's dimension and its language direction */
  keyed: { markerDim: number; langDim: number }[];
}

/** one-hot width: the "other" direction, a dimension per script token, per marker and per language direction, in whole heads */
function layout(vocab: ScriptedVocab): Layout {
  const s = vocab.scriptIds.length;
  const k = vocab.keyed.length;
  const nEmbd = Math.max(64, Math.ceil((1 + s + 2 * k) / HEAD_DIM) * HEAD_DIM);
  const dimOfToken = new Int32Array(vocab.tokens.length);
  vocab.scriptIds.forEach((id, i) => (dimOfToken[id] = i + 1));
  const keyed = vocab.keyed.map((kv, i) => {
    const markerDim = 1 + s + i;
    for (const id of kv.markerIds) dimOfToken[id] = markerDim;
    return { markerDim, langDim: 1 + s + k + i };
  });
  return { nEmbd, dimOfToken, keyed };
}

export interface ScriptedModelOptions {
  name?: string;
  contextLength?: number;
}

export async function writeScriptedModel(path: string, script: Script, opts: ScriptedModelOptions = {}): Promise<void> {
  const vocab = buildScriptedVocab(script);
  const nVocab = vocab.tokens.length;
  const headDim = HEAD_DIM;
  const { nEmbd, dimOfToken, keyed } = layout(vocab);
  const nHead = nEmbd / headDim;
  const nFf = 32;
  // after RMS norm a one-hot row has magnitude sqrt(nEmbd); q.k is divided by sqrt(headDim)
  const root = Math.sqrt(nEmbd);
  const qk = Math.sqrt((MARKER_SCORE * Math.sqrt(headDim)) / nEmbd);

  const ones = (out: Float32Array): void => { out.fill(1); };
  const zeros = (): void => {};
  // ggml stores a weight [in, out] with the input contiguous: element (out, in) is at out * nIn + in
  const layer = (i: number): GgufTensor[] => [
    { name: `blk.${i}.attn_norm.weight`, dims: [nEmbd], type: GgmlType.F32, fill: ones },
    // head 0 asks every position the same question; only markers answer
    { name: `blk.${i}.attn_q.weight`, dims: [nEmbd, nEmbd], type: GgmlType.F32, fill: keyed.length ? (out) => { out.fill(qk, QK_SLOT * nEmbd, (QK_SLOT + 1) * nEmbd); } : zeros },
    { name: `blk.${i}.attn_k.weight`, dims: [nEmbd, headDim], type: GgmlType.F32, fill: (out) => { for (const k of keyed) out[QK_SLOT * nEmbd + k.markerDim] = qk; } },
    // the value of marker k is 1 in head slot k, which the output writes into language direction k
    { name: `blk.${i}.attn_v.weight`, dims: [nEmbd, headDim], type: GgmlType.F32, fill: (out) => { keyed.forEach((k, j) => (out[j * nEmbd + k.markerDim] = 1 / root)); } },
    { name: `blk.${i}.attn_output.weight`, dims: [nEmbd, nEmbd], type: GgmlType.F32, fill: (out) => { keyed.forEach((k, j) => (out[k.langDim * nEmbd + j] = 1)); } },
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
        const scale = 1 / root;
        for (const [dim, candidates] of vocab.next) {
          // the first candidate wins under greedy sampling; the rest stay close for variety
          candidates.forEach((id, rank) => (out[id * nEmbd + dim] = (LOGIT - 0.05 * rank) * scale));
        }
        vocab.keyed.forEach((kv, i) => kv.openers.forEach((id, rank) => {
          out[id * nEmbd] = (LOGIT - KEYED_HANDICAP - 0.05 * rank) * scale;
          out[id * nEmbd + keyed[i]!.langDim] = KEYED_PULL * scale;
        }));
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
    // slow rotation: the marker's attention score hardly changes across the context
    "llama.rope.freq_base": f32(1e8),
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
  const { nEmbd } = layout(vocab);
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
