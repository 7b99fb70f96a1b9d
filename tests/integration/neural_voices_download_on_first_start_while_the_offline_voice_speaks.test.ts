/**
 * Neural voices by default: a fresh data dir starts fetching the cast's voices
 * at once (with progress), the offline espeak-ng voice speaks until they are
 * ready, and then the neural voice does. Offline it stays on espeak-ng and the
 * table says so once. The voice host is a local stand-in for the Hugging Face
 * layout, serving a generated Piper voice (16 kHz, where espeak-ng speaks at
 * 22.05 kHz: the sample rate tells who spoke).
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Room } from "@colyseus/sdk";
import { boot, type Booted } from "../support/boot.js";
import { MessageLog, until, view } from "../support/messages.js";
import { writePiperFixture } from "../../server/src/testing/onnxFixtures.js";
import type { UttStart } from "../../shared/src/index.js";

const ESPEAK_RATE = 22050;
const VOICE_RATE = 16000;

let dir: string;
let files: { onnx: Buffer; json: Buffer };
let host: Server;
let endpoint: string;
const asked: string[] = [];
let release: () => void = () => {};
const held = new Promise<void>((r) => { release = r; });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "parley-neural-"));
  const model = await writePiperFixture(join(dir, "fixture"), { sampleRate: VOICE_RATE, espeakVoice: "ru" });
  files = { onnx: await readFile(model), json: await readFile(`${model}.json`) };
  // /<owner>/<repo>/resolve/<rev>/<path>: every voice is the generated one; the second half of each .onnx is held back until release()
  host = createServer((req, res) => {
    const url = req.url ?? "";
    asked.push(url);
    if (!url.startsWith("/rhasspy/piper-voices/resolve/main/")) { res.writeHead(404).end(); return; }
    const body = url.endsWith(".onnx.json") ? files.json : url.endsWith(".onnx") ? files.onnx : null;
    if (!body) { res.writeHead(404).end(); return; }
    res.writeHead(200, { "content-length": body.length });
    if (url.endsWith(".json")) { res.end(body); return; }
    const half = Math.floor(body.length / 2);
    res.write(body.subarray(0, half));
    void held.then(() => { if (!res.destroyed) res.end(body.subarray(half)); });
  });
  await new Promise<void>((r) => host.listen(0, "127.0.0.1", r));
  endpoint = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
});
afterAll(async () => {
  release();
  host?.closeAllConnections();
  await new Promise<void>((r) => (host?.listening ? host.close(() => r()) : r()));
  await rm(dir, { recursive: true, force: true });
});

/** the sample rate of the named character's next reply (the next message cuts it off: no need to hear it out) */
async function replyRate(room: Room, log: MessageLog, text: string, characterId: string): Promise<number> {
  const before = log.of<UttStart>("utt:start").length;
  room.send("chat", { text });
  const start = await log.waitFor((r) => r.type === "utt:start" && (r.payload as UttStart).characterId === characterId && log.of<UttStart>("utt:start").indexOf(r.payload as UttStart) >= before, 30_000, `${characterId}'s reply`);
  return (start.payload as UttStart).sampleRate;
}

const settings = (cache: string, env: Record<string, string> = {}): Record<string, string> => ({
  // a Russian table: every bundled character has a Piper voice there (Ada irina, Juno irina, Theo dmitri)
  PARLEY_LANGUAGE: "ru", PARLEY_VOICES: "neural", PARLEY_CACHE_DIR: cache, PARLEY_HF_ENDPOINT: endpoint,
  PARLEY_ASR: "none", PARLEY_TURN_MODEL: "none", ...env,
});

describe("neural voices by default", () => {
  let app: Booted;
  afterAll(async () => { await app?.stop(); });

  it("download on first start while the offline voice speaks, then speak", { timeout: 90_000 }, async () => {
    app = await boot(settings(join(dir, "cache-online"), { PARLEY_OFFLINE: "0" }));
    // the download began with the start, before anyone spoke
    await until(() => asked.some((u) => u.endsWith("ru_RU-irina-medium.onnx")), 10_000, "the voice's download");
    await until(() => app.parley.models.all().some((m) => m.kind === "tts" && m.progress > 0 && !m.ready), 10_000, "progress");
    const room = await app.join("Sam");
    const log = new MessageLog(room);
    expect(await replyRate(room, log, "Ада, привет!", "ada")).toBe(ESPEAK_RATE);

    release();
    await until(() => app.parley.models.all().filter((m) => m.kind === "tts").every((m) => m.ready), 20_000, "the voices ready");
    // no note: nothing was missing, only not there yet
    expect(view(room).transcript.filter((l) => l.kind === "system")).toEqual([]);
    // downloaded, then loaded (the voice's session opens in its thread)
    for (const c of app.parley.locale.cast.list) {
      await until(async () => (await app.parley.voices.route(c.voice)).provider.label !== "espeak", 20_000, `${c.id}'s voice loaded`);
    }
    expect(await replyRate(room, log, "Ада, как дела?", "ada")).toBe(VOICE_RATE);
    expect(await replyRate(room, log, "Тео, а ты что думаешь?", "theo")).toBe(VOICE_RATE);
  });

  it("stay on the offline voice when they cannot be had, and say so once", { timeout: 90_000 }, async () => {
    await app?.stop();
    app = await boot(settings(join(dir, "cache-offline"), { PARLEY_OFFLINE: "1" }));
    const room = await app.join("Sam");
    const log = new MessageLog(room);
    expect(await replyRate(room, log, "Ада, привет!", "ada")).toBe(ESPEAK_RATE);
    expect(await replyRate(room, log, "Тео, а ты?", "theo")).toBe(ESPEAK_RATE);
    expect(await replyRate(room, log, "Ада, ещё раз?", "ada")).toBe(ESPEAK_RATE);
    const notes = view(room).transcript.filter((l) => l.kind === "system");
    expect(notes).toHaveLength(1);
    expect(notes[0]!.text).toMatch(/офлайн-голосами/);
    // the page shows it calmly: optional, not an error to everyone
    const failed = Object.values(view(room).models).filter((m) => m.error);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((m) => m.optional)).toBe(true);
  });
});
