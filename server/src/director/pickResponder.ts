/**
 * Who answers a person's message (the simple rule; the director issue brings the
 * full policies): a character named in the message answers; otherwise the one who
 * has spoken least, ties going to the most talkative.
 */
import type { CharacterConfig } from "@parley/shared";

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Characters named in the text, in the order they are first named. */
export function addressedCharacters(text: string, characters: readonly CharacterConfig[]): string[] {
  const hits: { id: string; at: number }[] = [];
  for (const c of characters) {
    let best = Infinity;
    for (const name of [c.name, ...c.nicknames]) {
      const re = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(name)}(?![\\p{L}\\p{N}])`, "iu");
      const m = re.exec(text);
      if (m && m.index < best) best = m.index;
    }
    if (best < Infinity) hits.push({ id: c.id, at: best });
  }
  return hits.sort((a, b) => a.at - b.at).map((h) => h.id);
}

export function pickResponder(text: string, characters: readonly CharacterConfig[], spoken: ReadonlyMap<string, number>): string | undefined {
  const named = addressedCharacters(text, characters);
  if (named.length) return named[0];
  let best: CharacterConfig | undefined;
  for (const c of characters) {
    if (!best) { best = c; continue; }
    const dc = spoken.get(c.id) ?? 0;
    const db = spoken.get(best.id) ?? 0;
    if (dc < db || (dc === db && c.talkativeness > best.talkativeness)) best = c;
  }
  return best?.id;
}
