import { describe, it, expect, beforeAll, afterAll, beforeEach } from "vitest";
import type { VoiceConfig } from "@parley/shared";
import { OpenAISpeechTts } from "./OpenAISpeechTts.js";
import { startFakeSpeechServer, type FakeSpeechServer } from "../testing/fakeSpeechServer.js";
import { TtsError } from "../util/errors.js";
import { speak, toneFrequency } from "./ttsConformance.js";

let server: FakeSpeechServer;
const tts = new OpenAISpeechTts({ firstByteMs: 2000, stallMs: 2000 });
const voice = (extra: Partial<Extract<VoiceConfig, { provider: "openai" }>> = {}): VoiceConfig =>
  ({ provider: "openai", url: server.openaiUrl, model: "kokoro", voice: "af_heart", apiKey: "sk-test", speed: 1.25, pitch: 50, ...extra });

beforeAll(async () => { server = await startFakeSpeechServer({ apiKey: "sk-test" }); });
afterAll(async () => { await server.close(); });
beforeEach(() => { server.next({ kind: "normal" }); });

describe("an OpenAI-compatible speech server", () => {
  it("gets the text, voice, format and speed, with the bearer key", async () => {
    await tts.prepare(voice());
    await speak(tts, "Hello there.", voice());
    const req = server.requests.filter((r) => r.path === "/v1/audio/speech").at(-1)!;
    expect(req.body).toEqual({ model: "kokoro", input: "Hello there.", voice: "af_heart", response_format: "pcm", speed: 1.25 });
    expect(req.headers.authorization).toBe("Bearer sk-test");
  });

  it("plays the first chunk long before the server has sent everything", async () => {
    server.next({ kind: "slow", chunkDelayMs: 40 });
    const t0 = performance.now();
    const r = await speak(tts, "A sentence long enough to need a good many chunks of audio from the server.", voice());
    const total = performance.now() - t0;
    // 40 ms between chunks: the whole answer takes a while, the first piece does not wait for it
    expect(r.pieces.length).toBeGreaterThan(5);
    expect(total).toBeGreaterThan(300);
    expect(r.firstPieceMs).toBeLessThan(total / 3);
  });

  it("learns a WAV stream's real rate when preparing and declares it", async () => {
    const wav = voice({ format: "wav" });
    expect(() => tts.sampleRate(wav)).toThrow(/prepare\(\) it first/);
    await tts.prepare(wav);
    expect(tts.sampleRate(wav)).toBe(22050);
    expect(toneFrequency((await speak(tts, "Hello there, how are you?", wav)).pcm, 22050)).toBeCloseTo(440, -1);
  });

  it("reports an HTTP error with the server's own message", async () => {
    server.next({ kind: "status", status: 500, body: JSON.stringify({ error: { message: "model kokoro is not loaded" } }) });
    const err = await speak(tts, "Hello.", voice()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TtsError);
    expect((err as TtsError).message).toBe("OpenAI speech server answered HTTP 500: model kokoro is not loaded");
    expect((err as TtsError).retryable).toBe(true);
    server.next({ kind: "status", status: 400, body: JSON.stringify({ error: { message: "voice not found" } }) });
    await expect(speak(tts, "Hello.", voice())).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/HTTP 400: voice not found/) });
  });

  it("fails clearly when the stream breaks off midway, after the audio it did get", async () => {
    server.next({ kind: "dropMidStream", afterChunks: 3 });
    let got = 0;
    const err = await (async () => { for await (const p of tts.synthesize("A long sentence that will not finish.", voice(), new AbortController().signal)) got += p.pcm.length; })().catch((e: unknown) => e);
    expect(got).toBeGreaterThan(0);
    expect((err as Error).message).toMatch(/broke off the audio after \d+ bytes/);
  });

  it("gives up on a server that never answers", async () => {
    server.next({ kind: "hang" });
    const quick = new OpenAISpeechTts({ firstByteMs: 200 });
    const t0 = performance.now();
    await expect(speak(quick, "Hello.", voice())).rejects.toThrow(/did not answer within 200 ms/);
    expect(performance.now() - t0).toBeLessThan(1500);
  });

  it("says when nothing listens, and when the key is wrong", async () => {
    const closed = await startFakeSpeechServer();
    const url = closed.openaiUrl;
    await closed.close();
    await expect(tts.prepare(voice({ url }))).rejects.toThrow(/connection refused \(is it running\?\)/);
    await expect(speak(tts, "Hello.", voice({ url }))).rejects.toThrow(/connection refused/);
    await expect(tts.prepare(voice({ apiKey: "wrong" }))).rejects.toThrow(/refused the API key \(HTTP 401\): set voice.apiKey/);
  });
});
