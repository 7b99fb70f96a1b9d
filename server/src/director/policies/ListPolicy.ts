/** "List": a fixed order around the table, continuing after whoever spoke last. */
import { lastCharacter, type PolicyContext, type TurnPolicy } from "./types.js";

export class ListPolicy implements TurnPolicy {
  readonly name = "list" as const;

  async next(ctx: PolicyContext): Promise<string | null> {
    const order = ctx.characters;
    if (order.length === 0) return null;
    const last = lastCharacter(ctx.log);
    const start = last ? order.findIndex((c) => c.id === last) + 1 : 0;
    for (let k = 0; k < order.length; k++) {
      const c = order[(start + k) % order.length]!;
      if (!ctx.exclude.has(c.id)) return c.id;
    }
    return null;
  }
}
