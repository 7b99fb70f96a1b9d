/** Replacing a person's name in text others said, as a whole word (any script). */
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function redactNames(text: string, names: Iterable<string>, as: string): string {
  let out = text;
  // longest first, so "Sam Lee" goes before "Sam"
  for (const name of [...names].filter((n) => n.trim().length > 0).sort((a, b) => b.length - a.length)) {
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(name.trim())}(?![\\p{L}\\p{N}])`, "giu"), as);
  }
  return out;
}
