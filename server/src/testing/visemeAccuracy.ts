/**
 * How well AudioVisemeEstimator reads mouth shapes from audio, measured on
 * espeak-ng speech where the true phonemes and their positions are known.
 * Silence: frames inside espeak's pauses where the audio really is silent
 * (espeak puts some pause events a little before a stop's release noise, so the
 * event alone is not the truth); speech: audible frames (above -45 dBFS) inside
 * phonemes; vowels: the middle half of each vowel whose mouth shape is one pure
 * class (aa ih ou ee oh). Used by the estimator's test and by the benchmark.
 */
import type { VoiceConfig } from "@parley/shared";
import type { TtsProvider } from "../tts/types.js";
import type { TimedPhoneme } from "../lipsync/cues.js";
import { AudioVisemeEstimator } from "../lipsync/AudioVisemeEstimator.js";
import { phonemeToShapes } from "../lipsync/visemes.js";
import { concatInt16 } from "../tts/pcm.js";

export interface ClassScore { correct: number; total: number }
export interface EstimatorAccuracy {
  /** pause frames read as silence */
  silence: ClassScore;
  /** sound frames (inside phonemes) not read as silence */
  speech: ClassScore;
  /** vowel frames read as the vowel's class */
  vowels: ClassScore;
  /** true class -> estimated class -> frames */
  confusion: Record<string, Record<string, number>>;
}

const CLASS_OF: Readonly<Record<string, string>> = { aa: "a", ih: "i", ou: "u", ee: "e", oh: "o" };

/** The estimator's class at every sample position, from its events. */
function classAt(events: readonly TimedPhoneme[], t: number): string {
  let cls = "";
  for (const e of events) { if (e.t > t) break; cls = e.ipa; }
  return cls;
}

export async function measureEstimatorAccuracy(tts: TtsProvider, texts: readonly string[], voices: readonly VoiceConfig[]): Promise<EstimatorAccuracy> {
  const acc: EstimatorAccuracy = { silence: { correct: 0, total: 0 }, speech: { correct: 0, total: 0 }, vowels: { correct: 0, total: 0 }, confusion: {} };
  for (const voice of voices) {
    const rate = tts.sampleRate(voice);
    const step = Math.round(rate / 100);
    const margin = Math.round(rate / 50);
    for (const text of texts) {
      const est = new AudioVisemeEstimator();
      const truth: TimedPhoneme[] = [];
      const guessed: TimedPhoneme[] = [];
      const parts: Int16Array[] = [];
      for await (const p of tts.synthesize(text, voice, new AbortController().signal)) {
        truth.push(...p.phonemes);
        guessed.push(...est.push(p.pcm, rate));
        parts.push(p.pcm);
      }
      guessed.push(...est.end());
      const pcm = concatInt16(parts);
      const total = pcm.length;
      const levelDb = (t: number): number => {
        let e = 0;
        for (let i = t; i < Math.min(total, t + step); i++) e += (pcm[i]! / 32768) ** 2;
        return 10 * Math.log10(e / step + 1e-12);
      };
      for (let i = 0; i < truth.length; i++) {
        const e = truth[i]!;
        const end = truth.slice(i + 1).find((x) => x.t > e.t)?.t ?? total;
        if (!e.ipa) {
          // a pause: until the next sound, 20 ms in from both edges
          const next = truth.slice(i + 1).find((x) => x.ipa && x.t > e.t)?.t ?? total;
          if (truth.some((x) => x.t === e.t && x.ipa)) continue;
          for (let t = e.t + margin; t < next - margin; t += step) {
            if (levelDb(t) > -60) continue;
            acc.silence.total++;
            if (classAt(guessed, t) === "") acc.silence.correct++;
          }
          continue;
        }
        for (let t = e.t + margin; t < end - margin; t += step) {
          if (levelDb(t) < -45) continue;
          acc.speech.total++;
          if (classAt(guessed, t) !== "") acc.speech.correct++;
        }
        const shapes = phonemeToShapes(e.ipa);
        const first = Object.entries(shapes[0] ?? {});
        if (first.length !== 1 || first[0]![1] !== 1) continue;
        const want = CLASS_OF[first[0]![0]]!;
        // a diphthong's first half only; the middle half of that
        const span = (shapes.length > 1 ? (end - e.t) / 2 : end - e.t);
        for (let t = e.t + span / 4; t < e.t + (3 * span) / 4; t += step) {
          const got = classAt(guessed, Math.round(t));
          acc.vowels.total++;
          if (got === want) acc.vowels.correct++;
          const row = (acc.confusion[want] ??= {});
          row[got || "_"] = (row[got || "_"] ?? 0) + 1;
        }
      }
    }
  }
  return acc;
}
