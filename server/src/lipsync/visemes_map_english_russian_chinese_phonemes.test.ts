import { describe, it, expect } from "vitest";
import { phonemeToShapes, normalizePhoneme } from "./visemes.js";

const main = (ipa: string): string => {
  const w = phonemeToShapes(ipa)[0]!;
  const best = Object.entries(w).sort((a, b) => b[1] - a[1])[0];
  return best ? best[0] : "closed";
};

describe("phoneme to viseme", () => {
  it("maps English vowels (espeak IPA with stress marks) to the five VRM shapes", () => {
    expect(main("ˈɑː")).toBe("aa");
    expect(main("æ")).toBe("aa");
    expect(main("ɪ")).toBe("ih");
    expect(main("iː")).toBe("ih");
    expect(main("uː")).toBe("ou");
    expect(main("ʊ")).toBe("ou");
    expect(main("ɛ")).toBe("ee");
    expect(main("ˈɔː")).toBe("oh");
  });

  it("splits diphthongs into two shapes", () => {
    const s = phonemeToShapes("ˈaɪ");
    expect(s).toHaveLength(2);
    expect(Object.keys(s[0]!)).toEqual(["aa"]);
    expect(Object.keys(s[1]!)).toEqual(["ih"]);
    expect(phonemeToShapes("oʊ").map((w) => Object.keys(w)[0])).toEqual(["oh", "ou"]);
  });

  it("closes the lips on p, b, m and rounds them on w", () => {
    expect(phonemeToShapes("p")).toEqual([{}]);
    expect(phonemeToShapes("m")).toEqual([{}]);
    expect(main("w")).toBe("ou");
  });

  it("handles Russian vowels including ы and palatalised consonants", () => {
    expect(main("a")).toBe("aa");
    expect(main("o")).toBe("oh");
    expect(main("u")).toBe("ou");
    expect(main("ɨ")).toBe("ih");
    expect(main("e")).toBe("ee");
    expect(main("tʲ")).not.toBe("closed");
  });

  it("ignores Mandarin tone numbers and marks", () => {
    expect(normalizePhoneme("au3")).toBe("au");
    expect(main("i2")).toBe("ih");
    expect(main("ə5")).toBe("aa");
  });

  it("treats pauses as a closed mouth", () => {
    expect(phonemeToShapes("")).toEqual([{}]);
    expect(phonemeToShapes("_")).toEqual([{}]);
  });

  it("keeps every weight within 0..1", () => {
    for (const p of ["ə", "aɪ", "ʃ", "tʃ", "k", "ɹ", "j", "?", "x"]) {
      for (const w of phonemeToShapes(p)) {
        for (const v of Object.values(w)) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
        }
      }
    }
  });
});
