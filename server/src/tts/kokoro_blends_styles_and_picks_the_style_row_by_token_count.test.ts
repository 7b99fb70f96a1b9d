import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { VoiceConfig } from "@parley/shared";
import { EspeakTts } from "./EspeakTts.js";
import { KokoroTts, KOKORO_SAMPLE_RATE } from "./KokoroTts.js";
import { ModelStatus } from "../models/ModelStatus.js";
import { KOKORO_FIXTURE_FRAME, kokoroFixtureAmplitude, writeKokoroFixture } from "../testing/onnxFixtures.js";
import { kokoroTokenRuns, parseStyleBlend } from "./kokoroText.js";
import { speak, toneFrequency } from "./ttsConformance.js";

let dir: string;
let plain: string;
let timed: string;
let espeak: EspeakTts;
let tts: KokoroTts;
const voice = (v: string, model: string, speed = 1): VoiceConfig => ({ provider: "kokoro", voice: v, model, language: "en-us", speed, pitch: 50 });
const peak = (pcm: Int16Array): number => pcm.reduce((m, v) => Math.max(m, Math.abs(v)), 0) / 32767;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "parley-kokoro-b-"));
  plain = await writeKokoroFixture(join(dir, "plain"), { voices: { af_low: 0.2, am_high: 0.6 } });
  timed = await writeKokoroFixture(join(dir, "timed"), { durations: true, voices: { af_low: 0.2 } });
  espeak = new EspeakTts();
  tts = new KokoroTts({ phonemizer: espeak, models: new ModelStatus(), cacheDir: dir });
});
afterAll(async () => { await tts.close(); await espeak.close(); await rm(dir, { recursive: true, force: true }); });

describe("Kokoro styles", () => {
  it("parses blends and normalises their weights", () => {
    expect(parseStyleBlend("af_heart")).toEqual([{ name: "af_heart", weight: 1 }]);
    const blend = parseStyleBlend("af_heart*0.6+am_michael*0.2");
    expect(blend.map((b) => b.name)).toEqual(["af_heart", "am_michael"]);
    expect(blend[0]!.weight).toBeCloseTo(0.75, 9);
    expect(blend[1]!.weight).toBeCloseTo(0.25, 9);
    expect(() => parseStyleBlend("af_heart*0")).toThrow(/above 0/);
    expect(() => parseStyleBlend("af heart")).toThrow(/not a style name/);
  });

  it("speaks a blend as the weighted sum of the styles", async () => {
    // the fixture's tone is 200 + 400 * style[0] Hz: 280 Hz and 440 Hz alone
    const hz = async (spec: string): Promise<number> => {
      await tts.prepare(voice(spec, plain));
      return toneFrequency((await speak(tts, "Hello there.", voice(spec, plain))).pcm, KOKORO_SAMPLE_RATE);
    };
    expect(await hz("af_low")).toBeCloseTo(280, -1);
    expect(await hz("am_high")).toBeCloseTo(440, -1);
    expect(await hz("af_low+am_high")).toBeCloseTo(360, -1);
    expect(await hz("af_low*3+am_high*1")).toBeCloseTo(320, -1);
  });

  it("picks the style row by the number of tokens, as kokoro.js does", async () => {
    const v = voice("af_low", plain);
    await tts.prepare(v);
    // the fixture's amplitude is style[1], which grows with the row
    const tokenizer = JSON.parse(await readFile(join(dir, "plain", "tokenizer.json"), "utf8")) as { model: { vocab: Record<string, number> } };
    const vocab = new Map(Object.entries(tokenizer.model.vocab));
    for (const text of ["Hi.", "This sentence is quite a bit longer than the first one."]) {
      const runs = [];
      for await (const r of kokoroTokenRuns(text, "en-us", vocab, espeak)) runs.push(r);
      expect(runs).toHaveLength(1);
      expect(peak((await speak(tts, text, v)).pcm)).toBeCloseTo(kokoroFixtureAmplitude(runs[0]!.ids.length), 3);
    }
  });

  it("names the style files it knows when one is missing", async () => {
    await expect(tts.prepare(voice("zz_nobody", plain))).rejects.toThrow(/style "zz_nobody".*af_heart/);
  });
});

describe("Kokoro timings", () => {
  it("has timings only for a model with a durations output", async () => {
    await tts.prepare(voice("af_low", plain));
    await tts.prepare(voice("af_low", timed));
    expect(tts.timingsFor(voice("af_low", plain))).toBe(false);
    expect(tts.timingsFor(voice("af_low", timed))).toBe(true);
    expect((await speak(tts, "Hello.", voice("af_low", plain))).phonemes).toEqual([]);
  });

  it("places phonemes by the durations, 600 samples a frame", async () => {
    const r = await speak(tts, "Hello, world.", voice("af_low", timed));
    const named = r.phonemes.filter((p) => p.ipa);
    expect(named.map((p) => p.ipa).join(" ")).toBe("h ə l ˈo ʊ w ˈɜː l d");
    expect(r.phonemes[0]).toEqual({ t: 0, ipa: "" });
    expect(named[0]!.t % KOKORO_FIXTURE_FRAME).toBe(0);
    expect(named[0]!.t).toBeGreaterThan(0);
    expect(r.phonemes.at(-1)!.t).toBeLessThan(r.pcm.length);
    for (let i = 1; i < r.phonemes.length; i++) expect(r.phonemes[i]!.t).toBeGreaterThan(r.phonemes[i - 1]!.t);
  });

  it("keeps every run within Kokoro's 510-token context", async () => {
    const vocab = new Map([..."abcdefghijklmnopqrstuvwxyzəɪˈ ,."].map((c, i) => [c, i + 1] as const));
    const long = Array.from({ length: 60 }, () => "another word here").join(" ") + ".";
    let total = 0;
    for await (const run of kokoroTokenRuns(long, "en-us", vocab, espeak)) {
      expect(run.ids.length).toBeLessThanOrEqual(510);
      total += run.ids.length;
    }
    expect(total).toBeGreaterThan(510);
  });
});
