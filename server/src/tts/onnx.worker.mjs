// @ts-check
// Runs ONNX voice models (Piper, Kokoro) off the main thread: onnxruntime-node's
// run() computes synchronously on the calling thread, and a neural voice takes
// hundreds of ms per sentence, which would stall the room's paced audio. Plain
// JS so it starts in a worker without a TypeScript loader.
import { parentPort } from "node:worker_threads";
import * as ort from "onnxruntime-node";

if (!parentPort) throw new Error("onnx.worker must run as a worker thread");
const port = parentPort;

/** @type {Map<number, import("onnxruntime-node").InferenceSession>} */
const sessions = new Map();
let nextSession = 1;

/** @param {any} m */
async function handle(m) {
  if (m.type === "load") {
    const session = await ort.InferenceSession.create(m.path, m.options);
    const sid = nextSession++;
    sessions.set(sid, session);
    port.postMessage({ type: "loaded", id: m.id, sid, inputNames: session.inputNames, outputNames: session.outputNames });
    return;
  }
  if (m.type === "run") {
    const session = sessions.get(m.sid);
    if (!session) throw new Error("the model was released");
    /** @type {Record<string, import("onnxruntime-node").Tensor>} */
    const feeds = {};
    for (const [name, t] of Object.entries(m.feeds)) feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
    const out = await session.run(feeds);
    /** @type {Record<string, { type: string; data: unknown; dims: readonly number[] }>} */
    const outputs = {};
    /** @type {ArrayBuffer[]} */
    const transfer = [];
    for (const [name, t] of Object.entries(out)) {
      // a copy: the runtime's own buffers cannot be handed to another thread
      const data = /** @type {any} */ (t.data).slice();
      outputs[name] = { type: t.type, data, dims: t.dims };
      transfer.push(data.buffer);
    }
    port.postMessage({ type: "result", id: m.id, outputs }, transfer);
    return;
  }
  if (m.type === "release") {
    await sessions.get(m.sid)?.release();
    sessions.delete(m.sid);
    port.postMessage({ type: "released", id: m.id });
  }
}

port.on("message", (/** @type {any} */ m) => {
  handle(m).catch((err) => port.postMessage({ type: "error", id: m.id, message: err instanceof Error ? err.message : String(err) }));
});
