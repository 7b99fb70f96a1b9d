/**
 * "Pooled": everyone speaks once before anyone speaks again; within the pool the
 * more talkative go first more often. The pool refills when it is empty.
 */
import { weightedPick, speakersSincePerson, lastCharacter, type PolicyContext, type TurnPolicy } from "./types.js";

export class PooledPolicy implements TurnPolicy {
  readonly name = "pooled" as const;

  async next(ctx: PolicyContext): Promise<string | null> {
    const spoken = new Set(speakersSincePerson(ctx.log));
    let pool = ctx.characters.filter((c) => !spoken.has(c.id) && !ctx.exclude.has(c.id));
    if (pool.length === 0) {
      const last = lastCharacter(ctx.log);
      pool = ctx.characters.filter((c) => c.id !== last && !ctx.exclude.has(c.id));
    }
    return weightedPick(pool, (c) => 0.05 + c.talkativeness, ctx.rng)?.id ?? null;
  }
}
