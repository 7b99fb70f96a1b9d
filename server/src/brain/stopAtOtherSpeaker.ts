/**
 * Keeps a character from speaking for someone else: the reply ends where the model
 * starts another speaker's line ("Theo: ...", on a new line or after a sentence).
 * Stop sequences catch most of these; this catches the rest, across token splits.
 */
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export async function* stopAtOtherSpeaker(deltas: AsyncIterable<string>, otherNames: readonly string[]): AsyncIterable<string> {
  if (otherNames.length === 0) { yield* deltas; return; }
  const alt = otherNames.map(escapeRe).join("|");
  // a name followed by a colon at the start of a line, or after the end of a sentence
  // (Chinese sentences end without a space)
  const marker = new RegExp(`(^|\\n|[.!?]\\s+|[。！？]\\s*)\\s*(?:${alt})\\s*[:：]`, "iu");
  const hold = Math.max(...otherNames.map((n) => n.length)) + 4;
  let buf = "";
  // what was already let through matters only as the start of a line or a sentence end before a name
  let before = "";
  try {
    for await (const d of deltas) {
      buf += d;
      const m = marker.exec(before + buf);
      if (m) {
        const cut = m.index + m[1]!.length - before.length;
        if (cut > 0) yield buf.slice(0, cut).replace(/\s+$/, "");
        return;
      }
      // keep a tail that could still grow into "Name:"
      if (buf.length > hold) {
        const out = buf.slice(0, buf.length - hold);
        buf = buf.slice(buf.length - hold);
        // a few characters of context are enough, so the whole reply is not rescanned per
        // token; the leading NUL keeps "^" from matching mid-reply
        before = `\u0000${(before.slice(1) + out).slice(-8)}`;
        yield out;
      }
    }
  } catch (err) {
    // the held-back tail was said too: it leaves before the failure does
    if (buf) yield buf;
    throw err;
  }
  if (buf) yield buf;
}
