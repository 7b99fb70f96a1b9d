import { describe, it, expect } from "vitest";
import { CharacterConfig, type VoiceConfig } from "@parley/shared";
import type { VoiceRoute } from "../tts/TtsRouter.js";
import { FakeTts } from "../testing/FakeTts.js";
import { Cast } from "./Cast.js";
import { TableLanguage } from "../i18n/TableLanguage.js";
import { TableVoices } from "./TableVoices.js";
import type { VoiceDefaults } from "../i18n/languages.js";
import { voiceLanguage } from "../tts/voiceLanguages.js";

const tts = new FakeTts();

/** A router like TtsRouter: neural voices cannot run here (offline), so they fall back to their offline voice or espeak's English. */
const inner = {
  routed: [] as VoiceConfig[],
  async route(voice: VoiceConfig): Promise<VoiceRoute> {
    this.routed.push(voice);
    if (voice.provider === "piper" || voice.provider === "kokoro") {
      const fallback = voice.fallback ?? { provider: "espeak" as const, voice: "en-us", speed: voice.speed, pitch: voice.pitch };
      return { voice: fallback, provider: tts, fallbackReason: "offline: the model is not in the cache" };
    }
    return { voice, provider: tts, fallbackReason: "" };
  },
};

const character = (id: string, name: string, voice: unknown, extra: object = {}): CharacterConfig =>
  CharacterConfig.parse({ id, name, persona: "Someone.", avatar: `${id}.vrm`, voice, ...extra });

const CAST = [
  character("ada", "Ada", { provider: "espeak", voice: "en-us+f3", pitch: 52 }, { languages: { ru: { name: "Ада", voice: { provider: "espeak", voice: "ru+f3" } } } }),
  character("kenji", "Kenji", { provider: "flite", voice: "awb" }),
  character("lena", "Lena", { provider: "kokoro", voice: "af_heart" }),
  character("ivan", "Ivan", { provider: "piper", voice: "ru_RU-dmitri-medium", fallback: { provider: "espeak", voice: "en-us+m3" } }),
  character("remote", "Remote", { provider: "openai", url: "http://127.0.0.1:9/v1", voice: "alloy" }),
];

function table(voiceDefaults: VoiceDefaults = "offline") {
  const language = new TableLanguage("ru");
  const cast = new Cast(CAST, language, { get: () => undefined, on: () => undefined }, async () => {});
  const locale = { language, cast, voices: new TableVoices(inner, cast, voiceDefaults) };
  const notes: string[] = [];
  locale.voices.on("note", (t) => notes.push(t));
  const turn = (id: string): Promise<VoiceRoute> => locale.voices.forTurns.route(locale.cast.get(id)!.voice);
  return { locale, notes, turn };
}

