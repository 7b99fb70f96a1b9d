/**
 * Work that must not run on the room's event loop (ONNX inference, feature
 * extraction, decoding loops) runs in a worker thread written in TypeScript:
 * `tsWorker.mjs` loads the module and calls its `serve(port, init)`. Requests
 * are calls with replies; a worker can also push events (a recognizer's
 * partial words). A thread that dies fails every call in flight and reports to
 * its owner; the next call starts a fresh one.
 */
import { Worker, type MessagePort, type Transferable } from "node:worker_threads";

type Request = { id: number; method: string; args: unknown };
type Message =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; message: string; retryable: boolean }
  | { event: unknown };

/** A failure inside the worker, as the caller sees it. */
export class WorkerCallError extends Error {
  constructor(message: string, readonly retryable: boolean, options?: { cause?: unknown }) { super(message, options); }
}

export interface RpcWorkerOptions<E> {
  /** the TypeScript module with `serve(port, init)` */
  module: URL;
  /** passed to `serve` (structured-cloneable) */
  init?: unknown;
  /** events the worker pushes */
  onEvent?: (e: E) => void;
  /** the thread stopped (a crash): owners fail what waits on its events */
  onExit?: (err: Error) => void;
}

export class RpcWorker<E = unknown> {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; done: Promise<unknown> }>();
  private nextId = 1;
  /** things waiting on events (open streams): the thread stays referenced while any does */
  private holds = 0;

  constructor(private readonly o: RpcWorkerOptions<E>) {}

  /** A call with a reply. */
  call<T>(method: string, args?: unknown, transfer: Transferable[] = []): Promise<T> {
    const w = this.thread();
    const id = this.nextId++;
    let entry!: { resolve: (v: unknown) => void; reject: (e: Error) => void; done: Promise<unknown> };
    const done = new Promise<T>((resolve, reject) => { entry = { resolve: resolve as (v: unknown) => void, reject, done: Promise.resolve() }; });
    entry.done = done.catch(() => undefined);
    this.pending.set(id, entry);
    this.keepAlive();
    w.postMessage({ id, method, args } satisfies Request, transfer);
    return done;
  }

  /** A message without a reply (audio frames); failures come back as events. */
  send(method: string, args?: unknown, transfer: Transferable[] = []): void {
    this.thread().postMessage({ id: 0, method, args } satisfies Request, transfer);
  }

  /** Keeps the thread referenced until the returned release is called (a stream awaiting results). */
  hold(): () => void {
    this.holds++;
    this.keepAlive();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.keepAlive();
    };
  }

  /** Whether a thread is running now. */
  get running(): boolean { return this.worker !== null; }

  private keepAlive(): void {
    // an idle worker must not keep the process alive; a busy one must
    if (this.pending.size + this.holds > 0) this.worker?.ref();
    else this.worker?.unref();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL("./tsWorker.mjs", import.meta.url), { workerData: { module: this.o.module.href, init: this.o.init } });
    this.worker = w;
    w.on("message", (m: Message) => {
      if ("event" in m) { this.o.onEvent?.(m.event as E); return; }
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      this.keepAlive();
      if (!p) return;
      if (m.ok) p.resolve(m.value);
      else p.reject(new WorkerCallError(m.message, m.retryable));
    });
    const fail = (err: Error): void => {
      if (this.worker !== w) return;
      this.worker = null;
      for (const p of this.pending.values()) p.reject(new WorkerCallError(`the worker thread stopped: ${err.message}`, true, { cause: err }));
      this.pending.clear();
      this.o.onExit?.(err);
    };
    w.on("error", fail);
    w.on("exit", (code) => fail(new Error(`exit code ${code}`)));
    this.keepAlive();
    return w;
  }

  /**
   * Stops the thread once the calls in flight have finished (at most `graceMs`):
   * a thread terminated in the middle of an onnxruntime run takes the whole
   * process down with it.
   */
  async close(graceMs = 10_000): Promise<void> {
    const w = this.worker;
    if (!w) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.pending.values()].map((p) => p.done)),
      new Promise((r) => { timer = setTimeout(r, graceMs); }),
    ]);
    clearTimeout(timer);
    this.worker = null;
    for (const p of this.pending.values()) p.reject(new WorkerCallError("closed", false));
    this.pending.clear();
    await w.terminate();
  }
}

type Method = (args: never) => unknown;

/**
 * The worker side: answers calls with the methods' results (or their errors,
 * `retryable` when the error says so) and returns a function that pushes events.
 */
export function serveRpc(port: MessagePort, methods: Record<string, Method>): (event: unknown, transfer?: Transferable[]) => void {
  port.on("message", (m: Request) => {
    const fn = methods[m.method];
    const run = async (): Promise<unknown> => {
      if (!fn) throw new Error(`no method ${m.method}`);
      return (fn as (a: unknown) => unknown)(m.args);
    };
    run().then(
      (value) => { if (m.id) port.postMessage({ id: m.id, ok: true, value: value ?? null } satisfies Message); },
      (err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        const retryable = typeof (err as { retryable?: unknown })?.retryable === "boolean" ? (err as { retryable: boolean }).retryable : false;
        if (m.id) port.postMessage({ id: m.id, ok: false, message, retryable } satisfies Message);
        else port.postMessage({ event: { kind: "error", method: m.method, message, retryable } } satisfies Message);
      },
    );
  });
  return (event, transfer = []) => port.postMessage({ event } satisfies Message, transfer);
}
