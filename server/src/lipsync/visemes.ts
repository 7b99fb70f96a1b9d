/**
 * Phonemes (IPA, as espeak-ng reports them) to VRM mouth shapes.
 * English, Russian and Mandarin vowels are covered; consonants get small
 * shapes that keep the mouth moving naturally; lip closures close it.
 */
import type { VisemeWeights } from "@parley/shared";

/** A phoneme split into its mouth shapes over its duration (diphthongs have two). */
export type MouthShapes = VisemeWeights[];

const VOWELS: [RegExp, VisemeWeights][] = [
  // order matters: first match wins, so longer/more specific first
  [/^(a|ä|ɑ|ɒ|æ|ɐ|ʌ|ᴀ)/, { aa: 1 }],
  [/^(ɔ|o|ɵ|ɤ)/, { oh: 1 }],
  [/^(u|ʊ|ʉ|ɯ|y|ʏ)/, { ou: 1 }],
  [/^(i|ɪ|ɨ|ɪ̈|ᵻ)/, { ih: 1 }],
  [/^(e|ɛ|œ|ø|ɜ|ɝ)/, { ee: 1 }],
  [/^(ə|ɚ)/, { aa: 0.35, ee: 0.25 }],
];

const CONSONANTS: [RegExp, VisemeWeights][] = [
  [/^(p|b|m|ɱ)/, {}], // lips together
  [/^(f|v)/, { ih: 0.2 }],
  [/^(w|ʍ|ɥ)/, { ou: 0.7 }],
  [/^(ʃ|ʒ|tʃ|dʒ|ɕ|ʑ|tɕ|dʑ|ʂ|ʐ|ʈʂ)/, { ou: 0.4, ih: 0.1 }],
  [/^(ɹ|r|ɾ|ʁ|ɻ)/, { ou: 0.3, oh: 0.1 }],
  [/^(j)/, { ih: 0.5 }],
  [/^(l|ɫ|ɭ|t|d|n|s|z|θ|ð|ts|dz|ɲ)/, { ih: 0.25, aa: 0.1 }],
  [/^(k|g|ɡ|ŋ|x|h|ɣ|q|ʔ|ɦ|χ)/, { aa: 0.3 }],
];

/** Removes stress, length, tone and syllable marks; keeps the segment letters. */
export function normalizePhoneme(ipa: string): string {
  return ipa
    .normalize("NFD")
    .replace(/[ˈˌːˑ'",.\-_|0-9˥˦˧˨˩ʰʲʷˠˤ]/g, "")
    .replace(/\p{M}/gu, "")
    .trim();
}

function vowelShape(s: string): [VisemeWeights, number] | null {
  for (const [re, w] of VOWELS) {
    const m = re.exec(s);
    if (m) return [w, m[0].length];
  }
  return null;
}

/** Mouth shapes for one phoneme: one entry, or two for a diphthong ("aɪ", "oʊ"). */
export function phonemeToShapes(ipa: string): MouthShapes {
  const s = normalizePhoneme(ipa);
  if (!s) return [{}];
  const first = vowelShape(s);
  if (first) {
    const rest = s.slice(first[1]);
    const second = rest ? vowelShape(rest) : null;
    // glide of a diphthong is a bit weaker than its nucleus
    return second ? [first[0], scale(second[0], 0.7)] : [first[0]];
  }
  for (const [re, w] of CONSONANTS) if (re.test(s)) return [w];
  return [{ aa: 0.2 }];
}

function scale(w: VisemeWeights, k: number): VisemeWeights {
  const out: VisemeWeights = {};
  for (const [name, v] of Object.entries(w) as [keyof VisemeWeights, number][]) out[name] = v * k;
  return out;
}
