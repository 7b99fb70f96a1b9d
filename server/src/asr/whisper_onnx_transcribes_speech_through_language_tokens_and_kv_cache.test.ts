import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WhisperOnnxAsr, type WhisperOnnxInit } from "./WhisperOnnxAsr.js";
import { AsrError } from "./errors.js";
import { ModelStatus } from "../models/ModelStatus.js";
import { writeWhisperFixture, WHISPER_FIXTURE_TEXT } from "../testing/asrOnnxFixtures.js";
import { espeakSpeech, concatPcm, silence } from "../testing/asrAudio.js";
import { describeAsrConformance, collect, pushPaced, checkResultOrder } from "./asrConformance.js";
import type { AsrProvider, AsrResult } from "./types.js";

let root: string;
let en: Int16Array;
let ru: Int16Array;
let zh: Int16Array;
const speechReady = (async () => {
  root = await mkdtemp(join(tmpdir(), "parley-whisper-"));
  [en, ru, zh] = await espeakSpeech([
    { text: "Hello there, Ada.", voice: "en-us" },
    { text: "Привет, как дела?", voice: "ru" },
    { text: "你好，世界", voice: "cmn" },
  ]);
})();
afterAll(async () => { await rm(root, { recursive: true, force: true }); });

const make = (model: string, o: Partial<WhisperOnnxInit> = {}): WhisperOnnxAsr =>
  new WhisperOnnxAsr({ model, cacheDir: join(root, "cache"), status: new ModelStatus(), threads: 2, offline: true, ...o });

async function transcribe(p: AsrProvider, pcm: Int16Array, language: string): Promise<AsrResult[]> {
  const s = p.start({ language, signal: new AbortController().signal });
  const r = collect(s);
  await pushPaced(s, pcm);
  s.end();
  return r;
}

describeAsrConformance("WhisperOnnxAsr (fixture, merged decoder with KV cache)", async () => {
  await speechReady;
  const dir = (await writeWhisperFixture(join(root, "conformance"), { decoder: "merged", detectLanguage: "en" })).dir;
  const provider = make(dir, { partialIntervalMs: 500 });
  await provider.prepare();
  return { provider, speech: en, expect: /^Hello there, Ada\.( Hello there, Ada\.)*$/, language: "auto", longAudioBudgetMs: 10_000 };
});

