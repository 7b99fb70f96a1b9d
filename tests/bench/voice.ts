/**
 * voice.*: what a person feels, from the end of their sentence to a character's
 * voice playing in their page.
 *
 * - voice.eos_to_first_audio_ms: Chromium's fake microphone plays a WAV (one
 *   sentence of espeak-ng speech, then silence, looped); the page's Silero VAD,
 *   the server (Whisper fixture recognizer in its worker, the end-of-turn model
 *   with Smart Turn's architecture, int8, random weights, in its worker, the demo
 *   model, espeak-ng) and the page's audio engine do the rest. From the end of
 *   speech in the fed WAV (placed on the page's clock by the microphone stream's
 *   frames) to the reply's first sample playing (the page's AudioContext clock,
 *   through getOutputTimestamp). The reply is stopped once it plays, so every
 *   sentence meets a quiet table.
 * - voice.stage.<name>_ms: the same replies' stages (server stages on utt:start,
 *   the page's playback), p50; voice.stage_sum_ratio compares their sum with the whole.
 * - voice.eos_to_first_audio_ms_fixed_silence: the same with PARLEY_TURN_MODEL=none
 *   (the page waits the old fixed 500 ms); voice.eot_ratio = model p50 / fixed p50.
 * - voice.turn_model_ms: the end-of-turn model's features + inference in its worker.
 * - asr.event_loop_block_ms_max: the server's longest event-loop stall
 *   (monitorEventLoopDelay) while a person speaks for 20 s with the Whisper
 *   fixture in its worker; *_on_thread: the same recognizer on the event loop.
 */
