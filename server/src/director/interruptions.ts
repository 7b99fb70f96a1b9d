/**
 * When one character may cut another off. Checked at each new segment of the
 * current utterance (never the first: the speaker gets a clause out). The chance
 * grows with heat in what is being said (emotion tags, exclamations, strong
 * claims, a question aimed at someone), with the interrupter's own
 * interruptiveness, and scales with the room's sensitivity (0 = never).
 */
import type { CharacterConfig, Emotion } from "@parley/shared";
import { whoIsAddressed } from "./addressing.js";

export interface InterruptCheck {
  speaker: CharacterConfig;
  /** the segment about to be spoken */
  segmentIndex: number;
  segmentText: string;
  emotion: Emotion | null;
  /** who could cut in (everyone at the table but the speaker) */
  candidates: readonly CharacterConfig[];
  sensitivity: number;
  /** ms since the last interruption in the room */
  sinceLastInterruptMs: number;
  rng: () => number;
}

export interface InterruptDecision { interrupterId: string; probability: number; reason: string }

export const INTERRUPT_RULES = {
  /** occasional interruptions even in calm talk */
  base: 0.04,
  emotionHeat: { angry: 0.35, surprised: 0.2, sad: 0.05, happy: 0.05, relaxed: 0, neutral: 0 } as Record<Emotion, number>,
  exclamation: 0.1,
  strongClaim: 0.15,
  namedQuestion: 0.25,
  /** no interruption within this long of the previous one, ms */
  cooldownMs: 4000,
  maxProbability: 0.85,
} as const;

const STRONG = /(?<![\p{L}])(always|never|wrong|nonsense|obviously|absolutely|ridiculous|actually|no way|всегда|никогда|неправ|ерунда|чушь|очевидно|на самом деле|不对|胡说|当然|绝对|显然)(?![\p{L}])/iu;

export function judgeInterruption(c: InterruptCheck): InterruptDecision | null {
  if (c.sensitivity <= 0 || c.segmentIndex === 0 || c.candidates.length === 0) return null;
  if (c.sinceLastInterruptMs < INTERRUPT_RULES.cooldownMs) return null;
  const reasons: string[] = [];
  let heat = INTERRUPT_RULES.base;
  if (c.emotion && INTERRUPT_RULES.emotionHeat[c.emotion] > 0) { heat += INTERRUPT_RULES.emotionHeat[c.emotion]; reasons.push(c.emotion); }
  if (/[!！]/.test(c.segmentText)) { heat += INTERRUPT_RULES.exclamation; reasons.push("exclamation"); }
  if (STRONG.test(c.segmentText)) { heat += INTERRUPT_RULES.strongClaim; reasons.push("strong claim"); }
  // a character named in a question is provoked to answer at once
  const named = whoIsAddressed(c.segmentText, c.candidates).ids;
  const asked = /[?？]/.test(c.segmentText) && named.length > 0;
  if (asked) { heat += INTERRUPT_RULES.namedQuestion; reasons.push("asked by name"); }
  const pool = asked ? c.candidates.filter((x) => x.id === named[0]) : c.candidates;
  // the most interruptive candidate sets the pace; the pick is weighted among all
  const boldest = Math.max(...pool.map((x) => x.interruptiveness));
  const p = Math.min(INTERRUPT_RULES.maxProbability, c.sensitivity * heat * (0.5 + boldest));
  if (c.rng() >= p) return null;
  let r = c.rng() * pool.reduce((a, x) => a + 0.05 + x.interruptiveness, 0);
  let who = pool[0]!;
  for (const x of pool) { r -= 0.05 + x.interruptiveness; if (r < 0) { who = x; break; } }
  return { interrupterId: who.id, probability: p, reason: reasons.join(", ") || "a thought" };
}
