import { GptSovitsTts } from "./GptSovitsTts.js";
import { startFakeSpeechServer } from "../testing/fakeSpeechServer.js";
import { ttsConformance } from "./ttsConformance.js";

ttsConformance("gpt-sovits (fake api_v2)", async () => {
  const server = await startFakeSpeechServer({ sovitsToneHz: 330, sovitsRate: 32000 });
  const tts = new GptSovitsTts();
  return {
    tts,
    voice: { provider: "gpt-sovits", url: server.baseUrl, refAudio: "ref/ada.wav", promptText: "This is Ada.", promptLang: "en", textLang: "en", speed: 1, pitch: 50 },
    rateCheck: { toneHz: 330 },
    continuousTone: true,
    longTextFull: true,
    close: async () => { await tts.close(); await server.close(); },
  };
});
