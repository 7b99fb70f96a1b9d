/**
 * Random-weights GGUF files with a real model's exact architecture: the same
 * compute and memory as the real thing, meaningless words. Benchmarks use them
 * to measure prompt reuse, batching and memory without downloading weights.
 */
import { writeGguf, GgmlType, u32, f32, bool, str, strings, f32s, i32s, type GgufTensor } from "./GgufWriter.js";

export interface ArchShape {
  name: string;
  architecture: "qwen2" | "llama";
  nVocab: number;
  nEmbd: number;
  nLayer: number;
  nHead: number;
  nHeadKv: number;
  nFf: number;
  ropeBase: number;
  contextLength: number;
  /** q/k/v projections have biases (Qwen2) */
  qkvBias: boolean;
  /** output projection shares the token embedding */
  tiedEmbeddings: boolean;
}

/** Qwen2.5-0.5B-Instruct's shapes (494 M parameters). */
export const QWEN25_05B: ArchShape = {
  name: "qwen2.5-0.5b-shaped (random weights)", architecture: "qwen2", nVocab: 151936, nEmbd: 896, nLayer: 24, nHead: 14, nHeadKv: 2,
  nFf: 4864, ropeBase: 1_000_000, contextLength: 32768, qkvBias: true, tiedEmbeddings: true,
};

/** Small deterministic noise for F32 tensors (biases). */
function filler(seed: number, std: number): (out: Float32Array) => void {
  return (out) => {
    let s = seed >>> 0;
    for (let i = 0; i < out.length; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; out[i] = (s / 4294967296 - 0.5) * std * 3.46; }
  };
}

/** Q8_0 blocks of uniform random int8 with one scale: std ≈ `std`, written fast as raw bytes. */
function q8Filler(seed: number, std: number): (out: Uint8Array) => void {
  // uniform int8 in [-127, 127] has std 127/sqrt(3); the scale brings it to `std`
  const scale = (std * Math.sqrt(3)) / 127;
  const half = new Uint16Array([f16(scale)]);
  return (out) => {
    let s = seed >>> 0;
    for (let b = 0; b < out.length; b += 34) {
      out[b] = half[0]! & 0xff;
      out[b + 1] = half[0]! >> 8;
      for (let j = 0; j < 32; j += 4) {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        // four int8 values per random word, each kept within [-127, 127]
        out[b + 2 + j] = (s & 0xff) === 0x80 ? 0x81 : s & 0xff;
        out[b + 3 + j] = ((s >>> 8) & 0xff) === 0x80 ? 0x81 : (s >>> 8) & 0xff;
        out[b + 4 + j] = ((s >>> 16) & 0xff) === 0x80 ? 0x81 : (s >>> 16) & 0xff;
        out[b + 5 + j] = (s >>> 24) === 0x80 ? 0x81 : s >>> 24;
      }
    }
  };
}

function f16(v: number): number {
  const x = new Uint32Array(new Float32Array([v]).buffer)[0]!;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  return ((x >>> 16) & 0x8000) | (Math.max(0, Math.min(31, exp)) << 10) | ((x & 0x7fffff) >>> 13);
}

export async function writeRandomModel(path: string, a: ArchShape): Promise<void> {
  const headDim = a.nEmbd / a.nHead;
  const kv = headDim * a.nHeadKv;
  const ones = (out: Float32Array): void => { out.fill(1); };
  let seed = 1;
  // weights as Q8_0 (what CPU users run, and fast to write); small vectors as F32
  const w = (name: string, dims: number[], std = 0.02, type: typeof GgmlType.Q8_0 | typeof GgmlType.F32 = GgmlType.Q8_0): GgufTensor =>
    type === GgmlType.Q8_0 ? { name, dims, type, fillRaw: q8Filler(seed++, std) } : { name, dims, type, fill: filler(seed++, std) };
  const tensors: GgufTensor[] = [w("token_embd.weight", [a.nEmbd, a.nVocab]), { name: "output_norm.weight", dims: [a.nEmbd], type: GgmlType.F32, fill: ones }];
  if (!a.tiedEmbeddings) tensors.push(w("output.weight", [a.nEmbd, a.nVocab]));
  for (let i = 0; i < a.nLayer; i++) {
    const b = `blk.${i}`;
    tensors.push(
      { name: `${b}.attn_norm.weight`, dims: [a.nEmbd], type: GgmlType.F32, fill: ones },
      w(`${b}.attn_q.weight`, [a.nEmbd, a.nEmbd]), w(`${b}.attn_k.weight`, [a.nEmbd, kv]), w(`${b}.attn_v.weight`, [a.nEmbd, kv]),
      ...(a.qkvBias ? [w(`${b}.attn_q.bias`, [a.nEmbd], 0.02, GgmlType.F32), w(`${b}.attn_k.bias`, [kv], 0.02, GgmlType.F32), w(`${b}.attn_v.bias`, [kv], 0.02, GgmlType.F32)] : []),
      w(`${b}.attn_output.weight`, [a.nEmbd, a.nEmbd]),
      { name: `${b}.ffn_norm.weight`, dims: [a.nEmbd], type: GgmlType.F32, fill: ones },
      w(`${b}.ffn_gate.weight`, [a.nEmbd, a.nFf]), w(`${b}.ffn_up.weight`, [a.nEmbd, a.nFf]), w(`${b}.ffn_down.weight`, [a.nFf, a.nEmbd]),
    );
  }
  // a byte-fallback tokenizer with printable characters, padded to the real vocabulary size
  const tokens = ["<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>"];
  const kinds = [2, 3, 3, 3, 3];
  for (let b = 0; b < 256; b++) { tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`); kinds.push(6); }
  tokens.push("\u2581"); kinds.push(1);
  for (let c = 0x21; c <= 0x7e; c++) { tokens.push(String.fromCharCode(c)); kinds.push(1); }
  while (tokens.length < a.nVocab) { tokens.push(`<unused${tokens.length}>`); kinds.push(4); }
  const arch = a.architecture;
  await writeGguf(path, {
    "general.architecture": str(arch),
    "general.name": str(a.name),
    "general.alignment": u32(32),
    [`${arch}.context_length`]: u32(a.contextLength),
    [`${arch}.embedding_length`]: u32(a.nEmbd),
    [`${arch}.block_count`]: u32(a.nLayer),
    [`${arch}.feed_forward_length`]: u32(a.nFf),
    [`${arch}.attention.head_count`]: u32(a.nHead),
    [`${arch}.attention.head_count_kv`]: u32(a.nHeadKv),
    [`${arch}.rope.freq_base`]: f32(a.ropeBase),
    [`${arch}.attention.layer_norm_rms_epsilon`]: f32(1e-6),
    "tokenizer.ggml.model": str("llama"),
    "tokenizer.ggml.tokens": strings(tokens),
    "tokenizer.ggml.scores": f32s(new Float32Array(tokens.length)),
    "tokenizer.ggml.token_type": i32s(kinds),
    "tokenizer.ggml.bos_token_id": u32(1),
    "tokenizer.ggml.eos_token_id": u32(4),
    "tokenizer.ggml.unknown_token_id": u32(0),
    "tokenizer.ggml.add_bos_token": bool(false),
    "tokenizer.chat_template": str("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"),
  }, tensors);
}
