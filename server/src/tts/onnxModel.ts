/**
 * ONNX voice models (CPU, onnxruntime-node) run in a worker thread, so a
 * sentence's inference never blocks the room's event loop; tensors cross as
 * plain typed arrays ({ type, data, dims }).
 */
import { Worker } from "node:worker_threads";
import { TtsError } from "../util/errors.js";

export interface OnnxTensor {
  type: string;
  data: Float32Array | BigInt64Array | Int32Array | Uint8Array | Float64Array;
  dims: readonly number[];
}

export interface OnnxSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OnnxTensor>): Promise<Record<string, OnnxTensor>>;
  release(): Promise<void>;
}

type Reply =
  | { type: "loaded"; id: number; sid: number; inputNames: string[]; outputNames: string[] }
  | { type: "result"; id: number; outputs: Record<string, OnnxTensor> }
  | { type: "released"; id: number }
  | { type: "error"; id: number; message: string };

/** One worker thread holding any number of sessions; requests run one after another. */
export class OnnxRunner {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  private nextId = 1;

  private call(message: Record<string, unknown>): Promise<Reply> {
    const w = this.thread();
    const id = this.nextId++;
    // an idle worker must not keep the process alive; a busy one must
    w.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ ...message, id });
    });
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL("./onnx.worker.mjs", import.meta.url));
    w.unref();
    w.on("message", (r: Reply) => {
      const p = this.pending.get(r.id);
      this.pending.delete(r.id);
      if (this.pending.size === 0) w.unref();
      if (r.type === "error") p?.reject(new TtsError(r.message));
      else p?.resolve(r);
    });
    const fail = (err: Error): void => {
      for (const p of this.pending.values()) p.reject(new TtsError("the ONNX worker stopped", true, { cause: err }));
      this.pending.clear();
      // a later request starts a fresh worker
      if (this.worker === w) this.worker = null;
    };
    w.on("error", fail);
    w.on("exit", (code) => fail(new Error(`exit code ${code}`)));
    this.worker = w;
    return w;
  }

  /** A session on the CPU with the configured thread count (ONNX Runtime's default oversubscribes small machines). */
  async load(path: string, threads: number, what: string): Promise<OnnxSession> {
    let r: Reply;
    try {
      r = await this.call({ type: "load", path, options: { intraOpNumThreads: threads, interOpNumThreads: 1, executionProviders: ["cpu"], graphOptimizationLevel: "all" } });
    } catch (err) {
      throw new TtsError(`cannot load ${what} from ${path}: ${err instanceof Error ? err.message : String(err)}`, false, { cause: err });
    }
    if (r.type !== "loaded") throw new TtsError(`cannot load ${what}: unexpected answer ${r.type}`);
    const { sid, inputNames, outputNames } = r;
    return {
      inputNames,
      outputNames,
      run: async (feeds) => {
        const out = await this.call({ type: "run", sid, feeds });
        if (out.type !== "result") throw new TtsError(`${what}: unexpected answer ${out.type}`);
        return out.outputs;
      },
      release: async () => { if (this.worker) await this.call({ type: "release", sid }); },
    };
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}

export const int64Tensor = (values: readonly number[], dims: number[]): OnnxTensor =>
  ({ type: "int64", data: BigInt64Array.from(values, (v) => BigInt(v)), dims });

export const float32Tensor = (values: ArrayLike<number>, dims: number[]): OnnxTensor =>
  ({ type: "float32", data: Float32Array.from(values), dims });

/** A numeric output as plain numbers, whatever its element type (durations come as int64 or float). */
export function numbersOf(t: OnnxTensor): number[] {
  const d = t.data;
  if (d instanceof BigInt64Array) return Array.from(d, (v) => Number(v));
  return Array.from(d);
}

export function float32Of(t: OnnxTensor, what: string): Float32Array {
  if (!(t.data instanceof Float32Array)) throw new TtsError(`${what} should be float32 audio, got ${t.type}`);
  return t.data;
}

/**
 * Loaded ONNX voices by spec, shared by the Piper and Kokoro providers: a load is
 * started once and awaited by everyone who asks; a failed one is forgotten so the
 * next prepare() retries (the user may have fixed a path); close() releases all.
 */
export class ModelPool<M extends { session: OnnxSession }> {
  private readonly loading = new Map<string, Promise<M>>();
  private readonly loaded = new Map<string, M>();

  load(spec: string, open: () => Promise<M>): Promise<M> {
    let p = this.loading.get(spec);
    if (!p) {
      p = open();
      this.loading.set(spec, p);
      p.then((m) => this.loaded.set(spec, m), () => this.loading.delete(spec));
    }
    return p;
  }

  /** A model that finished loading. */
  get(spec: string): M | undefined { return this.loaded.get(spec); }
  values(): IterableIterator<M> { return this.loaded.values(); }

  async close(): Promise<void> {
    const all = await Promise.allSettled(this.loading.values());
    this.loading.clear();
    this.loaded.clear();
    await Promise.all(all.map((r) => (r.status === "fulfilled" ? r.value.session.release().catch(() => undefined) : undefined)));
  }
}
