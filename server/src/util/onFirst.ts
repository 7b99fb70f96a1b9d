/** Passes `source` through, calling `fn` when its first item arrives (latency marks). */
export async function* onFirst<T>(source: AsyncIterable<T>, fn: () => void): AsyncIterable<T> {
  let first = true;
  for await (const item of source) {
    if (first) { first = false; fn(); }
    yield item;
  }
}
