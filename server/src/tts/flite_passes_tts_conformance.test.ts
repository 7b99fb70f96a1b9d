import { FliteTts } from "./FliteTts.js";
import { ttsConformance } from "./ttsConformance.js";

ttsConformance("flite", async () => {
  const tts = new FliteTts();
  return {
    tts,
    voice: { provider: "flite", voice: "slt", speed: 1, pitch: 50 },
    rateCheck: { secondsPerWord: [0.2, 0.6] },
    longTextFull: true,
    close: () => tts.close(),
  };
});
