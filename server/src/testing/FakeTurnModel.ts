/**
 * A scripted end-of-turn model for decision tests: `answer` gives the probability
 * for the audio it is shown (say, by its length: the turn so far), after
 * `delayMs`; it records how much audio each call was given.
 */
import type { EndOfTurnModel } from "../voice/EndOfTurnModel.js";

export class FakeTurnModel implements EndOfTurnModel {
  readonly label = "fake turn model";
  ready = true;
  /** audio length of each call, samples */
  readonly calls: number[] = [];

  constructor(private readonly answer: (pcm: Int16Array) => number, private readonly delayMs = 5) {}

  async prepare(): Promise<void> { this.ready = true; }

  async completion(pcm: Int16Array): Promise<number> {
    this.calls.push(pcm.length);
    await new Promise((r) => setTimeout(r, this.delayMs));
    return this.answer(pcm);
  }

  async close(): Promise<void> { this.ready = false; }
}