import { mkdtempSync, rmSync, existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import type { Page } from "playwright-core";
import { boot } from "../support/boot.js";
import { launchChromium, withHeadphones } from "../support/browser.js";
import { ensureClientBuilt } from "../support/clientBuild.js";
import { writeFakeMic, type MicFile } from "../support/fakeMic.js";
import { readDebug, waitForDebug } from "../support/pageDebug.js";
import type { ParleyDebug } from "../support/debugTypes.js";
import { streamSpeech } from "../support/speak.js";
import { until } from "../support/messages.js";
import { loadConfig } from "../../server/src/config.js";
import { writeWhisperFixture } from "../../server/src/testing/asrOnnxFixtures.js";
import { writeSmartTurnFixture } from "../../server/src/testing/smartTurnOnnxFixture.js";
import { espeakSpeech, concatPcm, silence } from "../../server/src/testing/asrAudio.js";
import { asrFactories } from "../../server/src/asr/providers.js";
import { SmartTurnModel } from "../../server/src/voice/SmartTurnModel.js";
import { ModelStatus } from "../../server/src/models/ModelStatus.js";
import type { AsrProvider } from "../../server/src/asr/types.js";
import type { ReplyStages } from "../../client/src/audio/replyLatency.js";
import { percentile, round, summary, type Section } from "./stats.js";

const STAGES = ["endOfTurn", "recognition", "firstToken", "firstClause", "firstAudio", "delivery", "playing"] as const;
const SNAKE: Record<(typeof STAGES)[number], string> = { endOfTurn: "end_of_turn", recognition: "recognition_final", firstToken: "first_token", firstClause: "first_clause", firstAudio: "first_audio_synthesized", delivery: "delivery", playing: "first_audio_playing" };
const stageMs = (s: ReplyStages, k: (typeof STAGES)[number]): number => s[`${k}Ms` as const] ?? NaN;

interface Run {
  wholeMs: number;
  stages: ReplyStages | undefined;
  /** the sentence's end in the fed audio, on the page's clock (wall ms) */
  endAt: number;
  /** the page's report of that end of speech */
  report: ParleyDebug["voice"]["speechEnds"][number] | undefined;
  /** the silence that report said */
  silenceMs: number | undefined;
}

/** Each fed sentence, found where its sound begins in the microphone stream (its end follows at the file's spacing), with the reply that played after it. */
function paired(d: ParleyDebug, mic: MicFile): Run[] {
  const runs: Run[] = [];
  for (const onset of d.voice.soundOnsets) {
    const end = d.voice.captureStartAt + onset / 16 + (mic.endsMs[0]! - mic.onsetsMs[0]!);
    const play = d.audio.firstPlays.find((p) => p.at > end && p.at < end + mic.periodMs);
    // the report of this sentence's end: the first one dated after its onset
    const r = d.voice.speechEnds.findIndex((e) => e.soundAt > end - (mic.endsMs[0]! - mic.onsetsMs[0]!) && e.soundAt < end + mic.periodMs / 2);
    if (play) runs.push({ wholeMs: play.at - end, stages: d.latency.history.find((h) => h.utteranceId === play.utteranceId), endAt: end, report: d.voice.speechEnds[r], silenceMs: r >= 0 ? d.voice.endSilences[r] : undefined });
  }
  return runs;
}

/**
 * Where the whole goes beyond the stages, per run (p50s, ms): the page's dating of the
 * sentence's end against the fed audio's (the stages start there: their sum misses only this),
 * and what the stages as first defined (from the report's arrival minus its silence, to
 * utt:start's arrival) left out: the detector's tail, the report's transport, the delivery.
 */
function attribution(runs: Run[]): string {
  const p = (xs: number[]): number => round(percentile(xs.filter(Number.isFinite), 0.5));
  const timed = runs.filter((r) => r.stages?.startedAt != null && r.stages.clock);
  const toPage = (r: Run, serverMs: number): number => serverMs - r.stages!.clock!.offsetMs;
  const withReport = timed.filter((r) => r.report && r.silenceMs !== undefined && r.stages!.reportedAt !== undefined);
  const oldStart = withReport.map((r) => toPage(r, r.stages!.reportedAt!) - r.silenceMs! - r.endAt);
  return [
    `per run whole − stage sum: ${timed.map((r) => round(r.wholeMs - r.stages!.totalMs)).join(", ")} ms`,
    `the page's dating of the end − the fed audio's end p50 ${p(timed.map((r) => r.stages!.startedAt! - r.endAt))} ms`,
    `the stages as first defined missed ${p(withReport.map((r, i) => oldStart[i]! + (r.stages!.deliveryMs ?? NaN)))} ms (p50): their start came ${p(oldStart)} ms after the fed audio's end`,
    `(the sound's end → the end of the detector's last speech frame ${p(withReport.map((r) => r.report!.detectedAt - r.report!.soundAt))} ms; the page's time from there to sending its report beyond the silence it reported ${p(withReport.map((r) => r.report!.sentAt - r.report!.detectedAt - r.silenceMs!))} ms; the report sent → arrived at the server ${p(withReport.map((r) => toPage(r, r.stages!.reportedAt!) - r.report!.sentAt))} ms),`,
    `and the delivery (the first audio synthesized → utt:start handled at the page) ${p(timed.map((r) => r.stages!.deliveryMs ?? NaN))} ms;`,
    `the page's reckoning of the server's clock: offset p50 ${p(timed.map((r) => r.stages!.clock!.offsetMs))} ms on round trips of ${p(timed.map((r) => r.stages!.clock!.rttMs))} ms (one machine: both are the system clock)`,
  ].join(" ");
}

/** Replies to the looped sentence in one page, paired with the sentence's end in the fed audio. */
async function eosRuns(env: Record<string, string>, mic: MicFile, wanted: number): Promise<{ runs: Run[]; silenceMs: number; endSilences: number[]; predictions: number }> {
  const app = await boot(env);
  const browser = await launchChromium(["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${mic.path}`]);
  try {
    if (env.PARLEY_TURN_MODEL !== "none") await until(() => app.parley.turnModel?.ready === true, 60_000, "the end-of-turn model");
    const page: Page = await browser.newPage({ viewport: { width: 640, height: 360 } });
    await withHeadphones(page);
    await page.goto(`${app.parley.url}/?quality=low`);
    await waitForDebug(page, (d) => d.connected && d.llm.ready, 60_000, "room", 100);
    await page.getByRole("button", { name: "Mic off" }).click();
    await waitForDebug(page, (d) => d.voice.mic === "on", 30_000, "microphone on", 100);
    const warm = 2;
    const deadline = Date.now() + (wanted + warm + 4) * mic.periodMs + 20_000;
    let seen = 0;
    // each reply is stopped once it plays: the next sentence meets a quiet table; it goes on until
    // enough replies pair with a sentence found in the stream (a reply that pairs with none is not counted)
    while (Date.now() < deadline) {
      const d = await readDebug(page);
      if (d.audio.firstPlays.length > seen) {
        seen = d.audio.firstPlays.length;
        await page.locator("button.stop").click({ timeout: 2000 }).catch(() => {});
        if (paired(d, mic).length >= wanted + warm) break;
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    await new Promise((r) => setTimeout(r, 500));
    const d = await readDebug(page);
    const model = app.parley.turnModel;
    return { runs: paired(d, mic).slice(warm), silenceMs: d.voice.silenceMs, endSilences: d.voice.endSilences, predictions: model instanceof SmartTurnModel ? model.predictions : 0 };
  } finally {
    await browser.close();
    await app.stop();
  }
}

/** The event loop's thread's time on a core and time runnable but waiting for one (Linux schedstat), ms. */
function loopThreadSched(): { ranMs: number; waitedMs: number } {
  try {
    const [ran, waited] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ").map(Number);
    return { ranMs: ran! / 1e6, waitedMs: waited! / 1e6 };
  } catch {
    return { ranMs: NaN, waitedMs: NaN };
  }
}

/** The server's longest event-loop stall while one person speaks `pcm` into the room. */
async function loopStall(env: Record<string, string>, pcm: Int16Array, asr?: AsrProvider): Promise<{ maxMs: number; p99Ms: number; p999Ms: number; busy: number; waitedMs: number; ranMs: number }> {
  const app = await boot(env, asr ? { asr } : {});
  try {
    const room = await app.join("Sam");
    room.send("speech:start", {});
    const h = monitorEventLoopDelay({ resolution: 5 });
    h.enable();
    const idle = performance.eventLoopUtilization();
    const sched0 = loopThreadSched();
    await streamSpeech(room, pcm);
    const sched1 = loopThreadSched();
    const busy = performance.eventLoopUtilization(idle).utilization;
    h.disable();
    room.send("speech:end", {});
    return {
      maxMs: round(h.max / 1e6), p99Ms: round(h.percentile(99) / 1e6), p999Ms: round(h.percentile(99.9) / 1e6), busy: round(busy, 3),
      waitedMs: round(sched1.waitedMs - sched0.waitedMs), ranMs: round(sched1.ranMs - sched0.ranMs),
    };
  } finally {
    await app.stop();
  }
}

export async function benchVoice(runs: number): Promise<Section> {
  ensureClientBuilt();
  const n = Math.max(20, runs);
  const dir = mkdtempSync(join(tmpdir(), "parley-bench-voice-"));
  try {
    const whisper = (await writeWhisperFixture(join(dir, "whisper"), { detectLanguage: "en" })).dir;
    // Smart Turn's architecture with random weights, int8 like the CPU release (8 MB), generated once
    const turnModel = join(loadConfig().cacheDir, "bench", "smart-turn-v3-shaped-int8.onnx");
    if (!existsSync(turnModel)) await writeSmartTurnFixture(turnModel, "whisper-tiny-int8", { probability: 0.95 });
    const mic = await writeFakeMic(join(dir, "mic.wav"), { parts: [{ silenceS: 1.2, text: "Ada what do you think about the weather today" }], tailS: 3.3 });
    const env = { PARLEY_ASR: "whisper", PARLEY_ASR_MODEL: whisper, PARLEY_ASR_LANGUAGE: "en" };

    const withModel = await eosRuns({ ...env, PARLEY_TURN_MODEL: turnModel }, mic, n);
    const fixed = await eosRuns({ ...env, PARLEY_TURN_MODEL: "none" }, mic, n);
    const whole = summary(withModel.runs.map((r) => r.wholeMs));
    const wholeFixed = summary(fixed.runs.map((r) => r.wholeMs));
    const timed = withModel.runs.filter((r) => r.stages);
    const stageP50 = (runs: Run[], k: (typeof STAGES)[number]): number => round(percentile(runs.filter((r) => r.stages).map((r) => stageMs(r.stages!, k)).filter(Number.isFinite), 0.5));
    const stageFigures = Object.fromEntries(STAGES.map((k) => [`voice.stage.${SNAKE[k]}_ms`, stageP50(withModel.runs, k)]));
    const fixedStages = STAGES.map((k) => `${SNAKE[k]} ${stageP50(fixed.runs, k)}`).join(", ");
    const sums = timed.map((r) => r.stages!.totalMs);
    const ratios = timed.map((r) => r.stages!.totalMs / r.wholeMs);
    const unattributed = attribution(withModel.runs);

    // the model's own cost, in its worker, on 3 s of speech
    const model = new SmartTurnModel({ model: turnModel, cacheDir: join(dir, "cache"), status: new ModelStatus() });
    const [sentence] = await espeakSpeech([{ text: "Ada what do you think about the weather today", voice: "en-us" }]);
    const turnCost: number[] = [];
    try {
      await model.prepare();
      for (let i = 0; i < 22; i++) {
        await model.completion(sentence);
        if (i >= 2) turnCost.push(model.lastCost.featuresMs + model.lastCost.inferenceMs);
      }
    } finally {
      await model.close();
    }

    // 20 s of a person talking, recognition in its worker and then on the event loop
    const talk = concatPcm(...Array.from({ length: 12 }, () => concatPcm(sentence, silence(150)))).subarray(0, 20 * 16000);
    const loopEnv = { ...env, PARLEY_ASR_PARTIAL_MS: "1000", PARLEY_TURN_MODEL: "none" };
    const inWorker = await loopStall(loopEnv, talk);
    const onThread = await loopStall(loopEnv, talk, asrFactories({ config: { cacheDir: join(dir, "c"), offline: true, threads: 2, downloadStallMs: 1000 }, models: new ModelStatus() }).whisper({ model: whisper, partialIntervalMs: 1000 }));

    return {
      figures: {
        "voice.eos_to_first_audio_ms": whole,
        ...stageFigures,
        "voice.stage_sum_ms": summary(sums),
        "voice.stage_sum_ratio": round(percentile(ratios, 0.5), 3),
        "voice.eos_to_first_audio_ms_fixed_silence": wholeFixed,
        "voice.eot_ratio": round(whole.p50 / wholeFixed.p50, 3),
        "voice.turn_model_ms": summary(turnCost),
        "asr.event_loop_block_ms_max": inWorker.maxMs,
        "asr.event_loop_p999_ms": inWorker.p999Ms,
        "asr.event_loop_busy": inWorker.busy,
        "asr.event_loop_block_ms_max_on_thread": onThread.maxMs,
        "asr.event_loop_p999_ms_on_thread": onThread.p999Ms,
        "asr.event_loop_busy_on_thread": onThread.busy,
      },
      notes: [
        "voice: the person wears headphones (the page's echo-cancelling loop off); with speakers and the loop on, the reply is heard speakers.loop_delay_ms later",
        `voice.eos_to_first_audio_ms_fixed_silence stages (p50 ms): ${fixedStages}; the end-of-turn model answered ${withModel.predictions} times for ${withModel.runs.length + 2} sentences (early answers included)`,
        `voice: turns ended by ${[...new Set(timed.map((r) => r.stages!.turnEnd))].map((k) => `${k} ×${timed.filter((r) => r.stages!.turnEnd === k).length}`).join(", ")}; the page waited ${withModel.silenceMs} ms of silence with the model (reported silences p50 ${round(percentile(withModel.endSilences, 0.5))} ms), ${fixed.silenceMs} ms without (p50 ${round(percentile(fixed.endSilences, 0.5))} ms); ${withModel.runs.length} + ${fixed.runs.length} replies, ${timed.length} with stages`,
        "voice.eos_to_first_audio_ms: the end of speech is the fed WAV's last audible sample, found in the page's microphone stream (where the sentence's sound begins, plus its length in the file) and dated by the stream's earliest frame; the capture latency common to every frame is in neither the whole nor the stages (the stream is dated by its promptest frame)",
        `voice.stage.*: the stages start where the page dates the speech's last sound (its last loud sample up to the detector's last speech frame, on the stream's clock) and end at the first sample playing; the server's stages are on its clock, the page turns the start and delivery's start from it with its reckoning of the server's clock (/api/clock, the quickest of its round trips); ${unattributed}`,
        "voice.turn_model_ms: the 8 s log-mel window and inference in the model's worker (1 thread), on random weights with Smart Turn v3's architecture quantized like the CPU release (QDQ int8, 8.2 MB); its answer is fixed at 0.95 (complete)",
        `asr.event_loop_*: 20 s of speech in 32 ms frames through the real SDK; Whisper fixture (30 s log-mel window, decoding loop) re-decoding every 1000 ms; p99 ${inWorker.p99Ms} ms in the worker, ${onThread.p99Ms} ms on the thread; *_busy is the event loop's utilization (the share of time it ran code) over the 20 s; the max includes whatever else the machine's scheduler did meanwhile: over the 20 s the event loop's thread ran ${inWorker.ranMs} ms and waited ${inWorker.waitedMs} ms for a core while runnable (${onThread.ranMs} and ${onThread.waitedMs} ms with recognition on the thread; Linux schedstat); the recognizer's thread runs at nice 10`,
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
