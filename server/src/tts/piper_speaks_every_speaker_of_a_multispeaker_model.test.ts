import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { VoiceConfig } from "@parley/shared";
import { EspeakTts } from "./EspeakTts.js";
import { PiperTts } from "./PiperTts.js";
import { ModelStatus } from "../models/ModelStatus.js";
import { writePiperFixture } from "../testing/onnxFixtures.js";
import { speak, toneFrequency } from "./ttsConformance.js";

let dir: string;
let model: string;
let espeak: EspeakTts;
let tts: PiperTts;
const voice = (v: string, extra: Partial<Extract<VoiceConfig, { provider: "piper" }>> = {}): VoiceConfig => ({ provider: "piper", voice: v, speed: 1, pitch: 50, ...extra });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "parley-piper-multi-"));
  model = await writePiperFixture(dir, { speakers: ["alice", "bob", "carol"], sampleRate: 16000, name: "trio" });
  espeak = new EspeakTts();
  tts = new PiperTts({ phonemizer: espeak, models: new ModelStatus(), cacheDir: dir });
});
afterAll(async () => { await tts.close(); await espeak.close(); await rm(dir, { recursive: true, force: true }); });

describe("a multi-speaker Piper model", () => {
  it("lists every speaker as its own voice, once the model is loaded", async () => {
    await tts.prepare(voice(model));
    const ids = (await tts.listVoices()).filter((v) => v.id.startsWith("trio#")).map((v) => v.id);
    expect(ids).toEqual(["trio#alice", "trio#bob", "trio#carol"]);
    expect(tts.sampleRate(voice(model))).toBe(16000);
  });

  it("speaks with each speaker, chosen by name after '#' or by the speaker field", async () => {
    // the fixture's tone is 220 Hz + 110 Hz per speaker id
    const hz = async (v: VoiceConfig): Promise<number> => { await tts.prepare(v); return toneFrequency((await speak(tts, "Hello there.", v)).pcm, 16000); };
    expect(await hz(voice(`${model}#alice`))).toBeCloseTo(220, -1);
    expect(await hz(voice(`${model}#bob`))).toBeCloseTo(330, -1);
    expect(await hz(voice(model, { speaker: "carol" }))).toBeCloseTo(440, -1);
    expect(await hz(voice(model, { speaker: 1 }))).toBeCloseTo(330, -1);
    // no speaker: the model's first, as Piper does
    expect(await hz(voice(model))).toBeCloseTo(220, -1);
  });

  it("refuses an unknown speaker and names the ones it has", async () => {
    await expect(tts.prepare(voice(`${model}#dave`))).rejects.toThrow(/no speaker "dave".*alice, bob, carol/);
    await expect(tts.prepare(voice(model, { speaker: 7 }))).rejects.toThrow(/no speaker "7"/);
  });
});
