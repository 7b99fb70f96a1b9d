import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { OpenAITranscriptionAsr, type OpenAITranscriptionInit } from "./OpenAITranscriptionAsr.js";
import { AsrError } from "./errors.js";
import { startFakeTranscriptionServer, type FakeTranscriptionServer } from "../testing/fakeTranscriptionServer.js";
import { espeakSpeech, concatPcm, silence } from "../testing/asrAudio.js";
import { describeAsrConformance, collect, pushPaced, checkResultOrder } from "./asrConformance.js";
import type { AsrResult } from "./types.js";

let fake: FakeTranscriptionServer;
let en: Int16Array;
const ready = (async () => {
  fake = await startFakeTranscriptionServer();
  [en] = await espeakSpeech([{ text: "Hello there, Ada.", voice: "en-us" }]);
})();
afterAll(async () => { await fake.close(); });

const make = (o: Partial<OpenAITranscriptionInit> = {}): OpenAITranscriptionAsr =>
  new OpenAITranscriptionAsr({ baseUrl: fake.baseUrl, model: "Systran/faster-whisper-small", timeoutMs: 5000, ...o });

async function run(p: OpenAITranscriptionAsr, pcm: Int16Array, language = "en"): Promise<AsrResult[]> {
  const s = p.start({ language, signal: new AbortController().signal });
  const r = collect(s);
  await pushPaced(s, pcm);
  s.end();
  return r;
}

describeAsrConformance("OpenAITranscriptionAsr (fake server)", async () => {
  await ready;
  fake.next({ kind: "text", text: "Hello there, Ada.", delayMs: 30 });
  const provider = make({ partialIntervalMs: 500 });
  await provider.prepare();
  return { provider, speech: en, expect: /^Hello there, Ada\.$/, language: "en", longAudioBudgetMs: 6000 };
});

describe("OpenAI-compatible transcription", () => {
  beforeAll(async () => { await ready; });

  it("posts the utterance as a 16 kHz mono WAV with model, language and format, and a bearer key", async () => {
    fake.next({ kind: "text", text: "Hello there, Ada.", language: "en" });
    const r = await run(make({ apiKey: "sekrit", responseFormat: "verbose_json" }), en, "en");
    expect(r).toEqual([{ kind: "final", text: "Hello there, Ada.", language: "en", audioMs: (en.length / 16000) * 1000 }]);
    const sent = fake.requests.at(-1)!;
    expect(sent.headers.authorization).toBe("Bearer sekrit");
    expect(sent.fields).toMatchObject({ model: "Systran/faster-whisper-small", language: "en", response_format: "verbose_json" });
    expect(sent.audio).toMatchObject({ samples: en.length, sampleRate: 16000, channels: 1, type: "audio/wav", filename: "speech.wav" });
  });

  it("lets the server detect the language when it is auto", async () => {
    fake.next({ kind: "text", text: "Привет", language: "ru" });
    const r = await run(make({ responseFormat: "verbose_json" }), en, "auto");
    expect(fake.requests.at(-1)!.fields.language).toBeUndefined();
    expect(r.at(-1)).toMatchObject({ text: "Привет", language: "ru" });
  });

  it("re-posts the audio so far for partials when asked to", async () => {
    fake.next({ kind: "echoLength", delayMs: 5 });
    const p = make({ partialIntervalMs: 300 });
    const s = p.start({ language: "en", signal: new AbortController().signal });
    const results = collect(s);
    await pushPaced(s, concatPcm(en, en), 320, 100, 30);
    s.end();
    const r = await results;
    checkResultOrder(r);
    const partials = r.filter((x) => x.kind === "partial");
    expect(partials.length).toBeGreaterThanOrEqual(2);
    const counts = partials.map((x) => Number(x.text.split(" ")[0]));
    for (let i = 1; i < counts.length; i++) expect(counts[i]!).toBeGreaterThan(counts[i - 1]!);
    expect(r.at(-1)!.text).toBe(`${en.length * 2} samples`);
  });

  it("ends the stream with the server's status and message on an HTTP error", async () => {
    fake.next({ kind: "status", status: 500, body: '{"error":{"message":"CUDA out of memory"}}' });
    const err = await run(make(), en).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AsrError);
    expect((err as AsrError).message).toMatch(/500: CUDA out of memory/);
    expect((err as AsrError).retryable).toBe(true);
    fake.next({ kind: "status", status: 400, body: "model not found" });
    const bad = await run(make(), en).catch((e: unknown) => e);
    expect((bad as AsrError).message).toMatch(/400: model not found/);
    expect((bad as AsrError).retryable).toBe(false);
  });

  it("fails a request the server does not answer in time", async () => {
    fake.next({ kind: "hang" });
    const t0 = performance.now();
    await expect(run(make({ timeoutMs: 300 }), en)).rejects.toThrow(/did not answer within 300 ms/);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it("rejects a malformed answer", async () => {
    fake.next({ kind: "malformed" });
    await expect(run(make(), en)).rejects.toThrow(/malformed JSON/);
  });

  it("checks reachability and the key in prepare()", async () => {
    fake.modelsStatus = 404;
    await expect(make().prepare()).resolves.toBeUndefined();
    fake.modelsStatus = 401;
    await expect(make({ apiKey: "wrong" }).prepare()).rejects.toThrow(/rejected the API key/);
    fake.modelsStatus = 200;
    const unreachable = make({ baseUrl: "http://127.0.0.1:9/v1" });
    await expect(unreachable.prepare()).rejects.toThrow(/cannot reach the transcription server/);
    fake.next({ kind: "text", text: "x" });
    await expect(run(unreachable, en)).rejects.toThrow(/cannot reach/);
  });

  it("sends at most maxAudioMs of one utterance", async () => {
    fake.next({ kind: "echoLength" });
    const r = await run(make({ maxAudioMs: 1000 }), concatPcm(en, silence(500)));
    expect(r.at(-1)).toMatchObject({ text: "16000 samples", audioMs: 1000 });
  });

  it("checks its required settings when constructed", () => {
    expect(() => make({ baseUrl: "localhost:8000" })).toThrow(/must start with http/);
    expect(() => make({ model: "" })).toThrow(/model name is required/);
  });
});
