import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { boot, type Booted } from "../support/boot.js";
import { castDir } from "../support/cast.js";
import { launchChromium } from "../support/browser.js";
import { ensureClientBuilt } from "../support/clientBuild.js";
import { waitForDebug } from "../support/pageDebug.js";
import type { ParleyDebug } from "../support/debugTypes.js";
import { loadCharacters } from "../../server/src/characters.js";

/** set to a folder to write the README's screenshots of both tables there (a test knob, not configuration) */
const SHOTS = process.env.PARLEY_SCREENSHOT_DIR;

let app: Booted | null = null;
let browser: Browser;
const pageErrors: string[] = [];

/** A demo server whose table opens in `language`; Ada's reply is the script's first line (temperature 0); one llama.cpp thread leaves Chromium a core. */
async function table(language: string): Promise<Booted> {
  await app?.stop();
  app = await boot({ PARLEY_LANGUAGE: language, PARLEY_THREADS: "1" }, { characters: await loadCharacters(castDir([], { ada: { temperature: 0 } })) });
  return app;
}

beforeAll(async () => {
  ensureClientBuilt();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function open(locale: string, app: Booted): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 640 }, locale });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(app.parley.url);
  return page;
}

/** Types a line into the chat box (found by its test id in any language) and waits until Ada has spoken it out with a moving mouth. */
async function talkToAda(page: Page, line: string): Promise<ParleyDebug> {
  const box = page.getByTestId("message");
  await box.fill(line);
  await box.press("Enter");
  await waitForDebug(page, (v) => v.characters.ada?.state === "speaking" && v.audio.playing.includes("ada"), 20_000, "Ada speaking");
  const mouth: number[] = [];
  for (let i = 0; i < 50; i++) {
    const v = await waitForDebug(page, () => true, 1000, "a frame");
    mouth.push(Object.values(v.characters.ada!.visemes).reduce((a, b) => a + b, 0));
    await new Promise((r) => setTimeout(r, 40));
  }
  // the mouth follows the phonemes: it opens and closes, it is not stuck
  expect(Math.max(...mouth) - Math.min(...mouth)).toBeGreaterThan(0.1);
  return waitForDebug(page, (v) => v.characters.ada?.state === "idle" && v.audio.playing.length === 0 && v.transcript.at(-1)?.speaker === v.characters.ada.name, 30_000, "Ada done");
}

/** The fonts Chromium really drew an element's text with (CDP), and how many glyphs each. */
async function fontsOf(page: Page, selector: string): Promise<{ familyName: string; glyphCount: number }[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("DOM.enable");
  await cdp.send("CSS.enable");
  const { root } = await cdp.send("DOM.getDocument");
  const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: root.nodeId, selector });
  const { fonts } = await cdp.send("CSS.getPlatformFontsForNode", { nodeId });
  await cdp.detach();
  return fonts;
}

/** Waits until a character's name card shows `voice` (which voice speaks at this table), then closes it. */
async function cardShowsVoice(page: Page, cardName: string, voice: string): Promise<void> {
  await page.getByRole("button", { name: cardName }).click();
  await page.waitForFunction((v) => document.querySelector(".namecard .meta")?.textContent?.includes(v), voice, { timeout: 5000 });
  await page.locator(".namecard .close").click();
}

