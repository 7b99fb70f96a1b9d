import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createServer, type Server } from "node:http";
import { readFile, mkdtemp, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { SmartTurnModel, SMART_TURN_MODELS } from "./SmartTurnModel.js";
import { smartTurnFeatures, SMART_TURN_SAMPLES } from "./smartTurnFeatures.js";
import { TurnModelError } from "./EndOfTurnModel.js";
import { ModelStatus, type ModelState } from "../models/ModelStatus.js";
import { cachePathFor } from "../models/fetchModelFile.js";
import { writeSmartTurnFixture, probeProbability } from "../testing/smartTurnOnnxFixture.js";
import { espeakSpeech, concatPcm, silence, tone } from "../testing/asrAudio.js";

let dir: string;
let server: Server;
let speech: Int16Array;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "parley-smart-turn-"));
  const served = await writeSmartTurnFixture(join(dir, "served", "smart-turn-v3.1-cpu.onnx"), "probe", { padBytes: 256 * 1024 });
  const bytes = await readFile(served);
  // a local stand-in for the model host, in small pieces so progress is reported
  server = createServer((req, res) => {
    if (req.url !== "/pipecat-ai/smart-turn-v3/resolve/main/smart-turn-v3.1-cpu.onnx") { res.writeHead(404).end(); return; }
    res.writeHead(200, { "content-length": String(bytes.length) });
    let o = 0;
    const next = (): void => { if (o >= bytes.length) { res.end(); return; } res.write(bytes.subarray(o, (o += 16 * 1024))); setTimeout(next, 5); };
    next();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const [spoken] = await espeakSpeech([{ text: "I would like a cup of tea, please.", voice: "en-us" }]);
  // up to its last audible sample: the speech ends right at the end of the window
  let end = spoken.length;
  while (end > 0 && Math.abs(spoken[end - 1]!) < 500) end--;
  speech = spoken.slice(0, end);
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await rm(dir, { recursive: true, force: true });
});

