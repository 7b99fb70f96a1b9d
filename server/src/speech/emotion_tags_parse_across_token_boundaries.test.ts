import { describe, it, expect } from "vitest";
import { EmotionTagParser, parseEmotionTags, type TaggedPiece } from "./emotionTags.js";

function feed(deltas: string[]): TaggedPiece[] {
  const p = new EmotionTagParser();
  const out = deltas.flatMap((d) => p.push(d));
  return [...out, ...p.end()];
}

const text = (pieces: TaggedPiece[]): string => pieces.map((p) => (p.kind === "text" ? p.text : `<${p.emotion}>`)).join("");

describe("emotion tags", () => {
  it("finds a tag split over several tokens", () => {
    const pieces = feed(["[ha", "ppy", "] Hello", " there"]);
    expect(pieces[0]).toEqual({ kind: "emotion", emotion: "happy", intensity: 0.8 });
    expect(text(pieces)).toBe("<happy> Hello there");
  });

  it("reads an intensity and clamps it to 0..1", () => {
    expect(parseEmotionTags("[sad:0.3] oh [angry=7] no").emotions).toEqual([
      { emotion: "sad", intensity: 0.3, at: 0 },
      { emotion: "angry", intensity: 1, at: 4 },
    ]);
  });

  it("is case-insensitive and tolerates spaces", () => {
    expect(parseEmotionTags("[ Surprised ] wow").emotions[0]?.emotion).toBe("surprised");
  });

  it("drops stage directions but keeps other brackets", () => {
    expect(parseEmotionTags("[laughs] That is [1] reference").text).toBe("That is [1] reference");
  });

  it("passes through an unterminated bracket", () => {
    expect(text(feed(["an array [of", " things"]))).toBe("an array [of things");
    expect(text(feed(["[" + "x".repeat(40)]))).toBe("[" + "x".repeat(40));
  });

  it("restarts at a second opening bracket", () => {
    expect(text(feed(["[[happy] yes"]))).toBe("[<happy> yes");
  });

  it("gives the text position of each emotion", () => {
    const r = parseEmotionTags("Hello! [happy] Great.");
    expect(r.text).toBe("Hello! Great.");
    expect(r.emotions).toEqual([{ emotion: "happy", intensity: 0.8, at: 7 }]);
  });
});
