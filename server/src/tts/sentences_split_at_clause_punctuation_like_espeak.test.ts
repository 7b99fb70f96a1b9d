import { describe, it, expect } from "vitest";
import { splitSentences } from "./clauses.js";
import { phonemesFromSymbolDurations } from "../lipsync/symbolDurations.js";

describe("sentence and clause splitting", () => {
  it("ends clauses at punctuation before a space and sentences at . ? !", () => {
    expect(splitSentences("Hello, world. How are you? Fine; thanks!")).toEqual([
      { text: "Hello, world.", clauses: [{ text: "Hello", terminator: "," }, { text: "world", terminator: "." }] },
      { text: "How are you?", clauses: [{ text: "How are you", terminator: "?" }] },
      { text: "Fine; thanks!", clauses: [{ text: "Fine", terminator: ";" }, { text: "thanks", terminator: "!" }] },
    ]);
  });

  it("keeps decimals and trailing text whole and reads full-width punctuation", () => {
    expect(splitSentences("It costs 3.5 euros")).toEqual([{ text: "It costs 3.5 euros", clauses: [{ text: "It costs 3.5 euros", terminator: "" }] }]);
    expect(splitSentences("你好，今天天气很好。").map((s) => s.clauses)).toEqual([[{ text: "你好", terminator: "," }, { text: "今天天气很好", terminator: "." }]]);
    expect(splitSentences("Wait... what?!").map((s) => s.text)).toEqual(["Wait.", "what?"]);
    expect(splitSentences("   ")).toEqual([]);
    expect(splitSentences("Mr. Smith met Dr. Jones, e.g. at noon. Then left.").map((s) => s.text)).toEqual(["Mr. Smith met Dr. Jones, e.g. at noon.", "Then left."]);
    expect(splitSentences("I said no. Then I left.").map((s) => s.text)).toEqual(["I said no.", "Then I left."]);
  });
});

describe("phonemes from per-symbol durations", () => {
  it("leads with stress, extends with length marks and pads, and pauses at punctuation", () => {
    const symbols = ["^", "_", "h", "_", "ˈ", "_", "a", "_", "ː", "_", ",", "_", " ", "_", "b", "_", "$"];
    const samples = symbols.map(() => 100);
    expect(phonemesFromSymbolDurations(symbols, samples, { extend: new Set(["_"]), silent: new Set(["^", "$"]) })).toEqual([
      { t: 0, ipa: "" }, { t: 200, ipa: "h" }, { t: 400, ipa: "ˈaː" }, { t: 1000, ipa: "" }, { t: 1400, ipa: "b" }, { t: 1600, ipa: "" },
    ]);
  });
});