describe("a Russian and a Chinese table in Chromium", () => {
  it("a Russian browser at a Russian table: Russian page, a Russian reply in a Russian voice with a moving mouth", async () => {
    // as `PARLEY_LANGUAGE=ru npm run demo` opens it
    const page = await open("ru-RU", await table("ru"));
    const d = await waitForDebug(page, (v) => v.connected && v.llm.ready && Object.keys(v.characters).length === 3, 20_000, "connected room");
    expect(d.ui).toEqual({ lang: "ru" });
    expect(d.table).toEqual({ language: "ru" });
    expect(Object.values(d.characters).map((c) => c.name).sort()).toEqual(["Ада", "Тео", "Юнона"]);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("ru");
    await expect(page.getByRole("textbox", { name: "Сообщение" }).isVisible()).resolves.toBe(true);
    for (const text of ["Демо-модель:", "Настройки стола", "Микрофон выкл.", "Отправить"]) await expect(page.getByText(text).first().isVisible()).resolves.toBe(true);

    await page.getByRole("textbox", { name: "Ваше имя" }).fill("Саша");
    await page.getByRole("textbox", { name: "Ваше имя" }).press("Enter");
    const done = await talkToAda(page, "Ада, привет! Как дела?");
    const reply = done.transcript.at(-1)!.text;
    expect(done.transcript.at(-2)).toMatchObject({ speaker: "Саша", text: "Ада, привет! Как дела?" });
    expect(reply).toMatch(/^Привет, как здорово тебя слышать!/);
    await expect(page.getByText(reply.slice(0, 25)).first().isVisible()).resolves.toBe(true);
    const fonts = await fontsOf(page, ".transcript li:nth-last-child(2) .text");
    expect(fonts.reduce((n, f) => n + f.glyphCount, 0)).toBeGreaterThan(reply.replace(/\s/g, "").length * 0.9);
    await cardShowsVoice(page, "Карточка: Ада", "голос espeak:ru+f3");
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "table-ru.png") });
    await page.close();
  });

  it("a Chinese browser switches an English table to Chinese in its settings: Chinese page, glyphs, a Chinese reply and voice", async () => {
    const page = await open("zh-CN", await table("en"));
    await waitForDebug(page, (v) => v.connected && v.llm.ready && v.ui.lang === "zh-Hans", 20_000, "a Chinese page");
    await page.getByRole("button", { name: "桌子设置" }).click();
    await page.getByRole("combobox", { name: "桌子语言" }).selectOption("zh");
    const d = await waitForDebug(page, (v) => v.table.language === "zh" && v.characters.ada?.name === "艾达", 10_000, "a Chinese table");
    expect(Object.values(d.characters).map((c) => c.name).sort()).toEqual(["朱诺", "艾达", "西奥"].sort());
    await page.getByRole("button", { name: "桌子设置" }).click();
    await expect(page.getByRole("textbox", { name: "消息" }).isVisible()).resolves.toBe(true);
    for (const text of ["演示模型：", "麦克风已关", "发送"]) await expect(page.getByText(text).first().isVisible()).resolves.toBe(true);
    await page.getByRole("textbox", { name: "你的名字" }).fill("小明");
    await page.getByRole("textbox", { name: "你的名字" }).press("Enter");
    const done = await talkToAda(page, "艾达，你好！");
    const reply = done.transcript.at(-1)!.text;
    expect(done.transcript.at(-2)).toMatchObject({ speaker: "小明", text: "艾达，你好！" });
    expect(reply).toMatch(/^你好，很高兴听到你的声音！/);
    expect(reply).not.toMatch(/[A-Za-zА-Яа-я]/);
    // the reply is drawn with a Chinese face, not boxes: ask Chromium which fonts drew its glyphs
    const fonts = await fontsOf(page, ".transcript li:nth-last-child(2) .text");
    expect(fonts.find((f) => /CJK SC/.test(f.familyName))?.glyphCount ?? 0).toBeGreaterThan(10);
    await cardShowsVoice(page, "艾达的卡片", "声音 espeak:cmn+f3");
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "table-zh.png") });

    // the page's own switch: English at once, and remembered in this browser
    await page.getByRole("combobox", { name: "页面语言" }).selectOption("en");
    await waitForDebug(page, (v) => v.ui.lang === "en", 5000, "an English page");
    await expect(page.getByRole("textbox", { name: "Message" }).isVisible()).resolves.toBe(true);
    await page.reload();
    await waitForDebug(page, (v) => v.connected && v.ui.lang === "en" && v.table.language === "zh", 20_000, "English page, Chinese table");
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
