/**
 * The recognizer's own thread: Whisper's log-mel windows and decoding loop, or
 * the transducer's fbank frames and encoder chunks, run here, so recognition
 * never stalls the room's audio pacing or a barge-in. Streams are numbered by
 * the main thread (WorkerAsr); their results go back as events. Loaded by
 * util/tsWorker.mjs.
 */
import type { MessagePort } from "node:worker_threads";
import * as ort from "onnxruntime-node";
import { ModelStatus, type ModelState } from "../models/ModelStatus.js";
import { serveRpc } from "../util/workerRpc.js";
import { lowerThisThreadPriority } from "../util/threadPriority.js";
import { errorMessage } from "../util/errors.js";
import { WhisperOnnxAsr, type WhisperOnnxInit } from "./WhisperOnnxAsr.js";
import { StreamingTransducerAsr, type StreamingTransducerInit } from "./StreamingTransducerAsr.js";
import type { AsrProvider, AsrResult, AsrStream } from "./types.js";

/** Which recognizer the thread runs (its options, minus the status it reports through events). */
export type AsrWorkerSpec =
  | { kind: "whisper"; options: Omit<WhisperOnnxInit, "status"> }
  | { kind: "streaming"; options: Omit<StreamingTransducerInit, "status"> };

export type AsrWorkerEvent =
  | { kind: "status"; state: ModelState }
  | { kind: "result"; sid: number; result: AsrResult }
  | { kind: "done"; sid: number }
  | { kind: "failed"; sid: number; message: string; retryable: boolean };

/**
 * onnxruntime runs in flight in this thread: the thread may only end when there
 * are none (a run cut off by termination aborts the whole process), so every
 * session's run() is counted here.
 */
const runs = { active: 0, idle: [] as (() => void)[] };
function countRuns(): void {
  const proto = (ort.InferenceSession as unknown as { prototype: { run: (...a: unknown[]) => Promise<unknown>; counted?: boolean } }).prototype;
  if (proto.counted) return;
  const run = proto.run;
  proto.run = function (this: unknown, ...a: unknown[]) {
    runs.active++;
    const p = run.apply(this, a);
    void p.finally(() => { if (--runs.active === 0) for (const w of runs.idle.splice(0)) w(); }).catch(() => {});
    return p;
  };
  proto.counted = true;
}
const noRuns = (): Promise<void> => (runs.active === 0 ? Promise.resolve() : new Promise((r) => runs.idle.push(r)));

export function makeAsr(spec: AsrWorkerSpec, status: ModelStatus): AsrProvider {
  switch (spec.kind) {
    case "whisper": return new WhisperOnnxAsr({ ...spec.options, status });
    case "streaming": return new StreamingTransducerAsr({ ...spec.options, status });
    default: {
      const never: never = spec;
      throw new Error(`unknown recognizer ${JSON.stringify(never)}`);
    }
  }
}

export function serve(port: MessagePort, spec: AsrWorkerSpec): void {
  countRuns();
  // before any session starts its pool: the room's event loop always wins a core from recognition
  lowerThisThreadPriority();
  const status = new ModelStatus();
  const streams = new Map<number, { stream: AsrStream; abort: AbortController }>();
  const provider = makeAsr(spec, status);
  const emit = serveRpc(port, {
    prepare: () => provider.prepare(),
    start: ({ sid, language }: { sid: number; language: string }) => {
      const abort = new AbortController();
      const stream = provider.start({ language, signal: abort.signal });
      streams.set(sid, { stream, abort });
      void (async () => {
        try {
          for await (const result of stream.results) emit({ kind: "result", sid, result } satisfies AsrWorkerEvent);
          emit({ kind: "done", sid } satisfies AsrWorkerEvent);
        } catch (err) {
          const retryable = (err as { retryable?: boolean }).retryable === true;
          emit({ kind: "failed", sid, message: errorMessage(err), retryable } satisfies AsrWorkerEvent);
        } finally {
          streams.delete(sid);
        }
      })();
    },
    push: ({ sid, pcm }: { sid: number; pcm: Int16Array }) => streams.get(sid)?.stream.push(pcm),
    end: ({ sid }: { sid: number }) => streams.get(sid)?.stream.end(),
    abort: ({ sid }: { sid: number }) => {
      streams.get(sid)?.abort.abort();
      streams.delete(sid);
    },
    /** every stream stops, the runs still going finish, then the sessions are released */
    close: async () => {
      for (const { abort } of streams.values()) abort.abort();
      await noRuns();
      await provider.close();
    },
  });
  status.on("change", (state) => emit({ kind: "status", state } satisfies AsrWorkerEvent));
}
