import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fetchModelSet } from "./fetchModelSet.js";
import { ModelStatus, type ModelState } from "../models/ModelStatus.js";
import { AsrError } from "./errors.js";
import { setQuiet } from "../util/log.js";

let server: Server;
let base: string;
let cache: string;
beforeAll(async () => {
  setQuiet(true);
  cache = await mkdtemp(join(tmpdir(), "parley-modelset-"));
  server = createServer((req, res) => {
    const size = { "/encoder.onnx": 300_000, "/decoder.onnx": 100_000, "/tokens.txt": 100 }[req.url ?? ""];
    if (!size) { res.writeHead(404).end(); return; }
    res.writeHead(200, { "content-length": String(size) });
    // in several writes, so progress has something to report
    for (let o = 0; o < size; o += 50_000) res.write(Buffer.alloc(Math.min(50_000, size - o), 7));
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await rm(cache, { recursive: true, force: true });
});

describe("fetching a recognizer's files", () => {
  it("reports one model whose progress only grows and which is ready when every file is in", async () => {
    const status = new ModelStatus();
    const seen: ModelState[] = [];
    status.on("change", (s) => { if (s.id === "asr:test") seen.push({ ...s }); });
    const paths = await fetchModelSet({ encoder: `${base}/encoder.onnx`, decoder: `${base}/decoder.onnx`, tokens: `${base}/tokens.txt` },
      { cacheDir: cache, offline: false, status, id: "asr:test", name: "Test model" });
    expect((await readFile(paths.encoder)).length).toBe(300_000);
    expect((await readFile(paths.tokens)).length).toBe(100);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.progress).toBeGreaterThanOrEqual(seen[i - 1]!.progress);
    expect(seen.filter((s) => s.ready)).toHaveLength(1);
    expect(seen.at(-1)).toMatchObject({ ready: true, progress: 1, error: "", kind: "asr", name: "Test model" });
    expect(status.all().map((s) => s.id)).toEqual(["asr:test"]);
  });

  it("stops at the first file that fails, with its reason in the status", async () => {
    const status = new ModelStatus();
    const err = await fetchModelSet({ tokens: `${base}/tokens.txt`, joiner: `${base}/missing.onnx` },
      { cacheDir: cache, offline: false, status, id: "asr:broken", name: "Broken model" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AsrError);
    expect((err as AsrError).retryable).toBe(true);
    expect((err as Error).message).toMatch(/Broken model \(joiner\).*404/);
    expect(status.get("asr:broken")).toMatchObject({ ready: false, error: expect.stringMatching(/404/) });
  });
});
