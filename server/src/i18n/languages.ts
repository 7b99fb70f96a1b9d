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
  /** a Piper voice per gender (rhasspy/piper-voices), downloaded on first use */
  piper: { female: string; male: string };
  /** the recognizer's language code (Whisper's language token; the streaming model is the catalog's for it) */
  asr: string;
}

export const LANGUAGE_PROFILES: Readonly<Record<Language, LanguageProfile>> = {
  en: {
    englishName: "English",
    espeak: { female: "en-us+f3", male: "en-us+m3" },
    piper: { female: "en_US-amy-medium", male: "en_US-ryan-high" },
    asr: "en",
  },
  ru: {
    englishName: "Russian",
    espeak: { female: "ru+f3", male: "ru+m3" },
    piper: { female: "ru_RU-irina-medium", male: "ru_RU-dmitri-medium" },
    asr: "ru",
  },
  zh: {
    englishName: "Chinese",
    espeak: { female: "cmn+f3", male: "cmn+m3" },
    // rhasspy/piper-voices has one Mandarin voice
    piper: { female: "zh_CN-huayan-medium", male: "zh_CN-huayan-medium" },
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

/** The default voice for `language` in place of `voice`: neural (with the offline one as its fallback) or offline. */
export function defaultVoiceFor(voice: VoiceConfig, language: Language, kind: VoiceDefaults): VoiceConfig {
  const offline = offlineVoiceFor(voice, language);
  if (kind === "offline") return offline;
  const p = LANGUAGE_PROFILES[language].piper;
  const neural: Extract<VoiceConfig, { provider: "piper" }> = { provider: "piper", voice: soundsMale(voice) ? p.male : p.female, speed: voice.speed, pitch: 50, fallback: offline };
  return neural;
}
