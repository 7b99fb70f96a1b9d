/**
 * Cuts a streaming reply into speakable segments: the first clause as early as it
 * is long enough (so the voice starts while the LLM still writes), then whole
 * sentences. Chinese has no spaces and ends clauses with ，、；： and sentences
 * with 。！？ (or an ASCII mark straight before a Chinese character); a period after
 * an abbreviation of the table's language ("Dr.", "т. е.", "г.") or a decimal
 * point ends nothing.
 */
import type { Language } from "@parley/shared";
import { ABBREVIATIONS, type AbbreviationSet } from "./abbreviations.js";

export interface SegmenterOptions {
  /**
   * shortest first segment cut at a clause mark (, ; : — ，、；：), in Latin
   * letters; a Chinese character counts as CJK_WEIGHT letters (it is a syllable)
   */
  firstClauseMinChars: number;
  /** a segment longer than this (same units) is cut at the last space, or anywhere in Chinese */
  maxChars: number;
  /** the table's language: its abbreviations; without one, English and Russian ones both apply */
  language?: Language;
}

export const DEFAULT_SEGMENTER_OPTIONS: SegmenterOptions = { firstClauseMinChars: 12, maxChars: 220 };

/** Latin letters of speech in one Chinese character (a syllable of ~200 ms vs ~65 ms a letter) */
export const CJK_WEIGHT = 3;

const SENTENCE_END = /[.!?…。！？]/;
const CJK_END = /[。！？；]/;
const CLAUSE_MARK = /[,;:—–，、；：]/;
const CJK_CLAUSE_MARK = /[，、；：]/;
const CLOSERS = /["'”’)\]」』»]/;
const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]/;
const UPPER = /\p{Lu}/u;

export class Segmenter {
  private buf = "";
  private emitted = 0;
  private readonly opts: SegmenterOptions;
  private readonly abbreviations: AbbreviationSet;

  constructor(opts: Partial<SegmenterOptions> = {}) {
    this.opts = { ...DEFAULT_SEGMENTER_OPTIONS, ...opts };
    this.abbreviations = ABBREVIATIONS[this.opts.language ?? "none"];
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
    let weight = 0;
    for (let i = 0; i < b.length; i++) {
      const ch = b[i]!;
      weight += CJK.test(ch) ? CJK_WEIGHT : 1;
      if (CJK_END.test(ch)) return this.extendClosers(i + 1);
      if (SENTENCE_END.test(ch)) {
        const cut = this.sentenceEnd(i);
        if (cut === WAIT) return -1;
        if (cut !== NO_CUT) return cut;
        continue;
      }
      if (this.emitted === 0 && CLAUSE_MARK.test(ch) && weight >= this.opts.firstClauseMinChars) {
        if (CJK_CLAUSE_MARK.test(ch)) return i + 1;
        if (i + 1 < b.length && /\s/.test(b[i + 1]!)) return i + 1;
      }
      if (weight >= this.opts.maxChars) {
        const space = b.lastIndexOf(" ", i);
        return space > 0 ? space + 1 : i + 1;
      }
    }
    return -1;
  }

  /** Whether a Latin sentence mark at `i` ends the sentence: the cut index, WAIT for more text, or NO_CUT. */
  private sentenceEnd(i: number): number {
    const b = this.buf;
    const ch = b[i]!;
    let j = i + 1;
    while (j < b.length && (SENTENCE_END.test(b[j]!) || CLOSERS.test(b[j]!))) j++;
    if (j >= b.length) return WAIT;
    // Chinese goes on without a space: "好!我们走" ends at "!"; "3.14", "e.g.x" do not end
    if (!/\s/.test(b[j]!)) return CJK.test(b[j]!) && !/\d/.test(b[i - 1] ?? "") ? j : NO_CUT;
    if (ch !== ".") return j;
    const word = /([\p{L}.-]+)$/u.exec(b.slice(0, i))?.[1] ?? "";
    const lower = word.toLowerCase();
    const a = this.abbreviations;
    if (a.listEnders.has(lower)) {
      // "…, груши и т. д. Потом" ends; "т. д. и т. п." does not
      let k = j;
      while (k < b.length && /\s/.test(b[k]!)) k++;
      if (k >= b.length) return WAIT;
      return UPPER.test(b[k]!) ? j : NO_CUT;
    }
    if (a.words.has(lower)) return NO_CUT;
    if (a.initials && word.length === 1 && UPPER.test(word)) return NO_CUT;
    return j;
  }

  private extendClosers(j: number): number {
    while (j < this.buf.length && CLOSERS.test(this.buf[j]!)) j++;
    return j;
  }
}

const WAIT = -1;
const NO_CUT = -2;
