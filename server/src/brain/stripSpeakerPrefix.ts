/** Removes a leading "Name:" (or the full-width "Name：" of Chinese text) that small models like to write before their own line. */
export async function* stripSpeakerPrefix(deltas: AsyncIterable<string>, names: readonly string[]): AsyncIterable<string> {
  const prefixes = names.flatMap((n) => [`${n.toLowerCase()}:`, `${n.toLowerCase()}：`]);
  let head = "";
  let decided = false;
  for await (const d of deltas) {
    if (decided) { yield d; continue; }
    head += d;
    const t = head.trimStart().toLowerCase();
    const match = prefixes.find((p) => t.startsWith(p));
    if (match) {
      decided = true;
      const rest = head.trimStart().slice(match.length).trimStart();
      if (rest) yield rest;
    } else if (!prefixes.some((p) => p.startsWith(t))) {
      decided = true;
      yield head;
    }
  }
  if (!decided && head) yield head;
}
