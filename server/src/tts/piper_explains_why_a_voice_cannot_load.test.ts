import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EspeakTts } from "./EspeakTts.js";
import { PiperTts } from "./PiperTts.js";
import { ModelStatus } from "../models/ModelStatus.js";
import { TtsError } from "../util/errors.js";
import { piperCatalog } from "./catalog.js";

let dir: string;
let espeak: EspeakTts;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), "parley-piper-err-")); espeak = new EspeakTts(); });
afterAll(async () => { await espeak.close(); await rm(dir, { recursive: true, force: true }); });

describe("a Piper voice that cannot run", () => {
  it("maps catalog names onto the piper-voices repository", () => {
    expect(piperCatalog("en_US-lessac-medium")?.onnx).toBe("hf:rhasspy/piper-voices/en/en_US/lessac/medium/en_US-lessac-medium.onnx");
    expect(piperCatalog("de_DE-thorsten-high")?.config).toBe("hf:rhasspy/piper-voices/de/de_DE/thorsten/high/de_DE-thorsten-high.onnx.json");
    expect(piperCatalog("./my-voice.onnx")).toBeNull();
  });

  it("says it is offline and what to do instead of downloading", async () => {
    const status = new ModelStatus();
    const tts = new PiperTts({ phonemizer: espeak, models: status, cacheDir: dir, offline: true });
    const err = await tts.prepare({ provider: "piper", voice: "en_US-lessac-medium", speed: 1, pitch: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TtsError);
    expect((err as Error).message).toMatch(/en_US-lessac-medium is not in the cache and Parley is offline: set the voice to the path of a downloaded \.onnx/);
    // the UI sees the same reason
    expect(status.get("tts:piper:en_US-lessac-medium.json")?.error).toMatch(/offline/);
    await tts.close();
  });

  it("names a missing file and rejects a config that is not Piper's", async () => {
    const tts = new PiperTts({ phonemizer: espeak, models: new ModelStatus(), cacheDir: dir });
    await expect(tts.prepare({ provider: "piper", voice: join(dir, "nope.onnx"), speed: 1, pitch: 50 })).rejects.toThrow(/nope\.onnx/);
    const fake = join(dir, "fake.onnx");
    await writeFile(fake, "not a model");
    await writeFile(`${fake}.json`, JSON.stringify({ audio: {} }));
    await expect(tts.prepare({ provider: "piper", voice: fake, speed: 1, pitch: 50 })).rejects.toThrow(/not a Piper voice config: audio.sample_rate/);
    expect(() => tts.sampleRate({ provider: "piper", voice: fake, speed: 1, pitch: 50 })).toThrow(/prepare\(\) it first/);
    await tts.close();
  });

  it("checks its required settings when built", () => {
    expect(() => new PiperTts({ phonemizer: espeak, models: new ModelStatus(), cacheDir: "" })).toThrow(/cacheDir/);
  });
});
