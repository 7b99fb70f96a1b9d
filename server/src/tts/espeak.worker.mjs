// @ts-check
// Runs the espeak-ng WASM synthesizer off the main thread (its synthesis call is
// synchronous). Plain JS so it starts in a worker without a TypeScript loader.
import { parentPort } from "node:worker_threads";
import Init from "@echogarden/espeak-ng-emscripten";

if (!parentPort) throw new Error("espeak.worker must run as a worker thread");
const port = parentPort;
const module = await Init();
const engine = new module.eSpeakNGWorker();
const sampleRate = engine.samplerate;
port.postMessage({ type: "ready", sampleRate, voices: engine.list_voices() });

/** @type {Set<number>} jobs cancelled before or while they run */
const cancelled = new Set();

port.on("message", (/** @type {any} */ msg) => {
  if (msg.type === "cancel") { cancelled.add(msg.id); return; }
  if (msg.type === "ipa") {
    // phonemes joined by "_", words by spaces, clauses by newlines (espeak-ng's own format)
    try {
      engine.set_voice(msg.voice);
      port.postMessage({ type: "ipa", id: msg.id, ipa: String(engine.synthesize_ipa(String(msg.text)).ipa ?? "") });
    } catch (err) {
      port.postMessage({ type: "error", id: msg.id, message: err instanceof Error ? err.message : String(err) });
    }
    return;
  }
  if (msg.type !== "synth") return;
  const { id, text, voice, rate, pitch } = msg;
  if (cancelled.delete(id)) { port.postMessage({ type: "done", id }); return; }
  try {
    engine.set_voice(voice);
    engine.set_rate(rate);
    engine.set_pitch(pitch);
    // the engine parses SSML; escape markup so text is always spoken as written
    const plain = String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    engine.synthesize(plain, (/** @type {Int16Array|undefined} */ samples, /** @type {any[]} */ events) => {
      /** @type {{t:number, ipa:string}[]} */
      const phonemes = [];
      for (const e of events) {
        if (e.type === "phoneme") phonemes.push({ t: Math.round((e.audio_position * sampleRate) / 1000), ipa: String(e.id ?? "") });
        else if (e.type === "end") phonemes.push({ t: Math.round((e.audio_position * sampleRate) / 1000), ipa: "" });
      }
      const pcm = samples && samples.length ? new Int16Array(samples) : new Int16Array(0);
      port.postMessage({ type: "piece", id, pcm, phonemes }, [pcm.buffer]);
      return 0;
    });
    port.postMessage({ type: "done", id });
  } catch (err) {
    port.postMessage({ type: "error", id, message: err instanceof Error ? err.message : String(err) });
  }
  cancelled.delete(id);
});
