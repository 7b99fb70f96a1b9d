import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createServer, type Server } from "node:http";
import { createServer as createNetServer } from "node:net";
import { createReadStream, statSync, existsSync } from "node:fs";
import { mkdtemp, rm, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { LlmHost } from "../../server/src/llm/LlmHost.js";
import { writeScriptedModel } from "../../server/src/llm/gguf/scriptedModel.js";
import { DEMO_SCRIPT } from "../../server/src/llm/gguf/demoScript.js";
import { testConfig } from "../support/boot.js";
import type { LlmView } from "../../shared/src/index.js";

let dir: string;
let server: Server;
let url: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "parley-dl-"));
  const file = join(dir, "served.gguf");
  await writeScriptedModel(file, DEMO_SCRIPT);
  const size = statSync(file).size;
  // a local stand-in for a model host, serving the file slowly enough to report progress
  server = createServer((req, res) => {
    if (req.url !== "/models/tiny-instruct.gguf") { res.writeHead(404).end(); return; }
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(size) });
    if (req.method === "HEAD") { res.end(); return; }
    createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/models/tiny-instruct.gguf`;
});
afterAll(async () => {
  server?.closeAllConnections();
  if (server?.listening) await new Promise<void>((r) => server.close(() => r()));
  await rm(dir, { recursive: true, force: true });
});

describe("model download", () => {
  it("fetches a configured model URL into the cache with progress, then loads it", async () => {
    const cache = join(dir, "cache");
    const host = new LlmHost(testConfig({ PARLEY_DEMO: "0", PARLEY_OFFLINE: "0", PARLEY_MODEL: url, PARLEY_CACHE_DIR: cache }));
    const seen: LlmView[] = [];
    host.on("status", (s) => seen.push({ ...s }));
    await host.start();
    try {
      expect(host.status).toMatchObject({ ready: true, provider: "node-llama-cpp", progress: 1, error: "" });
      expect(seen.some((s) => s.progress > 0 && s.progress <= 1)).toBe(true);
      const files = await readdir(join(cache, "models"));
      expect(files.some((f) => f.endsWith(".gguf"))).toBe(true);
      // and the downloaded model answers
      let text = "";
      for await (const d of host.stream({ key: "ada", messages: [{ role: "user", content: "hi" }], temperature: 0, maxTokens: 20, signal: new AbortController().signal })) text += d;
      expect(text).toMatch(/^\[happy\] Hello/);
    } finally {
      await host.close();
    }
  });

  it("uses the cached file on the next start instead of downloading again", async () => {
    const cache = join(dir, "cache");
    expect(existsSync(join(cache, "models"))).toBe(true);
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r())); // nothing to download from any more
    const host = new LlmHost(testConfig({ PARLEY_DEMO: "0", PARLEY_OFFLINE: "0", PARLEY_MODEL: url, PARLEY_CACHE_DIR: cache }));
    await host.start();
    try {
      expect(host.status.ready).toBe(true);
    } finally {
      await host.close();
    }
  });

  it("uses the cached file offline too", async () => {
    const host = new LlmHost(testConfig({ PARLEY_DEMO: "0", PARLEY_OFFLINE: "1", PARLEY_MODEL: url, PARLEY_CACHE_DIR: join(dir, "cache") }));
    await host.start();
    try {
      expect(host.status).toMatchObject({ ready: true, error: "" });
    } finally {
      await host.close();
    }
  });

  it("says within 10 s when the model's host cannot be reached (a host that never answers, an unknown name)", async () => {
    const sockets = new Set<import("node:net").Socket>();
    const silent = createNetServer((sock) => { sockets.add(sock); /* accepts and says nothing */ });
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    try {
      for (const model of [`http://127.0.0.1:${(silent.address() as AddressInfo).port}/model.gguf`, "https://no-such-host.invalid/model.gguf"]) {
        const t0 = performance.now();
        const host = new LlmHost(testConfig({ PARLEY_DEMO: "0", PARLEY_OFFLINE: "0", PARLEY_MODEL: model, PARLEY_CACHE_DIR: join(dir, "cache3") }));
        await host.start();
        expect(performance.now() - t0, model).toBeLessThan(10_000);
        expect(host.status.error).toMatch(/cannot reach/);
        await host.close();
      }
    } finally {
      for (const sock of sockets) sock.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  }, 30_000);

  it("keeps a slow but healthy download going past the stall watchdog", async () => {
    const slow = createServer((req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(50 * 1024 * 1024) });
      if (req.method === "HEAD") { res.end(); return; }
      // 2 KiB every 100 ms: far under 1 % of the file per watchdog period
      const t = setInterval(() => { if (res.destroyed) clearInterval(t); else res.write(Buffer.alloc(2048)); }, 100);
      res.on("close", () => clearInterval(t));
    });
    await new Promise<void>((r) => slow.listen(0, "127.0.0.1", r));
    const host = new LlmHost(testConfig({ PARLEY_DEMO: "0", PARLEY_OFFLINE: "0", PARLEY_MODEL: `http://127.0.0.1:${(slow.address() as AddressInfo).port}/big.gguf`, PARLEY_CACHE_DIR: join(dir, "cache4"), PARLEY_DOWNLOAD_STALL_MS: "600" }));
    const started = host.start();
    try {
      await new Promise((r) => setTimeout(r, 2500));
      expect(host.status.error).toBe("");
      expect(host.status.ready).toBe(false);
    } finally {
      await host.close();
      await started;
      slow.closeAllConnections();
      await new Promise<void>((r) => slow.close(() => r()));
    }
  }, 20_000);

  it("explains a failed download", async () => {
    const host = new LlmHost(testConfig({ PARLEY_DEMO: "0", PARLEY_OFFLINE: "0", PARLEY_MODEL: "http://127.0.0.1:9/nothing.gguf", PARLEY_CACHE_DIR: join(dir, "cache2"), PARLEY_DOWNLOAD_STALL_MS: "1500" }));
    await host.start();
    expect(host.status.ready).toBe(false);
    expect(host.status.error).toMatch(/cannot (download|reach)/);
    await host.close();
  });
});
