import { describe, it, expect } from "vitest";
import { WhisperTokenizer, byteLevelEncode } from "./whisperTokenizer.js";
import { AsrError } from "./errors.js";

const specials = ["<|endoftext|>", "<|startoftranscript|>", "<|en|>", "<|zh|>", "<|de|>", "<|ru|>", "<|haw|>", "<|translate|>", "<|transcribe|>", "<|nospeech|>", "<|notimestamps|>", "<|0.00|>"];

function tokenizer(words: string[]): { tok: WhisperTokenizer; id: (w: string) => number } {
  const vocab: Record<string, number> = {};
  words.forEach((w, i) => { vocab[w] = i; });
  const added: Record<string, number> = {};
  specials.forEach((s, i) => { added[s] = words.length + i; });
  const tok = WhisperTokenizer.fromTokenizerJson({ model: { vocab }, added_tokens: Object.entries(added).map(([content, id]) => ({ id, content, special: true })) });
  return { tok, id: (w) => vocab[w] ?? added[w]! };
}

describe("Whisper tokenizer", () => {
  it("writes and reads GPT-2's byte alphabet (Ġ for a space, Cyrillic as byte pairs)", () => {
    expect(byteLevelEncode(" Hello")).toBe("ĠHello");
    expect(byteLevelEncode("\n")).toBe("Ċ");
    expect(byteLevelEncode(" Привет")).toBe("ĠÐŁÑĢÐ¸Ð²ÐµÑĤ");
  });

  it("decodes ids to text, joining bytes across tokens before UTF-8 and skipping special tokens", () => {
    const hao = new TextEncoder().encode("好");
    const words = ["ĠHello", ",", "ĠÐŁÑĢÐ¸Ð²ÐµÑĤ", byteLevelEncode("你") + byteLevelEncode(hao.subarray(0, 1)), byteLevelEncode(hao.subarray(1))];
    const { tok, id } = tokenizer(words);
    expect(tok.decode([id("<|startoftranscript|>"), id("<|en|>"), id("ĠHello"), id(","), id("ĠÐŁÑĢÐ¸Ð²ÐµÑĤ"), id("<|endoftext|>")])).toBe(" Hello, Привет");
    expect(tok.decode([id(words[3]!), id(words[4]!), id("<|0.00|>")])).toBe("你好");
  });

  it("finds the prompt's special tokens and the languages in vocabulary order", () => {
    const { tok, id } = tokenizer(["a"]);
    expect(tok.specials).toMatchObject({ eot: id("<|endoftext|>"), sot: id("<|startoftranscript|>"), transcribe: id("<|transcribe|>"), noTimestamps: id("<|notimestamps|>"), noSpeech: id("<|nospeech|>") });
    expect([...tok.specials.languages.keys()]).toEqual(["en", "zh", "de", "ru", "haw"]);
    expect(tok.isSpecial(id("<|0.00|>"))).toBe(true);
    expect(tok.isSpecial(id("a"))).toBe(false);
  });

  it("refuses a tokenizer that is not Whisper's", () => {
    expect(() => WhisperTokenizer.fromTokenizerJson({ model: { vocab: { a: 0 } }, added_tokens: [] })).toThrow(AsrError);
    expect(() => WhisperTokenizer.fromTokenizerJson({})).toThrow(/no model.vocab/);
  });
});
