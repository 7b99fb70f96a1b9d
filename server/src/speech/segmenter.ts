/**
 * Cuts a streaming reply into speakable segments: the first clause as early as it
 * is long enough (so the voice starts while the LLM still writes), then whole
 * sentences. Handles CJK punctuation, decimals and common abbreviations.
 */
export interface SegmenterOptions {
  /** shortest first segment cut at a clause mark (, ; : —), in characters */
  firstClauseMinChars: number;
  /** a segment longer than this is cut at the last space, in characters */
  maxChars: number;
}

export const DEFAULT_SEGMENTER_OPTIONS: SegmenterOptions = { firstClauseMinChars: 12, maxChars: 220 };

const SENTENCE_END = /[.!?…。！？]/;
const CJK_END = /[。！？；]/;
const CLAUSE_MARK = /[,;:—–，、；：]/;
const ABBREVIATIONS = new Set(["mr", "mrs", "ms", "dr", "prof", "st", "vs", "etc", "e.g", "i.e", "jr", "sr", "no", "approx"]);

export class Segmenter {
  private buf = "";
  private emitted = 0;
  private readonly opts: SegmenterOptions;

  constructor(opts: Partial<SegmenterOptions> = {}) {
    this.opts = { ...DEFAULT_SEGMENTER_OPTIONS, ...opts };
  }

  /** Adds text; returns the segments that are complete. */
  push(text: string): string[] {
    this.buf += text;
    const out: string[] = [];
    for (;;) {
      const cut = this.findCut();
      if (cut < 0) break;
      const seg = this.buf.slice(0, cut).trim();
      this.buf = this.buf.slice(cut);
      if (seg) { out.push(seg); this.emitted++; }
    }
    return out;
  }

  /** The rest, at the end of the stream. */
  end(): string[] {
    const seg = this.buf.trim();
    this.buf = "";
    if (!seg) return [];
    this.emitted++;
    return [seg];
  }

  /** Index just past a cut point in the buffer, or -1. */
  private findCut(): number {
    const b = this.buf;
    for (let i = 0; i < b.length; i++) {
      const ch = b[i]!;
      if (CJK_END.test(ch)) return this.extendClosers(i + 1);
      if (SENTENCE_END.test(ch)) {
        // need to see what follows to decide
        let j = i + 1;
        while (j < b.length && (SENTENCE_END.test(b[j]!) || /["'”’)\]»]/.test(b[j]!))) j++;
        if (j >= b.length) return -1;
        if (!/\s/.test(b[j]!)) continue; // "3.14", "e.g.x", "word.word"
        if (ch === "." && this.isAbbreviation(i)) continue;
        return j;
      }
      if (this.emitted === 0 && CLAUSE_MARK.test(ch) && i + 1 >= this.opts.firstClauseMinChars) {
        if (ch === "，" || ch === "、" || ch === "；" || ch === "：") return i + 1;
        if (i + 1 < b.length && /\s/.test(b[i + 1]!)) return i + 1;
      }
      if (i >= this.opts.maxChars) {
        const space = b.lastIndexOf(" ", i);
        return space > 0 ? space + 1 : i;
      }
    }
    return -1;
  }

  private extendClosers(j: number): number {
    while (j < this.buf.length && /["'”’)\]」』»]/.test(this.buf[j]!)) j++;
    return j;
  }

  private isAbbreviation(dot: number): boolean {
    const before = this.buf.slice(0, dot);
    const word = /([\p{L}.]+)$/u.exec(before)?.[1]?.toLowerCase() ?? "";
    return ABBREVIATIONS.has(word);
  }
}
