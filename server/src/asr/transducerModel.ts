/**
 * A sherpa-onnx style streaming transducer (icefall zipformer / zipformer2 exports):
 *
 * - encoder: `x` float [N, T, 80] plus cached state tensors -> `encoder_out`
 *   [N, T', joiner_dim] plus one `new_<name>` output per state input. zipformer2
 *   (icefall zipformer/export-onnx-streaming.py): per layer i `cached_key_i`
 *   [left_ctx, N, key_dim], `cached_nonlin_attn_i` [1, N, left_ctx, 3·dim/4],
 *   `cached_val1_i` / `cached_val2_i` [left_ctx, N, value_dim], `cached_conv1_i` /
 *   `cached_conv2_i` [N, dim, kernel/2], then `embed_states` [N, 128, 3, 19] and
 *   `processed_lens` int64 [N]. The older zipformer (pruned_transducer_stateless7_streaming)
 *   has `cached_len_i` int64, `cached_avg_i`, `cached_key_i`, `cached_val_i`,
 *   `cached_val2_i`, `cached_conv1_i`, `cached_conv2_i` per encoder stack. Either way
 *   every state starts as zeros of its declared shape and `new_<name>` feeds `<name>`
 *   on the next chunk, so both work without knowing the layout.
 *   Metadata: `T` (frames per chunk incl. right padding, e.g. 45) and `decode_chunk_len`
 *   (frames the chunk advances, e.g. 32).
 * - decoder: `y` int64 [N, context_size] -> `decoder_out` [N, joiner_dim]; metadata
 *   `context_size`, `vocab_size`.
 * - joiner: `encoder_out` [N, joiner_dim], `decoder_out` [N, joiner_dim] -> `logit` [N, vocab].
 *
 * Greedy search as sherpa-onnx's OnlineTransducerGreedySearchDecoder: the context
 * starts as context_size blanks (id 0); per encoder frame at most one token; the
 * decoder reruns only after a token is emitted.
 */
import { readFile } from "node:fs/promises";
import * as ort from "onnxruntime-node";
import { AsrError } from "./errors.js";
import { readOnnxMetadata } from "./onnxMetadata.js";
import { readFloats, zerosFor } from "./onnxTensors.js";

export interface TransducerFiles { encoder: string; decoder: string; joiner: string; tokens: string }

export interface Hypothesis {
  tokens: number[];
  decoderOut: ort.Tensor | null;
}

export class TransducerModel {
  private constructor(
    private readonly encoder: ort.InferenceSession,
    private readonly decoder: ort.InferenceSession,
    private readonly joiner: ort.InferenceSession,
    readonly symbols: string[],
    /** feature frames per encoder call */
    readonly T: number,
    /** feature frames each call advances */
    readonly shift: number,
    readonly featureDim: number,
    readonly contextSize: number,
    private readonly states: ort.InferenceSession.TensorValueMetadata[],
    private readonly encoderOut: string,
  ) {}

  static async load(files: TransducerFiles, threads: number): Promise<TransducerModel> {
    const opts: ort.InferenceSession.SessionOptions = { intraOpNumThreads: threads, interOpNumThreads: 1, logSeverityLevel: 3 };
    const [meta, decMeta, tokensText] = await Promise.all([readOnnxMetadata(files.encoder), readOnnxMetadata(files.decoder), readFile(files.tokens, "utf8")]);
    const sessions: ort.InferenceSession[] = [];
    try {
      for (const p of [files.encoder, files.decoder, files.joiner]) sessions.push(await ort.InferenceSession.create(p, opts));
      const [encoder, decoder, joiner] = sessions as [ort.InferenceSession, ort.InferenceSession, ort.InferenceSession];
      const x = encoder.inputMetadata.find((m) => m.name === "x");
      if (!x?.isTensor) throw new AsrError(`transducer encoder has no "x" input (inputs: ${encoder.inputNames.join(", ")})`);
      const states = encoder.inputMetadata.filter((m): m is ort.InferenceSession.TensorValueMetadata => m.name !== "x" && m.isTensor);
      const missing = states.filter((s) => !encoder.outputNames.includes(`new_${s.name}`)).map((s) => s.name);
      if (missing.length) throw new AsrError(`transducer encoder has no new_* output for ${missing.join(", ")}`);
      const featureDim = typeof x.shape[2] === "number" ? x.shape[2] : 80;
      const T = Number(meta.T ?? (typeof x.shape[1] === "number" ? x.shape[1] : NaN));
      const isZipformer2 = meta.model_type === "zipformer2" || states.some((s) => s.name.startsWith("cached_nonlin_attn"));
      // zipformer2 pads each chunk by 7 + 2·3 frames (icefall export-onnx-streaming.py)
      const shift = Number(meta.decode_chunk_len ?? (isZipformer2 ? T - 13 : NaN));
      if (!(T > 0 && shift > 0 && shift <= T)) throw new AsrError(`transducer encoder metadata lacks T / decode_chunk_len (got T=${meta.T}, decode_chunk_len=${meta.decode_chunk_len})`);
      const y = decoder.inputMetadata.find((m) => m.name === "y");
      const contextSize = Number(decMeta.context_size ?? (y?.isTensor && typeof y.shape[1] === "number" ? y.shape[1] : 2));
      const symbols = parseTokens(tokensText);
      const encoderOut = encoder.outputNames.includes("encoder_out") ? "encoder_out" : encoder.outputNames[0]!;
      return new TransducerModel(encoder, decoder, joiner, symbols, T, shift, featureDim, contextSize, states, encoderOut);
    } catch (err) {
      await Promise.all(sessions.map((s) => s.release().catch(() => undefined)));
      throw err;
    }
  }

