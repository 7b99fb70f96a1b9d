import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EspeakTts } from "./EspeakTts.js";
import { PiperTts } from "./PiperTts.js";
import { ModelStatus } from "../models/ModelStatus.js";
import { writePiperFixture } from "../testing/onnxFixtures.js";
import { ttsConformance } from "./ttsConformance.js";

ttsConformance("piper (fixture graph)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "parley-piper-"));
  const model = await writePiperFixture(dir, { sampleRate: 22050 });
  const espeak = new EspeakTts();
  const tts = new PiperTts({ phonemizer: espeak, models: new ModelStatus(), cacheDir: dir, threads: 1 });
  return {
    tts,
    voice: { provider: "piper", voice: model, speed: 1, pitch: 50 },
    // the fixture sings 220 Hz for a single-speaker model
    rateCheck: { toneHz: 220 },
    longTextFull: true,
    close: async () => { await tts.close(); await espeak.close(); await rm(dir, { recursive: true, force: true }); },
  };
});
