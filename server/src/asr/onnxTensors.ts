/** Small onnxruntime tensor helpers shared by the ONNX recognizers (float16 exports included). */
import * as ort from "onnxruntime-node";
import { AsrError } from "./errors.js";

/** IEEE half -> float */
function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** float -> IEEE half (round to nearest, overflow to infinity) */
function floatToHalf(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  const mant = x & 0x7fffff;
  if (exp >= 31) return sign | 0x7c00;
  if (exp <= 0) return exp < -10 ? sign : sign | ((mant | 0x800000) >> (1 - exp + 13));
  return sign | (exp << 10) | ((mant + 0x1000) >> 13);
}

/** A float tensor of the dtype a model input wants. */
export function floatTensor(type: string, data: Float32Array, dims: readonly number[]): ort.Tensor {
  if (type === "float32") return new ort.Tensor("float32", data, dims);
  if (type === "float16") return new ort.Tensor("float16", Uint16Array.from(data, floatToHalf), dims);
  throw new AsrError(`unsupported input type ${type} (expected float32 or float16)`);
}

/** A float tensor's values as float32. */
export function readFloats(t: ort.Tensor): Float32Array {
  if (t.type === "float32") return t.data as Float32Array;
  if (t.type === "float16") return Float32Array.from(t.data as Uint16Array, halfToFloat);
  throw new AsrError(`unexpected output type ${t.type}`);
}

const ZERO_CTORS = {
  float32: (n: number) => new Float32Array(n),
  float16: (n: number) => new Uint16Array(n),
  int64: (n: number) => new BigInt64Array(n),
  int32: (n: number) => new Int32Array(n),
  bool: (n: number) => new Uint8Array(n),
} as const;

/**
 * Zeros in the shape an input declares, for initial caches and states: symbolic
 * batch dimensions become 1, other symbolic dimensions (past lengths) become 0.
 */
export function zerosFor(meta: ort.InferenceSession.TensorValueMetadata, batchDims = /batch|^N$/i): ort.Tensor {
  const dims = meta.shape.map((d) => (typeof d === "number" ? Math.max(0, d) : batchDims.test(d) ? 1 : 0));
  const make = ZERO_CTORS[meta.type as keyof typeof ZERO_CTORS];
  if (!make) throw new AsrError(`cannot build an initial value for ${meta.name} of type ${meta.type}`);
  const n = dims.reduce((a, b) => a * b, 1);
  return new ort.Tensor(meta.type as keyof typeof ZERO_CTORS, make(n) as never, dims);
}
