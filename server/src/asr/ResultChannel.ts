/**
 * The results side of every AsrStream: partials in order of the audio they cover,
 * exactly one final after `end()`, then the end of the iterable. An abort ends the
 * iterable at once without a final and without an error; a failure ends it with a
 * typed error. Anything a provider reports after that is dropped, so a late
 * inference result can never follow the final.
 */
import type { AsrResult } from "./types.js";
import { AsyncQueue } from "../util/AsyncQueue.js";
import { AsrError } from "./errors.js";
import { errorMessage } from "../util/errors.js";

export class ResultChannel {
  readonly results: AsyncIterable<AsrResult>;
  private readonly queue = new AsyncQueue<AsrResult>();
  private done = false;
  private lastAudioMs = 0;
  private lastPartial = "";
  private readonly onAbort = (): void => this.abort();

  constructor(private readonly signal: AbortSignal) {
    this.results = this.queue;
    if (signal.aborted) this.abort();
    else signal.addEventListener("abort", this.onAbort, { once: true });
  }

  /** true once the final, an abort or a failure has ended the stream */
  get closed(): boolean { return this.done; }
  get aborted(): boolean { return this.signal.aborted; }

  /** A partial result; dropped when it repeats the last one or covers less audio. */
  partial(text: string, audioMs: number, language?: string): void {
    if (this.done || audioMs < this.lastAudioMs || text === this.lastPartial) return;
    this.lastAudioMs = audioMs;
    this.lastPartial = text;
    this.queue.push({ kind: "partial", text, audioMs, ...(language ? { language } : {}) });
  }

  final(text: string, audioMs: number, language?: string): void {
    if (this.done) return;
    this.finish();
    this.queue.push({ kind: "final", text, audioMs: Math.max(audioMs, this.lastAudioMs), ...(language ? { language } : {}) });
    this.queue.close();
  }

  /** Ends the stream with a typed error (an abort in progress wins: no error then). */
  fail(err: unknown, context: string): void {
    if (this.done) return;
    this.finish();
    if (this.signal.aborted) { this.queue.close(); return; }
    this.queue.fail(err instanceof AsrError ? err : new AsrError(`${context}: ${errorMessage(err)}`, false, { cause: err }));
  }

  private abort(): void {
    if (this.done) return;
    this.finish();
    this.queue.close();
  }

  private finish(): void {
    this.done = true;
    this.signal.removeEventListener("abort", this.onAbort);
  }
}
