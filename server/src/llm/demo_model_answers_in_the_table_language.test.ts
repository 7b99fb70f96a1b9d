import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CharacterConfig, type Language } from "@parley/shared";
import { LlamaCppProvider } from "./LlamaCppProvider.js";
import { writeScriptedModel, buildScriptedVocab } from "./gguf/scriptedModel.js";
import { DEMO_SCRIPT } from "./gguf/demoScript.js";
import { ensureDemoModel } from "./demoModel.js";
import { buildMessages } from "../brain/prompt.js";
import { TableLanguage } from "../i18n/TableLanguage.js";
import { liveCharacter, tableLanguageOf } from "../i18n/liveCharacter.js";
import type { ChatMessage } from "./types.js";

const ADA = CharacterConfig.parse({
  id: "ada", name: "Ada", persona: "A sarcastic engineer.", avatar: "ada.vrm", temperature: 0,
  languages: { ru: { name: "Ада", persona: "Ехидная программистка." }, zh: { name: "艾达", persona: "毒舌的工程师。" } },
});
const CYRILLIC = /[А-Яа-яЁё]/;
const CJK = /[\u4e00-\u9fff]/;
const LATIN_WORD = /\b[A-Za-z]{3,}\b/;

let dir: string;
let provider: LlamaCppProvider;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "parley-demo-lang-"));
  await writeScriptedModel(join(dir, "demo.gguf"), DEMO_SCRIPT);
  // one thread: spinning llama.cpp threads slow down badly when other tests share the two cores
  provider = await LlamaCppProvider.load({ modelPath: join(dir, "demo.gguf"), threads: 1, contextSize: 2048, sequences: 2, gpu: false });
});
afterAll(async () => {
  await provider?.close();
  await rm(dir, { recursive: true, force: true });
});

async function reply(messages: ChatMessage[], temperature: number, seed = 1): Promise<string> {
  let out = "";
  for await (const d of provider.stream({ key: "ada", messages, temperature, seed, maxTokens: 160, signal: new AbortController().signal })) out += d;
  return out;
}

/** Ada's real prompt at a table of `language`, after a person spoke in `said`. */
function promptAt(language: Language, said: string): ChatMessage[] {
  const ada = liveCharacter(ADA, new TableLanguage(language));
  const table = [{ id: "p1", name: "Sam", kind: "person" as const }, { id: ada.id, name: ada.name, kind: "character" as const }];
  return buildMessages(ada, table, [{ id: "1", kind: "person", speakerId: "p1", speakerName: "Sam", text: said, heardText: said, interrupted: false, error: "", done: true, addressee: "ada", at: 0 }], "", tableLanguageOf(ada));
}

describe("the demo model answers in the table's language, through the real inference path", () => {
  it("keeps each language's marker a single token of its vocabulary", () => {
    const v = buildScriptedVocab(DEMO_SCRIPT);
    expect(v.keyed).toHaveLength(2);
    for (const k of v.keyed) expect(k.markerIds.map((id) => v.tokens[id])).toHaveLength(2);
    expect(new Set(v.tokens).size).toBe(v.tokens.length);
  });

  it("answers a Russian table in Russian, a Chinese table in Chinese and an English one in English, whatever the person wrote", async () => {
    for (const said of ["Hello, Ada!", "Привет, Ада!", "你好，艾达！"]) {
      const ru = await reply(promptAt("ru", said), 0);
      expect(ru).toMatch(/^\[happy\] Привет, как здорово тебя слышать!/);
      expect(ru.replace(/\[[a-z]+\]/g, "")).not.toMatch(LATIN_WORD);
      const zh = await reply(promptAt("zh", said), 0);
      expect(zh).toMatch(/^\[happy\]你好，很高兴听到你的声音！/);
      expect(zh).not.toMatch(CYRILLIC);
      const en = await reply(promptAt("en", said), 0);
      expect(en).toMatch(/^\[happy\] Hello, it is good to hear from you!/);
      expect(en).not.toMatch(CYRILLIC);
      expect(en).not.toMatch(CJK);
    }
  });

  it("stays in the table's language under temperature sampling, across every stage of the script", async () => {
    const seen = { ru: new Set<string>(), zh: new Set<string>() };
    for (let seed = 1; seed <= 5; seed++) {
      const ru = await reply(promptAt("ru", "Расскажи что-нибудь."), 1, seed);
      expect(ru).toMatch(CYRILLIC);
      expect(ru.replace(/\[[a-z]+\]/g, "")).not.toMatch(LATIN_WORD);
      seen.ru.add(ru);
      const zh = await reply(promptAt("zh", "说点什么吧。"), 1, seed);
      expect(zh).toMatch(CJK);
      expect(zh.replace(/\[[a-z]+\]/g, "")).not.toMatch(/[A-Za-zА-Яа-я]/);
      seen.zh.add(zh);
    }
    expect(seen.ru.size).toBeGreaterThan(1);
    expect(seen.zh.size).toBeGreaterThan(1);
  });

  it("keys on the marker even far from the end of a long prompt", async () => {
    const messages = promptAt("ru", "Привет!");
    const filler = Array.from({ length: 40 }, (_, i) => `Sam: line ${i} of a long conversation about nothing in particular.`).join("\n");
    messages.push({ role: "assistant", content: "Да." }, { role: "user", content: filler });
    expect(await reply(messages, 0)).toMatch(/^\[happy\] Привет/);
  });

  it("writes the model file once per script version", async () => {
    const a = await ensureDemoModel(dir);
    expect(await ensureDemoModel(dir)).toBe(a);
  });
});
