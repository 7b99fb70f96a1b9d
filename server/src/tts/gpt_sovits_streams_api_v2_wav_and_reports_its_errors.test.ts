import { describe, it, expect, beforeAll, afterAll, beforeEach } from "vitest";
import type { VoiceConfig } from "@parley/shared";
import { GptSovitsTts } from "./GptSovitsTts.js";
import { startFakeSpeechServer, type FakeSpeechServer } from "../testing/fakeSpeechServer.js";
import { speak, toneFrequency } from "./ttsConformance.js";

let server: FakeSpeechServer;
const voice = (extra: Partial<Extract<VoiceConfig, { provider: "gpt-sovits" }>> = {}): VoiceConfig =>
  ({ provider: "gpt-sovits", url: server.baseUrl, refAudio: "ref/theo.wav", promptText: "I am Theo.", promptLang: "EN", textLang: "en", speed: 0.9, pitch: 50, ...extra });

beforeAll(async () => { server = await startFakeSpeechServer({ sovitsRate: 32000, sovitsToneHz: 330 }); });
afterAll(async () => { await server.close(); });
beforeEach(() => { server.next({ kind: "normal" }); server.configure({ sovitsRate: 32000 }); });

describe("GPT-SoVITS api_v2", () => {
  it("is asked for streamed WAV with the reference clip, languages and speed", async () => {
    const tts = new GptSovitsTts();
    await tts.prepare(voice());
    await speak(tts, "Good evening.", voice());
    expect(server.requests.filter((r) => r.path === "/tts").at(-1)!.body).toEqual({
      text: "Good evening.", text_lang: "en", ref_audio_path: "ref/theo.wav", prompt_text: "I am Theo.", prompt_lang: "en",
      text_split_method: "cut5", media_type: "wav", streaming_mode: true, speed_factor: 0.9,
    });
  });

  it("declares the model's real rate, read from the stream's header", async () => {
    const tts = new GptSovitsTts();
    expect(() => tts.sampleRate(voice())).toThrow(/prepare\(\) the voice first/);
    await tts.prepare(voice());
    expect(tts.sampleRate(voice())).toBe(32000);
    const v3 = await startFakeSpeechServer({ sovitsRate: 24000 });
    await tts.prepare(voice({ url: v3.baseUrl }));
    expect(tts.sampleRate(voice({ url: v3.baseUrl }))).toBe(24000);
    await v3.close();
  });

  it("keeps the announced rate if the server switches to a model with another rate", async () => {
    const tts = new GptSovitsTts();
    await tts.prepare(voice());
    server.configure({ sovitsRate: 48000 });
    const r = await speak(tts, "Still the same voice speed.", voice());
    expect(toneFrequency(r.pcm, tts.sampleRate(voice()))).toBeCloseTo(330, -1);
  });

  it("passes on the server's own error message", async () => {
    const tts = new GptSovitsTts();
    await tts.prepare(voice());
    server.next({ kind: "status", status: 400, body: JSON.stringify({ message: "tts failed", Exception: "ref audio not found: ref/theo.wav" }) });
    await expect(speak(tts, "Hello.", voice())).rejects.toThrow("GPT-SoVITS answered HTTP 400: tts failed (ref audio not found: ref/theo.wav)");
    server.next({ kind: "dropMidStream", afterChunks: 2 });
    await expect(speak(tts, "A longer sentence that breaks.", voice())).rejects.toThrow(/broke off the audio/);
  });

  it("fails preparing when the server is down or the reference is rejected", async () => {
    const tts = new GptSovitsTts();
    const gone = await startFakeSpeechServer();
    await gone.close();
    await expect(tts.prepare(voice({ url: gone.baseUrl }))).rejects.toThrow(/GPT-SoVITS at 127\.0\.0\.1:\d+: connection refused/);
    server.next({ kind: "status", status: 400, body: JSON.stringify({ message: "prompt_lang: xx is not supported in version v2" }) });
    await expect(tts.prepare(voice())).rejects.toThrow(/prompt_lang: xx is not supported/);
  });
});
