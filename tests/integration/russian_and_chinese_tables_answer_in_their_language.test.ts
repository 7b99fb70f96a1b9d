import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { boot, type Booted } from "../support/boot.js";
import { castDir } from "../support/cast.js";
import { MessageLog, until, view } from "../support/messages.js";
import { loadCharacters } from "../../server/src/characters.js";
import type { UttChunk, UttEnd } from "../../shared/src/index.js";

const CYRILLIC = /[А-Яа-яЁё]/;
const CJK = /[\u4e00-\u9fff]/;
const LATIN_WORD = /\b[A-Za-z]{2,}\b/;

let app: Booted;
beforeAll(async () => {
  // Kenji has no Russian or Chinese voice: his English espeak-ng voice cannot speak either.
  // Temperature 0: Ada's demo reply is the script's first line every time. One llama.cpp thread:
  // spinning threads slow down badly when other tests share the two cores.
  app = await boot({ PARLEY_LANGUAGE: "ru", PARLEY_THREADS: "1" }, { characters: await loadCharacters(castDir(["kenji"], { ada: { temperature: 0 } })) });
});
afterAll(async () => { await app?.stop(); });

/** Sends a line and waits for the reply's end; returns the reply's chunks and final text. */
async function ask(log: MessageLog, send: () => void): Promise<{ chunks: UttChunk[]; text: string }> {
  const before = log.all.length;
  send();
  const end = await log.waitFor((r) => r.type === "utt:end" && log.all.indexOf(r) >= before, 30_000, "utt:end");
  const chunks = log.all.slice(before).filter((r) => r.type === "utt:chunk").map((r) => r.payload as UttChunk);
  return { chunks, text: (end.payload as UttEnd).text };
}

describe("a table's language, end to end through the real server and the demo model", () => {
  it("a Russian table: Russian names, a Russian reply cut into Russian sentences, a Russian voice, a Russian export", { timeout: 90_000 }, async () => {
    const room = await app.join("Саша");
    const log = new MessageLog(room);
    expect(view(room).settings.language).toBe("ru");
    expect(view(room).characters.ada?.name).toBe("Ада");
    expect(view(room).characters.theo?.name).toBe("Тео");

    const { chunks, text } = await ask(log, () => room.send("chat", { text: "Ада, привет! Как дела?" }));
    expect(text).toMatch(CYRILLIC);
    expect(text).not.toMatch(LATIN_WORD);
    // the first segment is the reply's first Russian sentence, spoken as soon as it was written
    expect(chunks[0]!.text).toBe("Привет, как здорово тебя слышать!");
    expect(chunks.flatMap((c) => c.cues).some((cue) => Object.values(cue.w).some((w) => w >= 0.5))).toBe(true);
    const adaVoice = app.parley.locale.cast.get("ada")!.voice;
    expect(adaVoice).toMatchObject({ provider: "espeak", voice: "ru+f3" });
    expect(await app.parley.locale.voices.route(adaVoice)).toMatchObject({ voice: { voice: "ru+f3" }, fallbackReason: "" });
    await until(() => view(room).transcript.some((l) => l.speakerName === "Ада" && l.done), 10_000, "Ada's line");

    const md = await (await fetch(`${app.parley.url}/api/transcript.md`)).text();
    expect(md).toContain("# Стенограмма Parley");
    expect(md).toMatch(/## \d{1,2} [а-я]+ \d{4} г\./);
    expect(md).toContain("**Ада**");
    const preview = await fetch(`${app.parley.url}/api/voices/preview?character=theo`);
    expect(preview.headers.get("content-type")).toBe("audio/wav");
    expect(preview.headers.get("x-parley-fallback")).toBeNull();
  });

  it("a voice that cannot speak Russian says so once in the transcript and speaks with the Russian offline voice", { timeout: 90_000 }, async () => {
    const room = await app.join("Саша");
    const log = new MessageLog(room);
    for (let i = 0; i < 2; i++) await ask(log, () => room.send("nominate", { characterId: "kenji" }));
    const notes = view(room).transcript.filter((l) => l.kind === "system" && l.text.startsWith("Kenji"));
    expect(notes.map((n) => n.text)).toEqual(["Kenji: этот голос не говорит по-русски, дальше звучит офлайн-голос для русского."]);
    const route = await app.parley.locale.voices.forTurns.route(app.parley.locale.cast.get("kenji")!.voice);
    expect(route.voice).toMatchObject({ provider: "espeak", voice: "ru+m3" });
    // his name card says which voice speaks for him here
    const status = (await (await fetch(`${app.parley.url}/api/status`)).json()) as { characters: { id: string; voice: string }[] };
    expect(status.characters.find((c) => c.id === "kenji")?.voice).toBe("espeak:ru+m3");
  });

  it("switching the table to Chinese: Chinese names, a Chinese reply cut at Chinese punctuation, a Chinese voice", { timeout: 90_000 }, async () => {
    const room = await app.join("小明");
    const log = new MessageLog(room);
    room.send("settings", { language: "zh" });
    await until(() => view(room).settings.language === "zh" && view(room).characters.ada?.name === "艾达", 5000, "a Chinese table");
    const { chunks, text } = await ask(log, () => room.send("chat", { text: "艾达，你好！" }));
    expect(text).toMatch(CJK);
    expect(text).not.toMatch(CYRILLIC);
    expect(text).not.toMatch(LATIN_WORD);
    // no spaces in Chinese: the first clause is cut at "，" and the sentence at "！"
    expect(chunks[0]!.text).toBe("你好，很高兴听到你的声音！");
    expect(app.parley.locale.cast.get("ada")!.voice).toMatchObject({ voice: "cmn+f3" });
    await until(() => view(room).transcript.some((l) => l.speakerName === "艾达" && l.done), 10_000, "Ada's line");
    const md = await (await fetch(`${app.parley.url}/api/transcript.md`)).text();
    expect(md).toContain("# Parley 对话记录");
    expect(md).toContain("**艾达**");
    // the table keeps its language for the next person who sits down
    const late = await app.join("");
    expect(view(late).settings.language).toBe("zh");
    expect(view(late).people[late.sessionId]?.name).toMatch(/^访客\d+$/);
  });
});
