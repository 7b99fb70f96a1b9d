/**
 * "Natural": a weighted draw by talkativeness, with a strong penalty for whoever
 * spoke last and a milder one for whoever has spoken a lot recently, so the
 * conversation moves around the table without a fixed order.
 */
import { weightedPick, lastCharacter, type PolicyContext, type TurnPolicy } from "./types.js";

export const NATURAL_DEFAULTS = { lastSpeakerFactor: 0.15, recentWindow: 8, recentPenalty: 0.35 } as const;

export class NaturalPolicy implements TurnPolicy {
  readonly name = "natural" as const;
  constructor(private readonly o = NATURAL_DEFAULTS) {}

  async next(ctx: PolicyContext): Promise<string | null> {
    const last = lastCharacter(ctx.log);
    const recent = ctx.log.slice(-this.o.recentWindow);
    const pool = ctx.characters.filter((c) => !ctx.exclude.has(c.id));
    const pick = weightedPick(pool, (c) => {
      const times = recent.filter((e) => e.speakerId === c.id).length;
      // a little floor so even a silent character gets a word in sometimes
      return (0.05 + c.talkativeness) * (c.id === last ? this.o.lastSpeakerFactor : 1) / (1 + this.o.recentPenalty * times);
    }, ctx.rng);
    return pick?.id ?? null;
  }
}
