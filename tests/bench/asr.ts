/**
 * asr.* and vad.*: how long after the end of speech a recognizer's final arrives, and
 * what Silero VAD costs per 512-sample frame.
 *
 * - asr.final_after_speech_end_ms: FakeAsr, i.e. the stream plumbing's own overhead.
 * - asr.final_after_speech_end_ms.<provider>_fixture: the real providers' code paths
 *   (features, ONNX sessions, decoding loops, HTTP) on generated fixture graphs, not
 *   real models: they measure Parley's overhead around a model, not a model.
 * - vad.ms_per_frame: Silero VAD v5 (the file shipped in @ricky0123/vad-web) on
 *   onnxruntime-node, one 32 ms frame at a time with its recurrent state, over speech
 *   and silence.
 *
 * Each run speaks espeak-ng audio into a fresh stream, lets the provider catch up for
 * 300 ms (as a VAD's end-of-speech hangover would), then calls end() and times the final.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { createRequire } from "node:module";
import * as ort from "onnxruntime-node";
import { summary, percentile, round, type Section } from "./stats.js";
import type { AsrProvider } from "../../server/src/asr/types.js";
import { FakeAsr } from "../../server/src/testing/FakeAsr.js";
import { WhisperOnnxAsr } from "../../server/src/asr/WhisperOnnxAsr.js";
import { StreamingTransducerAsr } from "../../server/src/asr/StreamingTransducerAsr.js";
import { OpenAITranscriptionAsr } from "../../server/src/asr/OpenAITranscriptionAsr.js";
import { ModelStatus } from "../../server/src/models/ModelStatus.js";
import { writeWhisperFixture, writeTransducerFixture } from "../../server/src/testing/asrOnnxFixtures.js";
import { startFakeTranscriptionServer } from "../../server/src/testing/fakeTranscriptionServer.js";
import { espeakSpeech, concatPcm, silence } from "../../server/src/testing/asrAudio.js";
import { WHISPER_MODELS, STREAMING_MODELS } from "../../server/src/asr/catalog.js";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function finalAfterEnd(p: AsrProvider, speech: Int16Array, language: string): Promise<{ ms: number; text: string }> {
  const s = p.start({ language, signal: new AbortController().signal });
  let text = "";
  let finalAt = 0;
  const done = (async () => {
    for await (const r of s.results) if (r.kind === "final") { finalAt = performance.now(); text = r.text; }
  })();
  for (let i = 0; i < speech.length; i += 320) {
    s.push(speech.subarray(i, i + 320));
    if (i % 3200 === 0) await sleep(1);
  }
  await sleep(300);
  const t0 = performance.now();
  s.end();
  await done;
  return { ms: finalAt - t0, text };
}

async function measure(p: AsrProvider, speech: Int16Array, language: string, runs: number): Promise<{ times: number[]; text: string }> {
  await p.prepare();
  let text = "";
  for (let i = 0; i < 2; i++) text = (await finalAfterEnd(p, speech, language)).text; // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await finalAfterEnd(p, speech, language)).ms);
  return { times, text };
}

async function benchVad(speech: Int16Array, runs: number): Promise<{ perFrame: number[]; speechProb: number; silenceProb: number }> {
  const require = createRequire(import.meta.url);
  const model = join(dirname(require.resolve("@ricky0123/vad-web/package.json")), "dist", "silero_vad_v5.onnx");
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const audio = concatPcm(silence(1000), speech, silence(1000), speech, silence(500));
  const sr = new ort.Tensor("int64", BigInt64Array.of(16000n), []);
  const perFrame: number[] = [];
  let speechProb = 0;
  let silenceProb = 0;
  for (let run = 0; run < Math.max(1, Math.ceil(runs / 4)); run++) {
    let state: ort.Tensor = new ort.Tensor("float32", new Float32Array(2 * 128), [2, 1, 128]);
    for (let i = 0; i + 512 <= audio.length; i += 512) {
      const frame = Float32Array.from(audio.subarray(i, i + 512), (v) => v / 32768);
      const t0 = performance.now();
      const out = await session.run({ input: new ort.Tensor("float32", frame, [1, 512]), state, sr });
      perFrame.push(performance.now() - t0);
      state = out.stateN as ort.Tensor;
      const prob = (out.output!.data as Float32Array)[0]!;
      if (i < 16000 - 512) silenceProb = Math.max(silenceProb, prob);
      else if (i >= 16000 && i < 16000 + speech.length - 512) speechProb = Math.max(speechProb, prob);
    }
  }
  await session.release();
  return { perFrame: perFrame.slice(50), speechProb, silenceProb };
}

export async function benchAsr(runs: number): Promise<Section> {
  const dir = await mkdtemp(join(tmpdir(), "parley-bench-asr-"));
  const fake = await startFakeTranscriptionServer();
  const status = new ModelStatus();
  const providers: AsrProvider[] = [];
  try {
    const [en] = await espeakSpeech([{ text: "Hello there, Ada. How are you today?", voice: "en-us" }]);
    const speech = concatPcm(silence(300), en, silence(200));
    const shared = { cacheDir: join(dir, "cache"), status, threads: 2, offline: true };
    const whisper = new WhisperOnnxAsr({ model: (await writeWhisperFixture(join(dir, "whisper"), { detectLanguage: "en" })).dir, ...shared });
    const streaming = new StreamingTransducerAsr({ model: (await writeTransducerFixture(join(dir, "zipformer2"))).dir, ...shared });
    fake.next({ kind: "text", text: "Hello there, Ada. How are you today?" });
    const openai = new OpenAITranscriptionAsr({ baseUrl: fake.baseUrl, model: "fake-whisper" });
    const fakeAsr = new FakeAsr({ script: ["hello there ada how are you today"] });
    providers.push(whisper, streaming, openai, fakeAsr);

    const f = await measure(fakeAsr, speech, "en", runs);
    const w = await measure(whisper, speech, "auto", runs);
    const s = await measure(streaming, speech, "en", runs);
    const o = await measure(openai, speech, "en", runs);
    const vad = await benchVad(en, runs);
    const vadP50 = percentile(vad.perFrame, 0.5);
    return {
      figures: {
        "asr.final_after_speech_end_ms": summary(f.times),
        "asr.final_after_speech_end_ms.whisper_fixture": summary(w.times),
        "asr.final_after_speech_end_ms.streaming_fixture": summary(s.times),
        "asr.final_after_speech_end_ms.openai_fake_server": summary(o.times),
        "vad.ms_per_frame": { p50: round(vadP50, 3), p95: round(percentile(vad.perFrame, 0.95), 3), n: vad.perFrame.length },
        // a frame is 32 ms of audio
        "vad.realtime_factor": round(vadP50 / 32, 4),
      },
      skipped: {
        ...Object.fromEntries(Object.keys(WHISPER_MODELS).map((m) => [`asr.whisper_${m}`, "real Whisper weights cannot be downloaded here (no network but npm); the fixture figure measures the same code path"])),
        ...Object.fromEntries(Object.keys(STREAMING_MODELS).map((m) => [`asr.streaming_${m}`, "real zipformer weights cannot be downloaded here; the fixture figure measures the same code path"])),
      },
      notes: [
        `asr: ${runs} runs per provider on ${round(speech.length / 16, 0)} ms of espeak-ng speech; end() called 300 ms after the last audio`,
        `asr fixture transcripts: whisper "${w.text}", streaming "${s.text}" (fixture graphs, not real models)`,
        "asr.final_after_speech_end_ms.whisper_fixture includes a full 30 s log-mel window and the decoding loop; a real model adds its encoder and decoder time",
        `vad: Silero v5, onnxruntime-node CPU, 1 thread; max speech probability ${round(vad.speechProb, 2)} in speech, ${round(vad.silenceProb, 2)} in silence`,
      ],
    };
  } finally {
    await Promise.all(providers.map((p) => p.close()));
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
}
