import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { EspeakTts } from "./EspeakTts.js";
import { PiperTts } from "./PiperTts.js";
import { KokoroTts } from "./KokoroTts.js";
import { ModelStatus } from "../models/ModelStatus.js";
import { cachePathFor } from "../models/fetchModelFile.js";
import { writeKokoroFixture, writePiperFixture } from "../testing/onnxFixtures.js";
import { speak } from "./ttsConformance.js";

let dir: string;
let espeak: EspeakTts;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), "parley-cache-layout-")); espeak = new EspeakTts(); });
afterAll(async () => { await espeak.close(); await rm(dir, { recursive: true, force: true }); });

/** puts a file where a download of `uri` would land */
async function seed(src: string, uri: string): Promise<void> {
  const dest = cachePathFor(dir, uri);
  await mkdir(dirname(dest), { recursive: true });
  await copyFile(src, dest);
}

describe("neural voices offline, from the download cache", () => {
  it("resolves a Piper catalog name to its model and config in the piper-voices layout", async () => {
    const model = await writePiperFixture(join(dir, "src-piper"));
    const uri = "hf:rhasspy/piper-voices/en/en_US/lessac/medium/en_US-lessac-medium.onnx";
    await seed(model, uri);
    await seed(`${model}.json`, `${uri}.json`);
    const status = new ModelStatus();
    const tts = new PiperTts({ phonemizer: espeak, models: status, cacheDir: dir, offline: true });
    const voice = { provider: "piper", voice: "en_US-lessac-medium", speed: 1, pitch: 50 } as const;
    await tts.prepare(voice);
    expect((await speak(tts, "Hello.", voice)).pcm.length).toBeGreaterThan(1000);
    expect(status.get("tts:piper:en_US-lessac-medium")).toMatchObject({ ready: true, progress: 1 });
    await tts.close();
  });

  it("finds a remote Kokoro model's tokenizer and styles in its repository, at the same revision", async () => {
    const model = await writeKokoroFixture(join(dir, "src-kokoro"));
    const repo = "hf:acme/kokoro-test";
    await seed(model, `${repo}/onnx/model.onnx#v2`);
    await seed(join(dir, "src-kokoro", "tokenizer.json"), `${repo}/tokenizer.json#v2`);
    await seed(join(dir, "src-kokoro", "voices", "af_fixture.bin"), `${repo}/voices/af_fixture.bin#v2`);
    const tts = new KokoroTts({ phonemizer: espeak, models: new ModelStatus(), cacheDir: dir, offline: true });
    const voice = { provider: "kokoro", voice: "af_fixture", model: `${repo}/onnx/model.onnx#v2`, language: "en-us", speed: 1, pitch: 50 } as const;
    await tts.prepare(voice);
    expect((await speak(tts, "Hello.", voice)).pcm.length).toBeGreaterThan(1000);
    await expect(tts.prepare({ ...voice, voice: "am_fixture" })).rejects.toThrow(/offline.*am_fixture\.bin/s);
    await tts.close();
  });
});
