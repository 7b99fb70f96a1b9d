/**
 * Pulls from `source` eagerly, up to `limit` items ahead of the consumer, so a
 * slow consumer (paced audio sending) never stalls the producer (TTS).
 */
import { AsyncQueue } from "./AsyncQueue.js";

export function bufferAhead<T>(source: AsyncIterable<T>, limit: number): AsyncIterable<T> {
  const q = new AsyncQueue<T>();
  let wake: (() => void) | null = null;
  let stopped = false;
  const pump = async (): Promise<void> => {
    try {
      for await (const item of source) {
        if (stopped) return;
        q.push(item);
        while (q.size >= limit && !stopped) await new Promise<void>((r) => (wake = r));
      }
      q.close();
    } catch (err) {
      q.fail(err);
    }
  };
  void pump();
  return {
    async *[Symbol.asyncIterator]() {
      try {
        for await (const item of q) {
          const w = wake as (() => void) | null;
          wake = null;
          w?.();
          yield item;
        }
      } finally {
        stopped = true;
        const w = wake as (() => void) | null;
        w?.();
      }
    },
  };
}
