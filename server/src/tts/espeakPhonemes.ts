/**
 * espeak-ng as the phonemizer of the neural voices. EspeakTts.phonemize returns
 * phonemes joined by "_", words by spaces and clauses by newlines; Piper and
 * Kokoro want plain IPA per clause, the way espeak_TextToPhonemes gives it.
 */

export interface Phonemizer {
  /** IPA for `text` with espeak-ng voice `espeakVoice` (phonemes "_"-joined, words spaced, clauses on lines) */
  phonemize(text: string, espeakVoice: string): Promise<string>;
}

/** espeak-ng's language switch flags, e.g. "(en)" around an English word in French text */
const LANGUAGE_FLAG = /\([a-z]{2,3}(?:-[a-z0-9]+)*\)/g;

/**
 * One clause's plain IPA: separators dropped, language flags removed (as Piper
 * does), and any clause breaks espeak found inside (e.g. at a dash) read as word breaks.
 */
export async function clauseIpa(phonemizer: Phonemizer, text: string, espeakVoice: string): Promise<string> {
  if (!/[\p{L}\p{N}]/u.test(text)) return "";
  const raw = await phonemizer.phonemize(text, espeakVoice);
  return raw
    .replace(LANGUAGE_FLAG, "")
    .replace(/_/g, "")
    .split(/\n+/)
    .map((line) => line.trim().replace(/ +/g, " "))
    .filter(Boolean)
    .join(" ");
}
