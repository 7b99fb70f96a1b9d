import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EspeakTts } from "./EspeakTts.js";
import { TtsRouter } from "./TtsRouter.js";
import { ttsFactories } from "./providers.js";
import { loadConfig } from "../config.js";
import { ModelStatus } from "../models/ModelStatus.js";
import { setQuiet } from "../util/log.js";
import { writePiperFixture } from "../testing/onnxFixtures.js";
import { isAbortError } from "../util/errors.js";

let dir: string;
let files: Record<string, Buffer>;
/** serves the voice files (the .onnx held after its first KiB until `release()`); refuses connections when down */
let server: Server | null = null;
let port = 0;
let requests = 0;
let hold: Promise<void> = Promise.resolve();
let release: () => void = () => {};
/** the next .onnx download stops after its first KiB until release() */
const holdNext = (): void => { hold = new Promise((r) => (release = r)); };

async function serve(): Promise<void> {
  server = createServer((req, res) => {
    requests++;
    const body = files[req.url ?? ""];
    if (!body) { res.writeHead(404).end(); return; }
    res.writeHead(200, { "content-length": body.length });
    if (!req.url?.endsWith(".onnx")) { res.end(body); return; }
    res.write(body.subarray(0, 1024));
    void hold.then(() => { if (!res.destroyed) res.end(body.subarray(1024)); });
  });
  await new Promise<void>((r) => server!.listen(port, "127.0.0.1", r));
  port = (server!.address() as AddressInfo).port;
}
async function down(): Promise<void> {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
}

beforeAll(async () => {
  setQuiet(true);
  dir = await mkdtemp(join(tmpdir(), "parley-router-"));
  const model = await writePiperFixture(join(dir, "fixture"));
  files = { "/v/voice.onnx": await readFile(model), "/v/voice.onnx.json": await readFile(`${model}.json`) };
  await serve();
});
afterAll(async () => { await down(); setQuiet(false); await rm(dir, { recursive: true, force: true }); });

function router(now: () => number = Date.now): TtsRouter {
  const config = loadConfig({}, { cacheDir: join(dir, `cache-${Math.random()}`), offline: false, threads: 1 });
  const espeak = new EspeakTts();
  return new TtsRouter(espeak, ttsFactories({ config, models: new ModelStatus(), espeak }), { retryAfterMs: 1000 }, now);
}

const voice = (): { provider: "piper"; voice: string; speed: number; pitch: number } => ({ provider: "piper", voice: `http://127.0.0.1:${port}/v/voice.onnx`, speed: 1, pitch: 50 });

describe("routing a neural voice", () => {
  it("lets an interrupted turn stop waiting while the download goes on, and the next turn gets the voice", async () => {
    const r = router();
    try {
      holdNext();
      const ac = new AbortController();
      const first = r.route(voice(), ac.signal);
      // the download is under way (and held): the person cuts in
      while (requests < 2) await new Promise((res) => setTimeout(res, 10));
      ac.abort("person");
      const err = await first.then(() => null, (e: unknown) => e);
      expect(isAbortError(err)).toBe(true);
      release();
      // the next turn: the same download finishes, no fallback, no second download
      const before = requests;
      const next = await r.route(voice(), new AbortController().signal);
      expect(next.provider.label).toBe("piper");
      expect(next.fallbackReason).toBe("");
      expect(requests).toBe(before);
    } finally {
      await r.close();
    }
  });

  it("falls back while a server is down, and tries again later", async () => {
    let clock = 0;
    const r = router(() => clock);
    try {
      await down();
      const failed = await r.route(voice());
      expect(failed.provider.label).toBe("espeak");
      expect(failed.fallbackReason).toMatch(/cannot download|refused|fetch failed/i);
      await serve();
      // not yet time to try again: still the offline voice, and no request made
      const before = requests;
      expect((await r.route(voice())).provider.label).toBe("espeak");
      expect(requests).toBe(before);
      clock += 1500;
      const back = await r.route(voice());
      expect(back.provider.label).toBe("piper");
      expect(back.fallbackReason).toBe("");
    } finally {
      await r.close();
    }
  });

  it("does not retry a failure that cannot pass", async () => {
    let clock = 0;
    const r = router(() => clock);
    try {
      const bad = { provider: "nosuch" as "piper", voice: "x", speed: 1, pitch: 50 };
      expect((await r.route(bad)).fallbackReason).toMatch(/no "nosuch" voice provider/);
      clock += 60_000;
      expect((await r.route(bad)).provider.label).toBe("espeak");
    } finally {
      await r.close();
    }
  });
});
