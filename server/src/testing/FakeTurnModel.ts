/**
 * A scripted end-of-turn model for decision tests: each call answers the next
 * probability of its script (the last repeats), after `delayMs`, and records
 * how much audio it was given.
 */
import type { EndOfTurnModel } from "../voice/EndOfTurnModel.js";

export class FakeTurnModel implements EndOfTurnModel {
  readonly label = "fake turn model";
  ready = true;
  /** audio length of each call, samples */
  readonly calls: number[] = [];

  constructor(private readonly script: number[], private readonly delayMs = 5) {}

  async prepare(): Promise<void> { this.ready = true; }

  async completion(pcm: Int16Array): Promise<number> {
    this.calls.push(pcm.length);
    await new Promise((r) => setTimeout(r, this.delayMs));
    return this.script[Math.min(this.calls.length - 1, this.script.length - 1)]!;
  }

  async close(): Promise<void> { this.ready = false; }
}
