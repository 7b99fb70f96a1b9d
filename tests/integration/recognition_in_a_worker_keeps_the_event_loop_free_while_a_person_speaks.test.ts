import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { boot, type Booted } from "../support/boot.js";
import { streamSpeech } from "../support/speak.js";
import { MessageLog, until, view } from "../support/messages.js";
import { writeWhisperFixture } from "../../server/src/testing/asrOnnxFixtures.js";
import { espeakSpeech, concatPcm, silence } from "../../server/src/testing/asrAudio.js";

let dir: string;
let app: Booted;
let speech: Int16Array;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "parley-asr-loop-"));
  const whisper = (await writeWhisperFixture(join(dir, "whisper"), { detectLanguage: "en" })).dir;
  const [phrase] = await espeakSpeech([{ text: "Hello there, Ada. I have a long story for you today.", voice: "en-us" }]);
  const one = concatPcm(phrase, silence(150));
  // 20 s of a person talking without a pause long enough to end the turn
  speech = concatPcm(...Array.from({ length: Math.ceil((20 * 16000) / one.length) }, () => one)).subarray(0, 20 * 16000);
  // the configured path: PARLEY_ASR=whisper builds the recognizer in its worker thread
  app = await boot({ PARLEY_ASR: "whisper", PARLEY_ASR_MODEL: whisper, PARLEY_ASR_PARTIAL_MS: "1000", PARLEY_ASR_LANGUAGE: "en", PARLEY_TURN_MODEL: "none", PARLEY_THREADS: "1" });
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("speech recognition in a worker thread", () => {
  it("keeps the server's event loop free while a person speaks for 20 s, and still hears them", async () => {
    const room = await app.join("Sam");
    const log = new MessageLog(room);
    room.send("speech:start", {});
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const idle = performance.eventLoopUtilization();
    await streamSpeech(room, speech);
    const busy = performance.eventLoopUtilization(idle).utilization;
    loop.disable();
    room.send("speech:end", {});
    await log.waitForType("utt:start", 30_000);
    const sam = view(room).transcript.find((l) => l.speakerName === "Sam");
    expect(sam?.text).toMatch(/Hello there, Ada\./);
    const stallMs = loop.percentile(99.9) / 1e6;
    console.log(`event loop while speaking: max ${(loop.max / 1e6).toFixed(1)} ms, p99.9 ${stallMs.toFixed(1)} ms, busy ${(busy * 100).toFixed(1)} %`);
    // The same recognizer on this thread stalls it 250+ ms at every partial (a 30 s log-mel window and
    // the decoding loop: p99.9 ~260 ms, busy ~17 %). In its worker the loop only forwards frames; the
    // rare longer delays left come from the scheduler of a crowded machine, so the bound is on the
    // 99.9th percentile of the delay samples (one every 5 ms), and on how busy the loop was.
    expect(stallMs).toBeLessThan(150);
    expect(busy).toBeLessThan(0.1);
    await until(() => Object.values(view(room).characters).every((c) => c.state === "idle"), 30_000, "quiet table");
  });
});
