import { describe, it, expect } from "vitest";
import { Segmenter } from "./segmenter.js";

/** Feeds text in small pieces, as an LLM would, and collects segments. */
function run(text: string, step = 3): string[] {
  const s = new Segmenter();
  const out: string[] = [];
  for (let i = 0; i < text.length; i += step) out.push(...s.push(text.slice(i, i + step)));
  out.push(...s.end());
  return out;
}

describe("Segmenter", () => {
  it("cuts the first clause early, then whole sentences", () => {
    expect(run("Well, that is a fine question, my friend. I think so. Do you?")).toEqual([
      "Well, that is a fine question,",
      "my friend.",
      "I think so.",
      "Do you?",
    ]);
  });

  it("does not cut a first clause that is too short to be worth speaking alone", () => {
    expect(run("Hi, there. Bye.")).toEqual(["Hi, there.", "Bye."]);
  });

  it("waits to see what follows a period before cutting", () => {
    const s = new Segmenter();
    expect(s.push("Pi is 3.")).toEqual([]);
    expect(s.push("14 exactly. Next")).toEqual(["Pi is 3.14 exactly."]);
    expect(s.end()).toEqual(["Next"]);
  });

  it("keeps abbreviations and ellipses inside sentences", () => {
    expect(run("Ask Dr. Smith e.g. tomorrow... Or not!")).toEqual(["Ask Dr. Smith e.g. tomorrow...", "Or not!"]);
  });

  it("cuts Chinese and Japanese sentences without spaces", () => {
    expect(run("你好，我是小明。今天天气很好！你呢？", 2)).toEqual(["你好，我是小明。", "今天天气很好！", "你呢？"]);
  });

  it("cuts Russian text like English", () => {
    expect(run("Привет, как твои дела сегодня? Всё хорошо.")).toEqual(["Привет, как твои дела сегодня?", "Всё хорошо."]);
  });

  it("keeps closing quotes and brackets with their sentence", () => {
    expect(run('She said "go now." Then left.')).toEqual(['She said "go now."', "Then left."]);
  });

  it("splits a very long run-on text at a space", () => {
    const long = "word ".repeat(80).trim();
    const segs = run(long, 7);
    expect(segs.length).toBeGreaterThan(1);
    for (const s of segs) expect(s.length).toBeLessThanOrEqual(230);
    expect(segs.join(" ")).toBe(long);
  });

  it("returns nothing for whitespace", () => {
    expect(run("   \n ")).toEqual([]);
  });
});
