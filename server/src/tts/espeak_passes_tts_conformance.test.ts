import { EspeakTts } from "./EspeakTts.js";
import { ttsConformance } from "./ttsConformance.js";

ttsConformance("espeak-ng", async () => {
  const tts = new EspeakTts();
  return {
    tts,
    voice: { provider: "espeak", voice: "en-us", speed: 1, pitch: 50 },
    rateCheck: { secondsPerWord: [0.2, 0.6] },
    // ~1 s of speech takes ~160 ms here: the 2,000-character text would take 20 s, so it proves only the start
    longTextFull: false,
    close: () => tts.close(),
  };
});
