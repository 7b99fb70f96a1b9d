import { OpenAISpeechTts } from "./OpenAISpeechTts.js";
import { startFakeSpeechServer } from "../testing/fakeSpeechServer.js";
import { ttsConformance } from "./ttsConformance.js";

ttsConformance("openai speech (fake server, pcm)", async () => {
  const server = await startFakeSpeechServer({ openaiToneHz: 440 });
  const tts = new OpenAISpeechTts();
  return {
    tts,
    voice: { provider: "openai", url: server.openaiUrl, model: "tts-1", voice: "alloy", speed: 1, pitch: 50 },
    rateCheck: { toneHz: 440 },
    continuousTone: true,
    longTextFull: true,
    close: async () => { await tts.close(); await server.close(); },
  };
});
