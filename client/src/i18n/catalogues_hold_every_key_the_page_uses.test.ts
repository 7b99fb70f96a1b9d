import { describe, it, expect } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CharacterState, EMOTIONS, ErrorCode, POLICY_NAMES } from "@parley/shared";
import { CATALOGUES, UI_LANGUAGES, detectUiLanguage, type UiLanguage } from "./i18n.js";

const SRC = join(dirname(fileURLToPath(import.meta.url)), "..");
const PLURAL = /_(zero|one|two|few|many|other)$/;

/** Every leaf of a catalogue as "a.b.c" -> text. */
function leaves(o: object, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(o)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of leaves(v as object, key)) out.set(kk, vv);
  }
  return out;
}

/** The keys a language must have for `base`: the key itself, or every plural form the language uses for whole numbers. */
function hasKey(catalogue: Map<string, string>, base: string, lang: UiLanguage): boolean {
  if (catalogue.has(base)) return true;
  const forms = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
  return forms.every((f) => catalogue.has(`${base}_${f}`));
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [p] : [];
  });
}

const CODE = sources(SRC).map((p) => ({ path: p.slice(SRC.length + 1), text: readFileSync(p, "utf8") }));
/** literal keys: t("a.b"), i18next.t("a.b"), i18nKey="a.b" */
const USED = new Set(CODE.flatMap(({ text }) => [...text.matchAll(/\bt\(\s*["']([\w.]+)["']|i18nKey=["']([\w.]+)["']/g)].map((m) => m[1] ?? m[2]!)));
/** keys built from data: t(`state.${...}`) must cover every value the data can take */
const DYNAMIC: Record<string, readonly string[]> = {
  "state.": Object.values(CharacterState),
  "emotion.": EMOTIONS,
  "settings.policies.": POLICY_NAMES,
};
const PREFIXES = new Set(CODE.flatMap(({ text }) => [...text.matchAll(/\bt\(\s*`([\w.]+)\$\{/g)].map((m) => m[1]!)));

const en = leaves(CATALOGUES.en);
const baseKeys = new Set([...en.keys()].map((k) => k.replace(PLURAL, "")));
const placeholders = (s: string): string[] => [...s.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]!).sort();
const tags = (s: string): string[] => [...s.matchAll(/<(\w+)>/g)].map((m) => m[1]!).sort();

describe("the page's catalogues (en, ru, zh-Hans)", () => {
  it("finds the keys the page uses (the scan works)", () => {
    expect(USED.size).toBeGreaterThan(60);
    expect(USED).toContain("chat.label");
    expect(USED).toContain("status.demo");
    expect([...PREFIXES].sort()).toEqual(Object.keys(DYNAMIC).sort());
  });

  for (const lang of UI_LANGUAGES) {
    it(`${lang} has every key the page uses, every value of keys built from data, and nothing else`, () => {
      const c = leaves(CATALOGUES[lang]);
      const missing = [...USED].filter((k) => !hasKey(c, k, lang));
      for (const [prefix, values] of Object.entries(DYNAMIC)) missing.push(...values.map((v) => prefix + v).filter((k) => !hasKey(c, k, lang)));
      expect(missing).toEqual([]);
      const ownBase = new Set([...c.keys()].map((k) => k.replace(PLURAL, "")));
      expect([...ownBase].filter((k) => !baseKeys.has(k))).toEqual([]);
      expect([...baseKeys].filter((k) => !hasKey(c, k, lang))).toEqual([]);
    });

    it(`${lang} keeps every placeholder and markup tag of the English text`, () => {
      const c = leaves(CATALOGUES[lang]);
      for (const [key, text] of c) {
        const source = en.get(key) ?? en.get(`${key.replace(PLURAL, "")}_other`) ?? "";
        expect({ key, placeholders: placeholders(text), tags: tags(text) }).toEqual({ key, placeholders: placeholders(source), tags: tags(source) });
      }
    });
  }

  it("uses no key that is missing from English (a misspelt key fails here)", () => {
    expect([...USED].filter((k) => !hasKey(en, k, "en"))).toEqual([]);
  });

  it("every server error code has words in the page (through errorText)", () => {
    const phrases = CODE.find((f) => f.path.endsWith("phrases.ts"))!.text;
    for (const code of Object.values(ErrorCode)) expect(phrases).toContain(`case "${code}"`);
  });

  it("counts with each language's own plural rules: 1 минуту, 2 минуты, 5 минут; 1 minute, 5 minutes; 5 分钟", async () => {
    const { default: i18next } = await import("i18next");
    const t = i18next.createInstance();
    await t.init({ resources: Object.fromEntries(UI_LANGUAGES.map((l) => [l, { translation: CATALOGUES[l] }])), lng: "ru", load: "currentOnly", initAsync: false });
    const say = (lng: UiLanguage, count: number): string => t.t("ago.minutes", { lng, count });
    expect([1, 2, 5, 21, 22, 25, 11].map((n) => say("ru", n))).toEqual([
      "1 минуту назад", "2 минуты назад", "5 минут назад", "21 минуту назад", "22 минуты назад", "25 минут назад", "11 минут назад",
    ]);
    expect([1, 5].map((n) => say("en", n))).toEqual(["1 minute ago", "5 minutes ago"]);
    expect(say("zh-Hans", 5)).toBe("5 分钟前");
    expect([1, 3, 5].map((count) => t.t("card.facts", { lng: "ru", count }))).toEqual(["1 факт", "3 факта", "5 фактов"]);
    expect(t.t("status.downloading", { lng: "ru", name: "Whisper", progress: 0.42 })).toBe("Загрузка Whisper: 42\u00a0%");
  });

  it("picks the page language from an earlier choice, else the browser's languages, else English", () => {
    expect(detectUiLanguage(null, ["ru-RU", "en-US"])).toBe("ru");
    expect(detectUiLanguage(null, ["zh-CN"])).toBe("zh-Hans");
    expect(detectUiLanguage(null, ["zh-TW", "ru"])).toBe("zh-Hans");
    expect(detectUiLanguage(null, ["fr-FR", "de"])).toBe("en");
    expect(detectUiLanguage("ru", ["zh-CN"])).toBe("ru");
    expect(detectUiLanguage("xx", ["zh-CN"])).toBe("zh-Hans");
  });
});
