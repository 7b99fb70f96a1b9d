/** A character's configuration, as written in characters/<id>.json or a user's data dir. */
import { z } from "zod";
import { CARD_LIMITS, cardTextFields } from "./card.js";

/** Settings every voice has: speed 1 is the voice's normal pace; pitch 50 is its normal pitch. */
const voiceBase = {
  speed: z.number().min(0.5).max(2).default(1),
  /** 0..100; honoured by espeak-ng and flite, ignored by neural voices */
  pitch: z.number().min(0).max(100).default(50),
};

export const EspeakVoice = z.object({
  provider: z.literal("espeak"),
  /** espeak-ng voice with an optional variant: "en-us", "en-us+f3", "ru", "cmn" */
  voice: z.string().min(1).max(64).default("en-us"),
  ...voiceBase,
}).strict();
export type EspeakVoice = z.infer<typeof EspeakVoice>;

const withFallback = {
  /** the offline voice used when this one cannot run (no model, no network) */
  fallback: EspeakVoice.optional(),
};

export const FliteVoice = z.object({
  provider: z.literal("flite"),
  voice: z.enum(["kal", "kal16", "awb", "rms", "slt"]).default("slt"),
  ...voiceBase,
  ...withFallback,
}).strict();

export const PiperVoice = z.object({
  provider: z.literal("piper"),
  /** a Piper voice: catalog name ("en_US-lessac-medium"), a path to its .onnx, or an http(s)/hf: URI */
  voice: z.string().min(1).max(500),
  /** speaker name or id, for multi-speaker models */
  speaker: z.union([z.string().max(100), z.number().int().min(0)]).optional(),
  noiseScale: z.number().min(0).max(2).optional(),
  noiseW: z.number().min(0).max(2).optional(),
  ...voiceBase,
  ...withFallback,
}).strict();

export const KokoroVoice = z.object({
  provider: z.literal("kokoro"),
  /** a style ("af_heart") or a blend of styles ("af_heart*0.6+am_michael*0.4") */
  voice: z.string().min(1).max(200),
  /** model: catalog name, path to the .onnx, or an http(s)/hf: URI; default is Kokoro-82M v1.0 */
  model: z.string().min(1).max(500).optional(),
  /** espeak-ng language used to phonemize ("en-us", "en-gb", "fr-fr", "ja", "cmn", ...) */
  language: z.string().min(2).max(20).default("en-us"),
  ...voiceBase,
  ...withFallback,
}).strict();

export const OpenAIVoice = z.object({
  provider: z.literal("openai"),
  /** base URL of an OpenAI-compatible /v1/audio/speech server (Kokoro-FastAPI, XTTS, Qwen3-TTS, LocalAI) */
  url: z.string().url(),
  model: z.string().min(1).max(200).default("tts-1"),
  voice: z.string().min(1).max(200),
  apiKey: z.string().max(500).optional(),
  /** "pcm": raw 16-bit mono (OpenAI's convention, 24 kHz); "wav": the header states the real rate */
  format: z.enum(["pcm", "wav"]).optional(),
  /** rate of "pcm" audio when the server does not use OpenAI's 24 kHz, Hz */
  sampleRate: z.number().int().min(8000).max(192000).optional(),
  ...voiceBase,
  ...withFallback,
}).strict();

export const GptSovitsVoice = z.object({
  provider: z.literal("gpt-sovits"),
  /** base URL of GPT-SoVITS's api_v2 */
  url: z.string().url(),
  /** reference audio path on the GPT-SoVITS machine, and what it says */
  refAudio: z.string().min(1).max(500),
  promptText: z.string().max(1000).default(""),
  promptLang: z.string().min(2).max(10).default("en"),
  textLang: z.string().min(2).max(10).default("en"),
  ...voiceBase,
  ...withFallback,
}).strict();

export const VoiceConfig = z.discriminatedUnion("provider", [EspeakVoice, FliteVoice, PiperVoice, KokoroVoice, OpenAIVoice, GptSovitsVoice]);
export type VoiceConfig = z.infer<typeof VoiceConfig>;
export type VoiceProvider = VoiceConfig["provider"];
export const DEFAULT_VOICE: EspeakVoice = { provider: "espeak", voice: "en-us", speed: 1, pitch: 50 };

/**
 * How a character appears at a table of another language: its name there, its
 * persona (in any language: characters answer in the table's language whatever
 * the persona is written in) and a voice that speaks that language. Anything
 * left out stays as the character's main fields say.
 */
export const CharacterLocale = z.object({
  name: z.string().min(1).max(CARD_LIMITS.name).optional(),
  persona: z.string().min(1).max(CARD_LIMITS.text).optional(),
  greeting: z.string().max(CARD_LIMITS.text).optional(),
  voice: VoiceConfig.optional(),
}).strict();
export type CharacterLocale = z.infer<typeof CharacterLocale>;

/** A model's name on an OpenAI-compatible server: one word, no control characters. */
export const ModelName = z.string().trim().min(1).max(200).regex(/^[^\s\p{C}]+$/u, "a model name is one word without control characters");

export const CharacterConfig = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "id: lowercase letters, digits, _ and -"),
  name: z.string().min(1).max(CARD_LIMITS.name),
  /** other names people may call the character by */
  nicknames: z.array(z.string().min(1).max(CARD_LIMITS.name)).max(20).default([]),
  /** who the character is (a card's `description`) */
  persona: z.string().max(CARD_LIMITS.text).default(""),
  /** relative weight for being picked when nobody is addressed, 0..1 */
  talkativeness: z.number().min(0).max(1).default(0.5),
  /** how readily the character cuts others off, 0..1 (scaled by the room's sensitivity) */
  interruptiveness: z.number().min(0).max(1).default(0.3),
  /** a LoRA adapter (GGUF) for this character; it then gets a context of its own */
  lora: z.object({ path: z.string().min(1), scale: z.number().min(0).max(2).default(1) }).strict().optional(),
  /**
   * the model name this character asks an OpenAI-compatible server for (PARLEY_LLM_URL), e.g. a LoRA
   * adapter vLLM serves under its own name; without it, PARLEY_LLM_MODEL. A local GGUF ignores it.
   */
  model: ModelName.optional(),
  voice: VoiceConfig.default(DEFAULT_VOICE),
  /** an avatar file name in assets/avatars, a path, or a URL served by the room */
  avatar: z.string().min(1),
  /** accent colour for the UI, #rrggbb */
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/).default("#888888"),
  /** sampling temperature for this character's replies */
  temperature: z.number().min(0).max(2).default(0.8),
  /** what it says when it sits down at a table (a card's `first_mes`) */
  greeting: z.string().max(CARD_LIMITS.text).optional(),
  /** what a character card brings: personality, scenario, examples, greetings, lorebook... */
  ...cardTextFields,
  /** per table language ("en", "ru", "zh"): name, persona and voice there */
  languages: z.object({ en: CharacterLocale, ru: CharacterLocale, zh: CharacterLocale }).partial().strict().optional(),
}).strict();
export type CharacterConfig = z.infer<typeof CharacterConfig>;
