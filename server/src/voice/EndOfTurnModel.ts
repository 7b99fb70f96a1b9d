/**
 * A semantic end-of-turn model: from the audio of a person's turn so far, how
 * likely it is that they have finished (a complete sentence said with a falling
 * voice) rather than paused mid-thought. One interface; Smart Turn is the one
 * provider; PersonVoice falls back to silence thresholds without one.
 */
import { ParleyError } from "../util/errors.js";

export interface EndOfTurnModel {
  readonly label: string;
  /** loaded and answering now (not downloading, not failed) */
  readonly ready: boolean;
  /** Loads the model (downloading it on first use); fails with a reason the user can act on. */
  prepare(signal?: AbortSignal): Promise<void>;
  /** The probability (0..1) that the turn is complete, from its 16 kHz audio (the last 8 s count). */
  completion(pcm: Int16Array): Promise<number>;
  close(): Promise<void>;
}

export class TurnModelError extends ParleyError {
  constructor(message: string, retryable = false, options?: { cause?: unknown }) { super(message, "asr_failed", retryable, options); }
}
