/** Speech recognition failures: what went wrong, and whether trying again can help. */
import { ParleyError } from "../util/errors.js";

export class AsrError extends ParleyError {
  constructor(message: string, retryable = false, options?: { cause?: unknown }) {
    super(message, "asr_failed", retryable, options);
  }
}
