/**
 * Graphs with Smart Turn v3's published interface (pipecat-ai/smart-turn
 * train.py: input `input_features` float32 [batch, 80, 800], output `logits`
 * float32 [batch, 1], a sigmoid probability that the turn is complete), for
 * tests and benchmarks; nothing large is committed.
 *
 * - "probe": p = sigmoid(gain · (mean of the last 5 frames (50 ms) − mean of all
 *   frames)): sound at the very end of the window reads as complete, trailing
 *   silence as not.
 *   Cheap and exact, so a test can recompute it from the features.
 * - "whisper-tiny": Smart Turn's architecture with random weights (Whisper Tiny's
 *   encoder: two convolutions, 4 layers of 6-head attention at 384 wide with a
 *   1536 feed-forward over 400 positions, attention pooling and the classifier),
 *   so it costs what the fp32 model costs; it answers `probability` whatever it hears.
 * - "whisper-tiny-int8": the same, quantized as the CPU release is (QDQ: int8
 *   per-channel weights, uint8 activations on every MatMul and Conv), so
 *   onnxruntime runs integer kernels and it costs about what the 8 MB model costs.
 * - "wrong-names": a Wav2Vec2-style input (`input_values`), which must be refused.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { GraphBuilder, DType, encodeModel } from "./onnxBuilder.js";
import { seededRandom } from "../util/random.js";

export type SmartTurnFixtureKind = "probe" | "whisper-tiny" | "whisper-tiny-int8" | "wrong-names";

export const PROBE_TAIL_FRAMES = 5;
export const PROBE_GAIN = 4;

/** What the probe graph answers for these features ([80, 800] row-major). */
export function probeProbability(features: Float32Array, frames = 800): number {
  const mels = features.length / frames;
  let all = 0;
  let tail = 0;
  for (let m = 0; m < mels; m++) {
    for (let t = 0; t < frames; t++) {
      const v = features[m * frames + t]!;
      all += v;
      if (t >= frames - PROBE_TAIL_FRAMES) tail += v;
    }
  }
  const d = tail / (mels * PROBE_TAIL_FRAMES) - all / (mels * frames);
  return 1 / (1 + Math.exp(-PROBE_GAIN * d));
}

function probe(g: GraphBuilder): string {
  const x = g.input("input_features", DType.float, ["batch", 80, 800]);
  const tail = g.op1("Slice", [x, g.int64s([800 - PROBE_TAIL_FRAMES]), g.int64s([800]), g.int64s([2])]);
  const meanTail = g.op1("ReduceMean", [tail], { axes: { ints: [1, 2] }, keepdims: { i: 1 } });
  const meanAll = g.op1("ReduceMean", [x], { axes: { ints: [1, 2] }, keepdims: { i: 1 } });
  const z = g.op1("Mul", [g.op1("Sub", [meanTail, meanAll]), g.floats([PROBE_GAIN], [])]);
  return g.op1("Reshape", [g.op1("Sigmoid", [z]), g.int64s([-1, 1])]);
}

