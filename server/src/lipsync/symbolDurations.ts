/**
 * Phoneme timings from a neural voice's per-symbol durations (Piper's patched
 * "w_ceil" output, Kokoro's timestamped "durations"). The models read one IPA
 * character per symbol, so characters are regrouped into phonemes the mouth
 * can show: stress marks lead into the next sound, length and other modifier
 * marks extend the previous one, spaces and pads add to the previous sound,
 * and punctuation, start and end symbols are pauses.
 */
import type { TimedPhoneme } from "./cues.js";

export interface SymbolRoles {
  /** symbols whose time belongs to the sound before them (Piper's interspersed pad) */
  extend: ReadonlySet<string>;
  /** symbols that are silence (sentence start/end, Kokoro's pad) */
  silent: ReadonlySet<string>;
}

const STRESS = new Set(["ˈ", "ˌ"]);
const PUNCTUATION = /^[\p{P}\p{S}]$/u;
/** modifier letters (ː ʰ ʲ ...) and combining marks (nasal tilde, ...) belong to the sound before */
const MODIFIER = /^[\p{Lm}\p{M}]$/u;

/**
 * @param symbols one entry per model input symbol
 * @param samples the audio length each symbol got, samples
 */
export function phonemesFromSymbolDurations(symbols: readonly string[], samples: readonly number[], roles: SymbolRoles): TimedPhoneme[] {
  const out: TimedPhoneme[] = [];
  let pos = 0;
  let stressAt = -1;
  let stressMark = "";
  let lastKind: "sound" | "pause" | "none" = "none";
  for (let i = 0; i < symbols.length; i++) {
    const s = symbols[i]!;
    const at = pos;
    pos += Math.max(0, samples[i] ?? 0);
    if (roles.extend.has(s) || s === " ") continue;
    if (STRESS.has(s)) { if (stressAt < 0) { stressAt = at; stressMark = s; } continue; }
    if (MODIFIER.test(s) && lastKind === "sound") { out[out.length - 1]!.ipa += s; continue; }
    if (roles.silent.has(s) || PUNCTUATION.test(s) || !s.trim()) {
      // consecutive pauses are one pause
      if (lastKind !== "pause") out.push({ t: at, ipa: "" });
      lastKind = "pause";
      stressAt = -1;
      stressMark = "";
      continue;
    }
    out.push({ t: stressAt >= 0 ? stressAt : at, ipa: stressMark + s });
    stressAt = -1;
    stressMark = "";
    lastKind = "sound";
  }
  return out;
}