describe("voices at a table of one language", () => {
  it("tells which table language a voice speaks from its configuration", () => {
    expect(voiceLanguage({ provider: "espeak", voice: "en-gb-x-rp+m7", speed: 1, pitch: 50 })).toBe("en");
    expect(voiceLanguage({ provider: "espeak", voice: "cmn+f3", speed: 1, pitch: 50 })).toBe("zh");
    expect(voiceLanguage({ provider: "espeak", voice: "fr", speed: 1, pitch: 50 })).toBeNull();
    expect(voiceLanguage({ provider: "piper", voice: "zh_CN-huayan-medium", speed: 1, pitch: 50 })).toBe("zh");
    expect(voiceLanguage({ provider: "piper", voice: "/voices/mine.onnx", speed: 1, pitch: 50 })).toBe("any");
    expect(voiceLanguage({ provider: "kokoro", voice: "zf_xiaobei", language: "cmn", speed: 1, pitch: 50 })).toBe("zh");
    expect(voiceLanguage({ provider: "gpt-sovits", url: "http://127.0.0.1:9880", refAudio: "a.wav", promptText: "", promptLang: "zh", textLang: "all_zh", speed: 1, pitch: 50 })).toBe("zh");
  });

  it("a character's voice for the table's language speaks as configured, without a note", async () => {
    const t = table();
    expect(await t.turn("ada")).toMatchObject({ voice: { provider: "espeak", voice: "ru+f3" }, fallbackReason: "" });
    expect(await t.turn("remote")).toMatchObject({ voice: { provider: "openai" }, fallbackReason: "" });
    expect(t.notes).toEqual([]);
  });

  it("a voice that cannot speak Russian speaks with the Russian offline voice of its gender, and the transcript says so once", async () => {
    const t = table();
    for (let i = 0; i < 3; i++) expect((await t.turn("kenji")).voice).toMatchObject({ provider: "espeak", voice: "ru+m3" });
    expect((await t.turn("lena")).voice).toMatchObject({ provider: "espeak", voice: "ru+f3" });
    expect(t.notes).toEqual([
      "Kenji: этот голос не говорит по-русски, дальше звучит офлайн-голос для русского.",
      "Lena: этот голос не говорит по-русски, дальше звучит офлайн-голос для русского.",
    ]);
  });

  it("a Russian voice that cannot run falls back to a voice that speaks Russian, not to its English fallback", async () => {
    const t = table();
    const r = await t.turn("ivan");
    expect(r.voice).toMatchObject({ provider: "espeak", voice: "ru+m3" });
    expect(r.fallbackReason).toBe("");
    await t.turn("ivan");
    expect(t.notes).toEqual(["Ivan: голос недоступен (offline: the model is not in the cache), дальше звучит офлайн-голос."]);
  });

  it("with neural defaults every voice gets the language's Piper voice of its gender (downloaded on first use), its espeak-ng voice as the fallback", async () => {
    const t = table("neural");
    inner.routed.length = 0;
    const kenji = await t.turn("kenji");
    expect(inner.routed[0]).toMatchObject({ provider: "piper", voice: expect.stringMatching(/^ru_RU-(dmitri|denis|ruslan)-medium$/), fallback: { voice: "ru+m3" } });
    // offline here: its offline fallback speaks, and the transcript says both why and that
    expect(kenji.voice).toMatchObject({ provider: "espeak", voice: "ru+m3" });
    expect(t.notes).toHaveLength(2);
    inner.routed.length = 0;
    // Ada's own Russian espeak-ng voice becomes the fallback of the Russian Piper voice
    expect((await t.turn("ada")).voice).toMatchObject({ provider: "espeak", voice: "ru+f3" });
    expect(inner.routed[0]).toMatchObject({ provider: "piper", voice: "ru_RU-irina-medium", fallback: { provider: "espeak", voice: "ru+f3" } });
    // the default neural voices that cannot be had are one note for the table, not one per character
    expect(t.notes).toEqual([
      "Kenji: этот голос не говорит по-русски, дальше звучит офлайн-голос для русского.",
      "Персонажи говорят офлайн-голосами: их естественных голосов здесь нет (offline: the model is not in the cache). Parley скачает их один раз, когда запустится с сетью.",
    ]);
    // a voice that is not espeak-ng stays as configured
    expect((await t.turn("remote")).voice).toMatchObject({ provider: "openai" });
  });

  it("the preview says why in the table's language, without writing into the transcript; a change of language changes the voice", async () => {
    const t = table();
    const kenji = t.locale.cast.get("kenji")!;
    expect((await t.locale.voices.route(kenji.voice)).fallbackReason).toBe("Kenji: этот голос не говорит по-русски, дальше звучит офлайн-голос для русского.");
    expect(t.notes).toEqual([]);
    t.locale.language.set("en");
    expect(await t.turn("kenji")).toMatchObject({ voice: { provider: "flite", voice: "awb" }, fallbackReason: "" });
    expect((await t.turn("ada")).voice).toMatchObject({ voice: "en-us+f3" });
    t.locale.language.set("zh");
    expect((await t.turn("ada")).voice).toMatchObject({ provider: "espeak", voice: "cmn+f3", pitch: 52 });
    expect(t.notes).toEqual(["Ada的声音不会说中文，改用离线中文语音。"]);
  });
});
