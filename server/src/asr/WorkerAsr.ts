/**
 * A local recognizer (Whisper or a streaming transducer) that runs in a worker
 * thread (asrWorker.ts), behind the same AsrProvider interface. The main thread
 * only forwards 32 ms frames and receives words, so a person speaking for a
 * minute costs the room's event loop microseconds per frame; its model's
 * download progress reaches the page as before.
 */
import type { ModelStatus } from "../models/ModelStatus.js";
import { ModelStatus as LocalStatus } from "../models/ModelStatus.js";
import { RpcWorker, WorkerCallError } from "../util/workerRpc.js";
import { errorMessage } from "../util/errors.js";
import { AsrError } from "./errors.js";
import { ResultChannel } from "./ResultChannel.js";
import { makeAsr, type AsrWorkerEvent, type AsrWorkerSpec } from "./asrWorker.js";
import type { AsrOptions, AsrProvider, AsrStream } from "./types.js";

interface OpenStream { channel: ResultChannel; release: () => void }

export class WorkerAsr implements AsrProvider {
  readonly label: string;
  readonly streaming: boolean;
  private readonly worker: RpcWorker<AsrWorkerEvent>;
  private readonly streams = new Map<number, OpenStream>();
  private nextSid = 1;

  constructor(spec: AsrWorkerSpec, private readonly status: ModelStatus) {
    // built here too, unloaded, so a wrong setting fails at startup with the provider's own message
    const local = makeAsr(spec, new LocalStatus());
    this.label = local.label;
    this.streaming = local.streaming;
    this.worker = new RpcWorker<AsrWorkerEvent>({
      module: new URL("./asrWorker.ts", import.meta.url),
      init: spec,
      onEvent: (e) => this.onEvent(e),
      // the thread died: every open stream fails with the reason; the next stream starts a new thread
      onExit: (err) => { for (const sid of [...this.streams.keys()]) this.fail(sid, `the recognizer's thread stopped (${err.message})`, true); },
    });
  }

  async prepare(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    await this.worker.call("prepare").catch((err: unknown) => {
      throw new AsrError(errorMessage(err), err instanceof WorkerCallError && err.retryable, { cause: err });
    });
  }

  start(opts: AsrOptions): AsrStream {
    const sid = this.nextSid++;
    const channel = new ResultChannel(opts.signal);
    this.streams.set(sid, { channel, release: this.worker.hold() });
    this.worker.send("start", { sid, language: opts.language });
    const onAbort = (): void => { this.worker.send("abort", { sid }); this.drop(sid); };
    if (opts.signal.aborted) onAbort();
    else opts.signal.addEventListener("abort", onAbort, { once: true });
    return {
      results: channel.results,
      push: (pcm) => { if (this.streams.has(sid) && pcm.length > 0) this.worker.send("push", { sid, pcm }); },
      end: () => { if (this.streams.has(sid)) this.worker.send("end", { sid }); },
    };
  }

  private onEvent(e: AsrWorkerEvent): void {
    switch (e.kind) {
      case "status": {
        const { id, ...state } = e.state;
        this.status.report(id, state);
        return;
      }
      case "result": {
        const s = this.streams.get(e.sid);
        if (!s) return;
        const r = e.result;
        if (r.kind === "partial") s.channel.partial(r.text, r.audioMs, r.language);
        else s.channel.final(r.text, r.audioMs, r.language);
        return;
      }
      case "done": this.drop(e.sid); return;
      case "failed": this.fail(e.sid, e.message, e.retryable); return;
      default: {
        const never: never = e;
        void never;
      }
    }
  }

  private fail(sid: number, message: string, retryable: boolean): void {
    this.streams.get(sid)?.channel.fail(new AsrError(message, retryable), this.label);
    this.drop(sid);
  }

  private drop(sid: number): void {
    const s = this.streams.get(sid);
    if (!s) return;
    this.streams.delete(sid);
    s.release();
  }

  async close(): Promise<void> {
    if (this.worker.running) await this.worker.call("close").catch(() => undefined);
    for (const sid of [...this.streams.keys()]) this.drop(sid);
    await this.worker.close();
  }
}
