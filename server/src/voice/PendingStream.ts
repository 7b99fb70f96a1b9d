import type { AsrResult, AsrStream } from "../asr/types.js";

/** A recognizer stream that may not exist yet (its model still loading): audio waits for it. */
export class PendingStream implements AsrStream {
  private real: AsrStream | null = null;
  private queue: Int16Array[] = [];
  private ended = false;
  readonly results: AsyncIterable<AsrResult>;

  constructor(make: Promise<AsrStream>) {
    const ready = make.then((s) => {
      this.real = s;
      for (const q of this.queue) s.push(q);
      this.queue = [];
      if (this.ended) s.end();
      return s;
    });
    this.results = { [Symbol.asyncIterator]: () => (async function* () { yield* (await ready).results; })() };
    ready.catch(() => {});
  }

  push(pcm: Int16Array): void { if (this.real) this.real.push(pcm); else this.queue.push(pcm); }
  end(): void { if (this.real) this.real.end(); else this.ended = true; }
}
