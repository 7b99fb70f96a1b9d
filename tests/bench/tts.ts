/**
 * tts.* and lipsync.*: every voice provider that can run here, on one fixed
 * sentence, in this process:
 * - tts.<provider>.rtf: synthesis time / audio duration (median over runs);
 * - tts.<provider>.first_chunk_ms: request -> first piece of audio;
 * - tts.cache_speedup: the same sentence uncached / from the TTS cache (p50s);
 * - lipsync.cue_offset_ms_max: worst |viseme cue - phoneme event| over an espeak
 *   paragraph chunked as the room sends it;
 * - lipsync.estimator_*: how often mouth shapes estimated from audio match the
 *   true ones (espeak-ng speech, whose phonemes are known).
 * Piper and Kokoro run on generated fixture graphs (no real weights here), the
 * HTTP voices have no real server here: both are labelled in the report.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { VoiceConfig } from "../../shared/src/index.js";
import type { TtsProvider } from "../../server/src/tts/types.js";
import { EspeakTts } from "../../server/src/tts/EspeakTts.js";
import { FliteTts } from "../../server/src/tts/FliteTts.js";
import { PiperTts } from "../../server/src/tts/PiperTts.js";
import { KokoroTts } from "../../server/src/tts/KokoroTts.js";
import { CachedTts } from "../../server/src/tts/TtsCache.js";
import { ModelStatus } from "../../server/src/models/ModelStatus.js";
import { ChunkAssembler, cuesForPhoneme, type TimedPhoneme } from "../../server/src/lipsync/cues.js";
import { writeKokoroFixture, writePiperFixture } from "../../server/src/testing/onnxFixtures.js";
import { measureEstimatorAccuracy } from "../../server/src/testing/visemeAccuracy.js";
import { percentile, round, summary, type Section } from "./stats.js";

const SENTENCE = "Please pass the salt, and tell me how your day went.";
const PARAGRAPH = "Hello there. I am Ada, and this is a test of my mouth. Every shape should land on its sound, never early and never late! How does it look from where you sit?";

interface Run { firstMs: number; totalMs: number; audioSeconds: number }

async function once(tts: TtsProvider, voice: VoiceConfig): Promise<Run> {
  const rate = tts.sampleRate(voice);
  const t0 = performance.now();
  let firstMs = -1;
  let samples = 0;
  for await (const p of tts.synthesize(SENTENCE, voice, new AbortController().signal)) {
    if (firstMs < 0) firstMs = performance.now() - t0;
    samples += p.pcm.length;
  }
  return { firstMs, totalMs: performance.now() - t0, audioSeconds: samples / rate };
}

async function measure(tts: TtsProvider, voice: VoiceConfig, runs: number): Promise<Run[]> {
  await tts.prepare(voice);
  // warm-up: JIT, model sessions, workers
  for (let i = 0; i < 2; i++) await once(tts, voice);
  const out: Run[] = [];
  for (let i = 0; i < runs; i++) out.push(await once(tts, voice));
  return out;
}

/** worst distance from a phoneme event to the chunked cue that shows it, ms */
async function cueOffsetMax(espeak: EspeakTts): Promise<number> {
  const rate = espeak.sampleRate();
  const asm = new ChunkAssembler(Math.round(rate * 0.2), Math.round(rate * 0.1));
  const events: TimedPhoneme[] = [];
  const cues: { t: number; w: string }[] = [];
  let total = 0;
  const take = (chunks: ReturnType<ChunkAssembler["push"]>): void => {
    for (const c of chunks) for (const cue of c.cues) cues.push({ t: c.start + cue.t, w: JSON.stringify(cue.w) });
  };
  for await (const p of espeak.synthesize(PARAGRAPH, { provider: "espeak", voice: "en-us", speed: 1, pitch: 50 }, new AbortController().signal)) {
    events.push(...p.phonemes);
    total += p.pcm.length;
    take(asm.push(p.pcm, p.phonemes));
  }
  take(asm.end());
  let worst = 0;
  events.forEach((e, i) => {
    for (const want of cuesForPhoneme(e, events[i + 1]?.t ?? total)) {
      const w = JSON.stringify(want.w);
      const best = Math.min(...cues.filter((c) => c.w === w).map((c) => Math.abs(c.t - want.t)));
      worst = Math.max(worst, (best * 1000) / rate);
    }
  });
  return worst;
}

