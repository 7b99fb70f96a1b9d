/**
 * A character's lorebook (a card's `character_book`): entries whose keys appear
 * in the recent lines are added to its prompt, within a token budget. Honoured:
 * `enabled`, `constant`, `keys` (whole words in scripts with spaces, anywhere in
 * Chinese), `case_sensitive`, `selective` with `secondary_keys`, `use_regex`
 * (patterns that cannot backtrack without end), `scan_depth` (and the
 * `@@scan_depth` decorator), `token_budget`, `priority` and `insertion_order`,
 * `position` (before or after the description), `@@activate`/`@@dont_activate`.
 * Content is checked once per entry, however often its keys appear.
 */
import type { LoreEntry, Lorebook } from "@parley/shared";
import { estimateTokens } from "./macros.js";

export const LORE_DEFAULTS = {
  /** lines scanned when the book names no scan depth */
  scanDepth: 4,
  /** tokens for all entries when the book names no budget */
  tokenBudget: 512,
} as const;

export interface ActiveLore { before: string[]; after: string[]; tokens: number }

const CJK = /[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/u;
const WORDY = /^[\p{L}\p{N}]/u;

function decorators(content: string): { text: string; flags: Map<string, string> } {
  const flags = new Map<string, string>();
  const kept: string[] = [];
  for (const line of content.split("\n")) {
    const m = /^@@(@?)([a-z_]+)\s*(.*)$/.exec(line.trim());
    if (!m) { kept.push(line); continue; }
    if (!m[1] && !flags.has(m[2]!)) flags.set(m[2]!, m[3]!.trim());
  }
  return { text: kept.join("\n").trim(), flags };
}

/** A key in the text: as a whole word where words are spaced, anywhere in Chinese or around punctuation. */
function hasKey(text: string, key: string, caseSensitive: boolean): boolean {
  const k = caseSensitive ? key.trim() : key.trim().toLowerCase();
  if (!k) return false;
  const t = caseSensitive ? text : text.toLowerCase();
  for (let at = t.indexOf(k); at >= 0; at = t.indexOf(k, at + 1)) {
    if (CJK.test(k)) return true;
    const before = t[at - 1], after = t[at + k.length];
    const edgeOk = (ch: string | undefined, inner: string): boolean => !ch || !WORDY.test(inner) || !/[\p{L}\p{N}_]/u.test(ch);
    if (edgeOk(before, k[0]!) && edgeOk(after, k.at(-1)!)) return true;
  }
  return false;
}

/** A pattern a card may run on every line: short, and no quantified group that is itself quantified. */
function safeRegex(pattern: string, caseSensitive: boolean): RegExp | null {
  if (pattern.length > 200 || /\((?:[^()\\]|\\.)*[+*}]\)\s*[+*{?]/.test(pattern) || /\\\d/.test(pattern)) return null;
  const m = /^\/(.+)\/([a-z]*)$/s.exec(pattern);
  try { return m ? new RegExp(m[1]!, m[2]!.replace(/[^imsu]/g, "")) : new RegExp(pattern, caseSensitive ? "u" : "iu"); } catch { return null; }
}

function matches(e: LoreEntry, scanned: string, caseSensitive: boolean): boolean {
  if (e.use_regex) return e.keys.some((k) => safeRegex(k, caseSensitive)?.test(scanned) ?? false);
  if (e.constant) return true;
  if (!e.keys.some((k) => hasKey(scanned, k, caseSensitive))) return false;
  const second = e.selective ? (e.secondary_keys ?? []).filter((k) => k.trim()) : [];
  return second.length === 0 || second.some((k) => hasKey(scanned, k, caseSensitive));
}

/**
 * The entries to add for these recent lines (oldest first).
 * @param budget tokens, when the book names none
 */
export function activeLore(book: Lorebook, recentLines: readonly string[], budget: number = LORE_DEFAULTS.tokenBudget): ActiveLore {
  const depth = book.scan_depth ?? LORE_DEFAULTS.scanDepth;
  const hits: { e: LoreEntry; text: string; tokens: number }[] = [];
  for (const e of book.entries) {
    if (!e.enabled) continue;
    const { text, flags } = decorators(e.content);
    if (!text) continue;
    const own = Number(flags.get("scan_depth"));
    const scanned = recentLines.slice(-(own > 0 ? own : depth)).join("\n");
    const on = flags.has("activate") || (!flags.has("dont_activate") && matches(e, scanned, e.case_sensitive === true));
    if (on) hits.push({ e, text, tokens: estimateTokens(text) });
  }
  // over the budget the least important go first: constants, then priority, then insertion order
  const rank = (h: (typeof hits)[number]): number[] => [h.e.constant ? 1 : 0, h.e.priority ?? 0, h.e.insertion_order];
  const ranked = [...hits].sort((a, b) => { const x = rank(a), y = rank(b); return y[0]! - x[0]! || y[1]! - x[1]! || y[2]! - x[2]!; });
  const limit = book.token_budget ?? budget;
  const kept = new Set<(typeof hits)[number]>();
  let tokens = 0;
  for (const h of ranked) {
    if (tokens + h.tokens > limit) continue;
    kept.add(h);
    tokens += h.tokens;
  }
  const ordered = hits.filter((h) => kept.has(h)).sort((a, b) => a.e.insertion_order - b.e.insertion_order);
  return {
    before: ordered.filter((h) => h.e.position === "before_char").map((h) => h.text),
    after: ordered.filter((h) => h.e.position !== "before_char").map((h) => h.text),
    tokens,
  };
}
