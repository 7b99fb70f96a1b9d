import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EspeakTts } from "./EspeakTts.js";
import { KokoroTts } from "./KokoroTts.js";
import { ModelStatus } from "../models/ModelStatus.js";
import { writeKokoroFixture } from "../testing/onnxFixtures.js";
import { ttsConformance } from "./ttsConformance.js";

ttsConformance("kokoro (fixture graph)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "parley-kokoro-"));
  const model = await writeKokoroFixture(dir, { voices: { af_fixture: 0.2 } });
  const espeak = new EspeakTts();
  const tts = new KokoroTts({ phonemizer: espeak, models: new ModelStatus(), cacheDir: dir, threads: 1 });
  return {
    tts,
    voice: { provider: "kokoro", voice: "af_fixture", model, language: "en-us", speed: 1, pitch: 50 },
    // style[0] = 0.2: 200 + 400 * 0.2 Hz
    rateCheck: { toneHz: 280 },
    longTextFull: true,
    close: async () => { await tts.close(); await espeak.close(); await rm(dir, { recursive: true, force: true }); },
  };
});