describe("Smart Turn", () => {
  it("downloads on first use with progress, then answers through the worker exactly as the graph computes", async () => {
    const status = new ModelStatus();
    const seen: ModelState[] = [];
    status.on("change", (s) => seen.push({ ...s }));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pipecat-ai/smart-turn-v3/resolve/main/smart-turn-v3.1-cpu.onnx`;
    const model = new SmartTurnModel({ model: url, cacheDir: join(dir, "cache"), status });
    try {
      expect(model.ready).toBe(false);
      await model.prepare();
      expect(model.ready).toBe(true);
      expect(existsSync(cachePathFor(join(dir, "cache"), url))).toBe(true);
      expect(seen.some((s) => s.kind === "turn" && s.progress > 0 && s.progress < 1)).toBe(true);
      expect(status.get(`turn:${url}`)).toMatchObject({ ready: true, progress: 1, error: "" });

      // speech right at the end of the window: complete; the same speech followed by silence: not
      const ending = await model.completion(speech);
      const trailing = concatPcm(speech, silence(1500));
      const paused = await model.completion(trailing);
      expect(ending).toBeCloseTo(probeProbability(smartTurnFeatures(speech)), 5);
      expect(paused).toBeCloseTo(probeProbability(smartTurnFeatures(trailing)), 5);
      expect(ending).toBeGreaterThan(0.5);
      expect(paused).toBeLessThan(0.5);
      expect(model.lastCost.featuresMs).toBeGreaterThan(0);

      // only the last 8 s count: a loud start before them changes nothing
      const eight = concatPcm(silence(8000 - (speech.length * 1000) / 16000), speech);
      expect(eight.length).toBe(SMART_TURN_SAMPLES);
      expect(await model.completion(concatPcm(tone(300, 3000, 0.8), eight))).toBeCloseTo(await model.completion(eight), 6);
    } finally {
      await model.close();
    }
  });

  it("loads the catalog model from the cache offline, and offline without it says the silence decides", async () => {
    const cacheDir = join(dir, "offline-cache");
    const status = new ModelStatus();
    const missing = new SmartTurnModel({ model: "smart-turn", cacheDir, status, offline: true });
    const err = await missing.prepare().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TurnModelError);
    expect((err as Error).message).toMatch(/offline.*decided by silence/);
    // an intended offline start raises no alarm in the page: an optional model's calm note
    expect(status.all()).toEqual([expect.objectContaining({ id: "turn:smart-turn", kind: "turn", optional: true, ready: false, error: expect.stringMatching(/^offline/) })]);
    await missing.close();

    await writeSmartTurnFixture(cachePathFor(cacheDir, SMART_TURN_MODELS["smart-turn"]!.uri), "probe");
    const cached = new SmartTurnModel({ model: "smart-turn", cacheDir, status, offline: true });
    try {
      await cached.prepare();
      expect(cached.label).toBe("Smart Turn v3.1");
      expect(await cached.completion(speech)).toBeGreaterThan(0.5);
    } finally {
      await cached.close();
    }
  });

  it("closes in the middle of an inference without taking the process down", async () => {
    // Smart Turn's own size and cost (int8, random weights): its inference takes tens of ms
    const path = await writeSmartTurnFixture(join(dir, "int8.onnx"), "whisper-tiny-int8", { probability: 0.9 });
    for (const waitMs of [20, 60, 120]) {
      const model = new SmartTurnModel({ model: path, cacheDir: join(dir, "cache"), status: new ModelStatus() });
      await model.prepare();
      const asked = model.completion(speech);
      await new Promise((r) => setTimeout(r, waitMs));
      await model.close();
      // the answer came before the thread stopped: a thread stopped mid-run would abort the process
      await expect(asked).resolves.toBeCloseTo(0.9, 3);
    }
  });

  it("loads again once after its thread dies, and leaves the silence to decide if it dies again", async () => {
    const path = await writeSmartTurnFixture(join(dir, "reload.onnx"), "probe");
    const model = new SmartTurnModel({ model: path, cacheDir: join(dir, "cache"), status: new ModelStatus() });
    // the thread as the process sees it: stopping it while idle is what a crash looks like to its owner
    const kill = (): Promise<number> => (model as unknown as { worker: { worker: { terminate(): Promise<number> } } }).worker.worker.terminate();
    const readyAgain = async (): Promise<boolean> => {
      for (let i = 0; i < 200 && !model.ready; i++) await new Promise((r) => setTimeout(r, 25));
      return model.ready;
    };
    try {
      await model.prepare();
      expect(await model.completion(speech)).toBeGreaterThan(0.5);
      await kill();
      expect(model.ready).toBe(false);
      expect(await readyAgain()).toBe(true);
      expect(await model.completion(speech)).toBeCloseTo(probeProbability(smartTurnFeatures(speech)), 5);
      expect(model.predictions).toBe(2);

      await kill();
      expect(model.ready).toBe(false);
      // no second reload by itself: a model that kills its thread must not loop
      await new Promise((r) => setTimeout(r, 500));
      expect(model.ready).toBe(false);
      await expect(model.completion(speech)).rejects.toThrow(/not loaded/);
    } finally {
      await model.close();
    }
  });

  it("refuses a graph without Smart Turn's input and output names, and says why", async () => {
    const path = await writeSmartTurnFixture(join(dir, "wrong.onnx"), "wrong-names");
    const status = new ModelStatus();
    const model = new SmartTurnModel({ model: path, cacheDir: join(dir, "cache"), status });
    try {
      await expect(model.prepare()).rejects.toThrow(/no "input_features" input.*input_values/);
      expect(model.ready).toBe(false);
      expect(status.get(`turn:${path}`)?.error).toMatch(/input_features/);
      await expect(model.completion(speech)).rejects.toThrow(/not loaded/);
    } finally {
      await model.close();
    }
  });
});
