/**
 * Who a person (or a character) is talking to: characters named by name or
 * nickname, in English, Russian (with case endings and vocatives) or Chinese;
 * "everyone" and "you two". A name used as a vocative (at the start or end of
 * the sentence, set off by punctuation) outranks one merely mentioned.
 */
export interface Addressable { id: string; name: string; nicknames: readonly string[] }

export interface Addressing {
  /** character ids, vocatives first, then mentions, each in text order */
  ids: string[];
  /** the ids addressed as vocatives ("Theo, ..." / "..., Theo?"), in text order */
  vocatives: string[];
  /** the whole table was addressed */
  everyone: boolean;
  /** "you two" / "both of you": the two characters who spoke last are meant */
  pair: boolean;
}

const EVERYONE = [
  /(?<![\p{L}])(everyone|everybody|all of you|you all|y'all|you guys|folks|guys)(?![\p{L}])/iu,
  /(?<![\p{L}])(все|всем|всех|ребята|друзья|народ)(?![\p{L}])/iu,
  /(大家|你们|各位)/u,
];
const PAIR = [
  /(?<![\p{L}])(you two|both of you|the two of you)(?![\p{L}])/iu,
  /(?<![\p{L}])(вы двое|вы оба|вы обе|оба|обе)(?![\p{L}])/iu,
  /(你们俩|你们两个|你俩)/u,
];

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u;
const CYRILLIC = /[\u0400-\u04ff]/u;
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A pattern for one name: CJK by substring, Cyrillic with case endings, Latin with "'s". */
function namePattern(name: string): RegExp {
  const n = name.trim();
  if (CJK.test(n)) return new RegExp(escapeRe(n), "u");
  if (CYRILLIC.test(n)) {
    // Ада -> Ады, Аде, Аду, Адой; Максим -> Максима, Максиму; Маша -> Маш (colloquial vocative)
    const lower = n.toLowerCase();
    const stem = /[аяоеиыуюь]$/u.test(lower) && lower.length > 2 ? lower.slice(0, -1) : lower;
    const endings = "(?:а|я|ы|и|е|у|ю|ой|ей|ою|ею|ом|ем|о|ь)?";
    return new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(stem)}${endings}(?![\\p{L}\\p{N}])`, "iu");
  }
  return new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(n)}(?:'s|’s)?(?![\\p{L}\\p{N}])`, "iu");
}

interface Hit { id: string; at: number; vocative: boolean }

/** Is the match at [at, end) set off as a vocative? */
function isVocative(text: string, at: number, end: number): boolean {
  const before = text.slice(0, at).trimEnd();
  const after = text.slice(end).trimStart();
  const startOfSentence = before === "" || /[.!?。！？…,，:;]$/u.test(before) || /^(hey|hi|hello|ok|okay|oh|so|well|эй|ну|привет|слушай|喂|嘿)$/iu.test(before.split(/\s+/).pop() ?? "");
  const endOfSentence = after === "" || /^[.!?。！？…]/u.test(after);
  const setOffAfter = /^[,，!！?？:：]/u.test(after);
  const setOffBefore = /[,，]$/u.test(before);
  return (startOfSentence && (setOffAfter || endOfSentence)) || (setOffBefore && endOfSentence) || (CJK.test(text[at] ?? "") && (setOffAfter || before === ""));
}

export function whoIsAddressed(text: string, roster: readonly Addressable[]): Addressing {
  const hits: Hit[] = [];
  for (const c of roster) {
    let best: Hit | null = null;
    for (const name of [c.name, ...c.nicknames]) {
      if (!name.trim()) continue;
      const re = new RegExp(namePattern(name).source, `${namePattern(name).flags}g`);
      for (const m of text.matchAll(re)) {
        const hit = { id: c.id, at: m.index, vocative: isVocative(text, m.index, m.index + m[0].length) };
        if (!best || (hit.vocative && !best.vocative) || (hit.vocative === best.vocative && hit.at < best.at)) best = hit;
      }
    }
    if (best) hits.push(best);
  }
  hits.sort((a, b) => Number(b.vocative) - Number(a.vocative) || a.at - b.at);
  return {
    ids: hits.map((h) => h.id),
    vocatives: hits.filter((h) => h.vocative).map((h) => h.id),
    everyone: EVERYONE.some((re) => re.test(text)),
    pair: PAIR.some((re) => re.test(text)),
  };
}
