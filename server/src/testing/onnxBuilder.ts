/**
 * A tiny ONNX graph builder over onnx-proto (protobufjs), for test fixtures that
 * onnxruntime-node runs like real exports: named inputs/outputs with symbolic
 * dimensions, initializers, If subgraphs and metadata_props.
 */
import onnxProto from "onnx-proto";

const { onnx } = onnxProto;

export const DType = { float: 1, uint8: 2, int8: 3, int64: 7, bool: 9 } as const;
export type DType = (typeof DType)[keyof typeof DType];

export type Dim = number | string;
export type Attr = { i: number } | { f: number } | { ints: number[] } | { g: onnxProto.onnx.IGraphProto };

const valueInfo = (name: string, type: DType, dims?: readonly Dim[]): onnxProto.onnx.IValueInfoProto => ({
  name,
  type: { tensorType: { elemType: type, ...(dims ? { shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } : {}) } },
});

function attribute(name: string, a: Attr): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if ("i" in a) return { name, type: T.INT, i: a.i };
  if ("f" in a) return { name, type: T.FLOAT, f: a.f };
  if ("ints" in a) return { name, type: T.INTS, ints: a.ints };
  return { name, type: T.GRAPH, g: a.g };
}

export class GraphBuilder {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly inits: onnxProto.onnx.ITensorProto[] = [];
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private n = 0;

  constructor(private readonly prefix = "") {}

  input(name: string, type: DType, dims: readonly Dim[]): string {
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** Declares `name` a graph output; `from` is the value computed for it (renamed through Identity). */
  output(name: string, from: string, type: DType, dims?: readonly Dim[]): void {
    if (from !== name) this.op("Identity", [from], {}, [name]);
    this.outputs.push(valueInfo(name, type, dims));
  }

  floats(values: ArrayLike<number>, dims: readonly number[]): string {
    const name = this.fresh("c");
    this.inits.push({ name, dataType: DType.float, dims: [...dims], floatData: Array.from(values) });
    return name;
  }

  /** An initializer from raw little-endian bytes (int8 / uint8 weights, large float arrays). */
  raw(type: DType, bytes: Uint8Array, dims: readonly number[]): string {
    const name = this.fresh("r");
    this.inits.push({ name, dataType: type, dims: [...dims], rawData: bytes });
    return name;
  }

  int64s(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const name = this.fresh("i");
    this.inits.push({ name, dataType: DType.int64, dims: [...dims], int64Data: [...values] });
    return name;
  }

  /** Adds a node; returns its output names (one fresh name per output unless given). */
  op(type: string, inputs: string[], attrs: Record<string, Attr> = {}, outputs: number | string[] = 1): string[] {
    const outs = typeof outputs === "number" ? Array.from({ length: outputs }, () => this.fresh(type.toLowerCase())) : outputs;
    this.nodes.push({ opType: type, input: inputs, output: outs, name: this.fresh(`n_${type}`), attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)) });
    return outs;
  }

  /** The single output of a one-output node. */
  op1(type: string, inputs: string[], attrs: Record<string, Attr> = {}): string {
    return this.op(type, inputs, attrs)[0]!;
  }

  graph(name: string): onnxProto.onnx.IGraphProto {
    return { name, node: this.nodes, initializer: this.inits, input: this.inputs, output: this.outputs };
  }

  /** An If branch: no inputs, these outputs (types only; shapes may differ between branches). */
  branch(name: string, outs: { name: string; from: string; type: DType }[]): onnxProto.onnx.IGraphProto {
    for (const o of outs) this.output(o.name, o.from, o.type);
    return this.graph(name);
  }

  private fresh(base: string): string {
    return `${this.prefix}${base}_${this.n++}`;
  }
}

export function encodeModel(graph: onnxProto.onnx.IGraphProto, metadata: Record<string, string> = {}, opset = 17): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: "", version: opset }],
    producerName: "parley-test-fixture",
    graph,
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(model).finish();
}
