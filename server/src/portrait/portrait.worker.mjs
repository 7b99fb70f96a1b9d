// @ts-check
// Renders portraits off the main thread: a VRM takes ~0.5-1 s of CPU, which
// would stall the audio of a table that is talking. The renderer is TypeScript;
// tsx's loader (a dependency already) lets this worker import it as it is.
import { parentPort } from "node:worker_threads";
import { register } from "tsx/esm/api";

if (!parentPort) throw new Error("portrait.worker must run as a worker thread");
const port = parentPort;
register();
/** @type {{ renderPortrait(vrm: Uint8Array, color: string, size: string): Uint8Array }} */
const { renderPortrait } = await import(/* the loader above reads TypeScript */ new URL("./renderPortrait.ts", import.meta.url).href);

port.on("message", ({ id, vrm, color, size }) => {
  try {
    const png = renderPortrait(vrm, color, size);
    port.postMessage({ id, png }, [/** @type {ArrayBuffer} */ (png.buffer)]);
  } catch (err) {
    port.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