export async function benchTts(runs: number): Promise<Section> {
  const dir = await mkdtemp(join(tmpdir(), "parley-bench-tts-"));
  const espeak = new EspeakTts();
  const flite = new FliteTts();
  const figures: Record<string, unknown> = {};
  const notes: string[] = [];
  const providers: TtsProvider[] = [espeak, flite];
  try {
    await espeak.init();
    const neural = { phonemizer: espeak, models: new ModelStatus(), cacheDir: dir, threads: 2 };
    const piper = new PiperTts(neural);
    const kokoro = new KokoroTts(neural);
    providers.push(piper, kokoro);
    const piperModel = await writePiperFixture(join(dir, "piper"));
    const kokoroModel = await writeKokoroFixture(join(dir, "kokoro"));
    const cases: [string, TtsProvider, VoiceConfig][] = [
      ["espeak", espeak, { provider: "espeak", voice: "en-us", speed: 1, pitch: 50 }],
      ["flite", flite, { provider: "flite", voice: "slt", speed: 1, pitch: 50 }],
      ["piper", piper, { provider: "piper", voice: piperModel, speed: 1, pitch: 50 }],
      ["kokoro", kokoro, { provider: "kokoro", voice: "af_fixture", model: kokoroModel, language: "en-us", speed: 1, pitch: 50 }],
    ];
    for (const [name, tts, voice] of cases) {
      const r = await measure(tts, voice, runs);
      figures[`tts.${name}.rtf`] = round(percentile(r.map((x) => x.totalMs / 1000 / x.audioSeconds), 0.5), 3);
      figures[`tts.${name}.first_chunk_ms`] = summary(r.map((x) => x.firstMs));
    }
    notes.push(`tts: ${runs} runs of "${SENTENCE}" (${SENTENCE.split(" ").length} words) per provider, after 2 warm-up runs`);
    notes.push("tts.piper.* and tts.kokoro.*: fixture graph, not a real voice (no weights can be downloaded here); they time the path around the model: espeak phonemizer, ids, ONNX Runtime, streaming");

    // the cache in front of flite, memory only: uncached runs vs the same sentence again
    const slt: VoiceConfig = { provider: "flite", voice: "slt", speed: 1, pitch: 50 };
    const uncached = (await measure(flite, slt, runs)).map((x) => x.totalMs);
    const cache = new CachedTts(flite);
    await once(cache, slt);
    const cached = (await measure(cache, slt, runs)).map((x) => x.totalMs);
    figures["tts.cache_speedup"] = round(percentile(uncached, 0.5) / percentile(cached, 0.5), 0);
    notes.push(`tts.cache_speedup: flite slt uncached p50 ${round(percentile(uncached, 0.5), 1)} ms / cached p50 ${round(percentile(cached, 0.5), 2)} ms`);

    figures["lipsync.cue_offset_ms_max"] = round(await cueOffsetMax(espeak), 2);
    const acc = await measureEstimatorAccuracy(espeak, [SENTENCE, PARAGRAPH], [
      { provider: "espeak", voice: "en-us", speed: 1, pitch: 50 },
      { provider: "espeak", voice: "en-us+f3", speed: 1, pitch: 50 },
    ]);
    const pct = (s: { correct: number; total: number }): number => round((100 * s.correct) / Math.max(1, s.total), 1);
    figures["lipsync.estimator_silence_pct"] = pct(acc.silence);
    figures["lipsync.estimator_speech_pct"] = pct(acc.speech);
    figures["lipsync.estimator_vowel_pct"] = pct(acc.vowels);
    notes.push(`lipsync.estimator_*: mouth shapes estimated from espeak-ng audio vs its true phonemes (${acc.silence.total} pause, ${acc.speech.total} sound, ${acc.vowels.total} vowel frames of 10 ms)`);
    return {
      figures,
      skipped: { "tts.openai": "no real server here (tested against a local fake only)", "tts.gpt-sovits": "no real server here (tested against a local fake only)" },
      notes,
    };
  } finally {
    for (const p of providers) await p.close();
    await rm(dir, { recursive: true, force: true });
  }
}
