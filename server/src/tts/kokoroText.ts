/**
 * Kokoro's text side: style blends, and text -> token ids the way kokoro.js
 * does it (espeak-ng IPA with the sentence punctuation kept, English fix-ups,
 * each character looked up in the model's vocabulary, unknown ones dropped,
 * 0-padded at both ends, at most 510 tokens per run).
 */
import { TtsError } from "../util/errors.js";
import { splitSentences } from "./clauses.js";
import { clauseIpa, type Phonemizer } from "./espeakPhonemes.js";

export interface StyleWeight { name: string; weight: number }

/** "af_heart" or "af_heart*0.6+am_michael*0.4"; weights are normalised to sum to 1. */
export function parseStyleBlend(spec: string): StyleWeight[] {
  const parts = spec.split("+").map((p) => p.trim());
  const out: StyleWeight[] = [];
  for (const p of parts) {
    const m = /^([A-Za-z0-9_-]+)(?:\s*\*\s*([0-9]*\.?[0-9]+))?$/.exec(p);
    if (!m) throw new TtsError(`Kokoro voice "${spec}": "${p}" is not a style name or name*weight (e.g. "af_heart*0.6+am_michael*0.4")`);
    const weight = m[2] === undefined ? 1 : Number(m[2]);
    if (!(weight > 0)) throw new TtsError(`Kokoro voice "${spec}": weight of ${m[1]} must be above 0`);
    out.push({ name: m[1]!, weight });
  }
  const sum = out.reduce((s, w) => s + w.weight, 0);
  return out.map((w) => ({ name: w.name, weight: w.weight / sum }));
}

/** Weighted sum of style tables (each [rows, 1, 256] float32, flattened). */
export function blendStyles(tables: readonly Float32Array[], weights: readonly number[]): Float32Array {
  const n = Math.min(...tables.map((t) => t.length));
  const out = new Float32Array(n);
  tables.forEach((t, k) => { for (let i = 0; i < n; i++) out[i]! += t[i]! * weights[k]!; });
  return out;
}

/** Kokoro's context is 512 tokens including the two pads. */
export const KOKORO_MAX_TOKENS = 510;

export interface TokenRun {
  /** token ids without the pads */
  ids: number[];
  /** the character each id came from */
  symbols: string[];
}

/** kokoro.js's fix-ups for English: its English voices never saw these espeak symbols. */
function englishFixups(ipa: string): string {
  return ipa.replace(/ʲ/g, "j").replace(/r/g, "ɹ").replace(/x/g, "k").replace(/ɬ/g, "l");
}

/** Token runs for `text`, sentence by sentence (long sentences split at punctuation, then spaces). */
export async function* kokoroTokenRuns(text: string, language: string, vocab: ReadonlyMap<string, number>, phonemizer: Phonemizer, maxTokens = KOKORO_MAX_TOKENS): AsyncGenerator<TokenRun> {
  for (const sentence of splitSentences(text)) {
    let ipa = "";
    for (const clause of sentence.clauses) {
      const p = await clauseIpa(phonemizer, clause.text, language);
      if (!p) continue;
      if (ipa && !ipa.endsWith(" ")) ipa += " ";
      ipa += p + clause.terminator;
      if (clause.terminator === "," || clause.terminator === ":" || clause.terminator === ";") ipa += " ";
    }
    if (language.startsWith("en")) ipa = englishFixups(ipa);
    const run: TokenRun = { ids: [], symbols: [] };
    for (const ch of ipa.trim()) {
      const id = vocab.get(ch);
      if (id !== undefined) { run.ids.push(id); run.symbols.push(ch); }
    }
    if (!run.symbols.some((s) => /\p{L}/u.test(s))) continue;
    yield* splitRun(run, maxTokens);
  }
}

function* splitRun(run: TokenRun, max: number): Generator<TokenRun> {
  let start = 0;
  while (run.ids.length - start > max) {
    const window = run.symbols.slice(start, start + max);
    // cut after the last punctuation, else the last space, else hard at the limit
    let cut = Math.max(...[",", ";", ":", "—", "…"].map((p) => window.lastIndexOf(p)));
    if (cut < max / 4) cut = window.lastIndexOf(" ");
    const end = start + (cut > 0 ? cut + 1 : max);
    yield { ids: run.ids.slice(start, end), symbols: run.symbols.slice(start, end) };
    start = end;
  }
  if (start < run.ids.length) yield { ids: run.ids.slice(start), symbols: run.symbols.slice(start) };
}
