/** Typed errors: each says whether retrying can help and keeps its cause. */
import type { ErrorCode } from "@parley/shared";

export class ParleyError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class LlmUnavailableError extends ParleyError {
  constructor(message: string, options?: { cause?: unknown }) { super(message, "llm_unavailable", true, options); }
}

export class LlmError extends ParleyError {
  constructor(message: string, retryable = true, options?: { cause?: unknown }) { super(message, "llm_failed", retryable, options); }
}

export class TtsError extends ParleyError {
  constructor(message: string, retryable = false, options?: { cause?: unknown }) { super(message, "tts_failed", retryable, options); }
}

export const isAbortError = (e: unknown): boolean =>
  e instanceof Error && (e.name === "AbortError" || (e as { code?: string }).code === "ABORT_ERR");

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));
