import { describe, it, expect, afterAll } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir, platform } from "node:os";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ModelStatus, type ModelState } from "../models/ModelStatus.js";
import { writeWhisperFixture, writeTransducerFixture, TRANSDUCER_FIXTURE_TEXT } from "../testing/asrOnnxFixtures.js";
import { espeakSpeech, concatPcm, silence } from "../testing/asrAudio.js";
import { describeAsrConformance, collect, pushPaced } from "./asrConformance.js";
import { createAsr } from "./providers.js";
import { WorkerAsr } from "./WorkerAsr.js";
import { AsrError } from "./errors.js";
import { BACKGROUND_NICE } from "../util/threadPriority.js";

let root: string;
const ready = (async () => {
  root = await mkdtemp(join(tmpdir(), "parley-worker-asr-"));
  const [en] = await espeakSpeech([{ text: "Hello there, Ada.", voice: "en-us" }]);
  return concatPcm(silence(200), en, silence(200));
})();
afterAll(async () => { await rm(root, { recursive: true, force: true }); });

const deps = (status = new ModelStatus()) => ({ config: { cacheDir: join(root, "cache"), offline: true, threads: 1, downloadStallMs: 1000 }, models: status });

describeAsrConformance("Whisper in a worker thread", async () => {
  const speech = await ready;
  const dir = (await writeWhisperFixture(join(root, "whisper"), { detectLanguage: "en" })).dir;
  const provider = createAsr({ asr: "whisper", asrModel: dir, asrLanguage: "auto", asrPartialMs: 500 }, deps()).provider!;
  expect(provider).toBeInstanceOf(WorkerAsr);
  await provider.prepare();
  return { provider, speech, expect: /^Hello there, Ada\.( Hello there, Ada\.)*$/, language: "auto", longAudioBudgetMs: 10_000, cleanup: () => provider.close() };
});

describeAsrConformance("the streaming transducer in a worker thread", async () => {
  const speech = await ready;
  const dir = (await writeTransducerFixture(join(root, "zipformer2"))).dir;
  const provider = createAsr({ asr: "streaming", asrModel: dir, asrLanguage: "en" }, deps()).provider!;
  expect(provider).toBeInstanceOf(WorkerAsr);
  await provider.prepare();
  return { provider, speech, expect: new RegExp(`^${TRANSDUCER_FIXTURE_TEXT}$`), language: "en", longAudioBudgetMs: 10_000, cleanup: () => provider.close() };
});

/** Each of this process's threads' nice value (Linux keeps one per thread), by thread id. */
function niceByThread(): Map<number, number> {
  const out = new Map<number, number>();
  for (const t of readdirSync("/proc/self/task")) {
    try { out.set(Number(t), Number(readFileSync(`/proc/self/task/${t}/stat`, "utf8").split(") ")[1]!.split(" ")[16])); } catch { /* ended meanwhile */ }
  }
  return out;
}

describe("a recognizer in a worker thread", () => {
  it.runIf(platform() === "linux")("decodes below the event loop's priority, with every thread its runtime starts", async () => {
    await ready;
    const before = niceByThread();
    const dir = (await writeWhisperFixture(join(root, "whisper-nice"), { detectLanguage: "en" })).dir;
    const p = createAsr({ asr: "whisper", asrModel: dir, asrLanguage: "en", asrPartialMs: 500 }, { ...deps(), config: { ...deps().config, threads: 2 } }).provider!;
    try {
      await p.prepare();
      const lowered = [...niceByThread()].filter(([tid, nice]) => !before.has(tid) && nice === BACKGROUND_NICE);
      // the worker's own thread and onnxruntime's second intra-op thread (started with the session)
      expect(lowered.length).toBeGreaterThanOrEqual(2);
      // the event loop's thread (the process's first) keeps its priority
      expect(niceByThread().get(process.pid)).toBe(before.get(process.pid));
    } finally {
      await p.close();
    }
  });

  it("reports its model's state to the page and its failures as typed errors", async () => {
    await ready;
    const status = new ModelStatus();
    const seen: ModelState[] = [];
    status.on("change", (s) => seen.push({ ...s }));
    const p = createAsr({ asr: "streaming", asrLanguage: "ru" }, deps(status)).provider!;
    try {
      const err = await p.prepare().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AsrError);
      expect((err as Error).message).toMatch(/offline: cannot download .*Russian/);
      // the worker's status reached the main thread's ModelStatus, which the room mirrors
      expect(status.get("asr:streaming:ru")?.error).toMatch(/offline/);
      expect(seen.length).toBeGreaterThan(0);
      const s = p.start({ language: "ru", signal: new AbortController().signal });
      await pushPaced(s, silence(300));
      s.end();
      await expect(collect(s)).rejects.toThrow(AsrError);
    } finally {
      await p.close();
    }
  });
});
