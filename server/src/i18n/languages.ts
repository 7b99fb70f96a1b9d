/**
 * What each table language brings with it: the default voices (an offline
 * espeak-ng voice always; a neural voice where one exists, downloaded on first
 * use) and the recognizer's language.
 */
import type { EspeakVoice, Language, VoiceConfig } from "@parley/shared";

/** Which kind of default voice a character without a voice for the table's language gets. */
export type VoiceDefaults = "offline" | "neural";

export interface LanguageProfile {
  /** the language's name in English (for prompts) */
  englishName: string;
  /** espeak-ng voices: the language's own voice with a female and a male variant */
  espeak: { female: string; male: string };
  /** Piper voices per gender (rhasspy/piper-voices), downloaded on first use; characters spread over them */
  piper: { female: readonly string[]; male: readonly string[] };
  /** the recognizer's language code (Whisper's language token; the streaming model is the catalog's for it) */
  asr: string;
}

export const LANGUAGE_PROFILES: Readonly<Record<Language, LanguageProfile>> = {
  en: {
    englishName: "English",
    espeak: { female: "en-us+f3", male: "en-us+m3" },
    piper: { female: ["en_US-amy-medium", "en_US-lessac-medium", "en_GB-alba-medium"], male: ["en_US-ryan-high", "en_GB-alan-medium"] },
    asr: "en",
  },
  ru: {
    englishName: "Russian",
    espeak: { female: "ru+f3", male: "ru+m3" },
    // rhasspy/piper-voices has one Russian woman's voice
    piper: { female: ["ru_RU-irina-medium"], male: ["ru_RU-dmitri-medium", "ru_RU-denis-medium", "ru_RU-ruslan-medium"] },
    asr: "ru",
  },
  zh: {
    englishName: "Chinese",
    espeak: { female: "cmn+f3", male: "cmn+m3" },
    // rhasspy/piper-voices has one Mandarin voice, a woman's: a man keeps espeak-ng's male voice
    piper: { female: ["zh_CN-huayan-medium"], male: [] },
    asr: "zh",
  },
};

/** Whether a voice sounds male: espeak-ng "+m" variants, flite's male voices, Kokoro's "?m_" styles, else a low pitch. */
const soundsMale = (voice: VoiceConfig): boolean => {
  const name = "voice" in voice ? voice.voice : "";
  if (/\+f\d/.test(name)) return false;
  if (/\+m\d/.test(name)) return true;
  if (voice.provider === "flite") return voice.voice !== "slt";
  if (voice.provider === "kokoro") return /(^|[*+])[a-z]m_/.test(name);
  return voice.pitch < 40;
};

/**
 * The offline voice that speaks `language` in place of `voice`: the language's
 * espeak-ng voice, in the gender the character's voice suggests, at its speed
 * and pitch.
 */
export function offlineVoiceFor(voice: VoiceConfig, language: Language): EspeakVoice {
  const p = LANGUAGE_PROFILES[language].espeak;
  return { provider: "espeak", voice: soundsMale(voice) ? p.male : p.female, speed: voice.speed, pitch: voice.pitch };
}

/** A small stable number from a character id, so each character keeps its voice among the language's. */
const spread = (key: string, n: number): number => [...key].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7) % n;

/**
 * The language's neural voice for a character (by `key`, its id) whose voice is
 * `voice`: a Piper voice of the same gender, falling back to `offline` while it
 * downloads or when it cannot.
 */
export function neuralVoiceFor(voice: VoiceConfig, language: Language, key: string, offline: EspeakVoice): VoiceConfig {
  const list = LANGUAGE_PROFILES[language].piper[soundsMale(voice) ? "male" : "female"];
  const bundled = BUNDLED_NEURAL_VOICES[key]?.[language];
  const name = bundled !== undefined ? bundled : list[spread(key, list.length)];
  // no neural voice of this gender in this language: the offline voice is the better match
  if (!name) return offline;
  return { provider: "piper", voice: name, speed: voice.speed, pitch: 50, fallback: offline };
}

/**
 * The bundled cast's neural voices, told apart at each table language. Piper has
 * one Russian and one Mandarin woman's voice: Ada and Juno share it there (Juno
 * at her own quicker speed), and no Mandarin man's voice: Theo keeps espeak-ng's.
 */
export const BUNDLED_NEURAL_VOICES: Readonly<Record<string, Partial<Record<Language, string | null>>>> = {
  ada: { en: "en_US-amy-medium", ru: "ru_RU-irina-medium", zh: "zh_CN-huayan-medium" },
  juno: { en: "en_US-lessac-medium", ru: "ru_RU-irina-medium", zh: "zh_CN-huayan-medium" },
  theo: { en: "en_GB-alan-medium", ru: "ru_RU-dmitri-medium", zh: null },
};

/**
 * The voice that speaks `language` for a character whose voice is `voice`: its
 * own when it speaks the language (with neural defaults an espeak-ng voice is
 * upgraded to the language's neural voice, keeping itself as the fallback), else
 * the language's default voice.
 */
export function voiceAtTable(voice: VoiceConfig, language: Language, kind: VoiceDefaults, key: string, speaks: boolean): VoiceConfig {
  if (speaks) return kind === "neural" && voice.provider === "espeak" ? neuralVoiceFor(voice, language, key, voice) : voice;
  const offline = offlineVoiceFor(voice, language);
  return kind === "neural" ? neuralVoiceFor(voice, language, key, offline) : offline;
}
