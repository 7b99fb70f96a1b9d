/**
 * Which table languages a voice can speak, from what its configuration says:
 * espeak-ng's voice name, Piper's catalog name, Kokoro's phonemizer language,
 * GPT-SoVITS's text language. Flite only speaks English. A voice whose language
 * cannot be told (a Piper file by path, an OpenAI-compatible server) is trusted.
 */
import { languageOfTag, type Language, type VoiceConfig } from "@parley/shared";
import { piperCatalog } from "./catalog.js";

/** "en-gb-x-rp" -> en, "cmn" -> zh, "yue" (Cantonese still reads Chinese characters) -> zh */
function ofCode(code: string): Language | undefined {
  const base = code.toLowerCase().replace(/^all_/, "").split(/[-_+]/)[0] ?? "";
  return base === "yue" ? "zh" : languageOfTag(base);
}

/** The table language a voice speaks, "any" when it cannot be told, or null for a language that is none of the table's. */
export function voiceLanguage(voice: VoiceConfig): Language | "any" | null {
  switch (voice.provider) {
    case "espeak": return ofCode(voice.voice.split("+")[0]!) ?? null;
    case "flite": return "en";
    case "piper": {
      const entry = piperCatalog(voice.voice.split("#")[0]!);
      return entry ? ofCode(entry.languages[1] ?? "") ?? null : "any";
    }
    case "kokoro": return ofCode(voice.language) ?? null;
    case "gpt-sovits": return voice.textLang === "auto" ? "any" : ofCode(voice.textLang) ?? null;
    case "openai": return "any";
    default: {
      const never: never = voice;
      return never;
    }
  }
}

export function voiceSpeaks(voice: VoiceConfig, language: Language): boolean {
  const l = voiceLanguage(voice);
  return l === "any" || l === language;
}
