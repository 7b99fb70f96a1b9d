/**
 * Smart Turn v3.1 (pipecat-ai/smart-turn-v3, BSD-2-Clause): a Whisper Tiny
 * encoder with an attention-pooled classifier, ~8 MB int8 for CPUs, trained on
 * 23 languages (English, Russian and Chinese among them). Downloaded on first
 * use into the cache with progress like every other model, or read from a path;
 * features and inference run in a worker thread (smartTurnWorker.ts).
 */
import { existsSync } from "node:fs";
import type { ModelStatus } from "../models/ModelStatus.js";
import { cachePathFor, fetchModelFile, isRemote } from "../models/fetchModelFile.js";
import { RpcWorker } from "../util/workerRpc.js";
import { errorMessage } from "../util/errors.js";
import { log } from "../util/log.js";
import { LoadOnce } from "../util/LoadOnce.js";
import { TurnModelError, type EndOfTurnModel } from "./EndOfTurnModel.js";

export const SMART_TURN_MODELS: Record<string, { uri: string; label: string }> = {
  "smart-turn": { uri: "hf:pipecat-ai/smart-turn-v3/smart-turn-v3.1-cpu.onnx", label: "Smart Turn v3.1" },
};

export interface SmartTurnOptions {
  /** "smart-turn" (the catalog's v3.1 CPU model), an hf:/https: URI, or a path to an .onnx */
  model: string;
  cacheDir: string;
  offline: boolean;
  status: ModelStatus;
  /** onnxruntime intra-op threads: one is enough for an 8 s window and leaves the other cores to the LLM */
  threads: number;
  downloadStallMs?: number;
}

export const SMART_TURN_DEFAULTS = { threads: 1, offline: false } satisfies Partial<SmartTurnOptions>;

export class SmartTurnModel implements EndOfTurnModel {
  readonly label: string;
  private readonly o: SmartTurnOptions;
  private readonly uri: string;
  private readonly id: string;
  private readonly loading = new LoadOnce<void>();
  private loaded = false;
  private closed = false;
  /** loads again after the thread died (at most this many times: a model that kills it stays off) */
  private reloads = 1;
  private readonly worker = new RpcWorker({
    module: new URL("./smartTurnWorker.ts", import.meta.url),
    // a crashed thread lost the session: the silence decides until it is loaded again
    onExit: (err) => {
      this.loaded = false;
      void this.loading.reset();
      log.error(`${this.label}'s thread stopped (${err.message})`);
      if (!this.closed && this.reloads-- > 0) this.prepare().catch(() => {});
    },
  });
  /** what the last prediction cost in the worker, ms */
  lastCost = { featuresMs: 0, inferenceMs: 0 };
  /** predictions made so far (early ones included) */
  predictions = 0;

  constructor(opts: Pick<SmartTurnOptions, "model" | "cacheDir" | "status"> & Partial<SmartTurnOptions>) {
    this.o = { ...SMART_TURN_DEFAULTS, ...opts };
    if (!this.o.model) throw new TurnModelError("an end-of-turn model is required (smart-turn or a path)");
    if (!(this.o.threads >= 1)) throw new TurnModelError(`threads must be at least 1 (got ${this.o.threads})`);
    const known = SMART_TURN_MODELS[this.o.model];
    this.uri = known?.uri ?? this.o.model;
    this.label = known?.label ?? `Smart Turn (${this.o.model})`;
    this.id = `turn:${this.o.model}`;
  }

  get ready(): boolean { return this.loaded; }

  prepare(signal?: AbortSignal): Promise<void> {
    if (this.closed) return Promise.reject(new TurnModelError(`${this.label} is closed`));
    // a failed load is retried next time (the user may go online or fix the path)
    return this.loading.get(() => this.load(signal));
  }

  private async load(signal?: AbortSignal): Promise<void> {
    const kind = "turn" as const;
    if (this.o.offline && isRemote(this.uri) && !existsSync(cachePathFor(this.o.cacheDir, this.uri))) {
      const msg = `offline: ${this.label} is not in the cache (${cachePathFor(this.o.cacheDir, this.uri)}); the end of a turn is decided by silence`;
      this.o.status.report(this.id, { kind, name: this.label, error: msg });
      throw new TurnModelError(msg);
    }
    const path = await fetchModelFile(this.uri, {
      cacheDir: this.o.cacheDir, offline: this.o.offline, status: this.o.status, id: this.id, kind, name: this.label,
      ...(this.o.downloadStallMs !== undefined ? { stallMs: this.o.downloadStallMs } : {}), ...(signal ? { signal } : {}),
    }).catch((err: unknown) => { throw new TurnModelError(`${errorMessage(err)}; the end of a turn is decided by silence until then`, true, { cause: err }); });
    try {
      await this.worker.call("load", { path, threads: this.o.threads });
    } catch (err) {
      const msg = `cannot load ${this.label} from ${path}: ${errorMessage(err)}`;
      this.o.status.report(this.id, { kind, name: this.label, ready: false, error: msg });
      throw new TurnModelError(msg, false, { cause: err });
    }
    this.loaded = true;
    log.info(`${this.label} decides the end of people's turns`);
  }

  async completion(pcm: Int16Array): Promise<number> {
    if (!this.loaded) throw new TurnModelError(`${this.label} is not loaded`, true);
    this.predictions++;
    const r = await this.worker.call<{ probability: number; featuresMs: number; inferenceMs: number }>("predict", { pcm });
    this.lastCost = { featuresMs: r.featuresMs, inferenceMs: r.inferenceMs };
    return r.probability;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.loaded = false;
    await this.loading.reset();
    await this.worker.close();
  }
}
