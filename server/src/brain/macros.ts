/**
 * Card macros (curly-braced syntax): `{{char}}` (the card's nickname, else its
 * name), `{{user}}` (the people at the table), the V1 forms `<BOT>` and
 * `<USER>`, `{{random:a,b}}`, `{{roll:N}}`, and `{{// comment}}` removed. Case
 * does not matter. Anything else stays as written.
 */
export interface MacroValues {
  char: string;
  user: string;
  rng?: () => number;
}

const pick = (items: readonly string[], rng: () => number): string => items[Math.floor(rng() * items.length)] ?? "";

export function fillMacros(text: string, v: MacroValues): string {
  const rng = v.rng ?? Math.random;
  return text
    .replace(/\{\{\/\/[\s\S]*?\}\}/g, "")
    .replace(/\{\{(char|user)\}\}|<(bot|user|char)>/gi, (_, a?: string, b?: string) => ((a ?? b)!.toLowerCase() === "user" ? v.user : v.char))
    .replace(/\{\{(?:random|pick)::?([^}]*)\}\}/gi, (_, list: string) => pick(list.split(/(?<!\\),/).map((s) => s.replace(/\\,/g, ",")), rng))
    .replace(/\{\{roll:d?(\d{1,6})\}\}/gi, (_, n: string) => String(1 + Math.floor(rng() * Math.max(1, Number(n)))));
}

/** Who `{{user}}` is: the one person at the table, or all of them ("Sam and Eve"), or "everyone". */
export function userOf(people: readonly string[], and = "and", everyone = "everyone"): string {
  if (people.length === 0) return everyone;
  if (people.length === 1) return people[0]!;
  return `${people.slice(0, -1).join(", ")} ${and} ${people.at(-1)}`;
}

/**
 * Tokens a text costs, estimated without the model's tokenizer (the prompt is
 * built before a model may even be loaded): Chinese and Japanese about one per
 * character, Cyrillic about one per 3 characters, Latin text about one per 4.
 */
export function estimateTokens(text: string): number {
  let cjk = 0, cyrillic = 0, other = 0;
  for (const ch of text) {
    if (/[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/u.test(ch)) cjk++;
    else if (/[\u0400-\u04ff]/u.test(ch)) cyrillic++;
    else other++;
  }
  return Math.ceil(cjk + cyrillic / 3 + other / 4);
}