/** Smart Turn's shape with random weights: the compute of the real model (fp32, or int8 as the CPU release). */
function whisperTiny(g: GraphBuilder, probability: number, seed: number, int8: boolean): string {
  const rnd = seededRandom(seed);
  const w = (n: number, scale: number): number[] => Array.from({ length: n }, () => (rnd() * 2 - 1) * scale);
  const D = 384;
  const H = 6;
  const FF = 1536;
  const T = 400;
  /** activations through uint8 and back (a QDQ pair), as a static quantization leaves them */
  const qdq = (x: string): string => {
    const scale = g.floats([0.05], []);
    const zero = g.raw(DType.uint8, Uint8Array.of(128), []);
    return g.op1("DequantizeLinear", [g.op1("QuantizeLinear", [x, scale, zero]), scale, zero]);
  };
  /** weights of shape `dims`, int8 per output channel (`axis`) when quantized */
  const weight = (dims: number[], scale: number, axis: number): string => {
    const n = dims.reduce((a, b) => a * b, 1);
    if (!int8) return g.floats(w(n, scale), dims);
    const q = Int8Array.from({ length: n }, () => Math.round((rnd() * 2 - 1) * 127));
    const channels = dims[axis]!;
    const scales = g.floats(new Array(channels).fill(scale / 127), [channels]);
    const zeros = g.raw(DType.int8, new Uint8Array(channels), [channels]);
    return g.op1("DequantizeLinear", [g.raw(DType.int8, new Uint8Array(q.buffer), dims), scales, zeros], { axis: { i: axis } });
  };
  const input = (x: string): string => (int8 ? qdq(x) : x);
  const lin = (x: string, inDim: number, outDim: number, scale = 0.05): string =>
    g.op1("Add", [g.op1("MatMul", [input(x), weight([inDim, outDim], scale, 1)]), g.floats(w(outDim, 0.01), [outDim])]);
  const norm = (x: string, dim: number): string => g.op1("LayerNormalization", [x, g.floats(new Array(dim).fill(1), [dim]), g.floats(new Array(dim).fill(0), [dim])], { axis: { i: -1 } });
  const gelu = (x: string): string => g.op1("Gelu", [x]);
  const x = g.input("input_features", DType.float, ["batch", 80, 800]);
  const c1 = gelu(g.op1("Conv", [input(x), weight([D, 80, 3], 0.05, 0), g.floats(w(D, 0.01), [D])], { kernel_shape: { ints: [3] }, pads: { ints: [1, 1] } }));
  const c2 = gelu(g.op1("Conv", [input(c1), weight([D, D, 3], 0.02, 0), g.floats(w(D, 0.01), [D])], { kernel_shape: { ints: [3] }, pads: { ints: [1, 1] }, strides: { ints: [2] } }));
  let h = g.op1("Add", [g.op1("Transpose", [c2], { perm: { ints: [0, 2, 1] } }), g.floats(w(T * D, 0.02), [T, D])]);
  const heads = (t: string): string => g.op1("Transpose", [g.op1("Reshape", [t, g.int64s([0, T, H, D / H])])], { perm: { ints: [0, 2, 1, 3] } });
  for (let layer = 0; layer < 4; layer++) {
    const a = norm(h, D);
    const q = heads(lin(a, D, D));
    const k = g.op1("Transpose", [heads(lin(a, D, D))], { perm: { ints: [0, 1, 3, 2] } });
    const v = heads(lin(a, D, D));
    const att = g.op1("Softmax", [g.op1("Mul", [g.op1("MatMul", [q, k]), g.floats([1 / Math.sqrt(D / H)], [])])], { axis: { i: -1 } });
    const mixed = g.op1("Reshape", [g.op1("Transpose", [g.op1("MatMul", [att, v])], { perm: { ints: [0, 2, 1, 3] } }), g.int64s([0, T, D])]);
    h = g.op1("Add", [h, lin(mixed, D, D)]);
    h = g.op1("Add", [h, lin(gelu(lin(norm(h, D), D, FF)), FF, D)]);
  }
  h = norm(h, D);
  // attention pooling over the 400 positions, then the classifier
  const weights = g.op1("Softmax", [lin(g.op1("Tanh", [lin(h, D, 256)]), 256, 1)], { axis: { i: 1 } });
  const pooled = g.op1("ReduceSum", [g.op1("Mul", [h, weights]), g.int64s([1])], { keepdims: { i: 0 } });
  const c = gelu(lin(gelu(norm(lin(pooled, D, 256), 256)), 256, 64));
  // the last layer all but ignores its input: the answer is `probability`, the cost is real
  const logit = g.op1("Add", [g.op1("MatMul", [c, g.floats(w(64, 1e-6), [64, 1])]), g.floats([Math.log(probability / (1 - probability))], [1])]);
  return g.op1("Sigmoid", [logit]);
}

/** `padBytes`: metadata that makes the file bigger (a download long enough to show progress) */
export async function writeSmartTurnFixture(path: string, kind: SmartTurnFixtureKind, o: { probability?: number; seed?: number; padBytes?: number } = {}): Promise<string> {
  const g = new GraphBuilder();
  let out: string;
  if (kind === "wrong-names") {
    const x = g.input("input_values", DType.float, ["batch", "samples"]);
    out = g.op1("Reshape", [g.op1("Sigmoid", [g.op1("ReduceMean", [x], { axes: { ints: [1] }, keepdims: { i: 1 } })]), g.int64s([-1, 1])]);
  } else {
    out = kind === "probe" ? probe(g) : whisperTiny(g, o.probability ?? 0.95, o.seed ?? 7, kind === "whisper-tiny-int8");
  }
  g.output("logits", out, DType.float, ["batch", 1]);
  await mkdir(dirname(path), { recursive: true });
  // Gelu is an ONNX operator from opset 20
  await writeFile(path, encodeModel(g.graph("smart_turn_fixture"), { producer: "parley smart-turn fixture", ...(o.padBytes ? { padding: "x".repeat(o.padBytes) } : {}) }, kind.startsWith("whisper-tiny") ? 20 : 17));
  return path;
}
