/** Turn-taking policies: who speaks next when nobody in particular is addressed. */
import type { CharacterConfig } from "@parley/shared";
import type { LogEntry } from "../../conversation/ConversationLog.js";

export { POLICY_NAMES, type PolicyName } from "@parley/shared";
import type { PolicyName } from "@parley/shared";

export interface PolicyContext {
  characters: readonly CharacterConfig[];
  /** the recent log, oldest first */
  log: readonly LogEntry[];
  /** characters who may not speak now (the one who just spoke, in "everyone talks") */
  exclude: ReadonlySet<string>;
  rng: () => number;
  signal: AbortSignal;
}

export interface TurnPolicy {
  readonly name: PolicyName;
  /** the next speaker's id, or null for nobody */
  next(ctx: PolicyContext): Promise<string | null>;
}

/** Weighted random choice; weights <= 0 never win. */
export function weightedPick<T>(items: readonly T[], weight: (t: T) => number, rng: () => number): T | null {
  const ws = items.map((t) => Math.max(0, weight(t)));
  const total = ws.reduce((a, b) => a + b, 0);
  if (total <= 0) return null;
  let r = rng() * total;
  for (let i = 0; i < items.length; i++) {
    r -= ws[i]!;
    if (r < 0) return items[i]!;
  }
  return items[items.length - 1]!;
}

/** Character ids who spoke since the last person's line (most recent last). */
export function speakersSincePerson(log: readonly LogEntry[]): string[] {
  const out: string[] = [];
  for (let i = log.length - 1; i >= 0; i--) {
    const e = log[i]!;
    if (e.kind === "person") break;
    if (e.kind === "character") out.unshift(e.speakerId);
  }
  return out;
}

/** The last character who spoke, if any. */
export function lastCharacter(log: readonly LogEntry[]): string | undefined {
  for (let i = log.length - 1; i >= 0; i--) if (log[i]!.kind === "character") return log[i]!.speakerId;
  return undefined;
}

/** The last `n` different characters who spoke, most recent first. */
export function recentSpeakers(log: readonly LogEntry[], n: number): string[] {
  const out: string[] = [];
  for (let i = log.length - 1; i >= 0 && out.length < n; i--) {
    const e = log[i]!;
    if (e.kind === "character" && !out.includes(e.speakerId)) out.push(e.speakerId);
  }
  return out;
}
