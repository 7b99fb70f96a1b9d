/**
 * A scripted streaming zipformer transducer: encoder/decoder/joiner ONNX graphs with
 * the real input/output names, dtypes and metadata of sherpa-onnx's streaming
 * exports (see asr/transducerModel.ts), plus tokens.txt. Either state layout:
 * "zipformer2" (cached_key_i ... embed_states, processed_lens) or "zipformer"
 * (cached_len_i ... cached_conv2_i per stack).
 *
 * - encoder: two output frames per chunk (frames 0-15 and 16-31 of the 45), each
 *   the speech score of its louder half (mean Kaldi log-mel, silence ≈ -15.9),
 *   gated by a state that counts processed frames: the first chunk never speaks and,
 *   if the caller does not feed `new_*` states back, no chunk ever does.
 * - decoder: the one-hot (x3) of the last context token.
 * - joiner: tanh(enc + dec) · W + b, where W makes each token's successor in the
 *   script win on a speech frame and blank win on a silent one. So the transcript
 *   grows one piece per speech frame: the real fbank -> chunking -> state ->
 *   greedy search -> detokenisation path decides what comes out.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GraphBuilder, DType, encodeModel, type Dim } from "./onnxBuilder.js";

export interface TransducerFixtureOptions {
  layout: "zipformer2" | "zipformer";
  /** the script, as tokens.txt pieces ("▁HELLO", "<0xE4>"...) */
  pieces: string[];
}

export const TRANSDUCER_FIXTURE_PIECES = ["\u2581HELLO", "\u2581THERE", "\u2581A", "DA"];
export const TRANSDUCER_FIXTURE_TEXT = "hello there ada";

const CONTEXT = 2;
const DIM = 8;
const LEFT = 4;

export async function writeTransducerFixture(dir: string, opts: Partial<TransducerFixtureOptions> = {}): Promise<{ dir: string; vocabSize: number }> {
  const o: TransducerFixtureOptions = { layout: "zipformer2", pieces: TRANSDUCER_FIXTURE_PIECES, ...opts };
  const symbols = ["<blk>", "<sos/eos>", "<unk>", ...o.pieces, "\u2581FILLER", "S"];
  const V = symbols.length;
  const D = V + 1;
  await mkdir(dir, { recursive: true });
  const prefix = o.layout === "zipformer2" ? "-chunk-16-left-64" : "";
  await writeFile(join(dir, "tokens.txt"), symbols.map((s, i) => `${s} ${i}`).join("\n") + "\n");
  await writeFile(join(dir, `encoder-epoch-99-avg-1${prefix}.onnx`), encoderModel(o.layout, D));
  await writeFile(join(dir, `decoder-epoch-99-avg-1${prefix}.onnx`), decoderModel(V, D));
  await writeFile(join(dir, `joiner-epoch-99-avg-1${prefix}.onnx`), joinerModel(V, D, o.pieces.length));
  return { dir, vocabSize: V };
}

interface State { name: string; type: DType; dims: Dim[] }

function states(layout: TransducerFixtureOptions["layout"]): { list: State[]; counter: string; T: number; meta: Record<string, string> } {
  const list: State[] = [];
  const stacks = 2;
  if (layout === "zipformer2") {
    for (let i = 0; i < stacks; i++) {
      list.push(
        { name: `cached_key_${i}`, type: DType.float, dims: [LEFT, "N", DIM] },
        { name: `cached_nonlin_attn_${i}`, type: DType.float, dims: [1, "N", LEFT, (3 * DIM) / 4] },
        { name: `cached_val1_${i}`, type: DType.float, dims: [LEFT, "N", DIM] },
        { name: `cached_val2_${i}`, type: DType.float, dims: [LEFT, "N", DIM] },
        { name: `cached_conv1_${i}`, type: DType.float, dims: ["N", DIM, 1] },
        { name: `cached_conv2_${i}`, type: DType.float, dims: ["N", DIM, 1] },
      );
    }
    list.push({ name: "embed_states", type: DType.float, dims: ["N", 128, 3, 19] }, { name: "processed_lens", type: DType.int64, dims: ["N"] });
    const meta = {
      model_type: "zipformer2", version: "1", model_author: "parley-test-fixture", comment: "streaming zipformer2 fixture",
      decode_chunk_len: "32", T: "45", num_encoder_layers: "1,1", encoder_dims: `${DIM},${DIM}`, cnn_module_kernels: "3,3",
      left_context_len: `${LEFT},${LEFT}`, query_head_dims: "4,4", value_head_dims: "4,4", num_heads: "2,2",
    };
    return { list, counter: "processed_lens", T: 45, meta };
  }
  const per = (kind: string, dims: Dim[], type: DType = DType.float): void => {
    for (let i = 0; i < stacks; i++) list.push({ name: `${kind}_${i}`, type, dims });
  };
  per("cached_len", [1, "N"], DType.int64);
  per("cached_avg", [1, "N", DIM]);
  per("cached_key", [1, LEFT, "N", DIM]);
  per("cached_val", [1, LEFT, "N", DIM / 2]);
  per("cached_val2", [1, LEFT, "N", DIM / 2]);
  per("cached_conv1", [1, "N", DIM, 2]);
  per("cached_conv2", [1, "N", DIM, 2]);
  const meta = {
    model_type: "zipformer", version: "1", model_author: "parley-test-fixture", decode_chunk_len: "32", T: "39",
    num_encoder_layers: "1,1", encoder_dims: `${DIM},${DIM}`, attention_dims: `${DIM},${DIM}`, cnn_module_kernels: "3,3", left_context_len: `${LEFT},${LEFT}`,
  };
  return { list, counter: "cached_len_0", T: 39, meta };
}

