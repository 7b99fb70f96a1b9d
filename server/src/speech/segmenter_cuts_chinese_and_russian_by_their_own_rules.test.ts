import { describe, it, expect } from "vitest";
import type { Language } from "@parley/shared";
import { Segmenter } from "./segmenter.js";

/** Feeds text in small pieces, as an LLM streams it, and collects the segments. */
function run(text: string, language: Language | undefined, step = 2): string[] {
  const s = new Segmenter(language ? { language } : {});
  const out: string[] = [];
  const chars = [...text];
  for (let i = 0; i < chars.length; i += step) out.push(...s.push(chars.slice(i, i + step).join("")));
  out.push(...s.end());
  return out;
}

describe("Chinese: no spaces, clauses end at ，、；： and sentences at 。！？", () => {
  it("cuts a first clause that carries enough speech at the full-width comma, then whole sentences", () => {
    expect(run("今天我们一起去公园散步，然后去吃饭。你觉得怎么样？好！", "zh")).toEqual([
      "今天我们一起去公园散步，",
      "然后去吃饭。",
      "你觉得怎么样？",
      "好！",
    ]);
  });

  it("keeps a first clause too short to speak alone with its sentence (a character is a syllable, not a letter)", () => {
    expect(run("你好，我是艾达。很高兴认识你！", "zh")).toEqual(["你好，我是艾达。", "很高兴认识你！"]);
  });

  it("ends a sentence at an ASCII mark written straight before the next Chinese character", () => {
    expect(run("太好了!我们走吧?好的.", "zh")).toEqual(["太好了!", "我们走吧?", "好的."]);
  });

  it("keeps decimals and closing quotes: 3.14 stays whole, 」 stays with its sentence", () => {
    expect(run("圆周率约等于3.14。他说「走吧。」然后走了。", "zh")).toEqual(["圆周率约等于3.14。", "他说「走吧。」", "然后走了。"]);
  });

  it("cuts only the first clause early: later commas wait for the sentence's end", () => {
    expect(run("我们先去图书馆看看书，再去咖啡馆坐一坐，最后回家休息。", "zh")).toEqual([
      "我们先去图书馆看看书，",
      "再去咖啡馆坐一坐，最后回家休息。",
    ]);
  });

  it("splits a very long sentence without punctuation even though it has no spaces", () => {
    const long = "这是一个非常长的句子".repeat(12);
    const segs = run(long, "zh", 3);
    expect(segs.length).toBeGreaterThan(1);
    expect(segs.join("")).toBe(long);
  });
});

describe("Russian: abbreviations and initials do not end a sentence", () => {
  it("reads on past т. е., г., см. and др.", () => {
    expect(run("Это было в 1999 г. в Москве, т. е. давно. См. рис. 2 и др. источники. Конец.", "ru", 3)).toEqual([
      "Это было в 1999 г. в Москве,",
      "т. е. давно.",
      "См. рис. 2 и др. источники.",
      "Конец.",
    ]);
  });

  it("ends a sentence after a list-ender (и т. д., и т. п.) only when a capital letter follows", () => {
    expect(run("Яблоки, груши и т. д. Потом пошли домой. Книги, тетради и т. п. и ещё ручки.", "ru", 3)).toEqual([
      "Яблоки, груши и т. д.",
      "Потом пошли домой.",
      "Книги, тетради и т. п. и ещё ручки.",
    ]);
  });

  it("keeps initials with the surname", () => {
    expect(run("Стихи написал А. С. Пушкин. Их любят все.", "ru", 3)).toEqual(["Стихи написал А. С. Пушкин.", "Их любят все."]);
  });

  it("still ends a sentence on a one-letter word that can end one, and on a decimal comma's sentence", () => {
    expect(run("Кто пришёл? Это я. Температура 36,6 градуса. Хорошо.", "ru", 3)).toEqual([
      "Кто пришёл?", "Это я.", "Температура 36,6 градуса.", "Хорошо.",
    ]);
  });

  it("cuts the first clause at a comma once it is long enough, and keeps «quotes» with their sentence", () => {
    expect(run("Знаешь, что я тебе скажу, дорогой друг? Он ответил: «Нет.» И ушёл.", "ru", 3)).toEqual([
      "Знаешь, что я тебе скажу,",
      "дорогой друг?",
      "Он ответил: «Нет.»",
      "И ушёл.",
    ]);
  });
});

describe("a table's language picks its abbreviations", () => {
  it("an English table ends a sentence at a single capital letter; a Russian one reads it as an initial", () => {
    expect(run("We chose plan B. Then we left.", "en", 3)).toEqual(["We chose plan B.", "Then we left."]);
    expect(run("Выбрали план Б. Потом ушли.", "ru", 3)).toEqual(["Выбрали план Б. Потом ушли."]);
  });

  it("without a language, English and Russian abbreviations both hold", () => {
    expect(run("Ask Dr. Smith т. е. him. Done.", undefined, 3)).toEqual(["Ask Dr. Smith т. е. him.", "Done."]);
  });
});
