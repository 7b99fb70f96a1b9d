/** "Manual": nobody speaks on their own; a person picks the next speaker by clicking an avatar. */
import type { TurnPolicy } from "./types.js";

export class ManualPolicy implements TurnPolicy {
  readonly name = "manual" as const;
  async next(): Promise<string | null> { return null; }
}
