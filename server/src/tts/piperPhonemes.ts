/**
 * Piper's voice config and its text -> phoneme ids path, following the
 * reference (rhasspy/piper-phonemize phonemize.cpp + phoneme_ids.cpp, and
 * OHF-Voice/piper1-gpl phonemize_espeak.py + phoneme_ids.py):
 * - espeak-ng IPA per clause, language flags removed, decomposed (NFD) into
 *   codepoints; each clause is followed by its punctuation, plus a space
 *   after "," ":" ";"; a sentence ends at "." "?" "!";
 * - ids per sentence: BOS "^", PAD "_", then every phoneme followed by PAD, then
 *   EOS "$"; phonemes missing from the map are skipped.
 */
import { TtsError } from "../util/errors.js";
import { splitSentences } from "./clauses.js";
import { clauseIpa, type Phonemizer } from "./espeakPhonemes.js";

export const BOS = "^";
export const EOS = "$";
export const PAD = "_";

export interface PiperConfig {
  sampleRate: number;
  espeakVoice: string;
  phonemeType: string;
  phonemeIdMap: Readonly<Record<string, readonly number[]>>;
  numSpeakers: number;
  speakerIdMap: Readonly<Record<string, number>>;
  noiseScale: number;
  lengthScale: number;
  noiseW: number;
  /** audio samples per duration frame, for models that output durations */
  hopLength: number;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const num = (v: unknown, dflt: number): number => (typeof v === "number" && Number.isFinite(v) ? v : dflt);

/** Reads a `.onnx.json`; missing optional fields get Piper's own defaults. */
export function parsePiperConfig(json: unknown, source: string): PiperConfig {
  const c = obj(json);
  const audio = obj(c.audio);
  const inference = obj(c.inference);
  const map = obj(c.phoneme_id_map);
  const sampleRate = num(audio.sample_rate, 0);
  const bad = (what: string): TtsError => new TtsError(`${source} is not a Piper voice config: ${what}`);
  if (!(sampleRate >= 4000)) throw bad("audio.sample_rate is missing");
  if (!Object.keys(map).length) throw bad("phoneme_id_map is missing");
  const phonemeIdMap: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(map)) {
    if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x))) throw bad(`phoneme_id_map["${k}"] is not a list of ids`);
    phonemeIdMap[k] = v as number[];
  }
  for (const s of [BOS, EOS, PAD]) if (!phonemeIdMap[s]) throw bad(`phoneme_id_map has no "${s}"`);
  const speakerIdMap: Record<string, number> = {};
  for (const [k, v] of Object.entries(obj(c.speaker_id_map))) if (typeof v === "number") speakerIdMap[k] = v;
  return {
    sampleRate,
    espeakVoice: String(obj(c.espeak).voice ?? "en-us"),
    phonemeType: String(c.phoneme_type ?? "espeak"),
    phonemeIdMap,
    numSpeakers: Math.max(1, num(c.num_speakers, 1)),
    speakerIdMap,
    noiseScale: num(inference.noise_scale, 0.667),
    lengthScale: num(inference.length_scale, 1),
    noiseW: num(inference.noise_w, 0.8),
    hopLength: num(c.hop_length, 256),
  };
}

/** Phoneme symbols (codepoints) for each sentence of `text`, produced sentence by sentence. */
export async function* piperSentences(text: string, config: PiperConfig, phonemizer: Phonemizer): AsyncGenerator<string[]> {
  for (const sentence of splitSentences(text)) {
    if (config.phonemeType === "text") {
      // "text" voices read the letters themselves
      yield [...sentence.text.normalize("NFD")];
      continue;
    }
    let ipa = "";
    for (const clause of sentence.clauses) {
      const phonemes = await clauseIpa(phonemizer, clause.text, config.espeakVoice);
      if (!phonemes) continue;
      if (ipa && !/[ ]$/.test(ipa)) ipa += " ";
      ipa += phonemes + clause.terminator;
      if (clause.terminator === "," || clause.terminator === ":" || clause.terminator === ";") ipa += " ";
    }
    const symbols = [...ipa.trimEnd().normalize("NFD")];
    if (symbols.some((s) => /\p{L}/u.test(s))) yield symbols;
  }
}

/** Piper's phonemes_to_ids: ^ _ (phoneme _)* $ */
export function piperPhonemeIds(phonemes: readonly string[], map: PiperConfig["phonemeIdMap"]): { ids: number[]; symbols: string[] } {
  const ids: number[] = [];
  const symbols: string[] = [];
  const add = (s: string): void => {
    for (const id of map[s]!) { ids.push(id); symbols.push(s); }
  };
  add(BOS);
  add(PAD);
  for (const p of phonemes) {
    if (!map[p]) continue;
    add(p);
    add(PAD);
  }
  add(EOS);
  return { ids, symbols };
}
