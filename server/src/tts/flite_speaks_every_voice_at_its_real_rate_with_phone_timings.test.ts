import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { VoiceConfig } from "@parley/shared";
import { FliteTts, FLITE_VOICES, parseFlitePhones } from "./FliteTts.js";
import { arpabetToIpa } from "../lipsync/arpabet.js";
import { speak } from "./ttsConformance.js";

let tts: FliteTts;
beforeAll(() => { tts = new FliteTts(); });
afterAll(async () => { await tts.close(); });

const voice = (v: keyof typeof FLITE_VOICES, pitch = 50): VoiceConfig => ({ provider: "flite", voice: v, speed: 1, pitch });
const rms = (s: Int16Array): number => Math.sqrt(s.reduce((a, x) => a + x * x, 0) / Math.max(1, s.length));

/** median pitch of the loud 40 ms frames, by autocorrelation, Hz */
function medianF0(pcm: Int16Array, rate: number): number {
  const n = Math.round(rate * 0.04);
  const found: number[] = [];
  for (let s = 0; s + 2 * n < pcm.length; s += n) {
    if (rms(pcm.subarray(s, s + n)) < 1500) continue;
    let best = 0;
    let bestLag = 0;
    for (let lag = Math.round(rate / 400); lag <= Math.round(rate / 60); lag++) {
      let c = 0, e1 = 0, e2 = 0;
      for (let i = 0; i < n; i++) { c += pcm[s + i]! * pcm[s + i + lag]!; e1 += pcm[s + i]! ** 2; e2 += pcm[s + i + lag]! ** 2; }
      const r = c / (Math.sqrt(e1 * e2) + 1);
      if (r > best) { best = r; bestLag = lag; }
    }
    if (best > 0.7) found.push(rate / bestLag);
  }
  found.sort((a, b) => a - b);
  return found[Math.floor(found.length / 2)] ?? 0;
}

describe("flite", () => {
  it("speaks with each built-in voice at the rate its WAV header states (kal is 8 kHz)", async () => {
    for (const id of Object.keys(FLITE_VOICES) as (keyof typeof FLITE_VOICES)[]) {
      await tts.prepare(voice(id));
      // synthesize() checks every WAV header against sampleRate() and throws on a mismatch
      const r = await speak(tts, "Hello there, how are you?", voice(id));
      const rate = tts.sampleRate(voice(id));
      expect(rate).toBe(id === "kal" ? 8000 : 16000);
      expect(r.pcm.length / rate).toBeGreaterThan(1);
      expect(r.pcm.length / rate).toBeLessThan(3.5);
    }
    expect((await tts.listVoices()).map((v) => v.id)).toEqual(["kal", "kal16", "awb", "rms", "slt"]);
  });

  it("reports phones as IPA at their sample positions, pauses silent", async () => {
    const r = await speak(tts, "Hello there.", voice("slt"));
    expect(r.phonemes.filter((p) => p.ipa).map((p) => p.ipa).join(" ")).toBe("h ə l oʊ ð ɛ ɹ");
    expect(r.phonemes[0]).toEqual({ t: 0, ipa: "" });
    // the leading pause is near silence; the speech after it is not
    const first = r.phonemes[1]!.t;
    expect(rms(r.pcm.subarray(0, first - 400))).toBeLessThan(rms(r.pcm.subarray(first, first + 8000)) / 10);
  });

  it("moves its pitch with the voice's pitch setting", async () => {
    const low = medianF0((await speak(tts, "The weather is nice today.", voice("slt", 20))).pcm, 16000);
    const mid = medianF0((await speak(tts, "The weather is nice today.", voice("slt", 50))).pcm, 16000);
    const high = medianF0((await speak(tts, "The weather is nice today.", voice("slt", 80))).pcm, 16000);
    expect(mid).toBeGreaterThan(140);
    expect(low).toBeLessThan(mid * 0.92);
    expect(high).toBeGreaterThan(mid * 1.08);
  });

  it("parses -psdur traces, including an utterance restart after a newline", () => {
    expect(parseFlitePhones("pau:0.100 hh:0.150 ay:0.300 pau:0.400 \npau:0.050 b:0.100 ", 16000)).toEqual([
      { t: 0, ipa: "" }, { t: 1600, ipa: "h" }, { t: 2400, ipa: "aɪ" }, { t: 4800, ipa: "" },
      { t: 6400, ipa: "" }, { t: 7200, ipa: "b" },
    ]);
    expect(arpabetToIpa("ER1")).toBe("ɝ");
    expect(arpabetToIpa("jh")).toBe("dʒ");
  });

  it("refuses voices that are not flite's", async () => {
    await expect(tts.prepare({ provider: "espeak", voice: "en-us", speed: 1, pitch: 50 })).rejects.toThrow(/flite cannot speak a espeak voice/);
  });
});
