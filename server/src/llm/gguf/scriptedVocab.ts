/**
 * The vocabulary of a scripted model (see scriptedModel.ts): the special and
 * byte tokens a llama tokenizer needs, one token per piece of the script, and
 * the marker words that switch the script to another language.
 */

/** One option per stage makes a reply; "" ends the reply early. */
export type Stages = readonly (readonly string[])[];

export interface Script {
  /** the replies when the prompt holds no marker */
  stages: Stages;
  /**
   * Replies in other languages: a prompt that contains `marker` (a word, as it
   * appears after a space or after a Chinese character) is answered from `stages`.
   */
  keyed?: readonly { marker: string; stages: Stages }[];
}

export const TokenKind = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, BYTE: 6 } as const;
export const SPACE = "\u2581"; // SentencePiece's visible space

export interface KeyedVocab {
  /** the marker's token ids (with and without a leading space) */
  markerIds: number[];
  /** the first tokens of this language's replies */
  openers: number[];
}

export interface ScriptedVocab {
  tokens: string[];
  kinds: number[];
  eos: number;
  /** ids of script tokens, in embedding order (dimension = index + 1) */
  scriptIds: number[];
  /** successor table over embedding dimensions: dim -> ordered candidate token ids ("" end -> eos) */
  next: Map<number, number[]>;
  /** per keyed language, in the script's order */
  keyed: KeyedVocab[];
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]/u;

/**
 * A sentence's words: split at spaces, and Chinese runs into pieces of two
 * characters (punctuation stays with the piece before it), the way a real
 * tokenizer streams Chinese a few characters at a time. An emotion tag is a word
 * of its own ("[happy] 你好！").
 */
function wordsOf(sentence: string): string[] {
  const out: string[] = [];
  for (const word of sentence.split(/\s+/).filter(Boolean)) {
    if (!CJK.test(word)) { out.push(word); continue; }
    let piece = "";
    let n = 0;
    for (const ch of word) {
      const punct = /\p{P}/u.test(ch);
      if (!punct && n >= 2) { out.push(piece); piece = ""; n = 0; }
      piece += ch;
      if (!punct) n++;
    }
    if (piece) out.push(piece);
  }
  return out;
}

/** Splits a sentence into pieces whose text is unique across the vocabulary. */
function chunkSentence(sentence: string, leadingSpace: boolean, used: Set<string>): string[] {
  const cjk = CJK.test(sentence);
  // Chinese runs on without spaces, between words and between sentences
  const words = wordsOf(sentence).map((w, i) => (cjk || (i === 0 && !leadingSpace) ? w : SPACE + w));
  const out: string[] = [];
  let i = 0;
  while (i < words.length) {
    let piece = words[i++]!;
    while (used.has(piece) && i < words.length) piece += words[i++]!;
    if (used.has(piece)) {
      // the tail is still a duplicate: fold it into the previous piece
      const prev = out.pop();
      if (prev === undefined) throw new Error(`script sentence cannot be made unique: "${sentence}"`);
      used.delete(prev);
      piece = prev + piece;
    }
    used.add(piece);
    out.push(piece);
  }
  return out;
}

export function buildScriptedVocab(script: Script): ScriptedVocab {
  const tokens = ["<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>"];
  const kinds: number[] = [TokenKind.UNKNOWN, TokenKind.CONTROL, TokenKind.CONTROL, TokenKind.CONTROL, TokenKind.CONTROL];
  const eos = 4;
  const add = (text: string, kind: number = TokenKind.NORMAL): number => {
    tokens.push(text);
    kinds.push(kind);
    return tokens.length - 1;
  };
  for (let b = 0; b < 256; b++) add(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`, TokenKind.BYTE);
  add(SPACE);
  for (let c = 0x21; c <= 0x7e; c++) add(String.fromCharCode(c));
  const used = new Set(tokens);
  // a marker must come out of the tokenizer whole: llama's SentencePiece tokenizer
  // merges neighbours only into pieces it knows, so every prefix is a piece too
  const markerIds = (script.keyed ?? []).map(({ marker }) =>
    [marker, SPACE + marker].map((form) => {
      const chars = [...form];
      for (let k = 2; k < chars.length; k++) {
        const prefix = chars.slice(0, k).join("");
        if (!used.has(prefix)) { used.add(prefix); add(prefix); }
      }
      if (used.has(form)) throw new Error(`marker "${marker}" is already a piece of the vocabulary`);
      used.add(form);
      return add(form);
    }));
  const scriptIds: number[] = [];
  // per stage: per option, the token ids of that sentence ([] for an early end)
  const pieces = (stages: Stages): number[][][] => stages.map((options, stageIndex) =>
    options.map((sentence) => {
      if (sentence.trim() === "") return [];
      return chunkSentence(sentence, stageIndex > 0, used).map((piece) => {
        const id = add(piece);
        scriptIds.push(id);
        return id;
      });
    }),
  );
  const dimOf = (id: number): number => scriptIds.indexOf(id) + 1;
  const next = new Map<number, number[]>();
  const chain = (stages: number[][][]): number[] => {
    const openers = (stage: number): number[] =>
      stage >= stages.length ? [eos] : stages[stage]!.map((ids) => (ids.length > 0 ? ids[0]! : eos));
    stages.forEach((options, s) => {
      for (const ids of options) ids.forEach((id, k) => next.set(dimOf(id), k + 1 < ids.length ? [ids[k + 1]!] : openers(s + 1)));
    });
    return openers(0);
  };
  next.set(0, chain(pieces(script.stages)));
  const keyed = (script.keyed ?? []).map(({ stages }, k) => ({ markerIds: markerIds[k]!, openers: chain(pieces(stages)) }));
  return { tokens, kinds, eos, scriptIds, next, keyed };
}
