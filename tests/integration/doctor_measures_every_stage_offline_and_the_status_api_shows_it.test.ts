/**
 * `npm run doctor` on a machine with nothing downloaded (CI): the demo model
 * and generated graphs of the real voices', recognizer's and end-of-turn
 * model's shapes stand in, every figure is printed with what it stood in for,
 * the latency of a spoken reply and the setting that would shorten it; the
 * server then shows the profile in /api/status.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { boot, type Booted } from "../support/boot.js";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
let cache: string;
let out = "";
let app: Booted | undefined;

beforeAll(async () => {
  cache = await mkdtemp(join(tmpdir(), "parley-doctor-test-"));
  const r = await run(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "server/src/doctor/cli.ts"), "--language", "ru", "--voices", "neural", "--threads", "1", "--offline"], {
    cwd: ROOT, env: { ...process.env, PARLEY_CACHE_DIR: cache, PARLEY_DEMO: "0" }, timeout: 120_000,
  });
  out = r.stdout;
}, 150_000);
afterAll(async () => {
  await app?.stop();
  await rm(cache, { recursive: true, force: true });
});

describe("npm run doctor", () => {
  it("prints every figure, offline, saying what stood in", () => {
    expect(out).toMatch(/^model {7}Parley demo \(scripted\): [\d.]+ tokens\/s, first token \d+ ms, first clause \d+ ms/m);
    // each character: its offline voice and its neural voice (a generated stand-in: nothing is downloaded)
    for (const name of ["Ада", "Юнона", "Тео"]) {
      expect(out).toMatch(new RegExp(`^voice {7}${name}: espeak:ru\\S*: real-time factor [\\d.]+, first audio \\d+ ms`, "m"));
      expect(out).toMatch(new RegExp(`^voice {7}${name}: piper:ru_RU-\\w+-medium \\(not downloaded: a generated graph stands in\\): real-time factor [\\d.]+`, "m"));
    }
    expect(out).toMatch(/^recognizer {2}whisper-onnx\S*: final words \d+ ms after 3 s of speech \(real-time factor [\d.]+\)/m);
    expect(out).toMatch(/^end of turn Smart Turn \S*: \d+ ms per verdict on 8 s of audio/m);
    expect(out).toMatch(/^A spoken reply starts about \d+ ms after a person stops: end of turn \d+, recognition \d+, first token \d+, first clause \d+, first audio \d+ \(ms\)\./m);
    expect(out).toMatch(/^That is (within|over) the 1500 ms budget; the longest stage is \w+ \(\d+ ms\): .*--[\w-]+.* would shorten it\./m);
    expect(out).toMatch(/note: the model: Qwen2\.5 .* is not downloaded yet/);
    expect(out).toMatch(/note: the recognizer: not downloaded yet/);
    expect(out).toMatch(/note: the end-of-turn model: not downloaded yet/);
  });

  it("keeps the profile, and the server's status API shows it with the latency it means", async () => {
    const profile = JSON.parse(await readFile(join(cache, "machine.json"), "utf8")) as { llm: { tokensPerSecond: number }; voices: unknown[] };
    expect(profile.llm.tokensPerSecond).toBeGreaterThan(0);
    expect(profile.voices).toHaveLength(6);
    app = await boot({ PARLEY_CACHE_DIR: cache });
    const status = await (await fetch(`${app.parley.url}/api/status`)).json() as { machine: { llm: { tokensPerSecond: number }; estimate: { totalMs: number; advice: string } } };
    expect(status.machine.llm.tokensPerSecond).toBe(profile.llm.tokensPerSecond);
    expect(status.machine.estimate.totalMs).toBeGreaterThan(0);
    expect(status.machine.estimate.advice).toMatch(/budget/);
  });
});
