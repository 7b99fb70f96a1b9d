import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Viseme } from "@parley/shared";
import { EspeakTts } from "../tts/EspeakTts.js";
import { ChunkAssembler, type TimedPhoneme } from "./cues.js";
import { LANGUAGE_PROFILES } from "../i18n/languages.js";

let tts: EspeakTts;

beforeAll(async () => {
  tts = new EspeakTts();
  await tts.init();
});
afterAll(async () => { await tts.close(); });

/** Speaks a line with a table language's default voice; returns its phoneme events and the mouth shapes its cues open. */
async function speak(voice: string, text: string): Promise<{ phonemes: string[]; shapes: Set<Viseme>; cues: number }> {
  const rate = tts.sampleRate();
  const asm = new ChunkAssembler(Math.round(rate * 0.2), Math.round(rate * 0.1));
  const events: TimedPhoneme[] = [];
  const shapes = new Set<Viseme>();
  let cues = 0;
  const take = (chunks: ReturnType<ChunkAssembler["push"]>): void => {
    for (const c of chunks) for (const cue of c.cues) {
      cues++;
      for (const [v, w] of Object.entries(cue.w)) if (w >= 0.5) shapes.add(v as Viseme);
    }
  };
  for await (const piece of tts.synthesize(text, { provider: "espeak", voice, speed: 1, pitch: 50 }, new AbortController().signal)) {
    events.push(...piece.phonemes);
    take(asm.push(piece.pcm, piece.phonemes));
  }
  take(asm.end());
  return { phonemes: events.map((e) => e.ipa).filter(Boolean), shapes, cues };
}

describe("lips follow each table language's own phonemes", () => {
  it("a Russian voice times the mouth from Russian phonemes (ы, palatalised consonants) and opens every vowel shape", async () => {
    const r = await speak(LANGUAGE_PROFILES.ru.espeak.female, "Мы были у моря, пили чай и ели вишни. Ура!");
    expect(r.phonemes.some((p) => p.includes("ɨ"))).toBe(true);
    expect(r.phonemes.some((p) => p.includes("ʲ"))).toBe(true);
    expect([...r.shapes].sort()).toEqual(["aa", "ee", "ih", "oh", "ou"]);
    expect(r.cues).toBeGreaterThan(30);
  });

  it("a Mandarin voice times the mouth from Mandarin phonemes (retroflexes, finals) and opens the vowel shapes", async () => {
    const r = await speak(LANGUAGE_PROFILES.zh.espeak.female, "你好，我叫艾达。我们去喝茶吧，五个朋友一起！");
    expect(r.phonemes.some((p) => /ʂ|tʂ|s\.|ts\./.test(p) || /ɑu|ai|ou/.test(p))).toBe(true);
    for (const v of ["aa", "ih", "ou", "oh"] as const) expect(r.shapes).toContain(v);
    expect(r.cues).toBeGreaterThan(20);
  });
});
