/**
 * What a character says when it sits down and when it leaves. A greeting is its
 * card's first message or one of its alternates (chosen at random, like a
 * swipe), or at a table with other characters one of its group-only greetings
 * when it has any; a character without any greets in the table's language.
 * Macros ({{user}}, {{char}}) are filled for the people at the table.
 */
import type { CharacterConfig } from "@parley/shared";
import { fillMacros, userOf } from "../brain/macros.js";
import { tableLanguageOf } from "../i18n/liveCharacter.js";
import { serverText } from "../i18n/serverText.js";

const said = (s: string | undefined): s is string => !!s && s.trim().length > 0;

export function greetingOf(c: CharacterConfig, o: { withOthers: boolean; people: readonly string[]; rng: () => number }): string {
  const t = serverText(tableLanguageOf(c) ?? "en");
  const group = (c.groupGreetings ?? []).filter(said);
  const pool = o.withOthers && group.length ? group : [c.greeting, ...(c.alternateGreetings ?? [])].filter(said);
  const line = pool.length ? pool[Math.floor(o.rng() * pool.length)]! : t.greeting(c.name);
  return fillMacros(line, { char: c.nickname || c.name, user: userOf(o.people, t.and, t.everyone), rng: o.rng });
}

export function goodbyeOf(c: CharacterConfig, people: readonly string[]): string {
  const t = serverText(tableLanguageOf(c) ?? "en");
  return t.goodbye(userOf(people, t.and, t.everyone));
}
