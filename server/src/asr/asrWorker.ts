/**
 * The recognizer's own thread: Whisper's log-mel windows and decoding loop, or
 * the transducer's fbank frames and encoder chunks, run here, so recognition
 * never stalls the room's audio pacing or a barge-in. Streams are numbered by
 * the main thread (WorkerAsr); their results go back as events. Loaded by
 * util/tsWorker.mjs.
 */
import type { MessagePort } from "node:worker_threads";
import { ModelStatus, type ModelState } from "../models/ModelStatus.js";
import { serveRpc } from "../util/workerRpc.js";
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
    close: () => provider.close(),
  });
  status.on("change", (state) => emit({ kind: "status", state } satisfies AsrWorkerEvent));
}
