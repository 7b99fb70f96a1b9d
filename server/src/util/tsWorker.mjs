// @ts-check
// Starts a worker thread whose code is TypeScript: tsx loads the module named in
// workerData (its own scoped loader, so it works under `tsx`, vitest and plain
// node alike) and the module's serve(port, init) takes over. Messages that arrive
// meanwhile wait in the port. Plain JS so it starts without a loader.
import { parentPort, workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

if (!parentPort) throw new Error("tsWorker.mjs must run as a worker thread");
const port = parentPort;
const mod = await tsImport(workerData.module, import.meta.url);
mod.serve(port, workerData.init);