  initStates(): Map<string, ort.Tensor> {
    return new Map(this.states.map((m) => [m.name, zerosFor(m)]));
  }

  newHypothesis(): Hypothesis {
    return { tokens: new Array<number>(this.contextSize).fill(0), decoderOut: null };
  }

  /** One chunk: T frames of features (row-major [T][dim]) through the encoder, then greedy search. */
  async decodeChunk(features: Float32Array, states: Map<string, ort.Tensor>, hyp: Hypothesis): Promise<Map<string, ort.Tensor>> {
    const feeds: Record<string, ort.Tensor> = { x: new ort.Tensor("float32", features, [1, this.T, this.featureDim]) };
    for (const [k, v] of states) feeds[k] = v;
    const r = await this.encoder.run(feeds);
    const next = new Map<string, ort.Tensor>();
    for (const k of states.keys()) next.set(k, r[`new_${k}`]!);
    const out = r[this.encoderOut]!;
    const [, frames, dim] = out.dims as [number, number, number];
    const enc = readFloats(out);
    hyp.decoderOut ??= await this.runDecoder(hyp.tokens);
    for (let t = 0; t < frames; t++) {
      const frame = new ort.Tensor("float32", enc.slice(t * dim, (t + 1) * dim), [1, dim]);
      const j = await this.joiner.run({ encoder_out: frame, decoder_out: hyp.decoderOut });
      const logit = readFloats(j.logit ?? j[this.joiner.outputNames[0]!]!);
      let best = 0;
      for (let i = 1; i < logit.length; i++) if (logit[i]! > logit[best]!) best = i;
      if (best !== 0) {
        hyp.tokens.push(best);
        hyp.decoderOut = await this.runDecoder(hyp.tokens);
      }
    }
    return next;
  }

  private async runDecoder(tokens: number[]): Promise<ort.Tensor> {
    const ctx = tokens.slice(-this.contextSize);
    const r = await this.decoder.run({ y: new ort.Tensor("int64", BigInt64Array.from(ctx, (v) => BigInt(v)), [1, this.contextSize]) });
    return r.decoder_out ?? r[this.decoder.outputNames[0]!]!;
  }

  /** Text of a hypothesis: "▁" starts a word, <0xNN> pieces are raw bytes, <blk>/<unk>/<sos/eos> are dropped. */
  text(hyp: Hypothesis): string {
    const bytes: number[] = [];
    const enc = new TextEncoder();
    for (const id of hyp.tokens.slice(this.contextSize)) {
      const sym = this.symbols[id];
      if (sym === undefined || /^<(blk|unk|sos\/eos|eps)>$/.test(sym)) continue;
      const byte = /^<0x([0-9A-Fa-f]{2})>$/.exec(sym);
      if (byte) bytes.push(parseInt(byte[1]!, 16));
      else bytes.push(...enc.encode(sym.replaceAll("\u2581", " ")));
    }
    return new TextDecoder().decode(Uint8Array.from(bytes)).replace(/\s+/g, " ").trim();
  }

  async release(): Promise<void> {
    await Promise.all([this.encoder, this.decoder, this.joiner].map((s) => s.release().catch(() => undefined)));
  }
}

/** tokens.txt: one "symbol id" per line */
export function parseTokens(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^(\S+)\s+(\d+)\s*$/.exec(line);
    if (m) out[Number(m[2])] = m[1]!;
  }
  if (out.length === 0) throw new AsrError("tokens.txt has no \"symbol id\" lines");
  return out;
}
