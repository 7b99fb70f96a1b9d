/**
 * Splits text into sentences and clauses the way espeak-ng does for Piper and
 * Kokoro: a clause ends at punctuation followed by a space or the end (so "3.5"
 * stays whole), and a sentence ends at ". ? !". Neural voices are run once per
 * sentence, which is what lets the first audio leave early.
 */
export type Terminator = "" | "." | "," | "?" | "!" | ":" | ";";

export interface Clause {
  text: string;
  /** the punctuation that ended the clause, as an ASCII mark ("" at the end of text) */
  terminator: Terminator;
}

export interface Sentence {
  text: string;
  clauses: Clause[];
}

/** full-width and typographic marks, as the ASCII mark a voice model knows */
const MARKS: Readonly<Record<string, Terminator>> = {
  ".": ".", ",": ",", "?": "?", "!": "!", ":": ":", ";": ";", "…": ".",
  "。": ".", "，": ",", "、": ",", "？": "?", "！": "!", "：": ":", "；": ";",
};

// ASCII marks end a clause only before a space, a closing quote or the end;
// CJK marks end it anywhere (CJK text has no spaces)
const CLAUSE_END = /([.,?!:;…]+)(?=[\s"'”’)\]]|$)|([。，、？！：；]+)/gu;

/** a period after these ends no clause ("Mr. Smith", "e.g. this"), as espeak-ng reads them */
const ABBREVIATION = /(?:^|[\s(])(?:mr|mrs|ms|dr|prof|st|sr|jr|vs|e\.g|i\.e)$/i;

export function splitSentences(text: string): Sentence[] {
  const sentences: Sentence[] = [];
  let clauses: Clause[] = [];
  let last = 0;
  const flush = (): void => {
    if (clauses.length) sentences.push({ text: clauses.map((c) => c.text + c.terminator).join(" "), clauses });
    clauses = [];
  };
  const add = (raw: string, marks: string): void => {
    const body = raw.replace(/\s+/g, " ").trim();
    // the strongest mark of a run wins: "?!" asks, "..." ends
    const chars = [...marks].map((m) => MARKS[m] ?? "");
    const terminator: Terminator = chars.find((m) => m === "?") ?? chars.find((m) => m === "!") ?? chars.find((m) => m === ".") ?? chars[chars.length - 1] ?? "";
    if (!body) {
      // a mark with no words before it only strengthens the previous clause's ending
      const prev = clauses[clauses.length - 1];
      if (prev && terminator && (terminator === "." || terminator === "?" || terminator === "!")) prev.terminator = terminator;
    } else {
      clauses.push({ text: body, terminator });
    }
    if (terminator === "." || terminator === "?" || terminator === "!") flush();
  };
  for (const m of text.matchAll(CLAUSE_END)) {
    if (m[0] === "." && ABBREVIATION.test(text.slice(last, m.index))) continue;
    add(text.slice(last, m.index), m[0]);
    last = m.index + m[0].length;
  }
  add(text.slice(last), "");
  flush();
  return sentences;
}
