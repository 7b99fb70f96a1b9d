import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EspeakTts } from "./EspeakTts.js";
import { TtsRouter } from "./TtsRouter.js";
import { ttsFactories } from "./providers.js";
import { loadConfig } from "../config.js";
import { ModelStatus } from "../models/ModelStatus.js";
import { setQuiet } from "../util/log.js";
import { writePiperFixture } from "../testing/onnxFixtures.js";
import { startFakeSpeechServer } from "../testing/fakeSpeechServer.js";
import { voiceHasTimings } from "./withAudioVisemes.js";
import { speak } from "./ttsConformance.js";

let dir: string;
let espeak: EspeakTts;
let router: TtsRouter;
beforeAll(async () => {
  setQuiet(true);
  dir = await mkdtemp(join(tmpdir(), "parley-factories-"));
  espeak = new EspeakTts();
  const config = loadConfig({}, { cacheDir: dir, offline: true, threads: 1 });
  router = new TtsRouter(espeak, ttsFactories({ config, models: new ModelStatus(), espeak }));
});
afterAll(async () => { await router.close(); setQuiet(false); await rm(dir, { recursive: true, force: true }); });

describe("the provider factories", () => {
  it("route flite and a Piper model file to their providers, with timelines, cached on disk", async () => {
    const flite = await router.route({ provider: "flite", voice: "awb", speed: 1, pitch: 50 });
    expect(flite.provider.label).toBe("flite");
    expect(flite.fallbackReason).toBe("");
    expect((await speak(flite.provider, "Good evening.", flite.voice)).phonemes.length).toBeGreaterThan(5);

    const model = await writePiperFixture(join(dir, "voices"));
    const piper = await router.route({ provider: "piper", voice: model, speed: 1, pitch: 50 });
    expect(piper.provider.label).toBe("piper");
    // the plain Piper export has no durations: its shapes are estimated from the audio
    expect(voiceHasTimings(piper.provider, piper.voice)).toBe(true);
    const said = await speak(piper.provider, "Good evening, everyone.", piper.voice);
    expect(said.phonemes.length).toBeGreaterThan(3);
    await new Promise((r) => setTimeout(r, 100));
    expect((await readdir(join(dir, "tts"))).filter((f) => f.endsWith(".tts")).length).toBe(2);
  });

  it("fall back to the offline voice with the reason when a voice cannot run", async () => {
    const piper = await router.route({ provider: "piper", voice: "en_US-lessac-medium", speed: 1, pitch: 50, fallback: { provider: "espeak", voice: "en-gb", speed: 1, pitch: 40 } });
    expect(piper.provider.label).toBe("espeak");
    expect(piper.voice).toMatchObject({ provider: "espeak", voice: "en-gb" });
    expect(piper.fallbackReason).toMatch(/offline: set the voice to the path of a downloaded \.onnx/);
    const gone = await startFakeSpeechServer();
    await gone.close();
    const openai = await router.route({ provider: "openai", url: gone.openaiUrl, model: "tts-1", voice: "alloy", speed: 1, pitch: 50 });
    expect(openai.provider.label).toBe("espeak");
    expect(openai.fallbackReason).toMatch(/connection refused/);
  });
});