function encoderModel(layout: TransducerFixtureOptions["layout"], D: number): Uint8Array {
  const g = new GraphBuilder();
  const s = states(layout);
  const x = g.input("x", DType.float, ["N", s.T, 80]);
  for (const st of s.list) g.input(st.name, st.type, st.dims);
  const energy = g.op1("ReduceMean", [x], { axes: { ints: [2] }, keepdims: { i: 0 } });
  const frameScore = (from: number): string => {
    const part = g.op1("Slice", [energy, g.int64s([from]), g.int64s([from + 16]), g.int64s([1])]);
    const loud = g.op1("ReduceMax", [part], { axes: { ints: [1] }, keepdims: { i: 1 } });
    return g.op1("Clip", [g.op1("Mul", [g.op1("Add", [loud, g.floats([8], [])]), g.floats([0.5], [])]), g.floats([-1], []), g.floats([1], [])]);
  };
  const scores = g.op1("Concat", [frameScore(0), frameScore(16)], { axis: { i: 1 } });
  // silent until a chunk has been processed: gate = (counter > 0)
  // (batch 1: the counter summed over everything)
  const counted = g.op1("ReduceSum", [g.op1("Cast", [s.counter], { to: { i: DType.float } })], { keepdims: { i: 0 } });
  const gate = g.op1("Cast", [g.op1("Greater", [counted, g.floats([0], [])])], { to: { i: DType.float } });
  // gate 1: the scores; gate 0: -1 (silence)
  const gated = g.op1("Sub", [g.op1("Add", [g.op1("Mul", [scores, gate]), gate]), g.floats([1], [])]);
  const speechDir = new Float32Array(D);
  speechDir[D - 1] = 3;
  const out = g.op1("Mul", [g.op1("Unsqueeze", [gated, g.int64s([2])]), g.floats(speechDir, [D])]);
  g.output("encoder_out", out, DType.float, ["N", 2, D]);
  for (const st of s.list) {
    const v = st.name === s.counter ? g.op1("Add", [st.name, g.int64s([16], [])]) : st.name;
    g.output(`new_${st.name}`, v, st.type, st.dims);
  }
  return encodeModel(g.graph("transducer_encoder_fixture"), s.meta);
}

function decoderModel(V: number, D: number): Uint8Array {
  const g = new GraphBuilder();
  const y = g.input("y", DType.int64, ["N", CONTEXT]);
  const last = g.op1("Squeeze", [g.op1("Slice", [y, g.int64s([CONTEXT - 1]), g.int64s([CONTEXT]), g.int64s([1])]), g.int64s([1])]);
  const emb = new Float32Array(V * D);
  for (let v = 0; v < V; v++) emb[v * D + v] = 3;
  g.output("decoder_out", g.op1("Gather", [g.floats(emb, [V, D]), last], { axis: { i: 0 } }), DType.float, ["N", D]);
  return encodeModel(g.graph("transducer_decoder_fixture"), { context_size: String(CONTEXT), vocab_size: String(V) });
}

function joinerModel(V: number, D: number, scriptLen: number): Uint8Array {
  const g = new GraphBuilder();
  const enc = g.input("encoder_out", DType.float, ["N", D]);
  const dec = g.input("decoder_out", DType.float, ["N", D]);
  const W = new Float32Array(D * V);
  const b = new Float32Array(V).fill(-20);
  b[0] = 5;
  // blank (start) -> first piece -> ... -> last piece; script pieces are ids 3..
  const order = [0, ...Array.from({ length: scriptLen }, (_, i) => 3 + i)];
  // tanh saturates at ±0.995: successor 30·0.995 - 20 ≈ 9.9; blank 5 ∓ 9.95 (speech / silence)
  for (let i = 0; i + 1 < order.length; i++) W[order[i]! * V + order[i + 1]!] = 30;
  W[(D - 1) * V + 0] = -10;
  const h = g.op1("Tanh", [g.op1("Add", [enc, dec])]);
  const logit = g.op1("Add", [g.op1("MatMul", [h, g.floats(W, [D, V])]), g.floats(b, [V])]);
  g.output("logit", logit, DType.float, ["N", V]);
  return encodeModel(g.graph("transducer_joiner_fixture"), { joiner_dim: String(D) });
}
