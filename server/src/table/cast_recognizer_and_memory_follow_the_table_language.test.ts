import { describe, it, expect } from "vitest";
import { CharacterConfig } from "@parley/shared";
import { TableLanguage } from "../i18n/TableLanguage.js";
import { tableLanguageOf } from "../i18n/liveCharacter.js";
import { Cast } from "./Cast.js";
import { TableAsr } from "./TableAsr.js";
import { FakeAsr } from "../testing/FakeAsr.js";
import { FakeLlm } from "../testing/FakeLlm.js";
import { Brain } from "../brain/Brain.js";
import { LlmHost } from "../llm/LlmHost.js";
import { whoIsAddressed } from "../director/addressing.js";
import { SqliteStore } from "../store/SqliteStore.js";
import { MemoryWriter } from "../memory/MemoryWriter.js";
import { ConversationLog } from "../conversation/ConversationLog.js";
import { loadConfig, ConfigError } from "../config.js";

const THEO = CharacterConfig.parse({
  id: "theo", name: "Theo", nicknames: ["Theodore"], persona: "A calm philosopher.", avatar: "theo.vrm",
  voice: { provider: "espeak", voice: "en-gb-x-rp+m7" },
  languages: {
    ru: { name: "Тео", persona: "Спокойный философ.", voice: { provider: "espeak", voice: "ru+m7" } },
    zh: { name: "西奥", persona: "沉静的哲学家。" },
  },
});

/** A table's cast of `characters` (nobody seats or edits anyone here). */
const castAt = (characters: CharacterConfig[], language: TableLanguage): Cast => new Cast(characters, language, { get: () => undefined, on: () => undefined }, async () => {});

describe("a table's cast, recognizer and memories follow its language", () => {
  it("gives each character its name, persona and voice in the table's language, live, and keeps every name addressable", () => {
    const language = new TableLanguage("en");
    const cast = castAt([THEO], language);
    const theo = cast.get("theo")!;
    expect([theo.name, theo.persona, tableLanguageOf(theo)]).toEqual(["Theo", "A calm philosopher.", "en"]);
    language.set("ru");
    // the same object now speaks Russian: whoever holds it follows
    expect([theo.name, theo.persona, tableLanguageOf(theo)]).toEqual(["Тео", "Спокойный философ.", "ru"]);
    expect(theo.voice).toMatchObject({ voice: "ru+m7" });
    expect(theo.voice).toBe(cast.get("theo")!.voice);
    expect(cast.ownerOfVoice(theo.voice)).toBe(theo);
    language.set("zh");
    // no Chinese voice configured: the English one stays (the table's voices replace it when it speaks)
    expect([theo.name, theo.voice]).toEqual(["西奥", THEO.voice]);
    expect(JSON.parse(JSON.stringify(theo)).name).toBe("西奥");
    for (const said of ["Theo, hi!", "Тео, привет!", "Theodore?", "西奥，你好！"]) expect(whoIsAddressed(said, cast.list).ids).toEqual(["theo"]);
  });

  it("puts the table's language into the character's prompt, whatever language its persona is in", async () => {
    const language = new TableLanguage("zh");
    const cast = castAt([THEO], language);
    const brain = new Brain(cast.get("theo")!, LlmHost.withProvider(loadConfig({}), new FakeLlm(() => "")), { maxTokens: 50, historyLines: 10 });
    const system = async (): Promise<string> => (await brain.messages([], []))[0]!.content;
    expect(await system()).toContain("You are 西奥. 沉静的哲学家。");
    expect(await system()).toContain("Always answer in Simplified Chinese (用简体中文回答)");
    language.set("ru");
    expect(await system()).toContain("You are Тео. Спокойный философ.");
    expect(await system()).toContain("Always answer in Russian (отвечай по-русски)");
    // a character outside any table answers in the language it is spoken to in, as before
    expect((await new Brain(THEO, LlmHost.withProvider(loadConfig({}), new FakeLlm(() => "")), { maxTokens: 50, historyLines: 10 }).messages([], []))[0]!.content)
      .toContain("Answer in the language you were spoken to in.");
  });

  it("recognizes speech in the table's language, with one recognizer per language where models differ", () => {
    const language = new TableLanguage("ru");
    const made: string[] = [];
    const fakes = new Map<string, FakeAsr>();
    const asr = new TableAsr(language, (l) => { made.push(l); const f = new FakeAsr(); fakes.set(l, f); return f; });
    const signal = new AbortController().signal;
    asr.start({ language: "table", signal });
    language.set("zh");
    asr.start({ language: "table", signal });
    asr.start({ language: "auto", signal });
    language.set("ru");
    asr.start({ language: "table", signal });
    expect(made).toEqual(["ru", "zh"]);
    expect(fakes.get("ru")!.streams.map((s) => s.opts.language)).toEqual(["ru", "ru"]);
    // "auto" still means "detect": the person chose it
    expect(fakes.get("zh")!.streams.map((s) => s.opts.language)).toEqual(["zh", "auto"]);
  });

  it("asks for memories in the table's language and shows them to the character with that language's labels", async () => {
    const store = SqliteStore.inMemory();
    const answers = ["FACT Sam: любит чай\nSUMMARY: Поговорили о чае.", "事实 Sam：喜欢绿茶\n总结：聊了聊茶。"];
    const llm = new FakeLlm(() => answers.shift() ?? "");
    const language = new TableLanguage("ru");
    const cast = castAt([THEO], language);
    const log = new ConversationLog();
    const writer = new MemoryWriter(store, LlmHost.withProvider(loadConfig({}), llm), cast.list, (id) => (id === "s1" ? { personId: "sam-1", name: "Sam" } : undefined), { quietMs: 60_000 });
    writer.watch(log);
    log.add({ kind: "person", speakerId: "s1", speakerName: "Sam", text: "Я люблю чай.", addressee: "theo" });
    log.add({ kind: "character", speakerId: "theo", speakerName: "Тео", text: "Чай — это хорошо.", addressee: "s1" });
    await writer.writeNow();
    expect(llm.requests[0]!.messages[0]!.content).toContain("Write the facts and the summary in Russian");
    expect(await writer.notesFor("theo", [{ id: "s1", name: "Sam", kind: "person" }])).toBe("О собеседнике Sam: любит чай\nРаньше: Поговорили о чае.");
    // a Chinese table: the model may answer with Chinese keywords and full-width colons
    language.set("zh");
    log.add({ kind: "person", speakerId: "s1", speakerName: "Sam", text: "我喜欢绿茶。", addressee: "theo" });
    log.add({ kind: "character", speakerId: "theo", speakerName: "西奥", text: "绿茶很好。", addressee: "s1" });
    await writer.writeNow();
    expect(llm.requests[1]!.messages[0]!.content).toContain("Write the facts and the summary in Simplified Chinese");
    expect(await writer.notesFor("theo", [{ id: "s1", name: "Sam", kind: "person" }])).toBe("关于Sam： любит чай; 喜欢绿茶\n之前： Поговорили о чае.\n之前： 聊了聊茶。");
    await writer.close();
    await store.close();
  });

  it("reads the opening language from PARLEY_LANGUAGE, as a code or a browser-style tag", () => {
    expect(loadConfig({}).language).toBe("en");
    expect(loadConfig({ PARLEY_LANGUAGE: "ru" }).language).toBe("ru");
    expect(loadConfig({ PARLEY_LANGUAGE: "zh-CN" }).language).toBe("zh");
    expect(() => loadConfig({ PARLEY_LANGUAGE: "fr" })).toThrow(ConfigError);
  });
});