describe("Whisper through ONNX", () => {
  let merged: WhisperOnnxAsr;
  let plain: WhisperOnnxAsr;
  beforeAll(async () => {
    await speechReady;
    merged = make((await writeWhisperFixture(join(root, "ru-detect"), { decoder: "merged", detectLanguage: "ru" })).dir, { partialIntervalMs: 0 });
    plain = make((await writeWhisperFixture(join(root, "plain"), { decoder: "plain", detectLanguage: "ru" })).dir, { partialIntervalMs: 0 });
    await Promise.all([merged.prepare(), plain.prepare()]);
  });
  afterAll(async () => { await merged.close(); await plain.close(); });

  it("detects the language with auto and follows an explicit language token", async () => {
    const auto = (await transcribe(merged, ru, "auto")).at(-1)!;
    expect(auto).toMatchObject({ kind: "final", text: WHISPER_FIXTURE_TEXT.ru, language: "ru" });
    const english = (await transcribe(merged, en, "en")).at(-1)!;
    expect(english).toMatchObject({ text: WHISPER_FIXTURE_TEXT.en, language: "en" });
    // 好 is split between two tokens: bytes are joined before UTF-8 decoding
    const chinese = (await transcribe(merged, zh, "zh-CN")).at(-1)!;
    expect(chinese).toMatchObject({ text: "你好，世界", language: "zh" });
  });

  it("gives the same transcripts with the plain decoder that has no cache", async () => {
    expect((await transcribe(plain, ru, "auto")).at(-1)!.text).toBe(WHISPER_FIXTURE_TEXT.ru);
    expect((await transcribe(plain, en, "en")).at(-1)!.text).toBe(WHISPER_FIXTURE_TEXT.en);
  });

  it("restricts detection to the configured languages", async () => {
    const dir = join(root, "ru-detect");
    const limited = make(dir, { detectLanguages: ["en", "zh"], partialIntervalMs: 0 });
    expect((await transcribe(limited, en, "auto")).at(-1)!).toMatchObject({ text: WHISPER_FIXTURE_TEXT.en, language: "en" });
    await limited.close();
  });

  it("fails the stream with a clear reason for a language Whisper does not know", async () => {
    const s = merged.start({ language: "tlh", signal: new AbortController().signal });
    s.push(en);
    s.end();
    await expect(collect(s)).rejects.toThrow(/does not know the language "tlh"/);
  });

  it("re-decodes the audio so far for partials while the person speaks", async () => {
    const p = make(join(root, "ru-detect"), { partialIntervalMs: 400 });
    await p.prepare();
    const s = p.start({ language: "en", signal: new AbortController().signal });
    const r: AsrResult[] = [];
    const done = (async () => { for await (const x of s.results) r.push(x); })();
    await pushPaced(s, concatPcm(silence(600), en), 320, 100, 20);
    const partialsBeforeEnd = r.length;
    s.end();
    await done;
    checkResultOrder(r);
    expect(r.filter((x) => x.kind === "partial").length).toBeGreaterThan(0);
    expect(partialsBeforeEnd).toBeGreaterThan(0);
    expect(r.at(-1)!.text).toBe(WHISPER_FIXTURE_TEXT.en);
    await p.close();
  });

  it("transcribes past 30 s window by window, cutting in a pause", async () => {
    const p = make(join(root, "ru-detect"), { partialIntervalMs: 0 });
    const phrase = concatPcm(en, silence(1000));
    const long = concatPcm(...Array.from({ length: Math.ceil(40_000 / ((phrase.length / 16000) * 1000)) }, () => phrase));
    const r = await transcribe(p, long, "en");
    checkResultOrder(r);
    expect(r.at(-1)!.text).toBe(`${WHISPER_FIXTURE_TEXT.en} ${WHISPER_FIXTURE_TEXT.en}`);
    // the first window's text came as a partial when that window was cut
    expect(r.find((x) => x.kind === "partial")).toMatchObject({ text: WHISPER_FIXTURE_TEXT.en });
    expect(r.find((x) => x.kind === "partial")!.audioMs).toBeGreaterThan(25_000);
    await p.close();
  });

  it("reads 128 mel bins (large-v3 style) from the model config", async () => {
    const p = make((await writeWhisperFixture(join(root, "v3"), { nMels: 128, detectLanguage: "en" })).dir, { partialIntervalMs: 0 });
    expect((await transcribe(p, en, "auto")).at(-1)!.text).toBe(WHISPER_FIXTURE_TEXT.en);
    await p.close();
  });

  it("explains offline mode instead of downloading, in the stream and the model status", async () => {
    const status = new ModelStatus();
    const p = make("tiny", { status, offline: true });
    const err = await p.prepare().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AsrError);
    expect((err as AsrError).code).toBe("asr_failed");
    expect((err as AsrError).retryable).toBe(false);
    expect((err as Error).message).toMatch(/offline: cannot download Whisper tiny/);
    expect(status.get("asr:whisper:tiny")?.error).toMatch(/offline/);
    const s = p.start({ language: "en", signal: new AbortController().signal });
    s.push(en);
    s.end();
    await expect(collect(s)).rejects.toThrow(/offline/);
  });

  it("fails streams started after close() with a reason", async () => {
    const p = make(join(root, "plain"));
    await p.prepare();
    await p.close();
    const s = p.start({ language: "en", signal: new AbortController().signal });
    s.push(en);
    s.end();
    await expect(collect(s)).rejects.toThrow(/is closed/);
  });

  it("checks its required settings when constructed", async () => {
    expect(() => make("")).toThrow(/model is required/);
    expect(() => make("tiny", { windowMs: 45_000 })).toThrow(/windowMs/);
    expect(() => make("tiny", { threads: 0 })).toThrow(/threads/);
    await expect(make("huge").prepare()).rejects.toThrow(/unknown Whisper model "huge"/);
  });
});
