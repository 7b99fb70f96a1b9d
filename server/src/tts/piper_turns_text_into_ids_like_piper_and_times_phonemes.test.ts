import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { VoiceConfig } from "@parley/shared";
import { EspeakTts } from "./EspeakTts.js";
import { PiperTts } from "./PiperTts.js";
import { ModelStatus } from "../models/ModelStatus.js";
import { PIPER_FIXTURE_HOP, writePiperFixture } from "../testing/onnxFixtures.js";
import { parsePiperConfig, piperPhonemeIds, piperSentences } from "./piperPhonemes.js";
import { speak } from "./ttsConformance.js";
import { MAX_PIECE_SAMPLES } from "./pcm.js";

let dir: string;
let espeak: EspeakTts;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), "parley-piper-ids-")); espeak = new EspeakTts(); });
afterAll(async () => { await espeak.close(); await rm(dir, { recursive: true, force: true }); });

const MAP = { _: [0], "^": [1], $: [2], " ": [3], ",": [8], ".": [10], "?": [13], a: [14], h: [20], l: [24], "ə": [59], "ˈ": [120], o: [27], "ʊ": [100] };
const config = parsePiperConfig({ audio: { sample_rate: 22050 }, espeak: { voice: "en-us" }, phoneme_id_map: MAP, num_speakers: 1 }, "test");

describe("Piper's text to ids", () => {
  it("wraps a sentence in ^ _ ... $ with a pad after every phoneme and skips unknown phonemes", () => {
    const { ids } = piperPhonemeIds(["h", "ə", "l", "ˈ", "o", "ʊ", "ʒ", "."], config.phonemeIdMap);
    expect(ids).toEqual([1, 0, 20, 0, 59, 0, 24, 0, 120, 0, 27, 0, 100, 0, 10, 0, 2]);
  });

  it("phonemizes clause by clause with espeak-ng, keeping punctuation, one sentence per run", async () => {
    const sentences: string[] = [];
    for await (const s of piperSentences("Hello, world. How are you?", config, espeak)) sentences.push(s.join(""));
    expect(sentences).toEqual(["həlˈoʊ, wˈɜːld.".normalize("NFD"), "hˈaʊ ɑːɹ juː?".normalize("NFD")]);
    for await (const s of piperSentences("  ... 🎉 ", config, espeak)) sentences.push(s.join(""));
    expect(sentences).toHaveLength(2);
  });
});

describe("a Piper model run", () => {
  const voice = (model: string, speed = 1): VoiceConfig => ({ provider: "piper", voice: model, speed, pitch: 50 });

  it("feeds the ids and the length scale to the graph and streams small pieces", async () => {
    const model = await writePiperFixture(dir, { name: "plain" });
    const tts = new PiperTts({ phonemizer: espeak, models: new ModelStatus(), cacheDir: dir });
    await tts.prepare(voice(model));
    expect(tts.timingsFor(voice(model))).toBe(false);
    const c = parsePiperConfig(JSON.parse(await readFile(`${model}.json`, "utf8")), model);
    let phonemes: string[] = [];
    for await (const s of piperSentences("Hello there.", c, espeak)) phonemes = s;
    const { ids } = piperPhonemeIds(phonemes, c.phonemeIdMap);
    // the fixture gives each id ceil(length_scale * (2 + id mod 3)) frames of 256 samples
    const expected = (ls: number): number => ids.reduce((n, id) => n + Math.ceil(ls * (2 + (id % 3))), 0) * PIPER_FIXTURE_HOP;
    const normal = await speak(tts, "Hello there.", voice(model));
    expect(normal.pcm.length).toBe(expected(1));
    expect(normal.pieces.every((p) => p.pcm.length <= MAX_PIECE_SAMPLES)).toBe(true);
    expect((await speak(tts, "Hello there.", voice(model, 2))).pcm.length).toBe(expected(0.5));
    await tts.close();
  });

  it("turns an alignment output into phoneme timings that match the audio", async () => {
    const model = await writePiperFixture(dir, { name: "aligned", durations: true });
    const tts = new PiperTts({ phonemizer: espeak, models: new ModelStatus(), cacheDir: dir });
    await tts.prepare(voice(model));
    expect(tts.timingsFor(voice(model))).toBe(true);
    const r = await speak(tts, "Hello, world.", voice(model));
    const named = r.phonemes.filter((p) => p.ipa);
    expect(named.map((p) => p.ipa).join(" ")).toBe("h ə l ˈo ʊ w ˈɜː l d");
    // the comma is a pause; the sentence starts and ends with one
    expect(r.phonemes[0]).toEqual({ t: 0, ipa: "" });
    expect(r.phonemes.filter((p) => !p.ipa).length).toBe(3);
    // BOS+PAD are ids 1 and 0: 3 + 2 frames of 256 samples before the "h"
    expect(named[0]!.t).toBe(5 * PIPER_FIXTURE_HOP);
    expect(r.phonemes.at(-1)!.t).toBeLessThan(r.pcm.length);
    await tts.close();
  });
});
