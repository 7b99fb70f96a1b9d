/**
 * Smart Turn in its own thread: the 8 s log-mel window (~800 FFTs) and the
 * encoder both run here, so deciding the end of a turn never stalls the room's
 * audio pacing or anyone's barge-in. Loaded by util/tsWorker.mjs.
 */
import type { MessagePort } from "node:worker_threads";
import * as ort from "onnxruntime-node";
import { serveRpc } from "../util/workerRpc.js";
import { smartTurnFeatures, SMART_TURN_FRAMES, SMART_TURN_MELS } from "./smartTurnFeatures.js";

/** Smart Turn v3's published interface (pipecat-ai/smart-turn train.py export_to_onnx_fp32) */
export const SMART_TURN_INPUT = "input_features";
export const SMART_TURN_OUTPUT = "logits";

let session: ort.InferenceSession | null = null;

/** Refuses a graph whose input is not [batch, 80, 800] float `input_features` with a `logits` output. */
function check(s: ort.InferenceSession): void {
  const input = s.inputMetadata.find((m) => m.name === SMART_TURN_INPUT);
  if (!input) throw new Error(`the model has no "${SMART_TURN_INPUT}" input (it has ${s.inputNames.join(", ")}): not a Smart Turn v3 export`);
  if (!s.outputNames.includes(SMART_TURN_OUTPUT)) throw new Error(`the model has no "${SMART_TURN_OUTPUT}" output (it has ${s.outputNames.join(", ")})`);
  if (input.isTensor) {
    const [, mels, frames] = input.shape;
    if (input.shape.length !== 3 || (typeof mels === "number" && mels !== SMART_TURN_MELS) || (typeof frames === "number" && frames !== SMART_TURN_FRAMES)) {
      throw new Error(`"${SMART_TURN_INPUT}" should be [batch, ${SMART_TURN_MELS}, ${SMART_TURN_FRAMES}], the model says [${input.shape.join(", ")}]`);
    }
    if (input.type !== "float32") throw new Error(`"${SMART_TURN_INPUT}" should be float32, the model says ${input.type}`);
  }
}

export function serve(port: MessagePort): void {
  serveRpc(port, {
    load: async ({ path, threads }: { path: string; threads: number }) => {
      const next = await ort.InferenceSession.create(path, { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: "sequential", graphOptimizationLevel: "all", logSeverityLevel: 3 });
      try {
        check(next);
      } catch (err) {
        await next.release();
        throw err;
      }
      await session?.release();
      session = next;
      return { inputs: next.inputNames, outputs: next.outputNames };
    },
    /** the probability that the turn is complete, and what it cost, ms */
    predict: async ({ pcm }: { pcm: Int16Array }) => {
      if (!session) throw new Error("the end-of-turn model is not loaded");
      const t0 = performance.now();
      const features = smartTurnFeatures(pcm);
      const t1 = performance.now();
      const out = await session.run({ [SMART_TURN_INPUT]: new ort.Tensor("float32", features, [1, SMART_TURN_MELS, SMART_TURN_FRAMES]) });
      const p = Number((out[SMART_TURN_OUTPUT]!.data as Float32Array)[0]);
      if (!Number.isFinite(p)) throw new Error(`the model answered ${p}`);
      return { probability: p, featuresMs: t1 - t0, inferenceMs: performance.now() - t1 };
    },
    release: async () => {
      await session?.release();
      session = null;
    },
  });
}
