/**
 * "LLM choice": the room's model reads the recent conversation and names who
 * should speak next, its answer constrained to the roster (a grammar with
 * node-llama-cpp, a strict parse otherwise). Falls back to the natural policy
 * when the model cannot answer.
 */
import { NaturalPolicy } from "./NaturalPolicy.js";
import type { PolicyContext, TurnPolicy } from "./types.js";

export interface Chooser {
  /** Picks one of `options` given a prompt; resolves to one of them exactly. */
  choose(prompt: string, options: readonly string[], signal: AbortSignal): Promise<string>;
}

export class LlmPolicy implements TurnPolicy {
  readonly name = "llm" as const;
  private readonly fallback = new NaturalPolicy();
  /** why the last choice fell back, for diagnostics */
  lastFallbackReason = "";

  constructor(private readonly chooser: Chooser) {}

  async next(ctx: PolicyContext): Promise<string | null> {
    const pool = ctx.characters.filter((c) => !ctx.exclude.has(c.id));
    if (pool.length <= 1) return pool[0]?.id ?? null;
    const lines = ctx.log.slice(-12).filter((e) => e.kind !== "system").map((e) => `${e.speakerName}: ${e.interrupted ? `${e.heardText}—` : e.text}`);
    const roster = pool.map((c) => `${c.name}: ${c.persona.split(/[.!?]/)[0]}`).join("\n");
    const prompt = `Characters at the table:\n${roster}\n\nConversation so far:\n${lines.join("\n")}\n\nWho should speak next? Answer with one name.`;
    try {
      const name = await this.chooser.choose(prompt, pool.map((c) => c.name), ctx.signal);
      const hit = pool.find((c) => c.name === name);
      if (hit) { this.lastFallbackReason = ""; return hit.id; }
      this.lastFallbackReason = `model answered "${name}"`;
    } catch (err) {
      this.lastFallbackReason = err instanceof Error ? err.message : String(err);
    }
    return this.fallback.next(ctx);
  }
}
