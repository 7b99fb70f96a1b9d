import { describe, it, expect } from "vitest";
import { heardText } from "./heard.js";

const ZH = [
  { startSample: 0, endSample: 1000, text: "你好，很高兴听到你的声音！" },
  { startSample: 1000, endSample: 2000, text: "我现在用的是演示模型。" },
];

describe("what was heard of a Chinese reply", () => {
  it("joins Chinese segments without a space", () => {
    expect(heardText(ZH, 2000)).toBe("你好，很高兴听到你的声音！我现在用的是演示模型。");
  });

  it("keeps the characters of a cut segment that were fully heard (Chinese has no spaces to count words by)", () => {
    // half of the second segment's 11 characters
    expect(heardText(ZH, 1500)).toBe("你好，很高兴听到你的声音！我现在用的");
  });

  it("still counts English by words and Russian the same way", () => {
    const en = [{ startSample: 0, endSample: 1000, text: "Hello there." }, { startSample: 1000, endSample: 2000, text: "Two more words here." }];
    expect(heardText(en, 1500)).toBe("Hello there. Two more");
    expect(heardText([{ startSample: 0, endSample: 100, text: "Привет, как дела?" }], 70)).toBe("Привет, как");
  });
});
